#include "service/question_keys.h"

namespace sizer::service {
namespace {

using nlohmann::json;

// A scalar parameter as the text the flag would carry: strings as they are, numbers as JSON
// writes them (8, 0.5).
StatusOr<std::string> ScalarText(const std::string& key, const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number()) return value.dump();
  return Status::InvalidArgument(key + ": expected a string or a number, got " +
                                 std::string(value.type_name()));
}

StatusOr<std::string> ListText(const std::string& key, const json& value) {
  if (!value.is_array()) return ScalarText(key, value);
  std::string joined;
  for (const json& item : value) {
    if (!item.is_string()) return Status::InvalidArgument(key + ": expected strings in the list");
    joined += (joined.empty() ? "" : ",") + item.get<std::string>();
  }
  return joined;
}

}  // namespace

const std::vector<QuestionKey>& QuestionKeys() {
  static const std::vector<QuestionKey> kKeys = {
      {"quant", &Question::quant, false},
      {"context", &Question::context, false},
      {"concurrency", &Question::concurrency, false},
      {"runtime", &Question::runtime, false},
      {"kv_cache_dtype", &Question::kv_cache_dtype, false},
      {"prompt_tokens", &Question::prompt_tokens, false},
      {"output_tokens", &Question::output_tokens, false},
      {"min_decode", &Question::min_decode, false},
      {"on", &Question::on, true},
      {"gpu", &Question::gpu, true},
      {"memory", &Question::memory, false},
      {"bandwidth", &Question::bandwidth, false},
      {"tflops", &Question::tflops, false},
  };
  return kKeys;
}

std::string FlagName(std::string_view key) {
  std::string flag(key);
  for (char& c : flag) c = c == '_' ? '-' : c;
  return flag;
}

std::vector<std::string> QuestionParamNames() {
  std::vector<std::string> names;
  for (const QuestionKey& k : QuestionKeys()) names.emplace_back(k.key);
  names.emplace_back("set");
  return names;
}

StatusOr<bool> ReadQuestionParam(const std::string& key, const json& value, Question& q) {
  if (key == "set") {
    if (value.is_string()) {
      q.sets.push_back(value.get<std::string>());
      return true;
    }
    if (!value.is_array()) return Status::InvalidArgument("set: expected a list of \"KEY=VALUE\" strings");
    for (const json& item : value) {
      if (!item.is_string()) return Status::InvalidArgument("set: expected a list of \"KEY=VALUE\" strings");
      q.sets.push_back(item.get<std::string>());
    }
    return true;
  }
  for (const QuestionKey& k : QuestionKeys()) {
    if (key != k.key) continue;
    SIZER_ASSIGN_OR_RETURN(std::string text, k.words ? ListText(key, value) : ScalarText(key, value));
    q.*k.field = std::move(text);
    return true;
  }
  return false;
}

StatusOr<std::string> StringParam(const std::string& key, const json& value) {
  if (!value.is_string()) {
    return Status::InvalidArgument(key + ": expected a string, got " + std::string(value.type_name()));
  }
  return value.get<std::string>();
}

StatusOr<bool> BoolParam(const std::string& key, const json& value) {
  if (!value.is_boolean()) {
    return Status::InvalidArgument(key + ": expected true or false, got " + std::string(value.type_name()));
  }
  return value.get<bool>();
}

}  // namespace sizer::service

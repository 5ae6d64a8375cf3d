// The flags of a question (`sizer fit`, `sizer recommend`) by name, for the command line and for
// requests: a request's parameter is the long flag with '-' -> '_' (kv_cache_dtype is
// --kv-cache-dtype). One table, so the two cannot drift apart.
#ifndef SIZER_SERVICE_QUESTION_KEYS_H_
#define SIZER_SERVICE_QUESTION_KEYS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "input/question.h"

namespace sizer::service {

struct QuestionKey {
  const char* key;                              // "kv_cache_dtype"
  std::optional<std::string> Question::*field;  // &Question::kv_cache_dtype
  bool words;                                   // --on, --gpu: the shell may split them in words
};
// quant, context, concurrency, runtime, kv_cache_dtype, prompt_tokens, output_tokens,
// min_decode, on, gpu, memory, bandwidth, tflops (--set is Question::sets, key "set").
const std::vector<QuestionKey>& QuestionKeys();
// "kv_cache_dtype" -> "kv-cache-dtype".
std::string FlagName(std::string_view key);

// Reads one request parameter into `q` when `key` is a question key or "set": a string or a
// number (as its JSON text); on/gpu also an array of strings (joined with ','), set a string or
// an array of "KEY=VALUE" strings. Returns false for any other key (the caller's own or
// unknown); kInvalidArgument "KEY: expected ..." for a value of the wrong type.
StatusOr<bool> ReadQuestionParam(const std::string& key, const nlohmann::json& value, Question& q);

// The names ReadQuestionParam accepts, for messages.
std::vector<std::string> QuestionParamNames();

// "KEY: expected a string" unless `value` is a string.
StatusOr<std::string> StringParam(const std::string& key, const nlohmann::json& value);
// "KEY: expected true or false" unless `value` is a boolean.
StatusOr<bool> BoolParam(const std::string& key, const nlohmann::json& value);

}  // namespace sizer::service

#endif  // SIZER_SERVICE_QUESTION_KEYS_H_

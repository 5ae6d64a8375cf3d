#include "yaml/yaml_reader.h"

#include <charconv>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "base/edit_distance.h"
#include "base/file.h"
#include "base/units.h"

namespace sizer {
namespace {

std::string Describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing";
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  return "'" + node.Scalar() + "'";
}

// Anchors and aliases make a small document a large or even cyclic graph: `&a [x, *a]` is a
// list that contains itself, and 40 lines of `&bN [*bN-1, *bN-1]` expand to 2^40 values. The
// copy is bounded in values and depth (a real inline model or candidate has a few dozen
// values, nested three or four deep); past either bound it fails instead of hanging,
// exhausting memory or overflowing the stack.
constexpr int64_t kMaxJsonValues = 100000;
constexpr int kMaxJsonDepth = 64;

bool ToJson(const YAML::Node& node, int depth, int64_t& budget, nlohmann::json& out) {
  if (--budget < 0 || depth > kMaxJsonDepth) return false;
  if (!node.IsDefined() || node.IsNull()) {
    out = nullptr;
  } else if (node.IsScalar()) {
    out = node.Scalar();
  } else if (node.IsSequence()) {
    out = nlohmann::json::array();
    for (const YAML::Node& item : node) {
      if (!ToJson(item, depth + 1, budget, out.emplace_back())) return false;
    }
  } else {
    out = nlohmann::json::object();
    for (const auto& entry : node) {
      if (!ToJson(entry.second, depth + 1, budget,
                  out[entry.first.IsScalar() ? entry.first.Scalar() : "?"])) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

StatusOr<std::string> YamlValue::ToJsonText() const {
  int64_t budget = kMaxJsonValues;
  nlohmann::json out;
  if (!ToJson(node_, 0, budget, out)) {
    return Error("more than " + std::to_string(kMaxJsonValues) + " values or " +
                 std::to_string(kMaxJsonDepth) +
                 " levels once anchors are expanded (an alias that contains itself, or an "
                 "alias bomb?)");
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

StatusOr<YamlValue> YamlValue::Parse(const std::string& text, const std::string& file_name) {
  auto file = std::make_shared<const std::string>(file_name);
  try {
    YAML::Node root = YAML::Load(text);
    return YamlValue(root, root.Mark(), file, "");
  } catch (const YAML::Exception& e) {
    std::string where = file_name;
    if (!e.mark.is_null()) {
      where += ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
    }
    return Status::Corruption(where + ": YAML syntax error: " + e.msg);
  }
}

StatusOr<YamlValue> YamlValue::Load(const std::string& path) {
  SIZER_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
  return Parse(text, path);
}

std::string YamlValue::Where() const {
  if (mark_.is_null()) return *file_;
  return *file_ + ":" + std::to_string(mark_.line + 1) + ":" + std::to_string(mark_.column + 1);
}

Status YamlValue::Error(std::string_view message, StatusCode code) const {
  std::string text = Where() + ": ";
  if (!path_.empty()) text += path_ + ": ";
  text += message;
  return code == StatusCode::kNotFound ? Status::NotFound(std::move(text))
                                       : Status::InvalidArgument(std::move(text));
}

YamlValue YamlValue::Child(YAML::Node node, std::string_view key) const {
  std::string path = path_;
  if (!key.empty() && key.front() == '[') {
    path += key;
  } else {
    if (!path.empty()) path += ".";
    path += key;
  }
  // An absent child has no mark of its own: keep the parent's position for errors.
  if (!node.IsDefined()) return YamlValue(YAML::Node(), mark_, file_, path);
  return YamlValue(node, node.Mark(), file_, path);
}

bool YamlValue::Has(std::string_view key) const {
  if (!node_.IsMap()) return false;
  YAML::Node child = node_[std::string(key)];
  return child.IsDefined() && !child.IsNull();
}

StatusOr<YamlValue> YamlValue::Get(std::string_view key) const {
  if (!node_.IsMap()) return Error("expected a mapping, got " + Describe(node_));
  if (!Has(key)) return Error("missing required key '" + std::string(key) + "'");
  return Child(node_[std::string(key)], key);
}

YamlValue YamlValue::GetOptional(std::string_view key) const {
  if (!node_.IsMap()) return Child(YAML::Node(), key);
  YAML::Node child = node_[std::string(key)];
  return Child(child, key);
}

Status YamlValue::CheckKeys(std::initializer_list<std::string_view> allowed) const {
  if (!node_.IsMap()) return Error("expected a mapping, got " + Describe(node_));
  std::vector<std::string> allowed_list(allowed.begin(), allowed.end());
  std::set<std::string> seen;
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) {
      return YamlValue(entry.first, entry.first.Mark(), file_, path_).Error("keys must be plain names");
    }
    std::string key = entry.first.Scalar();
    YamlValue key_value(entry.first, entry.first.Mark(), file_, path_);
    if (!seen.insert(key).second) return key_value.Error("duplicate key '" + key + "'");
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) {
      return key_value.Error("unknown key '" + key + "'" + DidYouMean(key, allowed_list));
    }
  }
  return Status();
}

std::vector<std::pair<std::string, YamlValue>> YamlValue::Entries() const {
  std::vector<std::pair<std::string, YamlValue>> out;
  if (!node_.IsMap()) return out;
  for (const auto& entry : node_) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
    out.emplace_back(key, Child(entry.second, key));
  }
  return out;
}

std::vector<YamlValue> YamlValue::Items() const {
  std::vector<YamlValue> out;
  if (!node_.IsSequence()) return out;
  for (size_t i = 0; i < node_.size(); ++i) {
    out.push_back(Child(node_[i], "[" + std::to_string(i) + "]"));
  }
  return out;
}

std::string YamlValue::ScalarText() const { return node_.IsScalar() ? node_.Scalar() : ""; }

StatusOr<std::string> YamlValue::AsString() const {
  if (!node_.IsScalar()) return Error("expected a string, got " + Describe(node_));
  return node_.Scalar();
}

StatusOr<bool> YamlValue::AsBool() const {
  if (node_.IsScalar()) {
    bool value = false;
    if (YAML::convert<bool>::decode(node_, value)) return value;
  }
  return Error("expected true or false, got " + Describe(node_));
}

StatusOr<double> YamlValue::AsNumber() const {
  if (!node_.IsScalar()) return Error("expected a number, got " + Describe(node_));
  const std::string& text = node_.Scalar();
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return Error("expected a number, got '" + text + "'");
  }
  if (!std::isfinite(value)) return Error("expected a finite number, got '" + text + "'");
  return value;
}

StatusOr<double> YamlValue::AsPositiveNumber() const {
  SIZER_ASSIGN_OR_RETURN(double value, AsNumber());
  if (value <= 0) return Error("must be greater than 0, got " + ScalarText());
  return value;
}

StatusOr<double> YamlValue::AsNonNegativeNumber() const {
  SIZER_ASSIGN_OR_RETURN(double value, AsNumber());
  if (value < 0) return Error("must not be negative, got " + ScalarText());
  return value;
}

StatusOr<int64_t> YamlValue::AsNonNegativeInt() const {
  SIZER_ASSIGN_OR_RETURN(double value, AsNonNegativeNumber());
  if (value != std::floor(value) || value > 9.0e15) {
    return Error("expected a whole number, got " + ScalarText());
  }
  return static_cast<int64_t>(value);
}

StatusOr<int64_t> YamlValue::AsPositiveInt() const {
  SIZER_ASSIGN_OR_RETURN(int64_t value, AsNonNegativeInt());
  if (value < 1) return Error("must be at least 1, got " + ScalarText());
  return value;
}

StatusOr<double> YamlValue::AsFraction() const {
  SIZER_ASSIGN_OR_RETURN(double value, AsNumber());
  if (value < 0 || value > 1) return Error("expected a fraction in [0, 1], got " + ScalarText());
  return value;
}

StatusOr<double> YamlValue::AsBytes() const {
  if (!node_.IsScalar()) return Error("expected a size such as '24 GiB', got " + Describe(node_));
  StatusOr<double> parsed = ParseBytes(node_.Scalar());
  if (!parsed.ok()) return Error(parsed.status().message());
  return *parsed;
}

StatusOr<double> YamlValue::AsPositiveBytes() const {
  SIZER_ASSIGN_OR_RETURN(double value, AsBytes());
  if (value <= 0) return Error("must be greater than 0, got " + ScalarText());
  return value;
}

StatusOr<double> YamlValue::AsBytesPerSecond(bool allow_zero) const {
  if (!node_.IsScalar()) {
    return Error("expected a bandwidth such as '1008 GB/s', got " + Describe(node_));
  }
  StatusOr<double> parsed = ParseBytesPerSecond(node_.Scalar());
  if (!parsed.ok()) return Error(parsed.status().message());
  if (*parsed <= 0 && !(allow_zero && *parsed == 0)) {
    return Error("must be greater than 0, got " + ScalarText());
  }
  return *parsed;
}

StatusOr<std::vector<std::string>> YamlValue::AsStringList() const {
  if (!node_.IsSequence()) return Error("expected a list, got " + Describe(node_));
  std::vector<std::string> out;
  for (const YamlValue& item : Items()) {
    SIZER_ASSIGN_OR_RETURN(std::string s, item.AsString());
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace sizer

#include "deploy/yaml_text.h"

#include <cctype>

namespace sizer {
namespace {

using Json = nlohmann::ordered_json;

// A string YAML reads back as the same string when written plain: it starts with a letter,
// '_' or '/', uses no indicator that could start a comment, a mapping or a flow collection,
// has no ':' before a space or at the end, and is not a word YAML 1.1 reads as a boolean or
// null. Anything else is written double-quoted.
bool IsPlainSafe(const std::string& s) {
  static const char* const kSpecial[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No",
                                         "NO", "true", "True", "TRUE", "false", "False", "FALSE",
                                         "on", "On", "ON", "off", "Off", "OFF", "null", "Null",
                                         "NULL"};
  if (s.empty()) return false;
  for (const char* word : kSpecial) {
    if (s == word) return false;
  }
  const unsigned char first = static_cast<unsigned char>(s.front());
  if (!std::isalpha(first) && first != '_' && first != '/') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (std::isalnum(c) || c == '_' || c == '.' || c == '/' || c == '-' || c == '@' || c == '+') continue;
    if (c == ':' && i + 1 < s.size() && s[i + 1] != ' ') continue;
    return false;
  }
  return true;
}

std::string Scalar(const Json& v) {
  if (v.is_string() && IsPlainSafe(v.get<std::string>())) return v.get<std::string>();
  // dump() escapes control characters and quotes; invalid UTF-8 is replaced, never thrown.
  return v.dump(-1, ' ', false, Json::error_handler_t::replace);
}

bool IsEmptyCollection(const Json& v) {
  return (v.is_object() || v.is_array()) && v.empty();
}

void Emit(const Json& v, int indent, std::string& out);

// Writes `v` after "key:" or "- " on the current line: scalars and empty collections inline,
// others on the following lines at `indent`.
void EmitValue(const Json& v, int indent, std::string& out) {
  if (v.is_structured() && !IsEmptyCollection(v)) {
    out += "\n";
    Emit(v, indent, out);
  } else {
    out += " " + Scalar(v) + "\n";
  }
}

void Emit(const Json& v, int indent, std::string& out) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      out += pad + Scalar(Json(it.key())) + ":";
      EmitValue(it.value(), indent + 2, out);
    }
  } else if (v.is_array()) {
    for (const Json& item : v) {
      if (item.is_object() && !item.empty()) {
        // "- key: value" with the rest of the mapping aligned under the first key.
        std::string nested;
        Emit(item, indent + 2, nested);
        out += pad + "-" + nested.substr(static_cast<size_t>(indent) + 1);
      } else {
        out += pad + "-";
        EmitValue(item, indent + 2, out);
      }
    }
  } else {
    out += pad + Scalar(v) + "\n";
  }
}

}  // namespace

std::string ToYamlText(const Json& value) {
  std::string out;
  if (value.is_structured() && !IsEmptyCollection(value)) {
    Emit(value, 0, out);
  } else {
    out = Scalar(value) + "\n";
  }
  return out;
}

std::string YamlComment(const std::string& text) {
  std::string out = "# ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "# ";
  }
  if (out.size() >= 2 && out.compare(out.size() - 2, 2, "# ") == 0) out.resize(out.size() - 2);
  if (out.empty() || out.back() != '\n') out += "\n";
  return out;
}

}  // namespace sizer

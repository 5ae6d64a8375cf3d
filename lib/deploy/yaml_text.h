// YAML text from a JSON value, for the files `sizer deploy` writes (compose, Kubernetes,
// release manifest). Block style for mappings and lists. A string is written plain only when
// it cannot be misread (a word, a path, a URL); every other string is a double-quoted JSON
// string, which YAML reads back unchanged (JSON strings are YAML double-quoted scalars), so
// no value turns into a number, a boolean, an anchor or a comment.
#ifndef SIZER_DEPLOY_YAML_TEXT_H_
#define SIZER_DEPLOY_YAML_TEXT_H_

#include <string>

#include <nlohmann/json.hpp>

namespace sizer {

// Keys keep the order of `value` (use nlohmann::ordered_json to control it).
std::string ToYamlText(const nlohmann::ordered_json& value);

// `text` as "# " comment lines (each line of `text` prefixed).
std::string YamlComment(const std::string& text);

}  // namespace sizer

#endif  // SIZER_DEPLOY_YAML_TEXT_H_

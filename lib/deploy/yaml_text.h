// YAML text from a JSON value, for the files `sizer deploy` writes (compose, Kubernetes,
// release manifest). Block style for mappings and lists; every string is written as a
// double-quoted JSON string, which YAML 1.2 reads back unchanged (JSON is a subset of
// YAML), so no value can be misread as a number, a boolean, an anchor or a comment.
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

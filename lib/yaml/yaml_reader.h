// A thin, checked view over yaml-cpp. Every error names "file:line:col: key.path:" and what
// was expected; yaml-cpp exceptions are caught here and nowhere else in the library.
// Only catalog/ and input/ include this header, so yaml-cpp stays out of the public API.
#ifndef SIZER_YAML_YAML_READER_H_
#define SIZER_YAML_YAML_READER_H_

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/status.h"

namespace sizer {

class YamlValue {
 public:
  // Parses `text` (the contents of `file_name`). Syntax errors are kCorruption with the
  // position yaml-cpp reports.
  static StatusOr<YamlValue> Parse(const std::string& text, const std::string& file_name);
  // Reads and parses a file. A missing file is kNotFound.
  static StatusOr<YamlValue> Load(const std::string& path);

  bool IsMap() const { return node_.IsMap(); }
  bool IsSequence() const { return node_.IsSequence(); }
  bool IsScalar() const { return node_.IsScalar(); }
  bool IsNull() const { return !node_.IsDefined() || node_.IsNull(); }

  // "file:line:col" of this node (1-based); "file" when the node has no mark.
  std::string Where() const;
  // The dotted key path from the document root, e.g. "candidates[2].count".
  const std::string& path() const { return path_; }
  const std::string& file() const { return *file_; }
  // "file:line:col: path: message" with `code` (kInvalidArgument unless told otherwise).
  Status Error(std::string_view message, StatusCode code = StatusCode::kInvalidArgument) const;

  // Map access. Has() is false for absent keys and explicit nulls.
  bool Has(std::string_view key) const;
  // REQUIRES: IsMap(). Errors when the key is absent.
  StatusOr<YamlValue> Get(std::string_view key) const;
  // The child, or a null value (IsNull()) when absent.
  YamlValue GetOptional(std::string_view key) const;
  // kInvalidArgument naming the first key outside `allowed` (with a suggestion), or a
  // duplicate key. Also checks that this node is a mapping.
  Status CheckKeys(std::initializer_list<std::string_view> allowed) const;
  // Key/value pairs in document order. REQUIRES: IsMap().
  std::vector<std::pair<std::string, YamlValue>> Entries() const;
  // Elements. REQUIRES: IsSequence().
  std::vector<YamlValue> Items() const;

  // Typed scalars. Each fails with an error at this node that says what was expected.
  StatusOr<std::string> AsString() const;
  StatusOr<bool> AsBool() const;
  StatusOr<double> AsNumber() const;          // finite
  StatusOr<double> AsPositiveNumber() const;  // finite, > 0
  StatusOr<double> AsNonNegativeNumber() const;
  StatusOr<int64_t> AsPositiveInt() const;    // integer >= 1
  StatusOr<int64_t> AsNonNegativeInt() const;
  StatusOr<double> AsFraction() const;        // in [0, 1]
  StatusOr<double> AsBytes() const;           // "24 GiB", "4.4 GB" or a number of bytes
  StatusOr<double> AsPositiveBytes() const;
  // "1008 GB/s" or bytes per second; > 0 unless `allow_zero`.
  StatusOr<double> AsBytesPerSecond(bool allow_zero = false) const;
  StatusOr<std::vector<std::string>> AsStringList() const;

  // This node as JSON text: mappings and lists keep their shape, every scalar is a string
  // (the readers above parse scalar text, so re-reading the JSON as YAML gives the same
  // values). Used to carry a job's inline mapping into a generated file unchanged. An error
  // when aliases expand it past 100000 values or 64 levels (a bomb, or a node that contains
  // itself).
  StatusOr<std::string> ToJsonText() const;

 private:
  YamlValue(YAML::Node node, YAML::Mark mark, std::shared_ptr<const std::string> file,
            std::string path)
      : node_(std::move(node)), mark_(mark), file_(std::move(file)), path_(std::move(path)) {}
  YamlValue Child(YAML::Node node, std::string_view key) const;
  std::string ScalarText() const;

  YAML::Node node_;
  YAML::Mark mark_;  // where errors point: the node itself, or its parent when absent
  std::shared_ptr<const std::string> file_;
  std::string path_;
};

// Reads `key` with `getter` into `out` when the key is present (and not null); leaves `out`
// unchanged otherwise. Works for plain fields and std::optional fields.
template <typename T, typename Value>
Status ReadIfPresent(const YamlValue& node, std::string_view key,
                     StatusOr<Value> (YamlValue::*getter)() const, T& out) {
  if (!node.Has(key)) return Status();
  StatusOr<Value> value = (node.GetOptional(key).*getter)();
  if (!value.ok()) return value.status();
  out = std::move(value).value();
  return Status();
}

// Reads the required `key` with `getter` into `out`; "missing required key" when absent.
template <typename T, typename Value>
Status ReadRequired(const YamlValue& node, std::string_view key,
                    StatusOr<Value> (YamlValue::*getter)() const, T& out) {
  StatusOr<YamlValue> child = node.Get(key);
  if (!child.ok()) return child.status();
  StatusOr<Value> value = ((*child).*getter)();
  if (!value.ok()) return value.status();
  out = std::move(value).value();
  return Status();
}

}  // namespace sizer

#endif  // SIZER_YAML_YAML_READER_H_

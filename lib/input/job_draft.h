// JobDraft: a job file being written from flags (input/question.h). Keys are set by dotted
// path ("gates.min_decode_tokens_per_s") to YAML text; two settings of one key that disagree
// are an error naming both, a default never overrides a setting, and the text comes out in
// the order a hand-written job uses.
#ifndef SIZER_INPUT_JOB_DRAFT_H_
#define SIZER_INPUT_JOB_DRAFT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace sizer {

class JobDraft {
 public:
  // Sets `path` to the YAML text `value`; `origin` names the flag for messages. A key already
  // set to a different value (other than by a default) is kInvalidArgument.
  Status Set(std::string_view path, const std::string& value, const std::string& origin);
  // Sets `path` unless something already did.
  Status SetDefault(std::string_view path, const std::string& value);
  // "--set key.path=value".
  Status SetFromFlag(std::string_view assignment);

  bool Has(std::string_view path) const { return Value(path).has_value(); }
  std::optional<std::string> Value(std::string_view path) const;
  std::optional<int64_t> IntValue(std::string_view path) const;

  // The job file, keys in the order of a hand-written job.
  std::string Emit() const;

  struct Node {
    std::string key;
    std::optional<std::string> value;
    std::string origin;
    bool is_default = false;
    std::vector<Node> children;
  };

 private:
  Status SetNode(std::string_view path, const std::string& value, const std::string& origin,
                 bool is_default);
  std::vector<Node> roots_;
};

// `text` as a YAML scalar: plain when safe, else double-quoted with escapes.
std::string QuoteYaml(const std::string& text);
// The shortest decimal that reads back as `value` ("20", "0.5", "12.75").
std::string FormatShortest(double value);

}  // namespace sizer

#endif  // SIZER_INPUT_JOB_DRAFT_H_

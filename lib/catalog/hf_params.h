// Reading config.json fields with messages that name the key, and the parameter count a
// config implies (the way transformers' modeling_<model_type>.py builds the modules).
#ifndef SIZER_CATALOG_HF_PARAMS_H_
#define SIZER_CATALOG_HF_PARAMS_H_

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "catalog/model.h"

namespace sizer {

// One JSON object of a config.json (the root or text_config); errors read
// "PATH: key 'text_config.hidden_size': ...".
class HfFields {
 public:
  HfFields(const nlohmann::json& node, std::string path, std::string prefix)
      : node_(node), path_(std::move(path)), prefix_(std::move(prefix)) {}

  bool Has(const std::string& key) const { return node_.contains(key); }
  // The value, or null when absent.
  const nlohmann::json& Raw(const std::string& key) const;
  // "PATH: key 'PREFIX.KEY'" (just "PATH: " for an empty key).
  std::string Where(const std::string& key) const;
  // A required non-negative integer (a float with no fraction is accepted).
  StatusOr<int64_t> Int(const std::string& key) const;
  // Absent or null gives `fallback`; a wrong type is still an error.
  StatusOr<int64_t> IntOr(const std::string& key, int64_t fallback) const;
  bool BoolOr(const std::string& key, bool fallback) const;

 private:
  const nlohmann::json& node_;
  std::string path_;
  std::string prefix_;
};

// Sets m.params_total and m.params_active from the dimensions already in `m` and the
// family's extra tensors (biases, q/k norms, sinks, linear-attention projections).
Status CountHfParams(const HfFields& f, const std::string& model_type, ModelSpec& m);

}  // namespace sizer

#endif  // SIZER_CATALOG_HF_PARAMS_H_

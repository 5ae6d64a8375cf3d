// A Hugging Face config.json read into a ModelSpec, for the families model_db describes.
// Field names follow transformers' configuration_<model_type>.py; each mapping in
// hf_config.cc cites its class.
#ifndef SIZER_CATALOG_HF_CONFIG_H_
#define SIZER_CATALOG_HF_CONFIG_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "catalog/model.h"

namespace sizer {

struct HfConfig {
  std::string path;          // the config.json
  std::string model_type;    // of the text model ("gemma3_text" inside a "gemma3" wrapper)
  std::string wrapper_type;  // the outer model_type of a multimodal wrapper, else ""
  std::string architecture;  // architectures[0], "" when absent
  std::string torch_dtype;   // "bfloat16", ... ("" when absent)
  ModelSpec model;           // params_total/params_active counted from the dimensions
  nlohmann::json quantization_config;  // null when absent
  // The wrapper's vision tower config, verbatim (null when absent): for the vision projector
  // estimate, which this reader does not make.
  nlohmann::json vision_config;
};

// The model_type values sizer maps (others fail with kUnsupported naming these).
const std::vector<std::string>& SupportedHfModelTypes();

// Parses config.json text. kCorruption when it is not a JSON object, kInvalidArgument naming
// the key when a required field is missing or of the wrong type, kUnsupported for an unknown
// model_type. `path` prefixes every message.
StatusOr<HfConfig> ParseHfConfig(std::string_view text, const std::string& path);
StatusOr<HfConfig> ReadHfConfig(const std::string& path);

}  // namespace sizer

#endif  // SIZER_CATALOG_HF_CONFIG_H_

// A checkpoint's quantization_config (config.json) as one of sizer's weight-format ids
// (knowledge/weight_format.h). The bytes themselves always come from the shards' headers;
// the id decides the container, the compatibility checks and the worksheet's label.
#ifndef SIZER_CATALOG_HF_QUANTIZATION_H_
#define SIZER_CATALOG_HF_QUANTIZATION_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace sizer {

struct HfQuantization {
  std::string method;       // quant_method: "gptq", "awq", "fp8", ...; "" when unquantized
  std::string format_id;    // "GPTQ-4bit-g128", "FP8", "FP16" (16-bit floats), ...
  std::string description;  // "GPTQ 4-bit, group 128, desc_act false"
  int bits = 16;
  int64_t group_size = 0;   // 0: per tensor or per channel
};

// The quant_method values sizer reads.
const std::vector<std::string>& SupportedQuantMethods();

// `config` is the quantization_config object (null when the checkpoint has none) and
// `torch_dtype` the config's dtype. kUnsupported names an unknown quant_method and the known
// ones; kInvalidArgument names a field of the wrong type. `where` prefixes messages.
StatusOr<HfQuantization> ReadHfQuantization(const nlohmann::json& config,
                                            const std::string& torch_dtype,
                                            const std::string& where);

}  // namespace sizer

#endif  // SIZER_CATALOG_HF_QUANTIZATION_H_

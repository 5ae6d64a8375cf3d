#include "catalog/hf_quantization.h"

namespace sizer {
namespace {

using nlohmann::json;

StatusOr<int64_t> IntField(const json& node, const char* key, int64_t fallback,
                           const std::string& where) {
  auto it = node.find(key);
  if (it == node.end() || it->is_null()) return fallback;
  if (!it->is_number_integer()) {
    return Status::InvalidArgument(where + "quantization_config." + key +
                                   " must be an integer, got " + it->dump());
  }
  return it->get<int64_t>();
}

// Type-safe reads: json::value() throws on a wrong type.
bool BoolOr(const json& node, const char* key, bool fallback) {
  auto it = node.find(key);
  return it != node.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

std::string StringOr(const json& node, const char* key, const std::string& fallback) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::string GroupText(int64_t group) {
  return group > 0 ? "group " + std::to_string(group) : "per channel";
}

// GPTQ (transformers GPTQConfig: bits, group_size, desc_act) and AWQ (AwqConfig: bits,
// group_size, version, zero_point). Ids as knowledge/weight_format.cc spells them.
StatusOr<HfQuantization> IntGroupQuant(const json& qc, const std::string& method,
                                       const std::string& where) {
  HfQuantization q;
  q.method = method;
  SIZER_ASSIGN_OR_RETURN(int64_t bits, IntField(qc, method == "awq" && qc.contains("w_bit") ? "w_bit" : "bits", 4, where));
  SIZER_ASSIGN_OR_RETURN(q.group_size, IntField(qc, method == "awq" && qc.contains("q_group_size") ? "q_group_size" : "group_size", 128, where));
  if (bits < 2 || bits > 8) {
    return Status::InvalidArgument(where + "quantization_config.bits must be 2..8, got " + std::to_string(bits));
  }
  q.bits = static_cast<int>(bits);
  const std::string group = q.group_size > 0 ? "g" + std::to_string(q.group_size) : "gchannel";
  q.format_id = (method == "awq" ? "AWQ-" : "GPTQ-") + std::to_string(bits) + "bit-" + group;
  q.description = (method == "awq" ? "AWQ " : "GPTQ ") + std::to_string(bits) + "-bit, " + GroupText(q.group_size);
  if (method == "gptq") {
    const bool desc_act = BoolOr(qc, "desc_act", false);
    q.description += std::string(", desc_act ") + (desc_act ? "true" : "false");
  }
  return q;
}

// compressed-tensors (llm-compressor): config_groups.*.weights {num_bits, type, strategy,
// group_size} and the packing `format`.
StatusOr<HfQuantization> CompressedTensors(const json& qc, const std::string& where) {
  HfQuantization q;
  q.method = "compressed-tensors";
  const json& groups = qc.contains("config_groups") ? qc["config_groups"] : json();
  if (!groups.is_object() || groups.empty()) {
    return Status::InvalidArgument(where + "quantization_config.config_groups is missing");
  }
  const json& first = groups.begin().value();
  const json& w = first.is_object() && first.contains("weights") ? first["weights"] : json();
  if (!w.is_object()) {
    return Status::InvalidArgument(where + "quantization_config.config_groups." +
                                   groups.begin().key() + ".weights is missing");
  }
  SIZER_ASSIGN_OR_RETURN(int64_t bits, IntField(w, "num_bits", 8, where + "config_groups.*.weights: "));
  SIZER_ASSIGN_OR_RETURN(q.group_size, IntField(w, "group_size", 0, where + "config_groups.*.weights: "));
  const std::string type = StringOr(w, "type", "int");
  const std::string format = StringOr(qc, "format", "");
  q.bits = static_cast<int>(bits);
  if (type == "float" && bits == 8) {
    q.format_id = "FP8";
  } else if (type == "float" && bits == 4) {
    q.format_id = q.group_size == 32 ? "MXFP4" : "NVFP4";
  } else if (type == "int" && bits == 8 && q.group_size == 0) {
    q.format_id = "INT8-W8A8";
  } else if (type == "int" && bits >= 2 && bits <= 8) {
    // pack-quantized int: the GPTQ packing of sizer's table (symmetric: no zero points).
    q.format_id = "GPTQ-" + std::to_string(bits) + "bit-" +
                  (q.group_size > 0 ? "g" + std::to_string(q.group_size) : "gchannel");
  } else {
    return Status::Unsupported(where + "compressed-tensors weights of type '" + type + "' with " +
                               std::to_string(bits) + " bits are not supported");
  }
  q.description = "compressed-tensors " + (format.empty() ? type : format) + ", " +
                  std::to_string(bits) + "-bit " + type + ", " + GroupText(q.group_size);
  return q;
}

}  // namespace

const std::vector<std::string>& SupportedQuantMethods() {
  static const std::vector<std::string> kMethods = {"gptq", "awq", "fp8", "compressed-tensors",
                                                    "bitsandbytes", "mxfp4"};
  return kMethods;
}

StatusOr<HfQuantization> ReadHfQuantization(const json& qc, const std::string& torch_dtype,
                                            const std::string& where) {
  if (qc.is_null()) {
    HfQuantization q;
    q.format_id = "FP16";  // sizer's 16-bit safetensors format, bfloat16 or float16
    q.description = (torch_dtype.empty() ? std::string("16-bit") : torch_dtype) + " weights";
    return q;
  }
  if (!qc.is_object() || !qc.contains("quant_method") || !qc["quant_method"].is_string()) {
    return Status::InvalidArgument(where + "quantization_config.quant_method is missing");
  }
  const std::string method = qc["quant_method"].get<std::string>();
  if (method == "gptq" || method == "awq") return IntGroupQuant(qc, method, where);
  if (method == "compressed-tensors") return CompressedTensors(qc, where);
  HfQuantization q;
  q.method = method;
  if (method == "fp8") {
    // transformers FineGrainedFP8Config / vLLM Fp8Config: weight_block_size [128, 128] gives
    // one float32 weight_scale_inv per block; absent, one scale per tensor.
    q.bits = 8;
    q.format_id = "FP8";
    const json& block = qc.contains("weight_block_size") ? qc["weight_block_size"] : json();
    q.description = block.is_array() && block.size() == 2
                        ? "FP8 e4m3, block-wise " + block[0].dump() + "x" + block[1].dump() + " scales"
                        : "FP8 e4m3, per-tensor scales";
  } else if (method == "bitsandbytes") {
    // BitsAndBytesConfig: load_in_4bit (bnb_4bit_quant_type nf4|fp4) or load_in_8bit.
    const bool four = BoolOr(qc, "load_in_4bit", false) || BoolOr(qc, "_load_in_4bit", false);
    const std::string kind = StringOr(qc, "bnb_4bit_quant_type", "fp4");
    q.bits = four ? 4 : 8;
    q.format_id = four ? (kind == "nf4" ? "BNB-NF4" : "BNB-FP4") : "BNB-INT8";
    q.description = four ? "bitsandbytes 4-bit " + kind : "bitsandbytes LLM.int8";
  } else if (method == "mxfp4") {
    q.bits = 4;
    q.format_id = "MXFP4";
    q.description = "MXFP4 experts (fp4 e2m1 *_blocks, e8m0 *_scales per 32)";
  } else {
    std::string known;
    for (const std::string& m : SupportedQuantMethods()) known += (known.empty() ? "" : ", ") + m;
    return Status::Unsupported(where + "quantization_config.quant_method '" + method +
                               "' is not supported (known: " + known + ")");
  }
  return q;
}

}  // namespace sizer

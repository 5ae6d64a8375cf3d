// Weight formats ("quant" in a job): how many bits each tensor of a model takes.
// GGUF presets follow llama-quantize's per-tensor rules (llama.cpp src/llama-quant.cpp,
// llama_tensor_get_type), so a Q4_K_M plan reproduces the real file's mix; the other
// formats follow their published layouts (group scales, zero points, block scales).
#ifndef SIZER_KNOWLEDGE_WEIGHT_FORMAT_H_
#define SIZER_KNOWLEDGE_WEIGHT_FORMAT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/weight_container.h"

namespace sizer {

// The role of a tensor, as far as the quantization rules care.
enum class TensorClass {
  kTokenEmbedding,  // token_embd: a lookup table at decode time
  kOutput,          // output (lm_head); the token embedding when tied
  kAttnQ,
  kAttnK,
  kAttnV,           // attn_v, and MLA's attn_kv_b (llama.cpp counts both as "attn_v")
  kAttnOutput,
  kAttnOther,       // MLA's q_a/q_b/kv_a, linear-attention projections
  kFfnGateUp,       // dense and shared-expert gate/up
  kFfnDown,         // dense and shared-expert down
  kExpertGateUp,    // routed experts (3-D tensors)
  kExpertDown,
  kRouter,          // ffn_gate_inp: never quantized
  kNorm,            // 1-D tensors: never quantized
};

std::string_view TensorClassName(TensorClass cls);

// Where a tensor sits, for rules that depend on the layer or the architecture.
struct TensorSite {
  TensorClass cls = TensorClass::kAttnQ;
  int64_t layer = -1;          // block index, -1 outside the blocks
  int64_t n_layers = 1;
  int64_t attn_v_index = 0;    // running index among attn_v-like tensors
  int64_t attn_v_count = 1;
  int64_t n_experts = 0;       // 0 for dense models
  int64_t n_gqa = 1;           // n_heads / n_kv_heads (integer division, as llama.cpp)
  int64_t row_elements = 256;  // ne[0]: the input width of the matrix
  bool is_llama_70b = false;   // llama.cpp's LLM_TYPE_70B (llama, 80 layers, GQA)
};

struct TensorStorage {
  std::string type;        // "Q6_K", "BF16", "int4+g128"
  double bits_per_weight;  // scales and zero points included
};


struct WeightFormat {
  std::string id;           // as written in a job: "Q4_K_M", "GPTQ-4bit-g128", "FP8"
  WeightContainer container;
  std::string description;
  std::string source;
  std::string native_hardware_format;  // "fp8", "nvfp4", "mxfp4", "" (runs anywhere)

  // The storage of one tensor at `site`.
  TensorStorage StorageOf(const TensorSite& site) const;

  // Implementation detail: which rule set StorageOf applies.
  int rule = 0;
};

const std::vector<WeightFormat>& AllWeightFormats();
// The format of a GGUF file whose file type sizer has no preset for ("IQ2_XXS"): its bytes
// come from the file, so only the container matters.
WeightFormat GgufFileFormat(const std::string& file_type);
// The format of a safetensors checkpoint whose quantization sizer has no table entry for
// ("GPTQ-4bit-gchannel"): its bytes come from the headers, only the container matters.
WeightFormat SafetensorsFileFormat(const std::string& id);
// Case-insensitive lookup; nullptr when unknown.
const WeightFormat* FindWeightFormat(std::string_view id);
std::vector<std::string> WeightFormatIds();

// KV-cache element types.
struct KvDtype {
  std::string id;            // "f16", "q8_0", "fp8"
  double bytes_per_element;  // block overhead included: q8_0 is 34 bytes per 32 values
  std::string source;
};
const std::vector<KvDtype>& AllKvDtypes();
const KvDtype* FindKvDtype(std::string_view id);
std::vector<std::string> KvDtypeIds();

}  // namespace sizer

#endif  // SIZER_KNOWLEDGE_WEIGHT_FORMAT_H_

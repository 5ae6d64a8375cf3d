#include "knowledge/weight_format.h"

#include <cctype>
#include <optional>

#include "base/check.h"
#include "gguf/ggml_types.h"

namespace sizer {
namespace {

// Rule sets. GGUF presets are the llama.cpp ftypes; the rest are container formats.
enum Rule {
  kGgufF32, kGgufF16, kGgufBF16, kGgufQ4_0, kGgufQ4_1, kGgufQ5_0, kGgufQ5_1, kGgufQ8_0,
  kGgufQ2_K, kGgufQ3_K_S, kGgufQ3_K_M, kGgufQ3_K_L, kGgufQ4_K_S, kGgufQ4_K_M, kGgufQ5_K_S,
  kGgufQ5_K_M, kGgufQ6_K, kGgufIQ4_NL, kGgufIQ4_XS, kGgufMXFP4_MOE,
  // The I-quant and ternary presets, as llama-quantize writes them with an importance matrix
  // (which it requires for IQ1_*, IQ2_XXS, IQ2_XS and IQ2_S, and which published I-quant files
  // carry): IQ3_XXS then keeps its own type for attn_v and ffn_down.
  kGgufIQ1_S, kGgufIQ1_M, kGgufIQ2_XXS, kGgufIQ2_XS, kGgufIQ2_S, kGgufIQ2_M, kGgufIQ3_XXS,
  kGgufIQ3_S, kGgufIQ3_M, kGgufTQ1_0, kGgufTQ2_0,
  kLinearOnly,  // safetensors-style: linear layers quantized, embeddings/lm_head/norms 16-bit
  kMlx,         // mlx-lm: every Linear and Embedding quantized, norms 16-bit
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

TensorStorage Ggml(std::string_view name) {
  auto info = gguf::FindGgmlTypeByName(name);
  SIZER_CHECK(info.has_value());
  return {std::string(info->name), info->bits_per_weight()};
}

// llama.cpp's use_more_bits(i, n): the first and last eighth of the layers and every third
// layer between them get the wider type in the _M presets.
bool UseMoreBits(int64_t i, int64_t n) {
  return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;
}

// llama.cpp tensor_type_fallback: a k-quant needs rows that are a multiple of 256.
std::string_view Fallback(std::string_view type, int64_t row_elements) {
  auto info = gguf::FindGgmlTypeByName(type);
  if (!info || row_elements % info->block_elements == 0) return type;
  std::string_view next = type;
  if (type == "Q2_K" || type == "Q3_K") next = "Q4_0";
  else if (type == "Q4_K") next = "Q5_0";
  else if (type == "Q5_K") next = "Q5_1";
  else if (type == "Q6_K") next = "Q8_0";
  else if (type == "IQ4_XS") next = "IQ4_NL";
  else if (type == "TQ1_0" || type == "TQ2_0") next = "Q4_0";
  else if (type.substr(0, 2) == "IQ") next = "IQ4_NL";  // IQ1_*, IQ2_*, IQ3_*
  auto next_info = gguf::FindGgmlTypeByName(next);
  if (!next_info || row_elements % next_info->block_elements != 0) return "F16";
  return next;
}

std::string_view GgufBase(int rule) {
  switch (rule) {
    case kGgufQ4_0: return "Q4_0";
    case kGgufQ4_1: return "Q4_1";
    case kGgufQ5_0: return "Q5_0";
    case kGgufQ5_1: return "Q5_1";
    case kGgufQ8_0: return "Q8_0";
    case kGgufQ2_K: return "Q2_K";
    case kGgufQ3_K_S: case kGgufQ3_K_M: case kGgufQ3_K_L: return "Q3_K";
    case kGgufQ4_K_S: case kGgufQ4_K_M: return "Q4_K";
    case kGgufQ5_K_S: case kGgufQ5_K_M: return "Q5_K";
    case kGgufQ6_K: return "Q6_K";
    case kGgufIQ4_NL: return "IQ4_NL";
    case kGgufIQ4_XS: return "IQ4_XS";
    case kGgufMXFP4_MOE: return "MXFP4";
    case kGgufIQ1_S: return "IQ1_S";
    case kGgufIQ1_M: return "IQ1_M";
    case kGgufIQ2_XXS: return "IQ2_XXS";
    case kGgufIQ2_XS: case kGgufIQ2_S: return "IQ2_XS";  // llama.cpp's IQ2_S preset is IQ2_XS
    case kGgufIQ2_M: return "IQ2_S";
    case kGgufIQ3_XXS: return "IQ3_XXS";
    case kGgufIQ3_S: case kGgufIQ3_M: return "IQ3_S";
    case kGgufTQ1_0: return "TQ1_0";
    case kGgufTQ2_0: return "TQ2_0";
    default: return "F16";
  }
}

// The presets llama_tensor_get_type treats as one group below 3 bits.
bool IsLowBitIquant(int rule) {
  return rule == kGgufIQ1_S || rule == kGgufIQ1_M || rule == kGgufIQ2_XXS ||
         rule == kGgufIQ2_XS || rule == kGgufIQ2_S || rule == kGgufIQ2_M;
}

// llama_tensor_get_type's output / tied-embedding and token_embd rules for the I-quant and
// ternary presets; nullopt where the general rules apply.
std::optional<std::string_view> IquantEmbeddingType(int rule, TensorClass cls) {
  const bool iq2_s_or_m = rule == kGgufIQ2_S || rule == kGgufIQ2_M;
  if (cls == TensorClass::kOutput) {
    if (IsLowBitIquant(rule) || rule == kGgufIQ3_XXS) return "Q5_K";
    return std::nullopt;
  }
  if (rule == kGgufIQ1_S || rule == kGgufIQ1_M || rule == kGgufIQ2_XXS || rule == kGgufIQ2_XS) {
    return "Q2_K";
  }
  if (iq2_s_or_m || rule == kGgufIQ3_XXS) return "IQ3_S";
  if (rule == kGgufTQ1_0 || rule == kGgufTQ2_0) return "Q4_K";
  return std::nullopt;
}

// llama_tensor_get_type's branch for the presets below 3 bits (IQ1_S..IQ2_M): attn_v,
// the first eighth of ffn_down and attn_output get wider types; everything else the base.
std::string_view LowBitIquantType(int rule, const TensorSite& s, std::string_view type) {
  const bool iq2_s_or_m = rule == kGgufIQ2_S || rule == kGgufIQ2_M;
  switch (s.cls) {
    case TensorClass::kAttnV:
      if (s.n_gqa >= 4 || s.n_experts >= 4) return "Q4_K";
      return iq2_s_or_m ? "IQ3_S" : "Q2_K";
    case TensorClass::kAttnK:
      return s.n_experts == 8 ? "Q4_K" : type;
    case TensorClass::kFfnDown:
    case TensorClass::kExpertDown:
      if (s.layer < s.n_layers / 8) return iq2_s_or_m ? "IQ3_S" : "Q2_K";
      return type;
    case TensorClass::kAttnOutput:
      if (s.n_experts == 8) return "Q5_K";
      if (rule == kGgufIQ1_S || rule == kGgufIQ1_M) return "IQ2_XXS";
      return iq2_s_or_m ? "IQ3_S" : type;
    default:
      return type;
  }
}

// llama_tensor_get_type (llama.cpp src/llama-quant.cpp) for the ftypes sizer offers,
// without an importance matrix. Returns the type before the row-size fallback.
std::string_view GgufQuantizedType(int rule, const TensorSite& s) {
  std::string_view type = GgufBase(rule);
  const int64_t i = s.layer, n = s.n_layers;
  if (IsLowBitIquant(rule) && s.cls != TensorClass::kOutput &&
      s.cls != TensorClass::kTokenEmbedding) {
    return LowBitIquantType(rule, s, type);
  }
  switch (s.cls) {
    case TensorClass::kOutput:
      if (rule == kGgufMXFP4_MOE) return "Q8_0";
      if (s.row_elements % gguf::FindGgmlTypeByName(type)->block_elements != 0) return "Q8_0";
      if (auto t = IquantEmbeddingType(rule, s.cls)) return *t;
      return type == "Q8_0" ? "Q8_0" : "Q6_K";
    case TensorClass::kTokenEmbedding:
      if (auto t = IquantEmbeddingType(rule, s.cls)) return *t;
      return rule == kGgufMXFP4_MOE ? "Q8_0" : type;
    case TensorClass::kAttnV: {
      if (rule == kGgufMXFP4_MOE) return "Q8_0";
      const int64_t vi = s.attn_v_index, vn = s.attn_v_count;
      if (rule == kGgufQ2_K) type = s.n_gqa >= 4 ? "Q4_K" : "Q3_K";
      else if (rule == kGgufQ3_K_M) type = vi < 2 ? "Q5_K" : "Q4_K";
      else if (rule == kGgufQ3_K_L) type = "Q5_K";
      else if (rule == kGgufIQ3_XXS || rule == kGgufIQ3_S) type = s.n_gqa >= 4 ? "Q4_K" : type;
      else if (rule == kGgufIQ3_M) type = "Q4_K";
      else if ((rule == kGgufIQ4_NL || rule == kGgufIQ4_XS) && s.n_gqa >= 4) type = "Q5_K";
      else if ((rule == kGgufQ4_K_M || rule == kGgufQ5_K_M) && UseMoreBits(vi, vn)) type = "Q6_K";
      else if (rule == kGgufQ4_K_S && vi < 4) type = "Q5_K";
      if (s.is_llama_70b && (type == "Q3_K" || type == "Q4_K")) type = "Q5_K";
      if (s.n_experts == 8) type = "Q8_0";
      return type;
    }
    case TensorClass::kAttnK:
      if (rule == kGgufMXFP4_MOE) return "Q8_0";
      if (s.n_experts == 8) return "Q8_0";
      return rule == kGgufIQ3_XXS ? "IQ2_S" : type;
    case TensorClass::kAttnOutput:
      if (rule == kGgufMXFP4_MOE) return "Q8_0";
      if (s.n_experts == 8) {
        bool bumped = rule == kGgufQ2_K || rule == kGgufQ3_K_S || rule == kGgufQ3_K_M ||
                      rule == kGgufIQ4_NL || rule == kGgufQ4_K_S || rule == kGgufQ4_K_M ||
                      rule == kGgufIQ4_XS || rule == kGgufIQ3_XXS || rule == kGgufIQ3_S ||
                      rule == kGgufIQ3_M;
        return bumped ? "Q5_K" : type;
      }
      if (rule == kGgufQ2_K) return "Q3_K";
      if (rule == kGgufIQ3_XXS) return "IQ3_S";
      if (rule == kGgufIQ3_M) return "Q4_K";
      if (rule == kGgufQ3_K_M) return "Q4_K";
      if (rule == kGgufQ3_K_L) return "Q5_K";
      return type;
    case TensorClass::kFfnDown:
    case TensorClass::kExpertDown:
      if (rule == kGgufMXFP4_MOE) return s.cls == TensorClass::kExpertDown ? "MXFP4" : "Q8_0";
      if (rule == kGgufQ2_K) return "Q3_K";
      if (rule == kGgufQ3_K_M) return i < n / 16 ? "Q5_K" : "Q4_K";
      if (rule == kGgufQ3_K_L) return "Q5_K";
      if (rule == kGgufQ4_K_M || rule == kGgufQ5_K_M) return UseMoreBits(i, n) ? "Q6_K" : type;
      if ((rule == kGgufIQ4_NL || rule == kGgufIQ4_XS) && i < n / 8) return "Q5_K";
      if (rule == kGgufQ4_K_S && i < n / 8) return "Q5_K";
      if (rule == kGgufIQ3_M && (i < n / 8 || (s.n_experts == 8 && UseMoreBits(i, n)))) {
        return "Q4_K";
      }
      return type;
    case TensorClass::kExpertGateUp:
      return type;
    case TensorClass::kAttnQ:
      if (rule == kGgufIQ3_XXS) return "IQ2_S";
      return rule == kGgufMXFP4_MOE ? "Q8_0" : type;
    case TensorClass::kAttnOther:
    case TensorClass::kFfnGateUp:
      return rule == kGgufMXFP4_MOE ? "Q8_0" : type;
    case TensorClass::kRouter:
    case TensorClass::kNorm:
      return "F32";
  }
  return type;
}

struct LinearOnlyLayout {
  std::string_view type;
  double bits_per_weight;
};

LinearOnlyLayout LinearLayoutOf(std::string_view id) {
  // GPTQ/AWQ: packed int weights + per-group fp16 scale + per-group packed zero point of the
  // same width (AutoGPTQ/AutoAWQ layout): bits + (16 + bits) / group.
  if (id == "GPTQ-4bit-g128" || id == "AWQ-4bit-g128") return {"int4+g128", 4 + 20.0 / 128};
  if (id == "GPTQ-4bit-g32") return {"int4+g32", 4 + 20.0 / 32};
  if (id == "GPTQ-3bit-g128") return {"int3+g128", 3 + 19.0 / 128};
  if (id == "GPTQ-8bit-g128") return {"int8+g128", 8 + 24.0 / 128};
  // FP8 / INT8 W8A8: one byte a weight; per-channel scales add < 0.01 bit and are ignored.
  if (id == "FP8") return {"fp8_e4m3", 8.0};
  if (id == "INT8-W8A8") return {"int8", 8.0};
  // NVFP4: e2m1 values with one fp8 (e4m3) scale per 16 values (NVIDIA Blackwell docs).
  if (id == "NVFP4") return {"nvfp4", 4 + 8.0 / 16};
  // MXFP4: e2m1 values with one e8m0 scale per 32 values (OCP MX spec v1.0).
  if (id == "MXFP4") return {"mxfp4", 4 + 8.0 / 32};
  // bitsandbytes 4-bit: two values a byte and one float32 absmax per block of 64
  // (bitsandbytes functional.quantize_4bit, blocksize 64; no double quantization).
  if (id == "BNB-NF4" || id == "BNB-FP4") return {"bnb4+b64", 4 + 32.0 / 64};
  // LLM.int8(): int8 weights, one float32 scale per output row (SCB), under 0.01 bit.
  if (id == "BNB-INT8") return {"int8", 8.0};
  return {"bf16", 16.0};
}

}  // namespace

std::string_view TensorClassName(TensorClass cls) {
  switch (cls) {
    case TensorClass::kTokenEmbedding: return "token_embd";
    case TensorClass::kOutput: return "output";
    case TensorClass::kAttnQ: return "attn_q";
    case TensorClass::kAttnK: return "attn_k";
    case TensorClass::kAttnV: return "attn_v";
    case TensorClass::kAttnOutput: return "attn_output";
    case TensorClass::kAttnOther: return "attn_other";
    case TensorClass::kFfnGateUp: return "ffn_gate_up";
    case TensorClass::kFfnDown: return "ffn_down";
    case TensorClass::kExpertGateUp: return "ffn_gate_up_exps";
    case TensorClass::kExpertDown: return "ffn_down_exps";
    case TensorClass::kRouter: return "ffn_gate_inp";
    case TensorClass::kNorm: return "norm";
  }
  return "?";
}

TensorStorage WeightFormat::StorageOf(const TensorSite& site) const {
  switch (rule) {
    case kGgufF32:
      return Ggml("F32");
    case kGgufF16:
    case kGgufBF16:
      // Float ftypes convert every matrix; 1-D tensors (norms) and the router stay F32.
      if (site.cls == TensorClass::kNorm || site.cls == TensorClass::kRouter) return Ggml("F32");
      return Ggml(rule == kGgufF16 ? "F16" : "BF16");
    case kLinearOnly: {
      bool linear = site.cls != TensorClass::kTokenEmbedding &&
                    site.cls != TensorClass::kOutput && site.cls != TensorClass::kNorm &&
                    site.cls != TensorClass::kRouter;
      // The gpt-oss release keeps attention in BF16 and stores only the experts in MXFP4.
      if (id == "MXFP4" && site.n_experts > 0) {
        linear = site.cls == TensorClass::kExpertGateUp || site.cls == TensorClass::kExpertDown;
      }
      if (!linear) return {"bf16", 16.0};
      LinearOnlyLayout layout = LinearLayoutOf(id);
      return {std::string(layout.type), layout.bits_per_weight};
    }
    case kMlx: {
      if (site.cls == TensorClass::kNorm || site.cls == TensorClass::kRouter) {
        return {"f16", 16.0};
      }
      // mlx-lm affine quantization, group size 64: fp16 scale and fp16 bias per group.
      double bits = id == "MLX-8bit" ? 8 : id == "MLX-6bit" ? 6 : id == "MLX-3bit" ? 3 : 4;
      return {"mlx" + std::to_string(static_cast<int>(bits)) + "+g64", bits + 32.0 / 64};
    }
    default: {
      if (site.cls == TensorClass::kNorm || site.cls == TensorClass::kRouter) return Ggml("F32");
      std::string_view type = GgufQuantizedType(rule, site);
      return Ggml(Fallback(type, site.row_elements));
    }
  }
}

const std::vector<WeightFormat>& AllWeightFormats() {
  static const std::vector<WeightFormat> kFormats = [] {
    const std::string kQuant = "llama.cpp src/llama-quant.cpp llama_tensor_get_type";
    const std::string kBlocks = "ggml src/ggml-common.h block layouts";
    auto gguf = [&](std::string id, int rule, std::string description) {
      return WeightFormat{std::move(id), WeightContainer::kGguf, std::move(description),
                          kQuant + "; " + kBlocks, "", rule};
    };
    auto tensors = [](std::string id, std::string description, std::string source,
                      std::string native) {
      return WeightFormat{std::move(id), WeightContainer::kSafetensors, std::move(description),
                          std::move(source), std::move(native), kLinearOnly};
    };
    auto mlx = [](std::string id, std::string description) {
      return WeightFormat{std::move(id), WeightContainer::kMlx, std::move(description),
                          "mlx-lm utils.quantize_model (affine, group size 64)", "", kMlx};
    };
    return std::vector<WeightFormat>{
        gguf("F32", kGgufF32, "GGUF, 32-bit floats"),
        gguf("F16", kGgufF16, "GGUF, 16-bit floats; norms F32"),
        gguf("BF16", kGgufBF16, "GGUF, bfloat16; norms F32"),
        gguf("Q8_0", kGgufQ8_0, "GGUF, 8.5 bpw blocks of 32"),
        gguf("Q6_K", kGgufQ6_K, "GGUF, 6.5625 bpw super-blocks of 256"),
        gguf("Q5_K_M", kGgufQ5_K_M, "GGUF, Q5_K with Q6_K for half of attn_v/ffn_down and output"),
        gguf("Q5_K_S", kGgufQ5_K_S, "GGUF, Q5_K; output Q6_K"),
        gguf("Q5_1", kGgufQ5_1, "GGUF, 6.0 bpw blocks of 32; output Q6_K"),
        gguf("Q5_0", kGgufQ5_0, "GGUF, 5.5 bpw blocks of 32; output Q6_K"),
        gguf("Q4_K_M", kGgufQ4_K_M, "GGUF, Q4_K with Q6_K for half of attn_v/ffn_down and output"),
        gguf("Q4_K_S", kGgufQ4_K_S, "GGUF, Q4_K; first attn_v/ffn_down layers Q5_K; output Q6_K"),
        gguf("Q4_1", kGgufQ4_1, "GGUF, 5.0 bpw blocks of 32; output Q6_K"),
        gguf("Q4_0", kGgufQ4_0, "GGUF, 4.5 bpw blocks of 32; output Q6_K"),
        gguf("IQ4_XS", kGgufIQ4_XS, "GGUF, 4.25 bpw non-linear super-blocks; output Q6_K"),
        gguf("IQ4_NL", kGgufIQ4_NL, "GGUF, 4.5 bpw non-linear blocks of 32; output Q6_K"),
        gguf("Q3_K_L", kGgufQ3_K_L, "GGUF, Q3_K; attn_v/ffn_down/attn_output Q5_K; output Q6_K"),
        gguf("Q3_K_M", kGgufQ3_K_M, "GGUF, Q3_K; attn_v/ffn_down Q4_K-Q5_K; output Q6_K"),
        gguf("Q3_K_S", kGgufQ3_K_S, "GGUF, Q3_K; output Q6_K"),
        gguf("Q2_K", kGgufQ2_K, "GGUF, Q2_K; attn_v Q3_K/Q4_K, ffn_down Q3_K; output Q6_K"),
        gguf("IQ3_M", kGgufIQ3_M, "GGUF, IQ3_S; attn_v/attn_output Q4_K; output Q6_K (imatrix)"),
        gguf("IQ3_S", kGgufIQ3_S, "GGUF, 3.4375 bpw lattice super-blocks; output Q6_K (imatrix)"),
        gguf("IQ3_XXS", kGgufIQ3_XXS, "GGUF, IQ3_XXS; attn_q/k IQ2_S, attn_output IQ3_S (imatrix)"),
        gguf("IQ2_M", kGgufIQ2_M, "GGUF, IQ2_S; attn_v/attn_output IQ3_S; output Q5_K (imatrix)"),
        gguf("IQ2_S", kGgufIQ2_S, "GGUF, IQ2_XS; attn_v/attn_output IQ3_S; output Q5_K (imatrix)"),
        gguf("IQ2_XS", kGgufIQ2_XS, "GGUF, IQ2_XS; attn_v/token_embd Q2_K; output Q5_K (imatrix)"),
        gguf("IQ2_XXS", kGgufIQ2_XXS, "GGUF, IQ2_XXS; attn_v/token_embd Q2_K; output Q5_K (imatrix)"),
        gguf("IQ1_M", kGgufIQ1_M, "GGUF, IQ1_M; attn_output IQ2_XXS; output Q5_K (imatrix)"),
        gguf("IQ1_S", kGgufIQ1_S, "GGUF, IQ1_S; attn_output IQ2_XXS; output Q5_K (imatrix)"),
        gguf("TQ2_0", kGgufTQ2_0, "GGUF, 2.0625 bpw ternary; token_embd Q4_K, output Q6_K"),
        gguf("TQ1_0", kGgufTQ1_0, "GGUF, 1.6875 bpw ternary; token_embd Q4_K, output Q6_K"),
        gguf("MXFP4_MOE", kGgufMXFP4_MOE, "GGUF, MXFP4 experts, Q8_0 elsewhere (gpt-oss)"),
        tensors("FP16", "safetensors, 16-bit floats", "model release format", ""),
        tensors("FP8", "FP8 e4m3 weights (W8A8 or weight-only), embeddings and lm_head BF16",
                "vLLM FP8 docs; llm-compressor FP8 scheme", "fp8"),
        tensors("INT8-W8A8", "INT8 weights and activations (SmoothQuant), embeddings BF16",
                "vLLM INT8 W8A8 docs", ""),
        tensors("GPTQ-8bit-g128", "GPTQ 8-bit, group 128", "AutoGPTQ packing layout", ""),
        tensors("GPTQ-4bit-g128", "GPTQ 4-bit, group 128, fp16 scales, packed zeros",
                "AutoGPTQ packing layout", ""),
        tensors("GPTQ-4bit-g32", "GPTQ 4-bit, group 32", "AutoGPTQ packing layout", ""),
        tensors("GPTQ-3bit-g128", "GPTQ 3-bit, group 128", "AutoGPTQ packing layout", ""),
        tensors("AWQ-4bit-g128", "AWQ 4-bit, group 128, fp16 scales, packed zeros",
                "AutoAWQ GEMM packing layout", ""),
        tensors("NVFP4", "NVFP4: fp4 e2m1 with an fp8 scale per 16 values",
                "NVIDIA Blackwell NVFP4 format (TensorRT Model Optimizer docs)", "nvfp4"),
        tensors("MXFP4", "MXFP4: fp4 e2m1 with an e8m0 scale per 32 (gpt-oss: experts only)",
                "OCP Microscaling Formats (MX) v1.0; gpt-oss model card", "mxfp4"),
        mlx("MLX-8bit", "MLX affine 8-bit, group 64"),
        mlx("MLX-6bit", "MLX affine 6-bit, group 64"),
        mlx("MLX-4bit", "MLX affine 4-bit, group 64"),
        mlx("MLX-3bit", "MLX affine 3-bit, group 64"),
    };
  }();
  return kFormats;
}

WeightFormat GgufFileFormat(const std::string& file_type) {
  return WeightFormat{file_type, WeightContainer::kGguf, "GGUF file type read from the artifact",
                      "general.file_type", "", kGgufQ8_0};
}

WeightFormat SafetensorsFileFormat(const std::string& id) {
  return WeightFormat{id, WeightContainer::kSafetensors,
                      "safetensors checkpoint, tensor bytes read from its headers",
                      "quantization_config of config.json", "", kLinearOnly};
}

const WeightFormat* FindWeightFormat(std::string_view id) {
  for (const WeightFormat& f : AllWeightFormats()) {
    if (EqualsIgnoreCase(f.id, id)) return &f;
  }
  // Common aliases.
  if (EqualsIgnoreCase(id, "BF16-safetensors") || EqualsIgnoreCase(id, "FP16-safetensors")) {
    return FindWeightFormat("FP16");
  }
  return nullptr;
}

std::vector<std::string> WeightFormatIds() {
  std::vector<std::string> ids;
  for (const WeightFormat& f : AllWeightFormats()) ids.push_back(f.id);
  return ids;
}

const std::vector<KvDtype>& AllKvDtypes() {
  static const std::vector<KvDtype> kDtypes = {
      {"f32", 4.0, "IEEE single"},
      {"f16", 2.0, "IEEE half"},
      {"bf16", 2.0, "bfloat16"},
      {"fp8", 1.0, "fp8 e4m3/e5m2 (vLLM kv_cache_dtype=fp8)"},
      {"q8_0", 34.0 / 32.0, "ggml block_q8_0: f16 scale + 32 int8 = 8.5 bits a value"},
      {"q5_1", 24.0 / 32.0, "ggml block_q5_1: 6.0 bits a value"},
      {"q5_0", 22.0 / 32.0, "ggml block_q5_0: 5.5 bits a value"},
      {"q4_1", 20.0 / 32.0, "ggml block_q4_1: 5.0 bits a value"},
      {"q4_0", 18.0 / 32.0, "ggml block_q4_0: 4.5 bits a value"},
      {"iq4_nl", 18.0 / 32.0, "ggml block_iq4_nl: 4.5 bits a value"},
  };
  return kDtypes;
}

const KvDtype* FindKvDtype(std::string_view id) {
  for (const KvDtype& d : AllKvDtypes()) {
    if (EqualsIgnoreCase(d.id, id)) return &d;
  }
  return nullptr;
}

std::vector<std::string> KvDtypeIds() {
  std::vector<std::string> ids;
  for (const KvDtype& d : AllKvDtypes()) ids.push_back(d.id);
  return ids;
}

}  // namespace sizer

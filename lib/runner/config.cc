#include "runner/config.h"

#include <cmath>

namespace sizer::runner {
namespace {

StatusOr<int64_t> PositiveInt(const gguf::GgufFile& f, const std::string& key) {
  StatusOr<uint64_t> v = f.GetUint(key);
  if (!v.ok()) return v.status();
  if (*v == 0 || *v > (uint64_t{1} << 31)) {
    return Status::Corruption("metadata '" + key + "' = " + std::to_string(*v) +
                              " is out of range");
  }
  return static_cast<int64_t>(*v);
}

// `key` when present, else `fallback`.
StatusOr<int64_t> PositiveIntOr(const gguf::GgufFile& f, const std::string& key, int64_t fallback) {
  return f.Has(key) ? PositiveInt(f, key) : StatusOr<int64_t>(fallback);
}

StatusOr<float> FloatOr(const gguf::GgufFile& f, const std::string& key, float fallback) {
  if (!f.Has(key)) return fallback;
  SIZER_ASSIGN_OR_RETURN(double v, f.GetFloat(key));
  if (!std::isfinite(v)) return Status::Corruption("metadata '" + key + "' is not finite");
  return static_cast<float>(v);
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The shape of attention and FFN: llama-model.cpp load_hparams' common keys.
Status ReadShape(const gguf::GgufFile& f, const std::string& a, RunnerConfig& c) {
  SIZER_ASSIGN_OR_RETURN(c.n_layers, PositiveInt(f, a + "block_count"));
  SIZER_ASSIGN_OR_RETURN(c.d_model, PositiveInt(f, a + "embedding_length"));
  SIZER_ASSIGN_OR_RETURN(c.n_heads, PositiveInt(f, a + "attention.head_count"));
  SIZER_ASSIGN_OR_RETURN(c.n_kv_heads, PositiveIntOr(f, a + "attention.head_count_kv", c.n_heads));
  SIZER_ASSIGN_OR_RETURN(c.d_ff, PositiveInt(f, a + "feed_forward_length"));
  SIZER_ASSIGN_OR_RETURN(c.context_tokens, PositiveInt(f, a + "context_length"));
  SIZER_ASSIGN_OR_RETURN(c.head_dim,
                         PositiveIntOr(f, a + "attention.key_length", c.d_model / c.n_heads));
  SIZER_ASSIGN_OR_RETURN(int64_t value_dim,
                         PositiveIntOr(f, a + "attention.value_length", c.head_dim));
  if (value_dim != c.head_dim) {
    return Status::Unsupported("attention.value_length " + std::to_string(value_dim) +
                               " differs from key_length " + std::to_string(c.head_dim) +
                               "; the micro-runner needs them equal");
  }
  // llama.cpp load_hparams: n_rot defaults to n_embd_head_k (key_length, else n_embd / n_head).
  SIZER_ASSIGN_OR_RETURN(c.rope_dims, PositiveIntOr(f, a + "rope.dimension_count", c.head_dim));
  SIZER_ASSIGN_OR_RETURN(c.rope_base, FloatOr(f, a + "rope.freq_base", 10000.0f));
  SIZER_ASSIGN_OR_RETURN(c.rms_eps, FloatOr(f, a + "attention.layer_norm_rms_epsilon", 1e-5f));
  if (c.n_heads % c.n_kv_heads != 0) {
    return Status::Corruption("head_count " + std::to_string(c.n_heads) +
                              " is not a multiple of head_count_kv " +
                              std::to_string(c.n_kv_heads));
  }
  if (c.rope_dims > c.head_dim || c.rope_dims % 2 != 0 || !(c.rope_base > 0) || !(c.rms_eps > 0)) {
    return Status::Corruption("impossible RoPE or RMSNorm parameters");
  }
  return Status();
}

// Vocabulary: the explicit key, else the tokenizer's token list.
Status ReadVocabulary(const gguf::GgufFile& f, const std::string& a, RunnerConfig& c) {
  if (f.Has(a + "vocab_size")) {
    SIZER_ASSIGN_OR_RETURN(c.vocab_size, PositiveInt(f, a + "vocab_size"));
  } else if (const gguf::Value* tokens = f.Find("tokenizer.ggml.tokens");
             tokens != nullptr && tokens->IsArray() && tokens->count > 0) {
    c.vocab_size = static_cast<int64_t>(tokens->count);
  } else {
    return Status::Corruption("cannot tell the vocabulary size (no " + a +
                              "vocab_size and no tokenizer.ggml.tokens)");
  }
  return Status();
}

// RoPE scaling: llama-model.cpp reads rope.scaling.factor (or the older rope.scale_linear) as
// freq_scale = 1 / factor and rope.scaling.type (default "linear"); llama-context.cpp turns
// "none" into freq_scale 1 and "yarn" into ext_factor 1.
Status ReadRopeScaling(const gguf::GgufFile& f, const std::string& a, RunnerConfig& c) {
  RopeScaling& r = c.rope_scaling;
  SIZER_ASSIGN_OR_RETURN(float factor, FloatOr(f, a + "rope.scaling.factor", 0.0f));
  if (factor == 0.0f) {
    SIZER_ASSIGN_OR_RETURN(factor, FloatOr(f, a + "rope.scale_linear", 0.0f));
  }
  if (factor < 0) return Status::Corruption("metadata '" + a + "rope.scaling.factor' is negative");
  r.freq_scale = factor == 0.0f ? 1.0f : 1.0f / factor;
  std::string type = "linear";
  if (f.Has(a + "rope.scaling.type")) {
    SIZER_ASSIGN_OR_RETURN(type, f.GetString(a + "rope.scaling.type"));
  }
  if (type == "none") {
    r.freq_scale = 1.0f;
  } else if (type == "yarn") {
    r.ext_factor = 1.0f;
  } else if (type != "linear" && type != "longrope") {
    return Status::Unsupported("metadata '" + a + "rope.scaling.type' = '" + type +
                               "' is not a RoPE scaling the micro-runner knows (none, linear, "
                               "yarn, longrope)");
  }
  SIZER_ASSIGN_OR_RETURN(r.attn_factor, FloatOr(f, a + "rope.scaling.attn_factor", 1.0f));
  SIZER_ASSIGN_OR_RETURN(
      r.original_context_tokens,
      PositiveIntOr(f, a + "rope.scaling.original_context_length", c.context_tokens));
  return Status();
}

// Mixture of experts: {arch}.expert_count and expert_used_count; the expert FFN width is
// feed_forward_length for llama, else expert_feed_forward_length (default n_ff / n_used), and
// qwen2moe's shared expert expert_shared_feed_forward_length (default n_ff).
Status ReadMoe(const gguf::GgufFile& f, const std::string& a, RunnerConfig& c) {
  const ArchitectureTraits& t = c.traits;
  MoeConfig& m = c.moe;
  SIZER_ASSIGN_OR_RETURN(m.n_experts, PositiveIntOr(f, a + "expert_count", 0));
  if (m.n_experts == 0) {
    if (t.moe == MoeSupport::kRequired) {
      return Status::Corruption("metadata '" + a + "expert_count' is missing (" + c.architecture +
                                " is a mixture of experts)");
    }
    return Status();
  }
  if (t.moe == MoeSupport::kNever) {
    return Status::Unsupported("the micro-runner runs " + c.architecture +
                               " only as a dense model, but '" + a + "expert_count' is " +
                               std::to_string(m.n_experts));
  }
  SIZER_ASSIGN_OR_RETURN(m.n_experts_used, PositiveInt(f, a + "expert_used_count"));
  if (m.n_experts_used > m.n_experts) {
    return Status::Corruption("metadata '" + a +
                              "expert_used_count' = " + std::to_string(m.n_experts_used) +
                              " exceeds expert_count " + std::to_string(m.n_experts));
  }
  m.expert_d_ff = c.d_ff;
  if (t.expert_ff_key) {
    SIZER_ASSIGN_OR_RETURN(m.expert_d_ff, PositiveIntOr(f, a + "expert_feed_forward_length",
                                                        c.d_ff / m.n_experts_used));
  }
  if (t.shared_expert) {
    SIZER_ASSIGN_OR_RETURN(m.shared_d_ff,
                           PositiveIntOr(f, a + "expert_shared_feed_forward_length", c.d_ff));
  }
  return Status();
}

// Sliding window, soft-caps and the attention scale. gemma2's defaults are llama.cpp's
// (n_swa 4096, caps 50 and 30); gemma3 has no window unless the file sets one. The 27B of
// gemma2 (46 layers) and gemma3 (62) scales Q by 1/sqrt(n_embd / n_head), the other sizes and
// gemma/phi3 by 1/sqrt(head_dim) (load_hparams f_attention_scale, build_gemma, build_phi3).
Status ReadAttentionExtras(const gguf::GgufFile& f, const std::string& a, RunnerConfig& c) {
  const ArchitectureTraits& t = c.traits;
  if (t.sliding_window != SlidingWindowLayers::kNone) {
    c.sliding_window_tokens = t.soft_caps ? 4096 : 0;  // phi3: no window unless the file sets one
    if (f.Has(a + "attention.sliding_window")) {
      SIZER_ASSIGN_OR_RETURN(uint64_t window, f.GetUint(a + "attention.sliding_window"));
      if (window > (uint64_t{1} << 31)) {
        return Status::Corruption("metadata '" + a + "attention.sliding_window' is out of range");
      }
      c.sliding_window_tokens = static_cast<int64_t>(window);  // 0: no window
    }
  }
  if (t.soft_caps) {
    SIZER_ASSIGN_OR_RETURN(c.attn_softcap, FloatOr(f, a + "attn_logit_softcapping", 50.0f));
    SIZER_ASSIGN_OR_RETURN(c.final_softcap, FloatOr(f, a + "final_logit_softcapping", 30.0f));
    if (!(c.attn_softcap > 0) || !(c.final_softcap > 0)) {
      return Status::Corruption("gemma2 soft-capping values must be positive");
    }
  }
  const float head_scale = 1.0f / std::sqrt(static_cast<float>(c.head_dim));
  if (t.prescale_query) {
    c.query_scale =
        t.model_dim_query_scale_layers != 0 && c.n_layers == t.model_dim_query_scale_layers
            ? 1.0f / std::sqrt(static_cast<float>(c.d_model / c.n_heads))
            : head_scale;
  } else {
    c.score_scale = head_scale;
  }
  return Status();
}

}  // namespace

bool RunnerConfig::IsSlidingLayer(int64_t layer) const {
  if (sliding_window_tokens <= 0) return false;
  switch (traits.sliding_window) {
    case SlidingWindowLayers::kAll:
      return true;
    case SlidingWindowLayers::kEven:
      return layer % 2 == 0;
    case SlidingWindowLayers::kFiveOfSix:
      return (layer + 1) % 6 != 0;
    case SlidingWindowLayers::kNone:
      return false;
  }
  return false;
}

bool RunnerConfig::UsesSlidingRope(int64_t layer) const {
  return sliding_rope_base > 0 && IsSlidingLayer(layer);
}

StatusOr<RunnerConfig> ReadRunnerConfig(const gguf::GgufFile& f) {
  RunnerConfig c;
  SIZER_ASSIGN_OR_RETURN(c.architecture, f.GetString("general.architecture"));
  const ArchitectureTraits* traits = FindArchitecture(c.architecture);
  if (traits == nullptr) {
    return Status::Unsupported("the micro-runner does not run architecture '" + c.architecture +
                               "' (it runs " + Join(RunnableArchitectures()) + ")");
  }
  c.traits = *traits;
  const std::string a = c.architecture + ".";
  SIZER_RETURN_IF_ERROR(ReadShape(f, a, c));
  SIZER_RETURN_IF_ERROR(ReadVocabulary(f, a, c));
  SIZER_RETURN_IF_ERROR(ReadRopeScaling(f, a, c));
  SIZER_RETURN_IF_ERROR(ReadMoe(f, a, c));
  SIZER_RETURN_IF_ERROR(ReadAttentionExtras(f, a, c));
  c.rope_style = traits->rope_style;
  c.qkv_bias = traits->qkv_bias;
  c.qk_norm = traits->qk_norm;
  c.sliding_rope_base = traits->sliding_rope_base;
  return c;
}

}  // namespace sizer::runner

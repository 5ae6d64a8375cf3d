#include "catalog/hf_params.h"

#include <algorithm>
#include <cmath>

namespace sizer {
namespace {

using nlohmann::json;

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// Attention parameters of one softmax-attention layer.
StatusOr<double> AttentionParams(const HfFields& f, const std::string& type, const ModelSpec& m) {
  const double d = static_cast<double>(m.d_model);
  const double h = static_cast<double>(m.n_heads);
  if (m.has_mla) {
    // DeepseekV3Attention: q_a_proj, q_a_layernorm, q_b_proj (or q_proj), kv_a_proj_with_mqa,
    // kv_a_layernorm, kv_b_proj, o_proj; no biases.
    const MlaSpec& a = m.mla;
    const double qk = static_cast<double>(a.qk_nope_head_dim + a.qk_rope_head_dim);
    const double ql = static_cast<double>(a.q_lora_rank);
    const double kl = static_cast<double>(a.kv_lora_rank);
    const double q = a.q_lora_rank > 0 ? d * ql + ql + ql * h * qk : d * h * qk;
    const double kv = d * (kl + static_cast<double>(a.qk_rope_head_dim)) + kl +
                      kl * h * static_cast<double>(a.qk_nope_head_dim + a.v_head_dim);
    return q + kv + h * static_cast<double>(a.v_head_dim) * d;
  }
  const double q_dim = h * static_cast<double>(m.head_dim);
  const double kv_dim = static_cast<double>(m.n_kv_heads * m.head_dim);
  // Qwen3NextAttention's q_proj also emits the output gate: 2 x heads x head_dim.
  const double q_out = type == "qwen3_next" ? 2 * q_dim : q_dim;
  double p = d * q_out + 2 * d * kv_dim + q_dim * d;
  if (type == "qwen2" || type == "qwen2_moe") {
    p += q_dim + 2 * kv_dim;  // Qwen2Attention: q/k/v_proj bias=True, o_proj bias=False
  } else if (f.BoolOr("attention_bias", false)) {
    p += q_dim + 2 * kv_dim + d;  // LlamaAttention/GptOssAttention: attention_bias on all four
  }
  if (type == "qwen3" || type == "qwen3_moe" || type == "qwen3_next" || type == "gemma3_text") {
    p += 2 * static_cast<double>(m.head_dim);  // q_norm, k_norm over head_dim
  }
  if (type == "gpt_oss") p += h;  // GptOssAttention.sinks, one per head
  return p;
}

// Qwen3NextGatedDeltaNet: in_proj_qkvz, in_proj_ba, conv1d (no bias), dt_bias, A_log, the
// gated RMSNorm over head_v_dim, out_proj.
StatusOr<double> LinearAttentionParams(const HfFields& f, const ModelSpec& m) {
  SIZER_ASSIGN_OR_RETURN(int64_t v_heads, f.Int("linear_num_value_heads"));
  SIZER_ASSIGN_OR_RETURN(int64_t k_heads, f.Int("linear_num_key_heads"));
  SIZER_ASSIGN_OR_RETURN(int64_t k_dim, f.Int("linear_key_head_dim"));
  SIZER_ASSIGN_OR_RETURN(int64_t v_dim, f.Int("linear_value_head_dim"));
  SIZER_ASSIGN_OR_RETURN(int64_t conv, f.IntOr("linear_conv_kernel_dim", 4));
  const double d = static_cast<double>(m.d_model);
  const double key = static_cast<double>(k_heads * k_dim);
  const double value = static_cast<double>(v_heads * v_dim);
  const double vh = static_cast<double>(v_heads);
  return d * (2 * key + 2 * value) + d * 2 * vh + (2 * key + value) * static_cast<double>(conv) +
         2 * vh + static_cast<double>(v_dim) + value * d;
}

struct FeedForward {
  double total = 0;
  double routed = 0;  // routed-expert parameters (all experts)
};

// Is layer `i` a mixture-of-experts layer? DeepseekV3DecoderLayer: i >= first_k_dense_replace;
// Qwen2MoeDecoderLayer: not in mlp_only_layers and (i + 1) % decoder_sparse_step == 0.
StatusOr<bool> IsMoeLayer(const HfFields& f, const ModelSpec& m, int64_t i) {
  if (!m.has_moe) return false;
  if (i < m.moe.n_dense_leading_layers) return false;
  const json& only = f.Raw("mlp_only_layers");
  if (only.is_array()) {
    for (const json& v : only) {
      if (v.is_number_integer() && v.get<int64_t>() == i) return false;
    }
  }
  SIZER_ASSIGN_OR_RETURN(int64_t step, f.IntOr("decoder_sparse_step", 1));
  return step <= 1 || (i + 1) % step == 0;
}

FeedForward MoeLayerParams(const HfFields& f, const std::string& type, const ModelSpec& m) {
  const double d = static_cast<double>(m.d_model);
  const double e = static_cast<double>(m.moe.n_experts);
  const double eff = static_cast<double>(m.moe.expert_d_ff);
  FeedForward ff;
  ff.routed = e * 3 * d * eff;
  if (type == "gpt_oss") ff.routed += e * (2 * eff + d);  // GptOssExperts gate_up/down biases
  ff.total = ff.routed + d * e;                           // the router
  if (type == "gpt_oss") ff.total += e;                   // GptOssTopKRouter bias
  // DeepseekV3TopkRouter.e_score_correction_bias (noaux_tc routing).
  if (type == "deepseek_v3" || f.Raw("topk_method") == "noaux_tc") ff.total += e;
  ff.total += 3 * d * static_cast<double>(m.moe.shared_expert_d_ff);
  // Qwen2MoeSparseMoeBlock.shared_expert_gate: Linear(hidden, 1).
  if ((type == "qwen2_moe" || type == "qwen3_next") && m.moe.shared_expert_d_ff > 0) ff.total += d;
  return ff;
}

}  // namespace

const json& HfFields::Raw(const std::string& key) const {
  static const json kNull;
  auto it = node_.find(key);
  return it == node_.end() ? kNull : *it;
}

std::string HfFields::Where(const std::string& key) const {
  return key.empty() ? path_ + ": " : path_ + ": key '" + prefix_ + key + "'";
}

StatusOr<int64_t> HfFields::Int(const std::string& key) const {
  const json& v = Raw(key);
  if (v.is_null()) return Status::InvalidArgument(Where(key) + " is missing (required)");
  if (v.is_number()) {
    const double x = v.get<double>();
    if (x >= 0 && x <= 1e15 && std::floor(x) == x) return static_cast<int64_t>(x);
  }
  return Status::InvalidArgument(Where(key) + " must be a non-negative integer, got " + v.dump());
}

StatusOr<int64_t> HfFields::IntOr(const std::string& key, int64_t fallback) const {
  if (Raw(key).is_null()) return fallback;
  return Int(key);
}

bool HfFields::BoolOr(const std::string& key, bool fallback) const {
  const json& v = Raw(key);
  return v.is_boolean() ? v.get<bool>() : fallback;
}

Status CountHfParams(const HfFields& f, const std::string& type, ModelSpec& m) {
  const double d = static_cast<double>(m.d_model);
  const double vocab_rows = static_cast<double>(m.vocab_size) * d;
  double total = vocab_rows * (m.tied_embeddings ? 1 : 2) + d;  // embeddings, final norm
  double routed = 0;
  // Per-layer norms: input + post-attention (Llama); Gemma 2/3 add pre/post feed-forward.
  const double norms = (StartsWith(type, "gemma") ? 4 : 2) * d;
  SIZER_ASSIGN_OR_RETURN(const double attention, AttentionParams(f, type, m));
  double linear = 0;
  if (m.CountLayers(LayerKind::kLinear) > 0) {
    SIZER_ASSIGN_OR_RETURN(linear, LinearAttentionParams(f, m));
  }
  const FeedForward moe = m.has_moe ? MoeLayerParams(f, type, m) : FeedForward{};
  const double dense_ff = 3 * d * static_cast<double>(m.d_ff);  // gate, up, down (phi3 fuses)
  for (int64_t i = 0; i < m.n_layers; ++i) {
    total += norms + (m.KindOfLayer(i) == LayerKind::kLinear ? linear : attention);
    SIZER_ASSIGN_OR_RETURN(bool moe_layer, IsMoeLayer(f, m, i));
    if (moe_layer) {
      total += moe.total;
      routed += moe.routed;
    } else {
      total += dense_ff;
    }
  }
  m.params_total = total;
  const double used = m.has_moe ? static_cast<double>(m.moe.n_experts_per_token) /
                                      static_cast<double>(m.moe.n_experts)
                                : 1.0;
  m.params_active = total - routed * (1 - used);
  return Status();
}

}  // namespace sizer

#include "runner/weights.h"

#include "runner/tensor_binder.h"

namespace sizer::runner {
namespace {

// Attention tensors of layer `p` ("blk.3."), as llama-model.cpp load_tensors names them.
Status BindAttention(const TensorBinder& b, const std::string& p, const RunnerConfig& c,
                     LayerWeights& L) {
  const int64_t q_width = c.n_heads * c.head_dim;
  const int64_t kv_width = c.n_kv_heads * c.head_dim;
  SIZER_ASSIGN_OR_RETURN(L.attn_norm, b.Vector(p + "attn_norm.weight", c.d_model));
  // phi3 stores Q, K and V as one matrix; llama.cpp also accepts them separate.
  if (c.traits.fused_projections && !b.Has(p + "attn_q.weight")) {
    SIZER_ASSIGN_OR_RETURN(L.wqkv,
                           b.Matrix(p + "attn_qkv.weight", c.d_model, q_width + 2 * kv_width));
  } else {
    SIZER_ASSIGN_OR_RETURN(L.wq, b.Matrix(p + "attn_q.weight", c.d_model, q_width));
    SIZER_ASSIGN_OR_RETURN(L.wk, b.Matrix(p + "attn_k.weight", c.d_model, kv_width));
    SIZER_ASSIGN_OR_RETURN(L.wv, b.Matrix(p + "attn_v.weight", c.d_model, kv_width));
  }
  SIZER_ASSIGN_OR_RETURN(L.wo, b.Matrix(p + "attn_output.weight", q_width, c.d_model));
  if (c.qkv_bias) {
    SIZER_ASSIGN_OR_RETURN(L.bq, b.Vector(p + "attn_q.bias", q_width));
    SIZER_ASSIGN_OR_RETURN(L.bk, b.Vector(p + "attn_k.bias", kv_width));
    SIZER_ASSIGN_OR_RETURN(L.bv, b.Vector(p + "attn_v.bias", kv_width));
  }
  if (c.qk_norm) {
    SIZER_ASSIGN_OR_RETURN(L.q_norm, b.Vector(p + "attn_q_norm.weight", c.head_dim));
    SIZER_ASSIGN_OR_RETURN(L.k_norm, b.Vector(p + "attn_k_norm.weight", c.head_dim));
  }
  if (c.traits.post_norms) {
    SIZER_ASSIGN_OR_RETURN(L.attn_post_norm, b.Vector(p + "post_attention_norm.weight", c.d_model));
  }
  return Status();
}

// FFN tensors of layer `p`: dense (separate or phi3's fused gate|up) or mixture of experts.
Status BindFeedForward(const TensorBinder& b, const std::string& p, const RunnerConfig& c,
                       LayerWeights& L) {
  SIZER_ASSIGN_OR_RETURN(L.ffn_norm, b.Vector(p + "ffn_norm.weight", c.d_model));
  if (c.moe.n_experts > 0) {
    SIZER_ASSIGN_OR_RETURN(L.moe, BindMoeWeights(b, p, c));
  } else if (c.traits.fused_projections) {
    SIZER_ASSIGN_OR_RETURN(L.w_up, b.Matrix(p + "ffn_up.weight", c.d_model, 2 * c.d_ff));
    SIZER_ASSIGN_OR_RETURN(L.w_down, b.Matrix(p + "ffn_down.weight", c.d_ff, c.d_model));
  } else {
    SIZER_ASSIGN_OR_RETURN(L.w_gate, b.Matrix(p + "ffn_gate.weight", c.d_model, c.d_ff));
    SIZER_ASSIGN_OR_RETURN(L.w_up, b.Matrix(p + "ffn_up.weight", c.d_model, c.d_ff));
    SIZER_ASSIGN_OR_RETURN(L.w_down, b.Matrix(p + "ffn_down.weight", c.d_ff, c.d_model));
  }
  if (c.traits.post_norms) {
    SIZER_ASSIGN_OR_RETURN(L.ffn_post_norm, b.Vector(p + "post_ffw_norm.weight", c.d_model));
  }
  return Status();
}

// Optional RoPE factor vectors (rope_dims / 2 each).
Status BindRopeFactors(const TensorBinder& b, const RunnerConfig& c, ModelWeights& w) {
  const int64_t n = c.rope_dims / 2;
  if (b.Has("rope_freqs.weight")) {
    SIZER_ASSIGN_OR_RETURN(w.rope_freqs, b.Vector("rope_freqs.weight", n));
  }
  if (b.Has("rope_factors_long.weight")) {
    SIZER_ASSIGN_OR_RETURN(w.rope_factors_long, b.Vector("rope_factors_long.weight", n));
    SIZER_ASSIGN_OR_RETURN(w.rope_factors_short, b.Vector("rope_factors_short.weight", n));
  }
  return Status();
}

}  // namespace

StatusOr<ModelWeights> BindWeights(const gguf::Artifact& artifact, const RunnerConfig& c) {
  TensorBinder b(artifact);
  ModelWeights w;
  SIZER_ASSIGN_OR_RETURN(w.token_embd, b.Matrix("token_embd.weight", c.d_model, c.vocab_size));
  SIZER_ASSIGN_OR_RETURN(w.output_norm, b.Vector("output_norm.weight", c.d_model));
  if (b.Has("output.weight")) {
    SIZER_ASSIGN_OR_RETURN(w.output, b.Matrix("output.weight", c.d_model, c.vocab_size));
  } else {
    w.output = w.token_embd;  // tied embeddings (always for gemma)
  }
  SIZER_RETURN_IF_ERROR(BindRopeFactors(b, c, w));
  for (int64_t l = 0; l < c.n_layers; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    LayerWeights L;
    SIZER_RETURN_IF_ERROR(BindAttention(b, p, c, L));
    SIZER_RETURN_IF_ERROR(BindFeedForward(b, p, c, L));
    w.layers.push_back(std::move(L));
  }
  return w;
}

}  // namespace sizer::runner

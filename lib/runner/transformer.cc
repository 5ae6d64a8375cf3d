#include "runner/transformer.h"

#include <cmath>

#include "kernels/fp16.h"
#include "kernels/ops.h"
#include "runner/activations.h"

namespace sizer::runner {
namespace {

using kernels::MatVec;

float RoundToF16(float v) { return kernels::F16ToF32(kernels::F32ToF16(v)); }

// llama.cpp llama_model::get_rope_factors: rope_freqs when the file has them, else Phi-3's
// long factors once the context exceeds the original one, its short factors below.
std::vector<float> RopeFactors(const RunnerConfig& c, const ModelWeights& w, int64_t max_tokens) {
  if (!w.rope_freqs.empty()) return w.rope_freqs;
  if (w.rope_factors_long.empty()) return {};
  return max_tokens > c.rope_scaling.original_context_tokens ? w.rope_factors_long
                                                             : w.rope_factors_short;
}

// The RoPE of gemma3's sliding layers: llama_model::get_rope_freq_base/scale give them
// rope_freq_base_train_swa and rope_freq_scale_train_swa = 1; build_gemma3 passes no factors.
RunnerConfig SlidingRopeConfig(const RunnerConfig& c) {
  RunnerConfig s = c;
  if (c.sliding_rope_base > 0) {
    s.rope_base = c.sliding_rope_base;
    s.rope_scaling.freq_scale = 1.0f;
  }
  return s;
}

}  // namespace

Transformer::Transformer(const RunnerConfig& config, const ModelWeights& weights,
                         int64_t max_tokens, KvCacheType kv_type, ThreadPool& pool)
    : c_(config),
      w_(weights),
      pool_(pool),
      max_tokens_(max_tokens),
      kv_type_(kv_type),
      kv_width_(config.n_kv_heads * config.head_dim),
      rope_(config, RopeFactors(config, weights, max_tokens)),
      sliding_rope_(SlidingRopeConfig(config), {}) {
  const size_t cache = static_cast<size_t>(c_.n_layers * max_tokens_ * kv_width_);
  if (kv_type_ == KvCacheType::kF16) {
    key_f16_.assign(cache, 0);
    value_f16_.assign(cache, 0);
  } else {
    key_f32_.assign(cache, 0.0f);
    value_f32_.assign(cache, 0.0f);
  }
  if (c_.moe.n_experts > 0) moe_ = std::make_unique<MoeFeedForward>(c_, pool_);
  const size_t q_width = static_cast<size_t>(c_.n_heads * c_.head_dim);
  x_.resize(static_cast<size_t>(c_.d_model));
  xb_.resize(static_cast<size_t>(c_.d_model));
  xb2_.resize(static_cast<size_t>(c_.d_model));
  if (c_.traits.fused_projections) qkv_.resize(q_width + 2 * static_cast<size_t>(kv_width_));
  q_.resize(q_width);
  k_.resize(static_cast<size_t>(kv_width_));
  v_.resize(static_cast<size_t>(kv_width_));
  att_out_.resize(q_width);
  scores_.resize(static_cast<size_t>(max_tokens_));
  kbuf_.resize(static_cast<size_t>(c_.head_dim));
  qbuf_.resize(static_cast<size_t>(c_.head_dim));
  hb_.resize(static_cast<size_t>(2 * c_.d_ff));
  hb2_.resize(static_cast<size_t>(c_.d_ff));
  logits_.resize(static_cast<size_t>(c_.vocab_size));
}

size_t Transformer::kv_cache_bytes() const {
  return kv_type_ == KvCacheType::kF16 ? 2 * key_f16_.size() * sizeof(uint16_t)
                                       : 2 * key_f32_.size() * sizeof(float);
}

void Transformer::Embed(int32_t token) {
  kernels::DequantizeRow(w_.token_embd, token, x_.data());
  if (c_.traits.scale_embeddings) {
    // build_gemma: inpL = ggml_scale(inpL, sqrtf(n_embd)).
    const float scale = std::sqrt(static_cast<float>(c_.d_model));
    for (float& v : x_) v *= scale;
  }
}

const std::vector<float>& Transformer::Forward(int32_t token, int64_t pos) {
  Embed(token);
  rope_.SetPosition(pos);
  if (c_.sliding_rope_base > 0) sliding_rope_.SetPosition(pos);
  const int64_t d = c_.d_model;
  for (int64_t l = 0; l < c_.n_layers; ++l) {
    const LayerWeights& w = w_.layers[static_cast<size_t>(l)];
    // x = x + [PostNorm](Attention(RMSNorm(x)))
    kernels::RmsNorm(xb_.data(), x_.data(), w.attn_norm.data(), d, c_.rms_eps);
    Attention(w, l, pos);
    if (!w.attn_post_norm.empty()) {
      kernels::RmsNorm(xb2_.data(), xb2_.data(), w.attn_post_norm.data(), d, c_.rms_eps);
    }
    kernels::AddInPlace(x_.data(), xb2_.data(), d);
    // x = x + [PostNorm](FeedForward(RMSNorm(x)))
    kernels::RmsNorm(xb_.data(), x_.data(), w.ffn_norm.data(), d, c_.rms_eps);
    FeedForward(w);
    if (!w.ffn_post_norm.empty()) {
      kernels::RmsNorm(xb2_.data(), xb2_.data(), w.ffn_post_norm.data(), d, c_.rms_eps);
    }
    kernels::AddInPlace(x_.data(), xb2_.data(), d);
  }
  kernels::RmsNorm(x_.data(), x_.data(), w_.output_norm.data(), d, c_.rms_eps);
  MatVec(w_.output, x_.data(), logits_.data(), pool_, scratch_);
  if (c_.final_softcap > 0) SoftCap(logits_.data(), c_.vocab_size, c_.final_softcap);
  return logits_;
}

void Transformer::ProjectQkv(const LayerWeights& w, const RotaryEmbedding& rope) {
  const int64_t hd = c_.head_dim;
  const int64_t q_width = c_.n_heads * hd;
  if (!qkv_.empty()) {
    // phi3: one matrix, output [Q | K | V].
    MatVec(w.wqkv, xb_.data(), qkv_.data(), pool_, scratch_);
    std::copy(qkv_.begin(), qkv_.begin() + q_width, q_.begin());
    std::copy(qkv_.begin() + q_width, qkv_.begin() + q_width + kv_width_, k_.begin());
    std::copy(qkv_.begin() + q_width + kv_width_, qkv_.end(), v_.begin());
  } else {
    MatVec(w.wq, xb_.data(), q_.data(), pool_, scratch_);
    MatVec(w.wk, xb_.data(), k_.data(), pool_, scratch_);
    MatVec(w.wv, xb_.data(), v_.data(), pool_, scratch_);
  }
  if (c_.qkv_bias) {
    kernels::AddInPlace(q_.data(), w.bq.data(), q_width);
    kernels::AddInPlace(k_.data(), w.bk.data(), kv_width_);
    kernels::AddInPlace(v_.data(), w.bv.data(), kv_width_);
  }
  for (int64_t h = 0; h < c_.n_heads; ++h) {
    float* head = q_.data() + h * hd;
    if (c_.qk_norm) kernels::RmsNorm(head, head, w.q_norm.data(), hd, c_.rms_eps);
    rope.Apply(head);
    if (c_.traits.prescale_query) {
      for (int64_t i = 0; i < hd; ++i) head[i] *= c_.query_scale;
    }
  }
  for (int64_t h = 0; h < c_.n_kv_heads; ++h) {
    float* head = k_.data() + h * hd;
    if (c_.qk_norm) kernels::RmsNorm(head, head, w.k_norm.data(), hd, c_.rms_eps);
    rope.Apply(head);
  }
}

void Transformer::Attention(const LayerWeights& w, int64_t layer, int64_t pos) {
  ProjectQkv(w, c_.UsesSlidingRope(layer) ? sliding_rope_ : rope_);
  StoreKv(layer, pos);
  // A sliding-window layer sees key t when 0 <= pos - t < window (llama.cpp's SWA mask).
  const int64_t first =
      c_.IsSlidingLayer(layer) ? std::max<int64_t>(0, pos - c_.sliding_window_tokens + 1) : 0;
  const size_t layer_base = static_cast<size_t>(layer * max_tokens_ * kv_width_);
  for (int64_t h = 0; h < c_.n_heads; ++h) AttendHead(h, layer_base, first, pos);
  MatVec(w.wo, att_out_.data(), xb2_.data(), pool_, scratch_);
}

void Transformer::AttendHead(int64_t h, size_t layer_base, int64_t first, int64_t pos) {
  // Grouped-query attention: query head h reads KV head h / (n_heads / n_kv_heads).
  const int64_t hd = c_.head_dim;
  const int64_t group = c_.n_heads / c_.n_kv_heads;
  const float* qh = q_.data() + h * hd;
  const bool f16 = kv_type_ == KvCacheType::kF16;
  if (f16) {
    // llama.cpp (no flash attention) multiplies the F16 K cache by Q converted to F16: F16's
    // vec_dot_type is F16 (ggml-cpu mul_mat); likewise the softmax before the F16 V cache.
    for (int64_t i = 0; i < hd; ++i) qbuf_[static_cast<size_t>(i)] = RoundToF16(qh[i]);
    qh = qbuf_.data();
  }
  const size_t head_offset = static_cast<size_t>((h / group) * hd);
  const int64_t n = pos - first + 1;
  for (int64_t t = first; t <= pos; ++t) {
    LoadKv(key_f16_, key_f32_, layer_base + static_cast<size_t>(t * kv_width_) + head_offset,
           kbuf_.data());
    float dot = 0;
    for (int64_t i = 0; i < hd; ++i) dot += qh[i] * kbuf_[static_cast<size_t>(i)];
    scores_[static_cast<size_t>(t - first)] = dot;
  }
  // build_attn: soft-cap the raw scores (gemma2), then softmax(scores * kq_scale).
  if (c_.attn_softcap > 0) SoftCap(scores_.data(), n, c_.attn_softcap);
  for (int64_t t = 0; t < n; ++t) scores_[static_cast<size_t>(t)] *= c_.score_scale;
  kernels::Softmax(scores_.data(), n);
  if (f16) {
    for (int64_t t = 0; t < n; ++t) {
      float& p = scores_[static_cast<size_t>(t)];
      p = RoundToF16(p);
    }
  }
  float* out = att_out_.data() + h * hd;
  std::fill(out, out + hd, 0.0f);
  for (int64_t t = first; t <= pos; ++t) {
    LoadKv(value_f16_, value_f32_, layer_base + static_cast<size_t>(t * kv_width_) + head_offset,
           kbuf_.data());
    const float p = scores_[static_cast<size_t>(t - first)];
    for (int64_t i = 0; i < hd; ++i) out[i] += p * kbuf_[static_cast<size_t>(i)];
  }
}

void Transformer::FeedForward(const LayerWeights& w) {
  if (moe_) {
    moe_->Forward(w.moe, xb_.data(), xb2_.data(), scratch_);
    return;
  }
  const int64_t ff = c_.d_ff;
  float* gate = hb_.data();
  const float* up = hb2_.data();
  if (w.w_gate.data == nullptr) {
    // phi3: ffn_up gives [gate | up].
    MatVec(w.w_up, xb_.data(), hb_.data(), pool_, scratch_);
    up = hb_.data() + ff;
  } else {
    MatVec(w.w_gate, xb_.data(), hb_.data(), pool_, scratch_);
    MatVec(w.w_up, xb_.data(), hb2_.data(), pool_, scratch_);
  }
  // down(act(gate(x)) * up(x)): SwiGLU, or GELU for gemma.
  if (c_.traits.activation == FfnActivation::kGeluTanh) {
    GeluTanhGlu(gate, up, ff);
  } else {
    kernels::SwiGlu(gate, up, ff);
  }
  MatVec(w.w_down, gate, xb2_.data(), pool_, scratch_);
}

void Transformer::StoreKv(int64_t layer, int64_t pos) {
  const size_t at = static_cast<size_t>((layer * max_tokens_ + pos) * kv_width_);
  for (int64_t i = 0; i < kv_width_; ++i) {
    const size_t j = at + static_cast<size_t>(i);
    if (kv_type_ == KvCacheType::kF16) {
      key_f16_[j] = kernels::F32ToF16(k_[static_cast<size_t>(i)]);
      value_f16_[j] = kernels::F32ToF16(v_[static_cast<size_t>(i)]);
    } else {
      key_f32_[j] = k_[static_cast<size_t>(i)];
      value_f32_[j] = v_[static_cast<size_t>(i)];
    }
  }
}

void Transformer::LoadKv(const std::vector<uint16_t>& half, const std::vector<float>& full,
                         size_t offset, float* out) const {
  const int64_t hd = c_.head_dim;
  if (kv_type_ == KvCacheType::kF16) {
    for (int64_t i = 0; i < hd; ++i)
      out[i] = kernels::F16ToF32(half[offset + static_cast<size_t>(i)]);
  } else {
    std::copy(full.begin() + static_cast<std::ptrdiff_t>(offset),
              full.begin() + static_cast<std::ptrdiff_t>(offset) + hd, out);
  }
}

}  // namespace sizer::runner

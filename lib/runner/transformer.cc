#include "runner/transformer.h"

#include <cmath>

#include "kernels/fp16.h"
#include "kernels/ops.h"

namespace sizer::runner {

using kernels::MatVec;

Transformer::Transformer(const RunnerConfig& config, const ModelWeights& weights,
                         int64_t max_tokens, KvCacheType kv_type, ThreadPool& pool)
    : c_(config),
      w_(weights),
      pool_(pool),
      max_tokens_(max_tokens),
      kv_type_(kv_type),
      kv_width_(config.n_kv_heads * config.head_dim) {
  const size_t cache = static_cast<size_t>(c_.n_layers * max_tokens_ * kv_width_);
  if (kv_type_ == KvCacheType::kF16) {
    key_f16_.assign(cache, 0);
    value_f16_.assign(cache, 0);
  } else {
    key_f32_.assign(cache, 0.0f);
    value_f32_.assign(cache, 0.0f);
  }
  const size_t q_width = static_cast<size_t>(c_.n_heads * c_.head_dim);
  x_.resize(static_cast<size_t>(c_.d_model));
  xb_.resize(static_cast<size_t>(c_.d_model));
  xb2_.resize(static_cast<size_t>(c_.d_model));
  q_.resize(q_width);
  k_.resize(static_cast<size_t>(kv_width_));
  v_.resize(static_cast<size_t>(kv_width_));
  att_out_.resize(q_width);
  scores_.resize(static_cast<size_t>(c_.n_heads * max_tokens_));
  kbuf_.resize(static_cast<size_t>(c_.head_dim));
  hb_.resize(static_cast<size_t>(c_.d_ff));
  hb2_.resize(static_cast<size_t>(c_.d_ff));
  logits_.resize(static_cast<size_t>(c_.vocab_size));
}

size_t Transformer::kv_cache_bytes() const {
  return kv_type_ == KvCacheType::kF16 ? 2 * key_f16_.size() * sizeof(uint16_t)
                                       : 2 * key_f32_.size() * sizeof(float);
}

const std::vector<float>& Transformer::Forward(int32_t token, int64_t pos) {
  kernels::DequantizeRow(w_.token_embd, token, x_.data());
  for (int64_t l = 0; l < c_.n_layers; ++l) {
    const LayerWeights& w = w_.layers[static_cast<size_t>(l)];
    // x = x + Attention(RMSNorm(x))
    kernels::RmsNorm(xb_.data(), x_.data(), w.attn_norm.data(), c_.d_model, c_.rms_eps);
    Attention(w, l, pos);
    kernels::AddInPlace(x_.data(), xb2_.data(), c_.d_model);
    // x = x + FeedForward(RMSNorm(x))
    kernels::RmsNorm(xb_.data(), x_.data(), w.ffn_norm.data(), c_.d_model, c_.rms_eps);
    FeedForward(w);
    kernels::AddInPlace(x_.data(), xb2_.data(), c_.d_model);
  }
  kernels::RmsNorm(x_.data(), x_.data(), w_.output_norm.data(), c_.d_model, c_.rms_eps);
  MatVec(w_.output, x_.data(), logits_.data(), pool_, scratch_);
  return logits_;
}

void Transformer::Attention(const LayerWeights& w, int64_t layer, int64_t pos) {
  const int64_t hd = c_.head_dim;
  MatVec(w.wq, xb_.data(), q_.data(), pool_, scratch_);
  MatVec(w.wk, xb_.data(), k_.data(), pool_, scratch_);
  MatVec(w.wv, xb_.data(), v_.data(), pool_, scratch_);
  if (c_.qkv_bias) {
    kernels::AddInPlace(q_.data(), w.bq.data(), c_.n_heads * hd);
    kernels::AddInPlace(k_.data(), w.bk.data(), kv_width_);
    kernels::AddInPlace(v_.data(), w.bv.data(), kv_width_);
  }
  NormAndRope(q_.data(), c_.n_heads, w.q_norm, pos);
  NormAndRope(k_.data(), c_.n_kv_heads, w.k_norm, pos);
  StoreKv(layer, pos);

  // Grouped-query attention: query head h reads KV head h / (n_heads / n_kv_heads).
  const int64_t group = c_.n_heads / c_.n_kv_heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const size_t layer_base = static_cast<size_t>(layer * max_tokens_ * kv_width_);
  for (int64_t h = 0; h < c_.n_heads; ++h) {
    const float* qh = q_.data() + h * hd;
    const size_t head_offset = static_cast<size_t>((h / group) * hd);
    float* scores = scores_.data() + h * max_tokens_;
    for (int64_t t = 0; t <= pos; ++t) {
      LoadKv(key_f16_, key_f32_, layer_base + static_cast<size_t>(t * kv_width_) + head_offset,
             kbuf_.data());
      float dot = 0;
      for (int64_t i = 0; i < hd; ++i) dot += qh[i] * kbuf_[static_cast<size_t>(i)];
      scores[t] = dot * scale;
    }
    kernels::Softmax(scores, pos + 1);
    float* out = att_out_.data() + h * hd;
    std::fill(out, out + hd, 0.0f);
    for (int64_t t = 0; t <= pos; ++t) {
      LoadKv(value_f16_, value_f32_, layer_base + static_cast<size_t>(t * kv_width_) + head_offset,
             kbuf_.data());
      for (int64_t i = 0; i < hd; ++i) out[i] += scores[t] * kbuf_[static_cast<size_t>(i)];
    }
  }
  MatVec(w.wo, att_out_.data(), xb2_.data(), pool_, scratch_);
}

void Transformer::NormAndRope(float* heads, int64_t count, const std::vector<float>& norm,
                              int64_t pos) {
  const int64_t hd = c_.head_dim;
  for (int64_t h = 0; h < count; ++h) {
    float* head = heads + h * hd;
    if (c_.qk_norm) kernels::RmsNorm(head, head, norm.data(), hd, c_.rms_eps);
    if (c_.rope_style == RopeStyle::kNormal) {
      kernels::RopeNormal(head, hd, c_.rope_dims, pos, c_.rope_base);
    } else {
      kernels::RopeNeox(head, hd, c_.rope_dims, pos, c_.rope_base);
    }
  }
}

void Transformer::FeedForward(const LayerWeights& w) {
  // SwiGLU: down(silu(gate(x)) * up(x))
  MatVec(w.w_gate, xb_.data(), hb_.data(), pool_, scratch_);
  MatVec(w.w_up, xb_.data(), hb2_.data(), pool_, scratch_);
  kernels::SwiGlu(hb_.data(), hb2_.data(), c_.d_ff);
  MatVec(w.w_down, hb_.data(), xb2_.data(), pool_, scratch_);
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
    for (int64_t i = 0; i < hd; ++i) out[i] = kernels::F16ToF32(half[offset + static_cast<size_t>(i)]);
  } else {
    std::copy(full.begin() + static_cast<std::ptrdiff_t>(offset),
              full.begin() + static_cast<std::ptrdiff_t>(offset) + hd, out);
  }
}

}  // namespace sizer::runner

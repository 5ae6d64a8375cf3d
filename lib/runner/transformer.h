// The decoder forward pass for one token at a time (after llama2.c's forward()): weights are
// zero-copy views into the GGUF map, the KV cache holds every past position, and the scratch
// activations live in this object so a decode step allocates nothing. The architecture's
// traits (runner/architecture.h) choose the pieces: fused projections, biases, Q/K norms,
// post-norms, sliding windows, soft-caps, GELU or SiLU, dense or mixture-of-experts FFN.
#ifndef SIZER_RUNNER_TRANSFORMER_H_
#define SIZER_RUNNER_TRANSFORMER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "base/thread_pool.h"
#include "runner/config.h"
#include "runner/moe.h"
#include "runner/rope.h"
#include "runner/weights.h"

namespace sizer::runner {

enum class KvCacheType { kF16, kF32 };

class Transformer {
 public:
  // `max_tokens`: positions the KV cache holds (<= the model's context).
  Transformer(const RunnerConfig& config, const ModelWeights& weights, int64_t max_tokens,
              KvCacheType kv_type, ThreadPool& pool);

  // Runs `token` at position `pos` (0-based, each position once, in order) and returns the
  // logits over the vocabulary. REQUIRES: pos < max_tokens().
  const std::vector<float>& Forward(int32_t token, int64_t pos);

  int64_t max_tokens() const { return max_tokens_; }
  // Bytes the KV cache holds (for comparing with the planner's KV bucket).
  size_t kv_cache_bytes() const;
  // The MoE block (nullptr for a dense model), to see which experts the last token chose.
  const MoeFeedForward* moe() const { return moe_.get(); }

 private:
  void Embed(int32_t token);
  void Attention(const LayerWeights& w, int64_t layer, int64_t pos);
  // q_, k_, v_ = the projections of xb_ (+ biases), Q/K normed and rotated by `rope`.
  void ProjectQkv(const LayerWeights& w, const RotaryEmbedding& rope);
  // att_out_ for query head h over the visible cached positions [first, pos].
  void AttendHead(int64_t h, size_t layer_base, int64_t first, int64_t pos);
  void FeedForward(const LayerWeights& w);
  void StoreKv(int64_t layer, int64_t pos);
  void LoadKv(const std::vector<uint16_t>& half, const std::vector<float>& full, size_t offset,
              float* out) const;

  const RunnerConfig& c_;
  const ModelWeights& w_;
  ThreadPool& pool_;
  const int64_t max_tokens_;
  const KvCacheType kv_type_;
  const int64_t kv_width_;  // n_kv_heads * head_dim
  RotaryEmbedding rope_;
  RotaryEmbedding sliding_rope_;  // gemma3's sliding layers (base 10000, no scaling)
  std::unique_ptr<MoeFeedForward> moe_;

  // KV cache, one of the two representations: (n_layers, max_tokens, kv_width).
  std::vector<uint16_t> key_f16_, value_f16_;
  std::vector<float> key_f32_, value_f32_;

  // Scratch activations.
  std::vector<float> x_;          // (d_model) the residual stream
  std::vector<float> xb_;         // (d_model) normed input of a sub-layer
  std::vector<float> xb2_;        // (d_model) sub-layer output
  std::vector<float> qkv_;        // (q_width + 2 kv_width) phi3's fused projection
  std::vector<float> q_;          // (n_heads * head_dim)
  std::vector<float> k_;          // (kv_width)
  std::vector<float> v_;          // (kv_width)
  std::vector<float> att_out_;    // (n_heads * head_dim)
  std::vector<float> scores_;     // (max_tokens) one head's scores
  std::vector<float> kbuf_;       // (head_dim) a cached key as floats
  std::vector<float> qbuf_;       // (head_dim) a query head rounded to F16 (with the F16 cache)
  std::vector<float> hb_;         // (2 d_ff) gate (phi3: gate|up)
  std::vector<float> hb2_;        // (d_ff) up
  std::vector<float> logits_;     // (vocab)
  std::vector<uint8_t> scratch_;  // quantized activations for MatVec
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_TRANSFORMER_H_

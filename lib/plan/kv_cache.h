// KV cache by architecture and runtime policy: full-attention layers grow with the context,
// sliding-window layers stop at the window, MLA stores one latent plus the RoPE key per token,
// linear/recurrent layers keep a fixed state per sequence; times the sequences, rounded the
// way the runtime allocates (llama.cpp cells padded to 256, vLLM 16-token pages, ...).
#ifndef SIZER_PLAN_KV_CACHE_H_
#define SIZER_PLAN_KV_CACHE_H_

#include <cstdint>

#include "plan/plan_inputs.h"
#include "plan/quantity.h"

namespace sizer {

// Bytes one token adds to the cache of one attention layer of `kind`:
// 2 (K and V) x n_kv_heads x head_dim x bytes/element, or for MLA
// (kv_lora_rank + qk_rope_head_dim) x bytes/element. 0 for linear layers.
double KvBytesPerTokenPerLayer(const ModelSpec& model, LayerKind kind, double bytes_per_element);

// Sum over the model's attention layers: the classic "KV bytes per token" figure
// (Llama-3.1-8B at f16: 131,072).
double KvBytesPerToken(const ModelSpec& model, double bytes_per_element);

// Recurrent state of one linear layer for one sequence.
double LinearStateBytes(const ModelSpec& model, double bytes_per_element);

struct KvPlan {
  double bytes = 0;                 // what the runtime holds for the job
  double attention_bytes = 0;       // of which attention K/V
  double state_bytes = 0;           // of which linear-layer states
  double bytes_per_token = 0;       // all attention layers, one token
  int64_t full_cells = 0;           // cells (tokens) per full layer, all sequences
  int64_t sliding_cells = 0;        // cells per sliding layer, all sequences
  QuantityList rows;
};

// The cache for `context_tokens` x `sequences` under the runtime's policy.
KvPlan PlanKvCache(const PlanInputs& in, int64_t context_tokens, int64_t sequences);

// Bytes read from the cache per decoded token of one sequence at `depth` tokens:
// full layers read depth tokens, sliding layers min(depth, window), linear layers their state.
double KvReadBytesPerToken(const PlanInputs& in, int64_t depth);

}  // namespace sizer

#endif  // SIZER_PLAN_KV_CACHE_H_

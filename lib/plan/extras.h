// The budget of what a deployment runs beside the text model (issue 14): a vision projector
// and its images (plan/vision.h), a speculative-decoding draft (plan/speculative.h), LoRA
// adapters (plan/lora.h), and embed/rerank serving (plan/encoder.h). Each adds worksheet rows;
// the bytes join the device's existing buckets (weights, KV cache, runtime, activations).
#ifndef SIZER_PLAN_EXTRAS_H_
#define SIZER_PLAN_EXTRAS_H_

#include <cstdint>

#include "plan/kv_cache.h"
#include "plan/plan_inputs.h"
#include "plan/quantity.h"
#include "plan/speed.h"
#include "plan/weights.h"

namespace sizer {

struct ExtrasMemory {
  double weights_bytes = 0;     // projector + draft weights + adapters
  double kv_bytes = 0;          // the draft's KV cache
  double runtime_bytes = 0;     // vLLM's encoder cache and LoRA buffers
  double activation_bytes = 0;  // the vision encoder's peak
  QuantityList rows;
  bool any() const { return !rows.empty(); }
};

// Image tokens per request that the context holds beside the text (0 without vision).
int64_t ImageContextTokens(const PlanInputs& in);

// The extras for `context_tokens` x `sequences` (the draft's KV follows the target's).
ExtrasMemory PlanExtrasMemory(const PlanInputs& in, int64_t context_tokens, int64_t sequences);

// Task embed/rerank on an encoder-only model keeps no KV cache: clears `kv` and says why.
void ApplyTaskToKv(const PlanInputs& in, KvPlan& kv);

// Rewrites the speed plan for the extras: vision encoder + image-token prefill in the TTFT,
// the speculative decode rate, or sequences/s for embed/rerank.
void ApplyExtrasSpeed(const PlanInputs& in, const Candidate& c, const WeightPlan& w, SpeedPlan& s);

}  // namespace sizer

#endif  // SIZER_PLAN_EXTRAS_H_

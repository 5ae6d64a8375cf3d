// Speed. Decode is memory-bound: each step reads the used weights once plus every sequence's
// KV cache, so the ceiling is bandwidth / bytes read per token and it falls as the context
// fills. Expected figures apply the runtime's efficiency. Prefill is compute-bound (2 FLOPs
// per parameter per token plus attention), bounded below by reading the weights once per
// micro-batch.
#ifndef SIZER_PLAN_SPEED_H_
#define SIZER_PLAN_SPEED_H_

#include <cstdint>
#include <string>
#include <vector>

#include "plan/plan_inputs.h"
#include "plan/quantity.h"
#include "plan/weights.h"
#include "input/job.h"

namespace sizer {

struct SpeedPlan {
  double bandwidth_bytes_per_s = 0;           // of one device (the first tier with offload)
  double decode_ceiling_tokens_per_s = 0;     // one stream, empty cache: bandwidth / weights read
  double decode_ceiling_at_prompt_tokens_per_s = 0;
  double decode_ceiling_full_context_tokens_per_s = 0;
  double decode_efficiency = 0;
  double expected_decode_tokens_per_s = 0;    // per sequence, all sequences active, mid-request
  double expected_decode_full_context_tokens_per_s = 0;
  double aggregate_decode_tokens_per_s = 0;   // all sequences together
  bool compute_bound = false;
  double prefill_tokens_per_s = 0;
  double ttft_ms = 0;
  double p95_token_latency_ms = 0;            // estimate: one step at the full context
  double sparsity_speedup = 1.0;
  // Measured figures used instead of the estimates (NaN when absent).
  double measured_decode_tokens_per_s = 0;
  double measured_fraction_of_ceiling = 0;
  QuantityList rows;
};

// One decode step with `sequences` active at `depth` tokens each: the time to read the used
// weights and every sequence's cache (memory_s) and the time to do the step's FLOPs
// (compute_s). With apply_efficiency false both are at peak: memory_s is then the ceiling.
struct DecodeStep {
  double memory_s = 0;
  double compute_s = 0;
  double seconds() const { return memory_s > compute_s ? memory_s : compute_s; }
  bool compute_bound() const { return compute_s > memory_s; }
};
DecodeStep DecodeStepTime(const PlanInputs& in, const Candidate& c, const WeightPlan& w,
                          int64_t sequences, int64_t depth, bool apply_efficiency);

SpeedPlan PlanSpeed(const PlanInputs& in, const Candidate& c, const WeightPlan& w);

// The peak the prefill uses on one device of `hw` for the job's format ("fp16", "int8",
// "fp8" in *which), and the attention FLOPs of prefilling `prompt` tokens (for plan/ files
// beside speed.cc: vision, speculative decoding, encoder tasks).
double PrefillPeakFlopPerS(const PlanInputs& in, const HardwareSpec& hw, std::string* which);
double PromptAttentionFlops(const ModelSpec& m, int64_t prompt);

}  // namespace sizer

#endif  // SIZER_PLAN_SPEED_H_

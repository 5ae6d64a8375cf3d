// Speculative decoding: a small draft model proposes k tokens, the target verifies them in
// one forward pass over k + 1 positions and keeps the accepted prefix plus one token of its
// own. With a per-token acceptance rate a (independent), the expected tokens per step are
//   E = (1 - a^(k+1)) / (1 - a)
// (Leviathan, Kalman, Matias 2023, "Fast Inference from Transformers via Speculative
// Decoding", arXiv:2211.17192, eq. 1), and a step costs k draft decode steps plus one target
// step over k + 1 tokens (memory-bound: the target's weights are read once; compute x (k+1)).
#ifndef SIZER_PLAN_SPECULATIVE_H_
#define SIZER_PLAN_SPECULATIVE_H_

#include <cstdint>
#include <optional>

#include "plan/plan_inputs.h"
#include "plan/speed.h"
#include "plan/weights.h"

namespace sizer {

// E[tokens per step] for acceptance `a` in (0, 1) and `k` >= 1 draft tokens.
double SpeculativeTokensPerStep(double a, int64_t k);

// The draft resolved like the target: its model and weight format over the target's job,
// runtime and KV dtype; its weights from its GGUF when it names one.
struct DraftModel {
  PlanInputs in;
  WeightPlan weights;
};
std::optional<DraftModel> ResolveDraft(const PlanInputs& target);

struct SpeculativeStep {
  double tokens_per_step = 0;
  double draft_step_s = 0;
  double verify_step_s = 0;
  double step_s() const { return draft_step_s + verify_step_s; }
  double tokens_per_s() const { return tokens_per_step / step_s(); }
};
// One speculative step of `sequences` sequences at `depth`.
SpeculativeStep SpeculativeStepAt(const PlanInputs& target, const DraftModel& draft,
                                  const Candidate& c, const WeightPlan& w, int64_t sequences,
                                  int64_t depth);

}  // namespace sizer

#endif  // SIZER_PLAN_SPECULATIVE_H_

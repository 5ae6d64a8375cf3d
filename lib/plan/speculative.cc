#include "plan/speculative.h"

#include <algorithm>
#include <cmath>

#include "plan/artifact_weights.h"

namespace sizer {

double SpeculativeTokensPerStep(double a, int64_t k) {
  // Leviathan et al. 2023, eq. 1: E = (1 - a^(k+1)) / (1 - a).
  return (1.0 - std::pow(a, static_cast<double>(k + 1))) / (1.0 - a);
}

std::optional<DraftModel> ResolveDraft(const PlanInputs& target) {
  const JobExtras& x = target.job->extras;
  if (!x.draft) return std::nullopt;
  const DraftSpec& d = *x.draft;
  DraftModel draft{target, {}};
  draft.in.model = d.model;
  draft.in.quant = d.quant.empty() ? target.quant : d.quant;
  if (const WeightFormat* f = FindWeightFormat(draft.in.quant)) draft.in.format = *f;
  draft.weights = d.model_file && d.model_file->file_type == draft.in.quant
                      ? WeightsFromArtifact(d.model, *d.model_file)
                      : PlanWeights(d.model, draft.in.format);
  return draft;
}

SpeculativeStep SpeculativeStepAt(const PlanInputs& target, const DraftModel& draft,
                                  const Candidate& c, const WeightPlan& w, int64_t sequences,
                                  int64_t depth) {
  const DraftSpec& d = *target.job->extras.draft;
  SpeculativeStep s;
  s.tokens_per_step = SpeculativeTokensPerStep(d.acceptance_rate, d.draft_tokens);
  s.draft_step_s = static_cast<double>(d.draft_tokens) *
                   DecodeStepTime(draft.in, c, draft.weights, sequences, depth, true).seconds();
  const DecodeStep verify = DecodeStepTime(target, c, w, sequences, depth, true);
  s.verify_step_s = std::max(verify.memory_s, verify.compute_s * static_cast<double>(d.draft_tokens + 1));
  return s;
}

}  // namespace sizer

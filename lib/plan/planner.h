// The planner: a job in, one admit/reject worksheet per candidate out, plus the artifact
// choice, the recommendation and the cost comparison. Pure: no I/O, no printing.
#ifndef SIZER_PLAN_PLANNER_H_
#define SIZER_PLAN_PLANNER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "plan/cost.h"
#include "plan/memory_budget.h"
#include "plan/plan_inputs.h"
#include "plan/speed.h"
#include "plan/verdict.h"
#include "plan/weights.h"
#include "input/job.h"

namespace sizer {

struct CandidateWorksheet {
  Candidate candidate;
  Verdict verdict = Verdict::kReject;
  std::vector<Reason> reasons;   // every failing check, in check order
  std::vector<Formula> warnings;
  MemoryPlan memory;
  SpeedPlan speed;
  CostPlan cost;
  // Largest context / concurrency still admitted on memory; kNotSearched when a pinned KV
  // bucket makes the search meaningless.
  static constexpr int64_t kNotSearched = -1;
  int64_t max_context_tokens = 0;
  int64_t max_concurrency = 0;
  // The figures the gates were judged on, and whether they were measured or estimated.
  double gate_decode_tokens_per_s = 0;
  double gate_ttft_ms = 0;
  double gate_p95_token_latency_ms = 0;
  std::optional<double> quality;
  Basis decode_basis = Basis::kEstimate;
  Basis latency_basis = Basis::kEstimate;
  Basis ttft_basis = Basis::kEstimate;

  bool admitted() const { return verdict == Verdict::kAdmit; }
};

struct ArtifactVerdict {
  Artifact artifact;
  double weights_bytes = 0;
  bool quality_ok = true;
  std::vector<std::string> fits_on;  // candidates that pass every check but quality
  ArtifactOutcome outcome = ArtifactOutcome::kPass;
};

struct Plan {
  // The job the plan was made for, shared (never null in a plan MakePlan returned): a Plan
  // may outlive the JobSpec it was made from, and copies of a Plan share one job.
  std::shared_ptr<const JobSpec> job;
  std::string quant;  // the weight format the worksheets use
  WeightPlan weights;
  std::vector<CandidateWorksheet> candidates;
  std::vector<ArtifactVerdict> artifacts;
  std::optional<size_t> recommended;           // index into candidates
  std::optional<size_t> recommended_artifact;  // index into artifacts
  Formula recommendation;  // for people: the recommended candidate and artifact, and why
  CostPlan cost;  // for the recommended candidate (else the first)
  std::vector<Assumption> assumptions;
  std::vector<Formula> warnings;
};

// Plans `job`: every artifact on every candidate, one worksheet per candidate, the
// recommendation and the cost. The returned Plan holds its own copy of the job (Plan::job),
// so it stays valid whatever happens to `job` afterwards; nothing in it points into `job`.
// Errors: kInvalidArgument when the job names a quant, KV dtype or runtime that the
// knowledge tables do not know (ResolvePlanInputs). Rejected candidates are not errors:
// they are worksheets with their reasons.
StatusOr<Plan> MakePlan(const JobSpec& job);
// The same, sharing an existing job instead of copying it.
StatusOr<Plan> MakePlan(std::shared_ptr<const JobSpec> job);

}  // namespace sizer

#endif  // SIZER_PLAN_PLANNER_H_

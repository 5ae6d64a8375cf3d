// The planner: a job in, one admit/reject worksheet per candidate out, plus the artifact
// choice, the recommendation and the cost comparison. Pure: no I/O, no printing.
#ifndef SIZER_PLAN_PLANNER_H_
#define SIZER_PLAN_PLANNER_H_

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "plan/cost.h"
#include "plan/memory_budget.h"
#include "plan/plan_inputs.h"
#include "plan/speed.h"
#include "plan/weights.h"
#include "input/job.h"

namespace sizer {

struct CandidateWorksheet {
  Candidate candidate;
  bool admitted = false;
  std::vector<std::string> reasons;   // every failing check, in check order
  std::vector<std::string> warnings;
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
  std::string decode_basis = "estimate";
  std::string latency_basis = "estimate";
  std::string ttft_basis = "estimate";
};

struct ArtifactVerdict {
  Artifact artifact;
  double weights_bytes = 0;
  bool quality_ok = true;
  std::vector<std::string> fits_on;  // candidates that pass every check but quality
  std::string verdict;                   // "pass", or why not
};

struct Plan {
  const JobSpec* job = nullptr;
  std::string quant;  // the weight format the worksheets use
  WeightPlan weights;
  std::vector<CandidateWorksheet> candidates;
  std::vector<ArtifactVerdict> artifacts;
  std::optional<size_t> recommended;           // index into candidates
  std::optional<size_t> recommended_artifact;  // index into artifacts
  std::string recommendation;
  CostPlan cost;  // for the recommended candidate (else the first)
  std::vector<Assumption> assumptions;
  std::vector<std::string> warnings;
};

StatusOr<Plan> MakePlan(const JobSpec& job);

}  // namespace sizer

#endif  // SIZER_PLAN_PLANNER_H_

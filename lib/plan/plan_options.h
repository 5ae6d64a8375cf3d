// Options of MakePlan for callers that plan many jobs (the hardware search, lib/search):
// the per-candidate capacity search (largest context and concurrency, about thirty memory
// plans each) can be left out and run later for the few candidates that are shown.
#ifndef SIZER_PLAN_PLAN_OPTIONS_H_
#define SIZER_PLAN_PLAN_OPTIONS_H_

#include <memory>

#include "base/status.h"
#include "plan/planner.h"

namespace sizer {

struct PlanOptions {
  // false: CandidateWorksheet::max_context_tokens and max_concurrency are kNotSearched and
  // their warnings are left out; every verdict, figure and cost is the same.
  bool capacity_search = true;
};

StatusOr<Plan> MakePlan(std::shared_ptr<const JobSpec> job, const PlanOptions& options);

}  // namespace sizer

#endif  // SIZER_PLAN_PLAN_OPTIONS_H_

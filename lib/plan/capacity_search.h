// The largest context and concurrency a candidate still admits, found by search over the
// real memory model (sliding-window and hybrid layers make memory non-linear in context, so
// dividing headroom by bytes per token would be wrong).
#ifndef SIZER_PLAN_CAPACITY_SEARCH_H_
#define SIZER_PLAN_CAPACITY_SEARCH_H_

#include <cstdint>

#include "plan/plan_inputs.h"
#include "plan/weights.h"
#include "input/job.h"

namespace sizer {

// Largest context in [1, model max] that fits at the job's concurrency; 0 if none does.
int64_t MaxContextTokens(const PlanInputs& in, const Candidate& c, const WeightPlan& w);

// Largest concurrency in [1, kMaxSearchedConcurrency] that fits at the job's context; 0 if none.
inline constexpr int64_t kMaxSearchedConcurrency = 65536;
int64_t MaxConcurrency(const PlanInputs& in, const Candidate& c, const WeightPlan& w);

}  // namespace sizer

#endif  // SIZER_PLAN_CAPACITY_SEARCH_H_

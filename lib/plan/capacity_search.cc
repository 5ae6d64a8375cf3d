#include "plan/capacity_search.h"

#include "plan/memory_budget.h"

namespace sizer {
namespace {

// Largest x in [1, high] with fits(x), for a monotone predicate (memory grows with context
// and with sequences); 0 when even 1 does not fit. About log2(high) memory plans.
template <typename Fits>
int64_t LargestFitting(int64_t high, Fits fits) {
  if (!fits(1)) return 0;
  int64_t low = 1;  // fits
  while (low < high) {
    int64_t mid = low + (high - low + 1) / 2;
    if (fits(mid)) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return low;
}

}  // namespace

int64_t MaxContextTokens(const PlanInputs& in, const Candidate& c, const WeightPlan& w) {
  const int64_t seqs = in.job->concurrency;
  return LargestFitting(in.model.max_context_tokens, [&](int64_t context) {
    return PlanMemory(in, c, w, context, seqs).fits;
  });
}

int64_t MaxConcurrency(const PlanInputs& in, const Candidate& c, const WeightPlan& w) {
  const int64_t context = in.job->context_tokens;
  return LargestFitting(kMaxSearchedConcurrency, [&](int64_t seqs) {
    return PlanMemory(in, c, w, context, seqs).fits;
  });
}

}  // namespace sizer

// Monthly cost: local (amortized hardware + power + operations, or a given fixed figure)
// against a hosted API at the job's volume, and the volume at which they break even.
// Privacy, quality and operations stay separate gates: cost alone decides nothing.
#ifndef SIZER_PLAN_COST_H_
#define SIZER_PLAN_COST_H_

#include <string>
#include <string_view>

#include "plan/quantity.h"
#include "input/job.h"

namespace sizer {

// Which side costs less at the job's volume, on cost alone.
enum class CheaperSide { kLocal, kHosted };
std::string_view CheaperSideName(CheaperSide side);  // "local" or "hosted" (the --json values)

struct CostPlan {
  bool present = false;
  double hosted_usd_per_request = 0;
  double hosted_monthly_usd = 0;
  double local_monthly_usd = 0;
  double break_even_requests_per_month = 0;  // local_monthly / hosted per request
  CheaperSide cheaper = CheaperSide::kHosted;
  double capacity_requests_per_month = 0;     // decode capacity at the expected rate
  QuantityList rows;
};

// `aggregate_tokens_per_s`: the candidate's decode rate over all sequences.
CostPlan PlanCost(const JobSpec& job, const Candidate& candidate, double aggregate_tokens_per_s);

}  // namespace sizer

#endif  // SIZER_PLAN_COST_H_

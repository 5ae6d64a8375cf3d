// The plan as JSON: the contract for scripts and CI. Keys may be added, never renamed:
// top-level job, candidates[] {hardware, verdict, reasons, memory{...}, speed{...},
// max_context_tokens, max_concurrency}, cost{local_monthly_usd, hosted_monthly_usd,
// break_even_requests_per_month, cheaper}. Each candidate's rows[] {key, label, value, unit,
// formula, source, section} carry the worksheet tables; section is memory, speed or cost.
#ifndef SIZER_REPORT_JSON_REPORT_H_
#define SIZER_REPORT_JSON_REPORT_H_

#include <nlohmann/json.hpp>

#include "plan/planner.h"
#include "report/plan_view.h"

namespace sizer {

// Builds the view (MakePlanView) and serializes it.
nlohmann::json PlanToJson(const Plan& plan);
// The raw figures of the view; no display text goes into the JSON.
nlohmann::json PlanViewToJson(const PlanView& view);

}  // namespace sizer

#endif  // SIZER_REPORT_JSON_REPORT_H_

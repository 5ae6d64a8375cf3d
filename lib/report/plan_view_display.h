// The display decisions of the plan view, made once for every output: distinct candidate
// labels, which rows are job-level, the job's facts and gates in words, each figure's text
// in the one number style (display_format.h), the recommendation and the cost sentence.
// Reads the view only, never the Plan.
#ifndef SIZER_REPORT_PLAN_VIEW_DISPLAY_H_
#define SIZER_REPORT_PLAN_VIEW_DISPLAY_H_

#include <string>

#include "report/plan_view.h"

namespace sizer {

// Fills every display field of `view` from its raw fields.
void DecideDisplay(PlanView& view);

// The formula's first clause ("a x b x c" of "a x b x c (why; more)"), for narrow tables.
std::string ShortFormula(const std::string& formula);

}  // namespace sizer

#endif  // SIZER_REPORT_PLAN_VIEW_DISPLAY_H_

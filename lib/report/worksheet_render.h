// The plan as a terminal worksheet, from the plan view (plan_view.h): the verdict table first,
// then the recommendation, the reasons for each rejection, the facts shared by every
// candidate once, and each candidate's figures with a short formula; every line wrapped to
// the terminal's width. Long formulas, each row's source and the assumptions' reasons are in
// --verbose (and in the Markdown report, which has room for them).
#ifndef SIZER_REPORT_WORKSHEET_RENDER_H_
#define SIZER_REPORT_WORKSHEET_RENDER_H_

#include <cstddef>
#include <string>

#include "report/plan_view.h"

namespace sizer {

struct RenderOptions {
  bool details = true;   // per-candidate worksheets; false: the summary only
  bool verbose = false;  // full formulas, sources and the assumptions' reasons
  size_t columns = 100;  // the terminal's width ($COLUMNS)
};

std::string RenderPlanText(const PlanView& view, const RenderOptions& options = {});

// The width to render for: $COLUMNS when it is a sane number (40 or more), else 100.
size_t TerminalColumns();

}  // namespace sizer

#endif  // SIZER_REPORT_WORKSHEET_RENDER_H_

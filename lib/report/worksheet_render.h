// The plan as a terminal worksheet or as Markdown. Both read the same Plan that PlanToJson
// serializes, so the views cannot disagree.
#ifndef SIZER_REPORT_WORKSHEET_RENDER_H_
#define SIZER_REPORT_WORKSHEET_RENDER_H_

#include <string>

#include "plan/planner.h"

namespace sizer {

struct RenderOptions {
  bool details = true;  // per-candidate worksheets with formulas; false: the summary only
};

std::string RenderPlanText(const Plan& plan, const RenderOptions& options = {});
std::string RenderPlanMarkdown(const Plan& plan, const RenderOptions& options = {});

}  // namespace sizer

#endif  // SIZER_REPORT_WORKSHEET_RENDER_H_

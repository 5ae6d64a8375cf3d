// A whole report: the view model (report_model.h) rendered through the format's template
// (template_render.h), plus the chart files that go beside a Markdown report.
#ifndef SIZER_REPORT_REPORT_DOCUMENT_H_
#define SIZER_REPORT_REPORT_DOCUMENT_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "plan/planner.h"
#include "report/report_model.h"
#include "report/template_render.h"

namespace sizer {

struct ReportDocument {
  std::string text;               // the report itself
  std::vector<ChartFile> charts;  // sibling files (options.charts == ChartOutput::kFiles)
};

// `template_dir` holds report.md.mustache / report.html.mustache (FindTemplateDir).
StatusOr<ReportDocument> RenderReport(const Plan& plan, ReportFormat format,
                                      const std::string& template_dir, const ReportOptions& options);

}  // namespace sizer

#endif  // SIZER_REPORT_REPORT_DOCUMENT_H_

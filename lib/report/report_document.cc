#include "report/report_document.h"

namespace sizer {

StatusOr<ReportDocument> RenderReport(const Plan& plan, ReportFormat format,
                                      const std::string& template_dir, const ReportOptions& options) {
  ReportOptions effective = options;
  // HTML always inlines its charts: one file that opens offline.
  if (format == ReportFormat::kHtml) effective.charts = ChartOutput::kInline;
  SIZER_ASSIGN_OR_RETURN(nlohmann::json model, BuildReportModel(plan, effective));
  ReportDocument doc;
  SIZER_ASSIGN_OR_RETURN(doc.text, RenderTemplate(template_dir, format, model));
  if (effective.charts == ChartOutput::kFiles) doc.charts = ChartFiles(model);
  return doc;
}

}  // namespace sizer

#include "report/report_document.h"

namespace sizer {
namespace {

// Mustache leaves an empty line where a false section stood on lines of its own; in
// Markdown a run of blank lines means no more than one, so runs are folded to one.
std::string FoldBlankLines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  int newlines = 0;
  for (char c : text) {
    newlines = c == '\n' ? newlines + 1 : 0;
    if (newlines <= 2) out += c;
  }
  return out;
}

}  // namespace

StatusOr<ReportDocument> RenderReport(const Plan& plan, ReportFormat format,
                                      const std::string& template_dir, const ReportOptions& options) {
  ReportOptions effective = options;
  // HTML always inlines its charts: one file that opens offline.
  if (format == ReportFormat::kHtml) effective.charts = ChartOutput::kInline;
  SIZER_ASSIGN_OR_RETURN(nlohmann::json model, BuildReportModel(plan, effective));
  ReportDocument doc;
  SIZER_ASSIGN_OR_RETURN(doc.text, RenderTemplate(template_dir, format, model));
  if (format == ReportFormat::kMarkdown) doc.text = FoldBlankLines(doc.text);
  if (effective.charts == ChartOutput::kFiles) doc.charts = ChartFiles(model);
  return doc;
}

}  // namespace sizer

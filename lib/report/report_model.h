// The report's template data: ONE JSON object that the Markdown and HTML templates render,
// made from the plan view (plan_view.h), the same display data the terminal worksheet prints,
// so the report, the worksheet and `--json` (kept whole under "plan") cannot disagree. Adds
// the four charts as SVG, the validation measurements and the provenance (tool version,
// sha256 of the input files, date). reports/templates/README.md lists the keys.
#ifndef SIZER_REPORT_REPORT_MODEL_H_
#define SIZER_REPORT_REPORT_MODEL_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "plan/planner.h"
#include "report/plan_view.h"
#include "report/validation.h"

namespace sizer {

enum class ChartOutput {
  kInline,  // HTML: the SVG goes into the page
  kFiles,   // Markdown into a directory: sibling .svg files the page links to
  kNone,    // Markdown to one file or stdout: no charts (the page says how to get them)
};

struct ReportOptions {
  std::vector<ReportInput> inputs;  // hashed in this order
  std::string date;                 // printed as given ("2025-06-01"); see ReportDate()
  std::vector<ValidationRecord> validations;
  ChartOutput charts = ChartOutput::kInline;
  bool summary_only = false;  // `sizer plan --summary --format md`: the job, verdict and recommendation
};

// "YYYY-MM-DD" (UTC): `flag` when given (checked), else $SOURCE_DATE_EPOCH (reproducible
// builds' convention), else today.
StatusOr<std::string> ReportDate(const std::string& flag);

// kNotFound/kIOError when an input cannot be hashed; kInvalidArgument when a validation file
// names hardware that is not a candidate.
StatusOr<nlohmann::json> BuildReportModel(const Plan& plan, const ReportOptions& options);

// Chart file names used with ChartOutput::kFiles, in report order.
struct ChartFile {
  std::string name;  // "chart-memory.svg"
  std::string svg;
};
std::vector<ChartFile> ChartFiles(const nlohmann::json& model);

}  // namespace sizer

#endif  // SIZER_REPORT_REPORT_MODEL_H_

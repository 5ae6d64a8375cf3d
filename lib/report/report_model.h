// The report's view model: ONE JSON object that the Markdown and HTML templates render. It is
// built from PlanToJson(plan) (the `--json` contract, kept whole under "plan") so a report and
// the JSON can never disagree; everything else is that data formatted for people (display
// strings with units), the four charts as SVG, the validation measurements and the
// provenance (tool version, sha256 of the input files, date). reports/templates/README.md
// lists the keys.
#ifndef SIZER_REPORT_REPORT_MODEL_H_
#define SIZER_REPORT_REPORT_MODEL_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "plan/planner.h"
#include "report/validation.h"

namespace sizer {

// A file whose sha256 the report prints: `display` is what the reader sees (the path as the
// user typed it, or relative to the database root), `path` where to read it.
struct ReportInput {
  std::string display;
  std::string path;
};

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
};

// The input files of a plan: the job file (as `job_display`), then the database entries it
// used under `db_root` (model_db/<id>.yaml, hardware_db/<id>.yaml, shown relative to the
// root), or the saved probe for this-machine. Entries given inline in the job have no file.
std::vector<ReportInput> PlanInputFiles(const Plan& plan, const std::string& job_display,
                                        const std::string& db_root);

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

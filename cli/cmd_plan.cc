// sizer plan JOB.yaml: per-candidate admit/reject worksheets.
#include <iostream>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "plan/planner.h"
#include "report/json_report.h"
#include "report/report_document.h"
#include "report/worksheet_render.h"
#include "input/calibration.h"
#include "input/job.h"

namespace sizer::cli {
namespace {

// `sizer plan --format md|html`: the report of `sizer report` (one renderer, one wording),
// dated today (or $SOURCE_DATE_EPOCH), charts inline in HTML and left out of Markdown.
StatusOr<std::string> RenderPlanReport(const Plan& plan, ReportFormat format,
                                       const std::string& template_dir, const std::string& job_path,
                                       const std::string& db_root, bool summary_only) {
  ReportOptions report;
  SIZER_ASSIGN_OR_RETURN(report.date, ReportDate(""));
  report.inputs = PlanInputFiles(plan, job_path, db_root);
  report.charts = ChartOutput::kNone;
  report.summary_only = summary_only;
  SIZER_ASSIGN_OR_RETURN(ReportDocument doc, RenderReport(plan, format, template_dir, report));
  return std::move(doc.text);
}

po::options_description PlanOptions() {
  po::options_description options(
      "usage: sizer plan JOB.yaml [options]\n\n"
      "Reads a job spec (model, quant, context, concurrency, runtime, candidates, gates, cost)\n"
      "and prints, for every candidate, the memory buckets, the decode ceiling and expected\n"
      "tokens/s, TTFT, the largest context and concurrency that still fit, the monthly cost\n"
      "against the hosted API, and every reason for a rejection. Example jobs: worksheets/.\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("job", po::value<std::string>()->value_name("JOB.yaml"), "the job spec")
      ("format,f", po::value<std::string>()->default_value("text")->value_name("FMT"),
       "text (terminal worksheet), md or html (the report of 'sizer report': Markdown, or one "
       "self-contained HTML file), json (the scripting contract)")
      ("json", "same as --format json")
      ("summary", "print only the verdict table, the recommendation and the cost")
      ("verbose", "text: every formula in full, each figure's source and the reason for each "
       "assumption (the terminal worksheet wraps to $COLUMNS, default 100)")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write to FILE instead of stdout")
      ("strict", "treat a context above the model's maximum as an error")
      ("require-admit", "exit 1 unless at least one candidate is admitted")
      ("calibration", po::value<std::string>()->value_name("FILE"),
       "decode calibration from `sizer validate --calibrate`: its efficiency and per-token\n"
       "overhead replace the runtime's for candidates on the calibrated machine");
  AddDbOption(options);
  return options;
}

// --calibration FILE: replaces the runtime's efficiency for candidates on the calibrated machine.
Status ApplyCalibrationOption(const po::variables_map& vm, JobSpec& job) {
  if (!vm.count("calibration")) return Status();
  const std::string file = vm["calibration"].as<std::string>();
  SIZER_ASSIGN_OR_RETURN(Calibration calibration, LoadCalibration(file));
  const int applied = ApplyCalibration(calibration, file, job);
  if (applied == 0) {
    job.warnings.push_back("calibration " + file + " is for '" + calibration.hardware_id +
                           "', which is not a candidate of this job; it changes nothing");
  } else {
    std::cerr << "sizer: using calibration " << file << " for " << applied << " candidate(s) on "
              << calibration.hardware_id << "\n";
  }
  return Status();
}

// What `plan` prints for one --format: the report (md, html), the JSON contract or the
// terminal worksheet.
StatusOr<std::string> RenderPlanOutput(const Plan& plan, const std::string& format,
                                       const po::variables_map& vm, const std::string& template_dir,
                                       const std::string& db_root) {
  if (format == "html" || format == "md") {
    return RenderPlanReport(plan, format == "html" ? ReportFormat::kHtml : ReportFormat::kMarkdown,
                            template_dir, vm["job"].as<std::string>(), db_root,
                            vm.count("summary") > 0);
  }
  if (format == "json") return PlanToJson(plan).dump(2) + "\n";
  RenderOptions render;
  render.details = vm.count("summary") == 0;
  render.verbose = vm.count("verbose") > 0;
  render.columns = TerminalColumns();
  return RenderPlanText(MakePlanView(plan), render);
}

}  // namespace

int RunPlan(const std::vector<std::string>& args) {
  po::options_description options = PlanOptions();
  po::positional_options_description positional;
  positional.add("job", 1);
  auto vm = ParseOptions("plan", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "plan", "job", "JOB.yaml")) return *done;
  std::string format = vm->count("json") ? "json" : (*vm)["format"].as<std::string>();
  if (format == "markdown") format = "md";
  if (format != "text" && format != "md" && format != "json" && format != "html") {
    PrintError("plan: unknown --format '" + format + "' (expected text, md, json or html)");
    return kExitBadInput;
  }

  // The output and the report's template are checked before any work.
  StatusOr<OutputPath> output =
      ResolveOutputPath("-o", StringOption(*vm, "output"), OutputKind::kFile);
  if (!output.ok()) return ReportError(output.status(), "plan");
  StatusOr<std::string> template_dir = std::string();
  if (format == "html" || format == "md") {
    template_dir = FindTemplateDir("", vm->count("db") ? (*vm)["db"].as<std::string>() : "",
                                   format == "html" ? ReportFormat::kHtml : ReportFormat::kMarkdown);
    if (!template_dir.ok()) return ReportError(template_dir.status(), "plan");
  }

  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  StatusOr<JobSpec> job = LoadJobFromOptions(*vm, *catalog);
  if (!job.ok()) return ReportError(job.status());
  if (Status applied = ApplyCalibrationOption(*vm, *job); !applied.ok()) return ReportError(applied);
  StatusOr<Plan> plan = MakePlan(*job);
  if (!plan.ok()) return ReportError(plan.status());
  if (format != "json") {
    for (const std::string& w : job->warnings) PrintWarning(w);
  }
  StatusOr<std::string> text = RenderPlanOutput(*plan, format, *vm, *template_dir, catalog->root());
  if (!text.ok()) return ReportError(text.status(), "plan");
  if (Status written = WriteOutput(output->path, *text); !written.ok()) {
    return ReportError(written, "plan");
  }
  if (vm->count("require-admit") && !plan->recommended) return kExitCheckFailed;
  return kExitOk;
}

}  // namespace sizer::cli

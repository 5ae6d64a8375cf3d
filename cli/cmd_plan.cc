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

int RunPlan(const std::vector<std::string>& args) {
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
       "text (terminal worksheet), md (Markdown), json (the scripting contract) or html (the "
       "report of 'sizer report', one self-contained file)")
      ("json", "same as --format json")
      ("summary", "print only the verdict table, the recommendation and the cost")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write to FILE instead of stdout")
      ("strict", "treat a context above the model's maximum as an error")
      ("require-admit", "exit 1 unless at least one candidate is admitted")
      ("calibration", po::value<std::string>()->value_name("FILE"),
       "decode calibration from `sizer validate --calibrate`: its efficiency and per-token\n"
       "overhead replace the runtime's for candidates on the calibrated machine");
  AddDbOption(options);
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

  // The output and the HTML report's template are checked before any work.
  StatusOr<OutputPath> output =
      ResolveOutputPath("-o", StringOption(*vm, "output"), OutputKind::kFile);
  if (!output.ok()) return ReportError(output.status(), "plan");
  StatusOr<std::string> template_dir = std::string();
  if (format == "html") {
    template_dir = FindTemplateDir("", vm->count("db") ? (*vm)["db"].as<std::string>() : "",
                                   ReportFormat::kHtml);
    if (!template_dir.ok()) return ReportError(template_dir.status(), "plan");
  }

  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  StatusOr<JobSpec> job = LoadJobFromOptions(*vm, *catalog);
  if (!job.ok()) return ReportError(job.status());
  if (vm->count("calibration")) {
    const std::string file = (*vm)["calibration"].as<std::string>();
    StatusOr<Calibration> calibration = LoadCalibration(file);
    if (!calibration.ok()) return ReportError(calibration.status());
    const int applied = ApplyCalibration(*calibration, file, *job);
    if (applied == 0) {
      job->warnings.push_back("calibration " + file + " is for '" + calibration->hardware_id +
                              "', which is not a candidate of this job; it changes nothing");
    } else {
      std::cerr << "sizer: using calibration " << file << " for " << applied << " candidate(s) on "
                << calibration->hardware_id << "\n";
    }
  }
  StatusOr<Plan> plan = MakePlan(*job);
  if (!plan.ok()) return ReportError(plan.status());
  if (format != "json") {
    for (const std::string& w : job->warnings) PrintWarning(w);
  }
  RenderOptions render;
  render.details = vm->count("summary") == 0;
  std::string text;
  if (format == "html") {
    ReportOptions report;
    StatusOr<std::string> date = ReportDate("");
    if (!date.ok()) return ReportError(date.status(), "plan");
    report.date = *date;
    report.inputs = PlanInputFiles(*plan, (*vm)["job"].as<std::string>(), catalog->root());
    StatusOr<ReportDocument> doc = RenderReport(*plan, ReportFormat::kHtml, *template_dir, report);
    if (!doc.ok()) return ReportError(doc.status(), "plan");
    text = std::move(doc->text);
  } else {
    text = format == "json" ? PlanToJson(*plan).dump(2) + "\n"
           : format == "md" ? RenderPlanMarkdown(*plan, render)
                            : RenderPlanText(*plan, render);
  }
  if (Status written = WriteOutput(output->path, text); !written.ok()) {
    return ReportError(written, "plan");
  }
  if (vm->count("require-admit") && !plan->recommended) return kExitCheckFailed;
  return kExitOk;
}

}  // namespace sizer::cli

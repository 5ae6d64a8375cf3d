// sizer report JOB.yaml: the plan as a document for people (Markdown or one self-contained
// HTML file), rendered from the templates in reports/templates/.
#include <filesystem>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "plan/planner.h"
#include "report/report_document.h"
#include "input/job.h"

namespace sizer::cli {
namespace {

namespace fs = std::filesystem;

struct OutputTarget {
  enum Kind { kStdout, kFile, kDirectory } kind = kStdout;
  std::string report_path;  // the report file (kFile, kDirectory)
  std::string directory;    // where chart files go (kDirectory)
};

// Where the report goes, checked before any work (ResolveOutputPath): a directory (existing,
// or named with a trailing '/') receives report.md|html and, for Markdown, the charts;
// anything else is a file.
StatusOr<OutputTarget> ResolveOutput(const std::string& output, ReportFormat format) {
  SIZER_ASSIGN_OR_RETURN(OutputPath path,
                         ResolveOutputPath("-o", output, OutputKind::kFileOrDirectory));
  OutputTarget t;
  if (path.to_stdout()) return t;
  if (path.directory) {
    const std::string name = format == ReportFormat::kHtml ? "report.html" : "report.md";
    t.kind = OutputTarget::kDirectory;
    t.directory = output;
    t.report_path = (fs::path(output) / name).string();
    return t;
  }
  t.kind = OutputTarget::kFile;
  t.report_path = output;
  return t;
}

// md unless --format says otherwise or the output file's extension says html.
std::string DefaultFormat(const po::variables_map& vm) {
  if (vm.count("format")) return vm["format"].as<std::string>();
  if (vm.count("output")) {
    std::string ext = fs::path(vm["output"].as<std::string>()).extension().string();
    if (ext == ".html" || ext == ".htm") return "html";
  }
  return "md";
}

po::options_description ReportCommandOptions() {
  po::options_description options(
      "usage: sizer report JOB.yaml [--format md|html] [-o FILE|DIR] [options]\n\n"
      "Writes the plan as a document to hand to other people: the job, the verdict table, the\n"
      "recommendation, every candidate's memory budget and speed with their formulas, the cost\n"
      "against the hosted API with the break-even volume, warnings, assumptions, the sources of\n"
      "every figure, and the tool version, the input files' sha256 and the date. Charts are\n"
      "inline SVG in HTML (one file, opens offline, prints cleanly); Markdown written into a\n"
      "directory gets them as sibling .svg files. Rendered from reports/templates/ (Mustache);\n"
      "the data is the same as 'sizer plan --json'.\n\n"
      "examples:\n"
      "  sizer report worksheets/chat-assistant-8b.yaml --format html -o report.html\n"
      "  sizer report job.yaml --format md -o out/      # out/report.md + out/chart-*.svg\n"
      "  sizer report job.yaml --validation measured.json -o report.html\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("job", po::value<std::string>()->value_name("JOB.yaml"), "the job spec")
      ("format,f", po::value<std::string>()->value_name("FMT"),
       "md (Markdown) or html (default: html when -o ends in .html, else md)")
      ("output,o", po::value<std::string>()->value_name("FILE|DIR"),
       "write to FILE, or into DIR (an existing directory or a path ending in '/'); default stdout")
      ("template", po::value<std::string>()->value_name("DIR"),
       "use report.md.mustache / report.html.mustache (and partials) from DIR")
      ("validation", po::value<std::vector<std::string>>()->value_name("FILE"),
       "measurements written by 'sizer validate' (JSON), shown beside the prediction of the "
       "candidate with that hardware id; repeatable")
      ("date", po::value<std::string>()->value_name("YYYY-MM-DD"),
       "the date printed in the report (default $SOURCE_DATE_EPOCH, else today, UTC)")
      ("strict", "treat a context above the model's maximum as an error");
  AddDbOption(options);
  return options;
}

// The report's date and the measurements to show beside the predictions (--validation).
StatusOr<ReportOptions> ReadReportOptions(const po::variables_map& vm) {
  ReportOptions report;
  SIZER_ASSIGN_OR_RETURN(report.date, ReportDate(vm.count("date") ? vm["date"].as<std::string>() : ""));
  if (!vm.count("validation")) return report;
  for (const std::string& path : vm["validation"].as<std::vector<std::string>>()) {
    StatusOr<ValidationRecord> v = LoadValidation(path);
    if (!v.ok()) return Status::InvalidArgument(v.status().message());
    report.validations.push_back(std::move(v).value());
  }
  return report;
}

// Writes the report, and its charts beside it when the output is a directory.
Status WriteReport(const OutputTarget& target, const ReportDocument& doc) {
  if (target.kind == OutputTarget::kDirectory) {
    std::error_code ec;
    fs::create_directories(target.directory, ec);
    if (ec) return Status::IOError(target.directory + ": " + ec.message());
    for (const ChartFile& chart : doc.charts) {
      SIZER_RETURN_IF_ERROR(
          WriteOutput((fs::path(target.directory) / chart.name).string(), chart.svg));
    }
  }
  return WriteOutput(target.report_path, doc.text);
}

}  // namespace

int RunReport(const std::vector<std::string>& args) {
  po::options_description options = ReportCommandOptions();
  po::positional_options_description positional;
  positional.add("job", 1);
  auto vm = ParseOptions("report", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "report", "job", "JOB.yaml")) return *done;

  auto fail = [](const Status& status) { return ReportError(status, "report"); };
  StatusOr<ReportFormat> format = ParseReportFormat(DefaultFormat(*vm));
  if (!format.ok()) return fail(format.status());
  // Everything that can be checked before planning is checked first: the output, the
  // template, the date and the validation files.
  StatusOr<OutputTarget> target =
      ResolveOutput(vm->count("output") ? (*vm)["output"].as<std::string>() : "", *format);
  if (!target.ok()) return fail(target.status());
  const std::string db_flag = vm->count("db") ? (*vm)["db"].as<std::string>() : "";
  StatusOr<std::string> template_dir = FindTemplateDir(
      vm->count("template") ? (*vm)["template"].as<std::string>() : "", db_flag, *format);
  if (!template_dir.ok()) return fail(template_dir.status());
  StatusOr<ReportOptions> report = ReadReportOptions(*vm);
  if (!report.ok()) return fail(report.status());

  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return fail(catalog.status());
  StatusOr<JobSpec> job = LoadJobFromOptions(*vm, *catalog);
  if (!job.ok()) return fail(job.status());
  StatusOr<Plan> plan = MakePlan(*job);
  if (!plan.ok()) return fail(plan.status());
  for (const std::string& w : job->warnings) PrintWarning(w);

  report->inputs = PlanInputFiles(*plan, (*vm)["job"].as<std::string>(), catalog->root());
  report->charts =
      target->kind == OutputTarget::kDirectory ? ChartOutput::kFiles : ChartOutput::kNone;
  StatusOr<ReportDocument> doc = RenderReport(*plan, *format, *template_dir, *report);
  if (!doc.ok()) return fail(doc.status());
  if (Status written = WriteReport(*target, *doc); !written.ok()) return fail(written);
  return kExitOk;
}

}  // namespace sizer::cli

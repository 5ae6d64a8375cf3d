// sizer recommend [JOB.yaml | --model MODEL flags]: the cheapest (or fastest, ...) hardware
// that runs the job, searched over the databases (lib/search). --hardware ID: the inverse,
// which models fit one machine.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <iostream>

#include "base/thread_pool.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "cli/question_options.h"
#include "input/prices.h"
#include "input/question.h"
#include "report/report_model.h"
#include "report/worksheet_render.h"
#include "search/hardware_fit.h"
#include "search/ranking.h"
#include "search/recommend_render.h"
#include "search/recommend_report.h"
#include "search/search.h"
#include "service/fit.h"
#include "service/recommend.h"

namespace sizer::cli {
namespace {

StatusOr<SearchSpace> SpaceFromOptions(const po::variables_map& vm) {
  service::SearchFlags flags;
  auto opt = [&](const char* name) -> std::optional<std::string> {
    if (!vm.count(name)) return std::nullopt;
    return vm[name].as<std::string>();
  };
  flags.quants = opt("quants");
  flags.kv_dtypes = opt("kv-dtypes");
  flags.runtimes = opt("runtimes");
  flags.counts = opt("counts");
  flags.threads = vm.count("threads") ? vm["threads"].as<int>() : PhysicalCoreCount();
  return service::MakeSearchSpace(flags);
}

// The job: a job file (flags that repeat its keys must agree) or the flags alone.
StatusOr<JobSpec> RecommendJob(const po::variables_map& vm, const Catalog& catalog,
                               const OutputPath& save, std::vector<QuestionDefault>& defaults) {
  Question q = QuestionFromOptions(vm, StringOption(vm, "model"));
  q.search_hardware = true;
  if (vm.count("job")) {
    SIZER_ASSIGN_OR_RETURN(JobSpec job, LoadJobSpec(vm["job"].as<std::string>(), catalog));
    SIZER_RETURN_IF_ERROR(ApplyQuestionToJob(q, job));
    return job;
  }
  if (q.model.empty()) {
    return Status::InvalidArgument("give a job file (sizer recommend JOB.yaml) or --model MODEL");
  }
  SIZER_ASSIGN_OR_RETURN(service::QuestionJob asked, service::JobForQuestion(q, catalog, nullptr));
  if (!save.to_stdout()) SIZER_RETURN_IF_ERROR(WriteOutput(save.path, asked.draft.yaml));
  defaults = asked.draft.defaults;
  return std::move(asked.job);
}

int RunHardwareFit(const po::variables_map& vm, const Catalog& catalog, const SearchSpace& space) {
  if (vm.count("job") || vm.count("model")) {
    PrintError("recommend: --hardware lists the models that fit a machine: drop the job or --model");
    return kExitBadInput;
  }
  Question q = QuestionFromOptions(vm, "");
  std::vector<std::string> quants = space.quants;
  StatusOr<HardwareFitResult> fit =
      SearchModels(catalog, q, vm["hardware"].as<std::string>(), quants, space.threads);
  if (!fit.ok()) return ReportError(fit.status(), "recommend");
  const std::string text = vm.count("json") ? HardwareFitToJson(*fit).dump(2) + "\n"
                                            : RenderHardwareFit(*fit, TerminalColumns());
  if (Status s = WriteOutput("", text); !s.ok()) return ReportError(s, "recommend");
  return fit->fits.empty() ? kExitCheckFailed : kExitOk;
}

// --format md|html / -o FILE: the recommendation as a document (search/recommend_report.h).
struct DocumentTarget {
  std::optional<ReportFormat> format;  // none: the terminal text (or --json)
  OutputPath output;
  std::string template_dir;
};

// Checked before any work: the format, the output path and the template.
StatusOr<DocumentTarget> ResolveDocument(const po::variables_map& vm) {
  DocumentTarget t;
  SIZER_ASSIGN_OR_RETURN(t.output, ResolveOutputPath("-o", StringOption(vm, "output"), OutputKind::kFile));
  std::string name = StringOption(vm, "format");
  if (name.empty() && !t.output.to_stdout()) {
    const std::string ext = std::filesystem::path(t.output.path).extension().string();
    name = ext == ".html" || ext == ".htm" ? "html" : ext == ".md" ? "md" : "";
  }
  if (name.empty()) {
    if (!t.output.to_stdout()) {
      return Status::InvalidArgument("-o " + t.output.path + ": give --format md|html (or a .md or .html name)");
    }
    return t;
  }
  if (vm.count("json")) return Status::InvalidArgument("--json and --format: choose one");
  if (vm.count("hardware")) return Status::InvalidArgument("--format: not for --hardware (a table)");
  SIZER_ASSIGN_OR_RETURN(t.format, ParseReportFormat(name));
  SIZER_ASSIGN_OR_RETURN(t.template_dir, FindTemplateDir("", StringOption(vm, "db"), *t.format));
  const std::string file = t.template_dir + "/" + RecommendTemplateFileName(*t.format);
  if (std::error_code ec; !std::filesystem::is_regular_file(file, ec)) {
    return Status::NotFound("no report template " + file);
  }
  return t;
}

// The text the command prints or writes.
StatusOr<std::string> RecommendationText(const po::variables_map& vm, const SearchResult& result,
                                         const Ranking& ranking, const std::string& today,
                                         const DocumentTarget& doc,
                                         const std::vector<QuestionDefault>& defaults) {
  if (doc.format) return RenderRecommendationReport(result, ranking, today, *doc.format, doc.template_dir);
  if (vm.count("json")) return RecommendationToJson(result, ranking, today).dump(2) + "\n";
  if (result.admitted.empty()) return RenderNoAdmission(result);
  RecommendRenderOptions render{TerminalColumns(), today};
  const std::string stated = DefaultsText(defaults, render.columns);
  return stated + (stated.empty() ? "" : "\n") + RenderRecommendation(result, ranking, render);
}

void AddRecommendOptions(po::options_description& options) {
  options.add_options()
      ("help,h", "show this help")
      ("job", po::value<std::string>()->value_name("JOB.yaml"), "the job (its candidates are not used)")
      ("model", po::value<std::string>()->value_name("MODEL"), "without a job: a model_db id or .gguf file")
      ("rank", po::value<std::string>()->default_value("cost")->value_name("BY"),
       "cost (monthly: hardware over 36 months + power + operations), speed (decode per "
       "sequence), cost-per-million-tokens, headroom (usable memory left)")
      ("top", po::value<int>()->default_value(5)->value_name("N"), "machines to list")
      ("quants", po::value<std::string>()->value_name("LIST"), "formats to search: auto (every "
       "format the runtime loads) or Q4_K_M,Q8_0,...; default: the job's")
      ("kv-dtypes", po::value<std::string>()->value_name("LIST"), "auto (f16, fp8, q8_0, q4_0) "
       "or a list; default: the job's")
      ("runtimes", po::value<std::string>()->value_name("LIST"), "all, or a list; default: the job's")
      ("counts", po::value<std::string>()->value_name("LIST"), "devices per machine (default 1,2,4,8)")
      ("hardware", po::value<std::string>()->value_name("HW"), "the inverse: which models fit "
       "HW ('rtx-4090', '2x rtx-4090'), largest first")
      ("threads", po::value<int>()->value_name("N"), "planning threads (default: physical cores)")
      ("date", po::value<std::string>()->value_name("YYYY-MM-DD"), "today, for the price-age "
       "warnings (default $SOURCE_DATE_EPOCH, else today)")
      ("prices", po::value<std::string>()->value_name("FILE"), "street prices over the database's: "
       "hardware id -> {price_usd, price_date}")
      ("timing", "print the number of plans and plans per second to stderr")
      ("json", "the recommendation as JSON (format sizer-recommend/1)")
      ("format,f", po::value<std::string>()->value_name("FMT"), "md or html: the recommendation "
       "as a report (ranking, Pareto chart, hosted line, memory of the top 3); default: html "
       "when -o ends in .html, md when it ends in .md")
      ("output,o", po::value<std::string>()->value_name("FILE"), "write the report to FILE "
       "(default stdout)")
      ("save", po::value<std::string>()->value_name("JOB.yaml"), "write the job the flags mean");
}

}  // namespace

int RunRecommend(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer recommend JOB.yaml | --model MODEL [flags] | --hardware HW [options]\n\n"
      "Searches the hardware database x device counts x formats x KV dtypes x runtimes for\n"
      "the machines that admit the job, ranks them, and prints why each is there, the Pareto\n"
      "front of cost against decode speed and the hosted-API break-even. Exit 1 when nothing\n"
      "is admitted (with the check that rejected most and the nearest miss).\n"
      "Example: sizer recommend --model qwen3-30b-a3b --context 32k --concurrency 8 --min-decode 20\n"
      "Report:  sizer recommend --model qwen3-30b-a3b --context 32k --format html -o rec.html\n\n"
      "options");
  AddRecommendOptions(options);
  AddQuestionOptions(options);
  AddDbOption(options);
  po::positional_options_description positional;
  positional.add("job", 1);
  auto vm = ParseOptions("recommend", args, options, positional);
  if (!vm) return kExitBadInput;
  if (vm->count("help")) {
    std::cout << options;
    return kExitOk;
  }
  StatusOr<RankBy> rank = ParseRankBy((*vm)["rank"].as<std::string>());
  if (!rank.ok()) return ReportError(rank.status(), "recommend");
  const int top = (*vm)["top"].as<int>();
  if (Status s = service::CheckTop(top); !s.ok()) return ReportError(s, "recommend");
  StatusOr<SearchSpace> space = SpaceFromOptions(*vm);
  if (!space.ok()) return ReportError(space.status(), "recommend");
  StatusOr<std::string> today = ReportDate(StringOption(*vm, "date"));
  if (!today.ok()) return ReportError(today.status(), "recommend");
  StatusOr<OutputPath> save = ResolveOutputPath("--save", StringOption(*vm, "save"), OutputKind::kFile);
  if (!save.ok()) return ReportError(save.status(), "recommend");
  StatusOr<DocumentTarget> doc = ResolveDocument(*vm);
  if (!doc.ok()) return ReportError(doc.status(), "recommend");

  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  if (vm->count("prices")) {
    StatusOr<PriceOverrides> prices = LoadPriceOverrides((*vm)["prices"].as<std::string>(), *catalog);
    if (!prices.ok()) return ReportError(prices.status(), "recommend");
    space->prices = std::move(prices).value();
  }
  if (vm->count("hardware")) return RunHardwareFit(*vm, *catalog, *space);
  std::vector<QuestionDefault> defaults;
  StatusOr<JobSpec> job = RecommendJob(*vm, *catalog, *save, defaults);
  if (!job.ok()) return ReportError(job.status(), "recommend");

  const auto start = std::chrono::steady_clock::now();
  StatusOr<service::Recommendation> found =
      service::Recommend(*job, *catalog, *space, *rank, static_cast<size_t>(top));
  if (!found.ok()) return ReportError(found.status(), "recommend");
  const SearchResult* result = &found->result;
  const Ranking& ranking = found->ranking;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (vm->count("timing")) {
    std::cerr << "sizer: searched " << result->plans << " plans (" << result->combinations
              << " MakePlan calls, " << space->threads << " threads), ranked and filled the shown "
              << "machines' largest context in " << seconds << " s: "
              << static_cast<int64_t>(result->plans / std::max(seconds, 1e-9)) << " plans/s\n";
  }
  StatusOr<std::string> text = RecommendationText(*vm, *result, ranking, *today, *doc, defaults);
  if (!text.ok()) return ReportError(text.status(), "recommend");
  if (Status s = WriteOutput(doc->output.path, *text); !s.ok()) return ReportError(s, "recommend");
  return result->admitted.empty() ? kExitCheckFailed : kExitOk;
}

}  // namespace sizer::cli

// sizer fit MODEL [flags]: "will this model fit this machine at this context?" without a job
// file. The flags become the job they mean (input/question.h), which is planned like any job.
#include <iostream>

#include "base/format.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "cli/question_options.h"
#include "input/prices.h"
#include "input/question.h"
#include "plan/planner.h"
#include "report/display_format.h"
#include "report/table.h"
#include "report/worksheet_render.h"
#include "service/fit.h"

namespace sizer::cli {
namespace {

// --max-context: the largest context each machine admits at the job's concurrency.
std::string MaxContextText(const Plan& plan) {
  const JobSpec& job = *plan.job;
  std::string out = "Largest context that fits, " + job.model_ref + " " + plan.quant + ", " +
                    std::to_string(job.concurrency) + (job.concurrency == 1 ? " sequence" : " sequences") +
                    ", " + job.runtime + " (model maximum " +
                    FormatNumber(static_cast<double>(job.model.max_context_tokens), 0) + "):\n";
  Table table({"machine", "max context"});
  for (const CandidateWorksheet& ws : plan.candidates) {
    const int64_t n = ws.max_context_tokens;
    table.AddRow({ws.candidate.label,
                  n == CandidateWorksheet::kNotSearched ? "not searched (KV cache pinned)"
                  : n == 0 ? "does not fit" : FormatNumber(static_cast<double>(n), 0) + " tokens"});
  }
  return out + table.RenderText(2);
}

std::string Answer(const Plan& plan, const DraftedJob& draft, const po::variables_map& vm) {
  const bool json = vm.count("json") > 0;
  if (vm.count("max-context")) {
    return json ? service::FitAnswerJson(plan, true).dump(2) + "\n" : MaxContextText(plan);
  }
  if (json) return service::FitAnswerJson(plan, false).dump(2) + "\n";
  RenderOptions render;
  render.details = vm.count("details") > 0 || vm.count("verbose") > 0;
  render.verbose = vm.count("verbose") > 0;
  render.columns = TerminalColumns();
  std::string out = DefaultsText(draft.defaults, render.columns);
  if (!out.empty()) out += "\n";
  return out + RenderPlanText(MakePlanView(plan), render);
}

}  // namespace

int RunFit(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer fit MODEL [options]\n\n"
      "Will MODEL (a model_db id or a .gguf file) fit these machines at this context, and how\n"
      "fast? The flags are the job keys; what they leave open gets a stated default. Exit 0\n"
      "when a machine admits it, 1 when none does (with --max-context: when none fits any\n"
      "context). Example: sizer fit llama-3.1-70b --context 32k --on rtx-4090,2x rtx-4090,h100-sxm\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("model", po::value<std::string>()->value_name("MODEL"), "a model_db id or a .gguf file")
      ("max-context", "print only the largest context that fits on each machine")
      ("json", "the plan as JSON (the same as sizer plan --json of the saved job)")
      ("details", "the full worksheet of every machine, not only the verdicts")
      ("verbose", "with --details: every formula, source and assumption")
      ("save", po::value<std::string>()->value_name("JOB.yaml"), "also write the job these flags mean")
      ("prices", po::value<std::string>()->value_name("FILE"), "street prices over the database's: "
       "hardware id -> {price_usd, price_date}");
  AddQuestionOptions(options);
  AddDbOption(options);
  po::positional_options_description positional;
  positional.add("model", 1);
  auto vm = ParseOptions("fit", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "fit", "model", "MODEL")) return *done;
  StatusOr<OutputPath> save = ResolveOutputPath("--save", StringOption(*vm, "save"), OutputKind::kFile);
  if (!save.ok()) return ReportError(save.status(), "fit");

  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  PriceOverrides prices;
  if (vm->count("prices")) {
    StatusOr<PriceOverrides> loaded = LoadPriceOverrides((*vm)["prices"].as<std::string>(), *catalog);
    if (!loaded.ok()) return ReportError(loaded.status(), "fit");
    prices = std::move(loaded).value();
  }
  StatusOr<service::QuestionJob> asked = service::JobForQuestion(
      QuestionFromOptions(*vm, (*vm)["model"].as<std::string>()), *catalog, &prices);
  if (!asked.ok()) return ReportError(asked.status(), "fit");
  const DraftedJob* draft = &asked->draft;
  const JobSpec* job = &asked->job;
  if (!save->to_stdout()) {
    if (Status s = WriteOutput(save->path, draft->yaml); !s.ok()) return ReportError(s, "fit");
  }
  StatusOr<Plan> plan = MakePlan(*job);
  if (!plan.ok()) return ReportError(plan.status(), "fit");
  if (!vm->count("json")) {
    for (const std::string& w : job->warnings) PrintWarning(w);
  }
  if (Status s = WriteOutput("", Answer(*plan, *draft, *vm)); !s.ok()) return ReportError(s, "fit");
  const bool fits = vm->count("max-context") ? service::AnyContextFits(*plan) : plan->recommended.has_value();
  return fits ? kExitOk : kExitCheckFailed;
}

}  // namespace sizer::cli

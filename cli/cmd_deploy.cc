// sizer deploy JOB.yaml --hardware ID -o DIR: a deployment bundle for an admitted candidate.
#include <iostream>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "deploy/bundle.h"
#include "deploy/deployment.h"
#include "plan/planner.h"
#include "input/job.h"

namespace sizer::cli {
namespace {

po::options_description CommandOptions() {
  po::options_description options(
      "usage: sizer deploy JOB.yaml [--hardware ID] -o DIR [options]\n\n"
      "Plans the job and, for an admitted candidate, writes a deployment bundle to DIR:\n"
      "  compose.yaml       the runtime's image pinned by tag, the model mounted read-only, the\n"
      "                     server flags derived from the plan, a health check (one machine)\n"
      "  k8s/*.yaml         vLLM across nodes on LeaderWorkerSet (candidates with nodes: N)\n"
      "  run.sh             a native start script where no image reaches the GPU (Apple silicon)\n"
      "  healthcheck.sh     waits for the runtime's health endpoint\n"
      "  smoke_eval.sh      the job's smoke_eval questions against the OpenAI-compatible API\n"
      "  release.yaml       a release manifest for 'sizer check' (sha256, previous release)\n"
      "  settings.json      every setting with the worksheet row it came from\n"
      "  README.md          how to run it, and where each setting came from\n"
      "Renders llama.cpp server and vLLM. A rejected candidate writes nothing and exits 1\n"
      "with the worksheet's reasons. Example:\n"
      "  sizer deploy worksheets/chat-assistant-8b.yaml --hardware rtx-4090 -o deploy/\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("job", po::value<std::string>()->value_name("JOB.yaml"), "the job spec")
      ("hardware", po::value<std::string>()->value_name("ID"),
       "the candidate to deploy: its label ('2x h100-sxm'), hardware id or number in the job "
       "(1 = the first); default: the plan's recommendation")
      ("output,o", po::value<std::string>()->value_name("DIR"), "the bundle folder (created)")
      ("model-path", po::value<std::string>()->value_name("PATH"),
       "the weights on the host (a GGUF file or a model folder); default: the job's GGUF, else "
       "models/<model>-<quant> inside DIR")
      ("previous-release", po::value<std::string>()->value_name("FILE"),
       "the release manifest this one replaces (the rollback target)")
      ("release", po::value<std::string>()->value_name("NAME"),
       "the release name (model_version); default <job>-<quant>")
      ("strict", "treat a context above the model's maximum as an error");
  AddDbOption(options);
  return options;
}

// A refusal (kUnsupported: a rejected candidate, a runtime or hardware sizer cannot render)
// is the answer "no", exit 1, not bad input.
int ReportRefusal(const Status& status) {
  const int code = ReportError(status, "deploy");
  return status.code() == StatusCode::kUnsupported ? kExitCheckFailed : code;
}

}  // namespace

int RunDeploy(const std::vector<std::string>& args) {
  const po::options_description options = CommandOptions();
  po::positional_options_description positional;
  positional.add("job", 1);
  auto vm = ParseOptions("deploy", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "deploy", "job", "JOB.yaml")) return *done;
  if (!vm->count("output")) {
    PrintError("deploy: missing -o DIR, the bundle folder (see 'sizer deploy --help')");
    return kExitBadInput;
  }
  const std::string dir = (*vm)["output"].as<std::string>();
  StatusOr<OutputPath> output = ResolveOutputPath("-o", dir, OutputKind::kDirectory);
  if (!output.ok()) return ReportError(output.status(), "deploy");
  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  StatusOr<JobSpec> job = LoadJobFromOptions(*vm, *catalog);
  if (!job.ok()) return ReportError(job.status());
  DeployOptions deploy;
  if (vm->count("model-path")) deploy.model_path = (*vm)["model-path"].as<std::string>();
  if (vm->count("release")) deploy.release_name = (*vm)["release"].as<std::string>();
  StatusOr<BundleContext> context = LoadPreviousRelease(
      vm->count("previous-release") ? (*vm)["previous-release"].as<std::string>() : "");
  if (!context.ok()) {
    return ReportError(Status::InvalidArgument(context.status().message()), "deploy: --previous-release");
  }
  StatusOr<Plan> plan = MakePlan(*job);
  if (!plan.ok()) return ReportError(plan.status());
  for (const std::string& w : RenderFormulas(plan->warnings)) PrintWarning(w);
  StatusOr<size_t> index =
      SelectCandidate(*plan, vm->count("hardware") ? (*vm)["hardware"].as<std::string>() : "");
  if (!index.ok()) return ReportRefusal(index.status());
  StatusOr<Deployment> deployment = PlanDeployment(*plan, *index, *catalog, deploy);
  if (!deployment.ok()) return ReportRefusal(deployment.status());
  for (const std::string& w : deployment->warnings) PrintWarning(w);
  std::vector<BundleFile> files = RenderBundle(*deployment, *context);
  if (Status written = WriteBundle(dir, files); !written.ok()) return ReportError(written, "deploy");
  std::cout << "wrote " << files.size() << " files to " << dir << " for "
            << deployment->worksheet().candidate.label << " (" << deployment->runtime.id << " "
            << deployment->runtime.version << ", " << PackagingName(deployment->packaging) << "):\n";
  for (const BundleFile& f : files) std::cout << "  " << f.path << "\n";
  return kExitOk;
}

}  // namespace sizer::cli

// sizer check MANIFEST.yaml: the release gate for CI. Also: sizer check JOB.yaml
// --require-admit HARDWARE for pipelines without a release manifest.
#include <cstdlib>
#include <iostream>
#include <map>

#include "cli/cli_common.h"
#include "cli/command.h"
#include "cli/output_path.h"
#include "cli/progress.h"
#include "release/check.h"
#include "release/check_render.h"
#include "input/manifest.h"

namespace sizer::cli {

int RunCheck(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer check MANIFEST.yaml [--json] [--junit FILE] [--github] [--skip-checksum]\n"
      "       sizer check JOB.yaml --require-admit HARDWARE\n\n"
      "The release gate: (1) the artifact's SHA-256 matches, (2) the planner admits the release\n"
      "on every target with the reserve, (3) a rollback exists and its checksum holds, (4) the\n"
      "smoke eval passed (correct, cited where required, within the latency gate), (5) the\n"
      "context is within the model's maximum. Every failing check is listed.\n"
      "Exit codes: 0 all checks pass, 1 a check failed, 2 the input is broken, 3 internal error.\n"
      "Manifest format: worksheets/release/incident-q4-r17.yaml.\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("file", po::value<std::string>()->value_name("FILE"), "the manifest (or a job with --require-admit)")
      ("json", "print JSON instead of the summary")
      ("junit", po::value<std::string>()->value_name("FILE"), "also write a JUnit XML report")
      ("github", "also print GitHub Actions annotations (default when GITHUB_ACTIONS=true)")
      ("skip-checksum", "do not hash the artifacts (they must still exist)")
      ("require-admit", po::value<std::string>()->value_name("HARDWARE"),
       "treat FILE as a job spec and require this candidate to be admitted");
  AddDbOption(options);
  po::positional_options_description positional;
  positional.add("file", 1);
  auto vm = ParseOptions("check", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "check", "file", "MANIFEST.yaml")) return *done;
  // Checked before hashing gigabytes: a --junit path that cannot be written is bad input.
  StatusOr<OutputPath> junit = OutputPath();
  if (vm->count("junit")) {
    junit = ResolveOutputPath("--junit", (*vm)["junit"].as<std::string>(), OutputKind::kFile);
    if (!junit.ok()) return ReportError(junit.status(), "check");
  }
  StatusOr<Catalog> catalog = LoadCatalog(*vm);
  if (!catalog.ok()) return ReportError(catalog.status());
  const std::string file = (*vm)["file"].as<std::string>();
  StatusOr<CheckReport> report = Status::Internal("unset");
  if (vm->count("require-admit")) {
    StatusOr<JobSpec> job = LoadJobSpec(file, *catalog);
    if (!job.ok()) return ReportError(job.status());
    report = CheckJobAdmits(*job, (*vm)["require-admit"].as<std::string>());
  } else {
    StatusOr<ReleaseManifest> manifest = LoadManifest(file, *catalog);
    if (!manifest.ok()) return ReportError(manifest.status());
    CheckOptions check_options;
    check_options.skip_checksum = vm->count("skip-checksum") > 0;
    std::map<std::string, ProgressBar> bars;  // one per hashed file
    check_options.progress = [&bars](const std::string& path, uint64_t done, uint64_t total) {
      bars.try_emplace(path, "sha256 " + path).first->second.Update(done, total);
    };
    report = CheckRelease(*manifest, check_options);
  }
  if (!report.ok()) return ReportError(report.status());
  if (vm->count("junit")) {
    Status written = WriteOutput(junit->path, RenderCheckJUnit(*report));
    if (!written.ok()) return ReportError(written, "check");
  }
  const char* actions = std::getenv("GITHUB_ACTIONS");
  std::string text = vm->count("json") ? CheckReportToJson(*report).dump(2) + "\n" : RenderCheckText(*report);
  if (vm->count("github") || (actions != nullptr && std::string(actions) == "true")) {
    text += RenderCheckGitHub(*report);
  }
  Status written = WriteOutput("", text);
  if (!written.ok()) return kExitCheckFailed;
  return report->passed() ? kExitOk : kExitCheckFailed;
}

}  // namespace sizer::cli

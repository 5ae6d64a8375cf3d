// A deployment bundle: the files `sizer deploy` writes for one admitted candidate — the
// compose file (or Kubernetes manifests, or a run script), the health check, the smoke eval,
// the release manifest for `sizer check`, settings.json and the operator's README.
#ifndef SIZER_DEPLOY_BUNDLE_H_
#define SIZER_DEPLOY_BUNDLE_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "deploy/deployment.h"

namespace sizer {

struct BundleFile {
  std::string path;  // relative to the bundle folder
  std::string content;
  bool executable = false;
};

struct BundleContext {
  std::string previous_release;  // the --previous-release manifest, "" when none
  std::string previous_model_version;
  std::string previous_artifact_path;
  std::string previous_sha256;
};

// Each renderer: one file (or a few) from the deployment.
std::vector<BundleFile> RenderPackaging(const Deployment& d);      // compose / k8s / run.sh
BundleFile RenderHealthcheck(const Deployment& d);                 // healthcheck.sh
std::vector<BundleFile> RenderSmokeEval(const Deployment& d);      // smoke_eval.sh + requests
BundleFile RenderReleaseManifest(const Deployment& d, const BundleContext& context);
nlohmann::ordered_json SettingsJson(const Deployment& d);          // settings.json
BundleFile RenderOperatorReadme(const Deployment& d, const BundleContext& context,
                                const std::vector<BundleFile>& files);

// The latency gate of a smoke case: its own, else time to first token plus max_tokens
// token latencies from the worksheet (the p95 estimate at full context).
double SmokeLatencyGateMs(const Deployment& d, const SmokeCase& c);
// The service / pod name derived from the job ("chat-assistant-8b"): lower case, [a-z0-9-].
std::string DeployName(const Deployment& d);

// The rollback target (model_version, artifact) from a previous release manifest (`sizer
// check` format), without planning it or reading its eval results; an empty
// context when `path` is "".
StatusOr<BundleContext> LoadPreviousRelease(const std::string& path);

std::vector<BundleFile> RenderBundle(const Deployment& d, const BundleContext& context);

// Writes every file under `dir` (created when missing); each file whole or not at all.
Status WriteBundle(const std::string& dir, const std::vector<BundleFile>& files);

}  // namespace sizer

#endif  // SIZER_DEPLOY_BUNDLE_H_

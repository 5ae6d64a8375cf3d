// ReleaseManifest: what a model release must carry to pass `sizer check` — the artifact and
// its checksum, the serving settings it was sized for, the target, a rollback to the previous
// release, and a smoke eval. Format documented in worksheets/release/incident-q4-r17.yaml.
#ifndef SIZER_INPUT_MANIFEST_H_
#define SIZER_INPUT_MANIFEST_H_

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "input/job.h"

namespace sizer {

struct ArtifactRef {
  std::string path;      // local path, resolved against the manifest's folder ("" when only a URI)
  std::string uri;       // where it is published, informational
  std::string sha256;    // expected, lower-case hex
  std::string where;     // file:line:col for messages
};

struct EvalCase {
  std::string name;
  std::optional<bool> correct;       // absent: the case fails ("nothing passes by default")
  std::optional<bool> has_citation;
  std::optional<double> latency_ms;
  std::string where;
};

struct EvalSpec {
  std::string source;  // "inline" or the results file
  std::vector<EvalCase> cases;
  std::optional<double> max_latency_ms;
  std::vector<std::string> required_fields;  // e.g. [correct, has_citation, latency_ms]
  bool require_citation = false;
};

struct PreviousRelease {
  std::string model_version;
  ArtifactRef artifact;
};

struct ReleaseManifest {
  std::string file;
  std::string model_version;
  ArtifactRef artifact;
  JobSpec job;  // the release as a sizing job: model, quant, context, runtime, targets, reserve
  std::optional<PreviousRelease> previous;
  std::optional<EvalSpec> eval;
  // Why the release cannot be planned (a missing or unreadable model file); "" when it can.
  // The fit and context checks fail with it instead of the manifest failing to load.
  std::string plan_blocker;
};

// Reads and validates a manifest. Structural problems (bad YAML, unknown keys or ids, wrong
// types, negative latencies) are errors; missing release data (no previous, an eval case
// without `correct`) is left for the checks to fail by name.
StatusOr<ReleaseManifest> LoadManifest(const std::string& path, const Catalog& catalog);

// Only a manifest's model_version and artifact (what a later release rolls back to), without
// planning it or reading its eval results: `sizer deploy --previous-release`.
StatusOr<PreviousRelease> LoadReleaseIdentity(const std::string& path);

}  // namespace sizer

#endif  // SIZER_INPUT_MANIFEST_H_

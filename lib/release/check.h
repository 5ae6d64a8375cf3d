// `sizer check`: the release gate. Every check runs and reports, so a pipeline sees every
// problem at once; a check without the data it needs fails rather than passing by default.
#ifndef SIZER_RELEASE_CHECK_H_
#define SIZER_RELEASE_CHECK_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "input/job.h"
#include "input/manifest.h"

namespace sizer {

enum class CheckStatus { kPass, kFail, kSkip };
std::string_view CheckStatusName(CheckStatus status);

struct CheckResult {
  std::string name;     // artifact, fit, rollback, eval, context, admit:<hardware>
  CheckStatus status = CheckStatus::kFail;
  std::string message;  // one line
  std::vector<std::string> details;
};

struct CheckReport {
  std::string subject;        // the manifest or job file
  std::string model_version;  // "" for a plain job
  std::vector<CheckResult> checks;
  std::vector<std::string> warnings;
  bool passed() const;
};

struct CheckOptions {
  bool skip_checksum = false;
  // Reports hashing progress of large files: (file, done bytes, total bytes).
  std::function<void(const std::string&, uint64_t, uint64_t)> progress;
};

// (1) artifact checksum, (2) the plan admits the release on every target with the reserve,
// (3) a rollback whose artifact checksum holds (a warning if it would no longer fit),
// (4) the smoke eval, (5) the context within the model's maximum.
CheckReport CheckRelease(const ReleaseManifest& manifest, const CheckOptions& options);

// For pipelines without a manifest: the job's candidate `hardware` (its id or label) is
// admitted. kNotFound when no candidate is that hardware.
StatusOr<CheckReport> CheckJobAdmits(const JobSpec& job, const std::string& hardware);

}  // namespace sizer

#endif  // SIZER_RELEASE_CHECK_H_

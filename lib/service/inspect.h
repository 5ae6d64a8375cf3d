// `sizer inspect`'s reading of a GGUF file as a library: the command and InspectJson use it.
#ifndef SIZER_SERVICE_INSPECT_H_
#define SIZER_SERVICE_INSPECT_H_

#include <string>

#include "base/status.h"
#include "plan/artifact_summary.h"

namespace sizer::service {

// Opens `path` (its header only; split parts as one model) and summarises it. A model the
// planner cannot read is an error after "`path`: ".
StatusOr<ArtifactSummary> InspectModelFile(const std::string& path);

}  // namespace sizer::service

#endif  // SIZER_SERVICE_INSPECT_H_

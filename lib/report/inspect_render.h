// `sizer inspect` output: a terminal summary, JSON for scripts, and a model_db YAML entry.
#ifndef SIZER_REPORT_INSPECT_RENDER_H_
#define SIZER_REPORT_INSPECT_RENDER_H_

#include <string>

#include <nlohmann/json.hpp>

#include "plan/artifact_summary.h"

namespace sizer {

nlohmann::json ArtifactSummaryToJson(const ArtifactSummary& summary);
std::string RenderArtifactSummaryText(const ArtifactSummary& summary);
// A model_db/<id>.yaml entry for the file (docs/db-schema.md), id derived from the file name.
std::string EmitModelDbYaml(const ArtifactSummary& summary);

}  // namespace sizer

#endif  // SIZER_REPORT_INSPECT_RENDER_H_

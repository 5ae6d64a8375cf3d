// `sizer inspect`'s reading of a GGUF file as a library: the command and InspectJson use it.
#ifndef SIZER_SERVICE_INSPECT_H_
#define SIZER_SERVICE_INSPECT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "catalog/model_from_hf.h"
#include "plan/artifact_summary.h"

namespace sizer::service {

// Opens `path` (its header only; split parts as one model) and summarises it. A model the
// planner cannot read is an error after "`path`: ".
StatusOr<ArtifactSummary> InspectModelFile(const std::string& path);

// A Hugging Face checkpoint (a folder, or its config.json) read from config.json and the
// shards' headers: the GGUF-style summary plus the checkpoint's own facts.
struct InspectedCheckpoint {
  HfCheckpoint checkpoint;
  ArtifactSummary summary;
};
// kNotFound when the folder has no safetensors (nothing to inspect beyond config.json).
StatusOr<InspectedCheckpoint> InspectCheckpoint(const std::string& path);
// `sizer inspect FOLDER --json`: ArtifactSummaryToJson plus container, model_type,
// hf_architecture, quantization {method, format, description}, shards, header_only,
// index_total_size, tensor_groups [{group, tensors, params, bytes}], has_vision_config.
nlohmann::json CheckpointInspectJson(const InspectedCheckpoint& inspected);
// The text form: the summary, then the checkpoint, quantization, index total and groups.
std::string CheckpointInspectText(const InspectedCheckpoint& inspected);

}  // namespace sizer::service

#endif  // SIZER_SERVICE_INSPECT_H_

// Inspecting a Hugging Face checkpoint (service/inspect.h): `sizer inspect FOLDER` and
// InspectJson of a config.json under the models folder.
#include <array>
#include <map>

#include "base/format.h"
#include "plan/artifact_weights.h"
#include "report/inspect_render.h"
#include "service/inspect.h"

namespace sizer::service {
namespace {

// The tensor groups `inspect` reports for a checkpoint (llama.cpp-style names, see
// catalog/model_from_hf.h): embeddings, attention, FFN, experts (and routers), norms, output,
// vision/other.
std::string GroupOf(const std::string& name) {
  if (name.rfind("mm.", 0) == 0) return "vision/other";
  switch (ClassifyTensor(name)) {
    case TensorClass::kTokenEmbedding: return "embeddings";
    case TensorClass::kOutput: return "output";
    case TensorClass::kNorm: return "norms";
    case TensorClass::kFfnGateUp:
    case TensorClass::kFfnDown: return "ffn";
    case TensorClass::kExpertGateUp:
    case TensorClass::kExpertDown:
    case TensorClass::kRouter: return "experts";
    default: return name.rfind("blk.", 0) == 0 ? "attention" : "vision/other";
  }
}

}  // namespace

nlohmann::json CheckpointInspectJson(const InspectedCheckpoint& inspected) {
  const HfCheckpoint& hf = inspected.checkpoint;
  const ArtifactSummary& summary = inspected.summary;
  nlohmann::json j = ArtifactSummaryToJson(summary);
  std::map<std::string, std::array<double, 3>> groups;  // tensors, params, bytes
  for (const ArtifactTensor& t : summary.artifact.tensors) {
    auto& g = groups[GroupOf(t.name)];
    g[0] += 1;
    g[1] += static_cast<double>(t.elements);
    g[2] += static_cast<double>(t.bytes);
  }
  nlohmann::json by_group = nlohmann::json::array();
  for (const auto& [name, g] : groups) {
    by_group.push_back({{"group", name}, {"tensors", g[0]}, {"params", g[1]}, {"bytes", g[2]}});
  }
  j["container"] = "safetensors";
  j["model_type"] = hf.config.model_type;
  j["hf_architecture"] = hf.config.architecture;
  j["quantization"] = {{"method", hf.quantization.method}, {"format", hf.quantization.format_id},
                       {"description", hf.quantization.description}};
  j["shards"] = summary.artifact.files.size();
  j["header_only"] = hf.header_only;
  j["index_total_size"] = hf.index_total_size ? nlohmann::json(*hf.index_total_size) : nlohmann::json();
  j["tensor_groups"] = by_group;
  j["has_vision_config"] = !hf.config.vision_config.is_null();
  return j;
}

std::string CheckpointInspectText(const InspectedCheckpoint& inspected) {
  const HfCheckpoint& hf = inspected.checkpoint;
  const ArtifactSummary& s = inspected.summary;
  const nlohmann::json j = CheckpointInspectJson(inspected);
  std::string out = RenderArtifactSummaryText(s);
  out += "checkpoint:    Hugging Face " + hf.config.model_type +
         (hf.config.wrapper_type.empty() ? "" : " (text model of " + hf.config.wrapper_type + ")") +
         ", " + std::to_string(s.artifact.files.size()) + " safetensors shard(s)" +
         (hf.header_only ? ", header-only" : "") + "\n";
  out += "quantization:  " + hf.quantization.description + " -> " + hf.quantization.format_id + "\n";
  if (hf.index_total_size) {
    out += "index:         metadata.total_size " + FormatCount(static_cast<double>(*hf.index_total_size)) +
           " bytes (headers: " + FormatCount(static_cast<double>(s.artifact.tensor_data_bytes)) + ")\n";
  }
  out += "\nweights by tensor group:\n";
  for (const auto& g : j["tensor_groups"]) {
    out += "  " + g["group"].get<std::string>() + ": " + FormatCount(g["tensors"].get<double>()) +
           " tensors, " + FormatBytes(g["bytes"].get<double>()) + "\n";
  }
  return out;
}

StatusOr<InspectedCheckpoint> InspectCheckpoint(const std::string& path) {
  SIZER_ASSIGN_OR_RETURN(HfCheckpoint hf, OpenHfCheckpoint(path));
  if (!hf.artifact) {
    return Status::NotFound(path + ": no model.safetensors or model.safetensors.index.json beside config.json");
  }
  ArtifactSummary summary = SummarizeArtifact(hf.config.model, *hf.artifact);
  return InspectedCheckpoint{std::move(hf), std::move(summary)};
}

}  // namespace sizer::service

// sizer inspect MODEL.gguf | HF-FOLDER: what the file or checkpoint holds, read from headers.
#include <array>
#include <iostream>
#include <map>

#include "base/format.h"
#include "cli/cli_common.h"
#include "cli/command.h"
#include "gguf/artifact.h"
#include "plan/artifact_summary.h"
#include "report/inspect_render.h"
#include "catalog/model_db_writer.h"
#include "catalog/model_from_gguf.h"
#include "catalog/model_from_hf.h"
#include "plan/artifact_weights.h"

namespace sizer::cli {
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

nlohmann::json HfJson(const HfCheckpoint& hf, const ArtifactSummary& summary) {
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

std::string HfText(const HfCheckpoint& hf, const nlohmann::json& j, const ArtifactSummary& s) {
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

int InspectHf(const std::string& path, const po::variables_map& vm) {
  StatusOr<HfCheckpoint> hf = OpenHfCheckpoint(path);
  if (!hf.ok()) return ReportError(hf.status());
  if (!hf->artifact) {
    return ReportError(Status::NotFound(path + ": no model.safetensors or "
                                        "model.safetensors.index.json beside config.json"));
  }
  ArtifactSummary summary = SummarizeArtifact(hf->config.model, *hf->artifact);
  const nlohmann::json j = HfJson(*hf, summary);
  std::string text = vm.count("json")         ? j.dump(2) + "\n"
                     : vm.count("emit-model") ? ModelDbEntryYaml(hf->config.model)
                                              : HfText(*hf, j, summary);
  Status written = WriteOutput("", text);
  if (!written.ok()) return ReportError(written);
  return kExitOk;
}

}  // namespace

int RunInspect(const std::vector<std::string>& args) {
  po::options_description options(
      "usage: sizer inspect MODEL.gguf|HF-FOLDER [--json | --emit-model]\n\n"
      "Reads a GGUF file's header (memory-mapped; tensor data is not read) and prints the\n"
      "architecture, the parameter count, the exact weight bytes by tensor type, the\n"
      "embedding/output split and the KV bytes per token. Split files (-00001-of-0000N.gguf)\n"
      "are read as one model. A Hugging Face checkpoint (a folder with config.json and\n"
      "safetensors, or its config.json) is read from config.json and the shards' headers.\n"
      "A job may name the file or folder as its model: to plan from it.\n\n"
      "options");
  options.add_options()
      ("help,h", "show this help")
      ("file", po::value<std::string>()->value_name("MODEL.gguf"), "the GGUF file or Hugging Face folder")
      ("json", "print JSON")
      ("emit-model", "print a model_db YAML entry for the file");
  po::positional_options_description positional;
  positional.add("file", 1);
  auto vm = ParseOptions("inspect", args, options, positional);
  if (!vm) return kExitBadInput;
  if (auto done = HelpOrMissing(*vm, options, "inspect", "file", "MODEL.gguf")) return *done;
  const std::string path = (*vm)["file"].as<std::string>();
  if (IsHfCheckpointPath(path)) return InspectHf(path, *vm);
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  if (!artifact.ok()) return ReportError(artifact.status());
  StatusOr<ModelSpec> model = ModelFromGguf(*artifact);
  if (!model.ok()) return ReportError(model.status(), path);
  ArtifactSummary summary = SummarizeArtifact(*model, DescribeArtifact(*artifact));
  std::string text = vm->count("json")         ? ArtifactSummaryToJson(summary).dump(2) + "\n"
                     : vm->count("emit-model") ? EmitModelDbYaml(summary)
                                               : RenderArtifactSummaryText(summary);
  Status written = WriteOutput("", text);
  if (!written.ok()) return ReportError(written);
  return kExitOk;
}

}  // namespace sizer::cli

// release.yaml: the bundle as a release manifest in the format `sizer check` reads
// (input/manifest.h): the artifact and its sha256, the serving settings that were sized, the
// target, the reserve, the previous release to roll back to, and the smoke-eval results.
#include <algorithm>

#include "base/format.h"
#include "deploy/bundle.h"
#include "deploy/yaml_text.h"

namespace sizer {
namespace {

using Json = nlohmann::ordered_json;

// A job's inline mapping, carried as JSON text by the spec layer (scalars as strings).
Json FromJsonText(const std::string& text) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? Json(nullptr) : value;
}

}  // namespace

BundleFile RenderReleaseManifest(const Deployment& d, const BundleContext& context) {
  const JobSpec& job = d.job();
  const CandidateWorksheet& ws = d.worksheet();
  Json m;
  m["model_version"] = d.release_name;
  // 64 zeros when the weights could not be read here: `sizer check` then fails the checksum
  // by name until the operator runs `sha256sum` and fills it in.
  m["artifact"] = Json{{"path", d.model_host_path},
                       {"sha256", d.model_sha256.empty() ? std::string(64, '0') : d.model_sha256}};
  if (job.model_file) {
    m["model"] = job.model_file->path;  // the GGUF itself: planned from its real bytes
  } else if (job.model_ref == "inline") {
    m["model"] = FromJsonText(job.model_json);
  } else {
    m["model"] = job.model_ref;
  }
  if (!job.model_file) m["quant"] = d.plan->quant;
  m["kv_cache_dtype"] = job.kv_cache_dtype;
  m["context_tokens"] = job.context_tokens;
  m["concurrency"] = job.concurrency;
  m["runtime"] = job.runtime;
  m["prompt_tokens"] = job.prompt_tokens;
  m["output_tokens"] = job.output_tokens;
  m["target"] = FromJsonText(ws.candidate.node_json);
  m["reserve_fraction"] = job.gates.reserve_fraction;
  if (!context.previous_release.empty()) {
    m["previous"] = Json{{"model_version", context.previous_model_version},
                         {"artifact", {{"path", context.previous_artifact_path},
                                       {"sha256", context.previous_sha256}}}};
  }
  if (!job.smoke_eval.empty()) {
    double gate = 0;
    for (const SmokeCase& c : job.smoke_eval) gate = std::max(gate, SmokeLatencyGateMs(d, c));
    m["eval"] = Json{{"results", "smoke-results.json"},
                     {"gates", {{"max_latency_ms", gate},
                                {"required_fields", Json::array({"correct", "latency_ms"})}}}};
  }
  std::string notes = "Bundle of " + job.file + " on " + ws.candidate.label + " (" + d.runtime.id +
                      " " + d.runtime.version + ", " + std::string(PackagingName(d.packaging)) + ").";
  if (job.memory_overrides.weights_bytes || job.memory_overrides.kv_cache_bytes ||
      job.memory_overrides.runtime_bytes || job.memory_overrides.activation_bytes ||
      job.memory_overrides.fragmentation_bytes) {
    notes += " The job pins memory buckets (memory_overrides), which a manifest does not carry: "
             "sizer check plans this release from its estimates.";
  }
  m["notes"] = notes;
  std::string header = YamlComment(
      "Release manifest for the CI gate: sizer check release.yaml\n"
      "Written by `sizer deploy`; the serving settings equal the bundle's flags.\n"
      "eval.results is written by ./smoke_eval.sh against the running endpoint." +
      std::string(context.previous_release.empty()
                      ? "\nNo previous release was given (--previous-release): the rollback check fails until one is."
                      : "\nprevious: from " + context.previous_release) +
      (d.model_sha256.empty() ? "\nartifact.sha256 is a placeholder: sha256sum the weights and fill it in." : ""));
  return {"release.yaml", header + ToYamlText(m), false};
}

Json SettingsJson(const Deployment& d) {
  const CandidateWorksheet& ws = d.worksheet();
  Json settings = Json::array();
  for (const DeploySetting& s : d.settings) {
    settings.push_back(Json{{"name", s.name}, {"flag", s.flag}, {"value", s.value}, {"from", s.from}});
  }
  Json devices = Json::array();
  for (const DeviceBudget& dev : ws.memory.devices) {
    devices.push_back(Json{{"label", dev.label},
                           {"node", dev.node},
                           {"layers", dev.layers},
                           {"weights_bytes", dev.weights_bytes},
                           {"kv_cache_bytes", dev.kv_cache_bytes},
                           {"runtime_bytes", dev.runtime_bytes},
                           {"activation_bytes", dev.activation_bytes},
                           {"fragmentation_bytes", dev.fragmentation_bytes},
                           {"planned_bytes", dev.planned_bytes},
                           {"capacity_bytes", dev.capacity_bytes},
                           {"usable_bytes", dev.usable_bytes}});
  }
  Json j;
  j["release"] = d.release_name;
  j["job"] = d.job().file;
  j["candidate"] = ws.candidate.label;
  j["hardware_id"] = ws.candidate.hardware.id;
  j["quant"] = d.plan->quant;
  j["runtime"] = Json{{"id", d.runtime.id}, {"version", d.runtime.version}, {"image", d.image},
                      {"image_source", d.image_source}};
  j["packaging"] = std::string(PackagingName(d.packaging));
  j["nodes"] = d.nodes;
  j["gpus_per_node"] = d.gpus_per_node;
  j["context_tokens"] = d.context_tokens;
  j["parallel_sequences"] = d.parallel_sequences;
  j["kv_cells"] = d.kv_cells;
  j["tensor_parallel"] = d.tensor_parallel;
  j["pipeline_parallel"] = d.pipeline_parallel;
  j["gpu_layers"] = d.gpu_layers ? Json(*d.gpu_layers) : Json(nullptr);
  j["gpu_memory_utilization"] = d.gpu_memory_utilization ? Json(*d.gpu_memory_utilization) : Json(nullptr);
  j["model"] = Json{{"host_path", d.model_host_path}, {"container_path", d.model_container_path},
                    {"sha256", d.model_sha256}};
  j["endpoints"] = Json{{"port", d.port},
                        {"openai_base", d.runtime.endpoints.openai_base},
                        {"health", d.runtime.endpoints.health},
                        {"metrics", d.runtime.endpoints.metrics}};
  j["settings"] = settings;
  j["args"] = d.args;
  j["devices"] = devices;
  j["notes"] = d.notes;
  j["warnings"] = d.warnings;
  return j;
}

}  // namespace sizer

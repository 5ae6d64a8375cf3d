#include "deploy/deployment.h"

#include <filesystem>

#include "base/edit_distance.h"
#include "base/format.h"
#include "plan/extras.h"
#include "base/sha256.h"
#include "deploy/runtime_args.h"

namespace sizer {
namespace {

// Where the weights are on the host: the flag, the job's GGUF, else a placeholder inside the
// bundle that the operator fills (the README says so).
void ResolveModel(const Plan& plan, const DeployOptions& options, Deployment& d) {
  namespace fs = std::filesystem;
  const JobSpec& job = *plan.job;
  std::error_code ec;
  std::string path = options.model_path;
  if (path.empty() && job.model_file) path = job.model_file->path;
  if (!path.empty()) {
    fs::path absolute = fs::absolute(fs::path(path), ec);
    d.model_host_path = ec ? path : absolute.lexically_normal().string();
    d.model_found = fs::exists(d.model_host_path, ec);
    if (d.model_found && fs::is_regular_file(d.model_host_path, ec)) {
      StatusOr<std::string> sha = Sha256File(d.model_host_path);
      if (sha.ok()) {
        d.model_sha256 = *sha;
      } else {
        d.warnings.push_back("cannot checksum " + d.model_host_path + ": " + sha.status().message());
      }
    }
    if (!d.model_found) d.warnings.push_back("the model path " + d.model_host_path + " does not exist here");
  } else {
    // Relative to the bundle folder; a GGUF runtime loads one file, the others a folder.
    std::string name = job.model_ref + "-" + plan.quant;
    const bool gguf = d.inputs.format.container == WeightContainer::kGguf;
    d.model_host_path = "models/" + name + (gguf ? ".gguf" : "");
    d.warnings.push_back("no model path given (--model-path): the bundle expects the weights at " +
                         d.model_host_path + " inside the bundle folder");
  }
  d.model_container_path =
      "/models/" + fs::path(d.model_host_path).filename().string();
}

// The per-device split and the links the plan assumed, for the operator.
void AddTopologyNotes(Deployment& d) {
  const CandidateWorksheet& ws = d.worksheet();
  const Candidate& c = ws.candidate;
  // Devices with the same budget on the same node (tensor-parallel shards) share one line.
  const std::vector<DeviceBudget>& devices = ws.memory.devices;
  for (size_t i = 0; i < devices.size();) {
    const DeviceBudget& dev = devices[i];
    size_t j = i + 1;
    while (j < devices.size() && devices[j].node == dev.node && devices[j].layers == dev.layers &&
           devices[j].planned_bytes == dev.planned_bytes && devices[j].weights_bytes == dev.weights_bytes) {
      ++j;
    }
    const std::string who = j - i == 1 ? dev.label
                                       : dev.label + " .. " + devices[j - 1].label + " (" +
                                             std::to_string(j - i) + " devices, each)";
    d.notes.push_back(who + ": weights " + FormatBytes(dev.weights_bytes) + " + KV " +
                      FormatBytes(dev.kv_cache_bytes) + " + runtime " +
                      FormatBytes(dev.runtime_bytes) + " + activations " +
                      FormatBytes(dev.activation_bytes) + " + fragmentation " +
                      FormatBytes(dev.fragmentation_bytes) + " = " +
                      FormatBytes(dev.planned_bytes) + " planned of " +
                      FormatBytes(dev.usable_bytes) + " usable (" +
                      FormatBytes(dev.capacity_bytes) + " capacity)" +
                      (dev.layers > 0 ? ", " + std::to_string(dev.layers) + " layers" : ""));
    i = j;
  }
  if (c.count > 1) {
    d.notes.push_back("devices in a machine talk over " +
                      (c.hardware.interconnect.empty() ? std::string("PCIe (no interconnect in hardware_db)")
                                                       : c.hardware.interconnect) +
                      (c.hardware.interconnect_bandwidth_bytes_per_s > 0
                           ? " at " + FormatBytesPerSecond(c.hardware.interconnect_bandwidth_bytes_per_s)
                           : std::string()) +
                      ", as the plan's decode figures assume");
  }
  if (c.nodes > 1) {
    d.notes.push_back("the " + std::to_string(c.nodes) + " machines talk over " + c.node_link.name +
                      " at " + FormatBytesPerSecond(c.node_link.bandwidth_bytes_per_s) +
                      (c.node_link.given ? " (the job's node_link)" : " (assumed; set node_link in the job)") +
                      ": one activation hop per token between pipeline stages");
  }
}

}  // namespace

std::string_view PackagingName(Packaging p) {
  switch (p) {
    case Packaging::kCompose: return "docker compose";
    case Packaging::kKubernetes: return "kubernetes";
    case Packaging::kNative: return "native";
  }
  return "?";
}

StatusOr<size_t> SelectCandidate(const Plan& plan, const std::string& hardware) {
  if (hardware.empty()) {
    if (!plan.recommended) {
      std::string why;
      for (const CandidateWorksheet& ws : plan.candidates) {
        why += "\n  " + ws.candidate.label + ": " + Join(ReasonTexts(ws.reasons), "; ");
      }
      return Status::Unsupported("no candidate is admitted, so there is nothing to deploy:" + why);
    }
    return *plan.recommended;
  }
  // A candidate number (1-based, in the job's order).
  if (hardware.find_first_not_of("0123456789") == std::string::npos && hardware.size() < 6) {
    const size_t number = std::stoul(hardware);
    if (number >= 1 && number <= plan.candidates.size()) return number - 1;
    return Status::NotFound("the job has " + std::to_string(plan.candidates.size()) +
                            " candidates; there is no candidate " + hardware);
  }
  // An exact label ("2x h100-sxm"), else a hardware id; several matches are ambiguous.
  std::vector<std::string> ids;
  std::vector<size_t> by_label, by_id;
  for (size_t i = 0; i < plan.candidates.size(); ++i) {
    const Candidate& c = plan.candidates[i].candidate;
    if (c.label == hardware) by_label.push_back(i);
    if (c.hardware.id == hardware) by_id.push_back(i);
    ids.push_back(c.hardware.id);
  }
  const std::vector<size_t>& found = by_label.empty() ? by_id : by_label;
  if (found.size() == 1) return found.front();
  if (found.size() > 1) {
    std::string numbers;
    for (size_t i : found) {
      numbers += (numbers.empty() ? "" : ", ") + std::to_string(i + 1) + " (" +
                 plan.candidates[i].candidate.label + ")";
    }
    return Status::InvalidArgument("'" + hardware + "' matches candidates " + numbers +
                                   "; pass the label or the candidate number, e.g. --hardware " +
                                   std::to_string(found.back() + 1));
  }
  std::string hint = DidYouMean(hardware, ids);
  return Status::NotFound("the job has no candidate '" + hardware + "'" + hint +
                          " (candidates: " + Join(ids, ", ") + ")");
}

StatusOr<Deployment> PlanDeployment(const Plan& plan, size_t index, const Catalog& catalog,
                                    const DeployOptions& options) {
  if (index >= plan.candidates.size()) return Status::Internal("candidate index out of range");
  const JobSpec& job = *plan.job;
  const CandidateWorksheet& ws = plan.candidates[index];
  if (!ws.admitted()) {
    return Status::Unsupported(ws.candidate.label + " is rejected by the plan, so no bundle is "
                               "written:\n  " + Join(ReasonTexts(ws.reasons), "\n  "));
  }
  Deployment d;
  d.plan = &plan;
  d.candidate = index;
  SIZER_ASSIGN_OR_RETURN(d.runtime, catalog.FindRuntime(job.runtime));
  SIZER_ASSIGN_OR_RETURN(d.inputs, ResolvePlanInputs(job, plan.quant));
  const Candidate& c = ws.candidate;
  d.nodes = c.nodes;
  d.gpus_per_node = c.hardware.kind == HardwareKind::kGpu ? c.count : 0;
  d.port = d.runtime.endpoints.port;
  // Image tokens share the context with the text (plan/vision.h).
  d.context_tokens = job.context_tokens + ImageContextTokens(d.inputs);
  d.parallel_sequences = job.concurrency;
  d.kv_cells = d.context_tokens * job.concurrency;
  d.release_name = options.release_name.empty() ? job.name + "-" + plan.quant : options.release_name;

  if (const RuntimeImage* image = d.runtime.ImageFor(c.hardware)) {
    d.image = image->image;
    d.image_source = image->source;
    d.packaging = c.nodes > 1 ? Packaging::kKubernetes : Packaging::kCompose;
  } else if (c.hardware.kind == HardwareKind::kUnified) {
    d.packaging = Packaging::kNative;  // Metal is not reachable from a Linux container
  } else {
    return Status::Unsupported("runtime_db/" + d.runtime.id + ".yaml pins no image for " +
                               std::string(HardwareKindName(c.hardware.kind)) + " hardware" +
                               (c.hardware.vendor.empty() ? "" : " from " + c.hardware.vendor) +
                               " (" + c.hardware.id + "); add one to deploy there");
  }
  ResolveModel(plan, options, d);
  SIZER_RETURN_IF_ERROR(AddRuntimeArgs(d));
  AddTopologyNotes(d);
  for (const std::string& w : RenderFormulas(ws.warnings)) d.warnings.push_back("plan: " + w);
  return d;
}

}  // namespace sizer

// Deployment: one admitted candidate of a plan turned into the settings a serving runtime is
// started with. Every value is derived from the plan (the worksheet's rows and the job), and
// every setting records where it came from, so the generated files never drift from what was
// sized. Rendering the files is deploy/bundle.h; this header only decides the numbers.
#ifndef SIZER_DEPLOY_DEPLOYMENT_H_
#define SIZER_DEPLOY_DEPLOYMENT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "plan/plan_inputs.h"
#include "plan/planner.h"
#include "catalog/catalog.h"
#include "catalog/runtime_info.h"

namespace sizer {

struct DeployOptions {
  std::string model_path;        // host path of the weights; "" = the job's GGUF or a placeholder
  std::string previous_release;  // a previous release manifest (rollback target)
  std::string release_name;      // the manifest's model_version; "" = "<job>-<quant>"
};

struct DeploySetting {
  std::string name;   // "context", "parallel", "gpu_memory_utilization", ...
  std::string flag;   // "--ctx-size"; "" for a switch's value or a non-flag setting
  std::string value;  // "" for a switch (a flag without a value)
  std::string from;   // the worksheet row or job key it came from, with the arithmetic
};

enum class Packaging {
  kCompose,     // one machine, a container image (docker compose)
  kKubernetes,  // several machines: the engine's own multi-node mode (vLLM on LeaderWorkerSet)
  kNative,      // no container image can reach the accelerator (Apple silicon): a run script
};

std::string_view PackagingName(Packaging p);

struct Deployment {
  const Plan* plan = nullptr;
  size_t candidate = 0;  // index into plan->candidates
  RuntimeInfo runtime;
  PlanInputs inputs;  // the job resolved with the plan's quant (runtime profile, flash attention)
  Packaging packaging = Packaging::kCompose;
  std::string image;  // "" for kNative
  std::string image_source;
  std::string executable;  // kNative: the server binary
  int64_t port = 0;
  int64_t nodes = 1;
  int64_t gpus_per_node = 0;  // devices a container reserves; 0 on CPU-only machines
  std::string model_host_path;
  std::string model_container_path;
  bool model_found = false;    // the host path exists here
  std::string model_sha256;    // "" unless the model is a readable file
  std::string release_name;
  // The numbers the flags carry (for tests, the README and settings.json).
  int64_t context_tokens = 0;    // per sequence (vLLM --max-model-len)
  int64_t parallel_sequences = 0;
  int64_t kv_cells = 0;          // llama.cpp --ctx-size: context x sequences
  int64_t tensor_parallel = 1;
  int64_t pipeline_parallel = 1;
  std::optional<int64_t> gpu_layers;
  std::optional<double> gpu_memory_utilization;
  std::vector<DeploySetting> settings;
  std::vector<std::string> args;   // the server's arguments, in order
  std::vector<std::string> notes;  // per-device split, interconnect, what the operator checks
  std::vector<std::string> warnings;

  const CandidateWorksheet& worksheet() const { return plan->candidates[candidate]; }
  const JobSpec& job() const { return *plan->job; }
};

// The candidate named by `hardware`: its label ("2x h100-sxm"), its hardware id, or its
// number in the job (1-based); "" = the plan's recommendation. kNotFound with a suggestion for
// an unknown id, kInvalidArgument when several candidates match, kUnsupported when "" and
// nothing is admitted.
StatusOr<size_t> SelectCandidate(const Plan& plan, const std::string& hardware);

// Derives the settings of `plan.candidates[index]`. kUnsupported (a refusal, with every
// reason) for a rejected candidate, a runtime sizer cannot render, or hardware without an
// image; kNotFound when runtime_db has no entry for the job's runtime.
StatusOr<Deployment> PlanDeployment(const Plan& plan, size_t index, const Catalog& catalog,
                                    const DeployOptions& options);

}  // namespace sizer

#endif  // SIZER_DEPLOY_DEPLOYMENT_H_

#include "deploy/runtime_args.h"

#include <cmath>

#include "base/format.h"
#include "deploy/extras_args.h"

namespace sizer {
namespace {

std::string Int(int64_t v) { return std::to_string(v); }

// Appends a setting whose flag spelling is runtime_db's `flags.<key>`.
Status Add(Deployment& d, const std::string& key, const std::string& value,
           const std::string& from) {
  SIZER_ASSIGN_OR_RETURN(std::string flag, d.runtime.Flag(key));
  d.settings.push_back({key, flag, value, from});
  d.args.push_back(flag);
  if (!value.empty()) d.args.push_back(value);
  return Status();
}

MultiDevice ModeOf(const Deployment& d) {
  const Candidate& c = d.worksheet().candidate;
  return c.parallelism.value_or(d.inputs.runtime.multi_device);
}

std::string KvFrom(const Deployment& d) {
  return "job kv_cache_dtype (" + d.job().kv_cache_dtype + "), the dtype the worksheet's KV rows use";
}

// llama.cpp server (llama-server). --ctx-size is the total of KV cells the --parallel slots
// share (each slot gets ctx-size / parallel), which is how the plan sized the cache.
Status LlamaCpp(Deployment& d) {
  const CandidateWorksheet& ws = d.worksheet();
  const Candidate& c = ws.candidate;
  const JobSpec& job = d.job();
  const ModelSpec& m = d.inputs.model;
  SIZER_RETURN_IF_ERROR(Add(d, "model", d.model_container_path,
                            "the weights, mounted read-only (" + d.model_host_path + ")"));
  SIZER_RETURN_IF_ERROR(Add(d, "host", d.packaging == Packaging::kNative ? "127.0.0.1" : "0.0.0.0",
                            "listen address"));
  SIZER_RETURN_IF_ERROR(Add(d, "port", Int(d.port), "runtime_db endpoints.port"));
  SIZER_RETURN_IF_ERROR(Add(d, "context", Int(d.kv_cells),
                            "job context_tokens " + Int(job.context_tokens) + " x concurrency " +
                                Int(job.concurrency) + " = " + Int(d.kv_cells) +
                                " KV cells; the worksheet's KV cache holds " +
                                Int(ws.memory.kv.full_cells) +
                                " cells per full-attention layer (llama.cpp pads to 256)"));
  SIZER_RETURN_IF_ERROR(Add(d, "parallel", Int(job.concurrency),
                            "job concurrency: sequences decoded at once (slots of " +
                                Int(job.context_tokens) + " tokens each)"));
  // Layers on the accelerator: all blocks plus the output layer, or the planned offload.
  int64_t gpu_layers = m.n_layers + 1;
  std::string layers_from = "all " + Int(m.n_layers) + " blocks and the output layer on the " +
                            std::string(HardwareKindName(c.hardware.kind)) + ", as planned";
  if (c.offload) {
    gpu_layers = c.offload->gpu_layers;
    layers_from = "candidate offload.gpu_layers: the worksheet keeps " + Int(gpu_layers) + " of " +
                  Int(m.n_layers) + " blocks on " + c.hardware.id + ", the rest on " +
                  c.offload->host.id;
  } else if (c.hardware.kind == HardwareKind::kCpu) {
    gpu_layers = 0;
    layers_from = "a CPU candidate: every layer in system RAM";
  }
  d.gpu_layers = gpu_layers;
  SIZER_RETURN_IF_ERROR(Add(d, "gpu_layers", Int(gpu_layers), layers_from));
  SIZER_RETURN_IF_ERROR(Add(d, "kv_type_k", job.kv_cache_dtype, KvFrom(d)));
  SIZER_RETURN_IF_ERROR(Add(d, "kv_type_v", job.kv_cache_dtype, KvFrom(d)));
  if (d.inputs.flash_attention) {
    SIZER_RETURN_IF_ERROR(Add(d, "flash_attention", "",
                              "the plan's compute buffer assumes flash attention (assumption "
                              "flash_attention; off by default in this build)"));
  }
  SIZER_RETURN_IF_ERROR(Add(d, "micro_batch", Int(d.inputs.runtime.micro_batch_tokens),
                            "assumption micro_batch_tokens: the compute buffer was sized for it"));
  if (d.inputs.keep_full_sliding_cache) {
    SIZER_RETURN_IF_ERROR(Add(d, "swa_full", "", "assumption keep_full_sliding_cache"));
  }
  if (c.count > 1) {
    if (ModeOf(d) == MultiDevice::kLayerSplit) {
      d.pipeline_parallel = c.count;
      std::string split;
      for (const DeviceBudget& dev : ws.memory.devices) {
        split += (split.empty() ? "" : ",") + Int(dev.layers);
      }
      SIZER_RETURN_IF_ERROR(Add(d, "split_mode", "layer", "candidate parallelism: layer split over " +
                                                              Int(c.count) + " devices"));
      SIZER_RETURN_IF_ERROR(Add(d, "tensor_split", split,
                                "the worksheet's layers per device (memory budget, one range each)"));
    } else {
      d.tensor_parallel = c.count;
      std::string split;
      for (int64_t i = 0; i < c.count; ++i) split += (i ? ",1" : "1");
      SIZER_RETURN_IF_ERROR(Add(d, "split_mode", "row", "candidate parallelism: tensor (rows of every "
                                                            "layer split evenly)"));
      SIZER_RETURN_IF_ERROR(Add(d, "tensor_split", split, "an even split, as the worksheet planned"));
    }
  }
  SIZER_RETURN_IF_ERROR(AddLlamaCppExtrasArgs(d));
  SIZER_RETURN_IF_ERROR(Add(d, "metrics", "", "expose Prometheus metrics at " + d.runtime.endpoints.metrics));
  if (d.packaging == Packaging::kNative) d.executable = "llama-server";
  return Status();
}

// vLLM's OpenAI-compatible server.
Status Vllm(Deployment& d) {
  const CandidateWorksheet& ws = d.worksheet();
  const Candidate& c = ws.candidate;
  const JobSpec& job = d.job();
  SIZER_RETURN_IF_ERROR(Add(d, "model", d.model_container_path,
                            "the weights, mounted read-only (" + d.model_host_path + ")"));
  SIZER_RETURN_IF_ERROR(Add(d, "served_model_name", job.model_ref == "inline" ? job.model.id : job.model_ref,
                            "the job's model, the name clients send"));
  SIZER_RETURN_IF_ERROR(Add(d, "host", "0.0.0.0", "listen address"));
  SIZER_RETURN_IF_ERROR(Add(d, "port", Int(d.port), "runtime_db endpoints.port"));
  SIZER_RETURN_IF_ERROR(Add(d, "max_model_len", Int(d.context_tokens),
                            "job context_tokens" +
                                std::string(d.context_tokens > job.context_tokens ? " + image tokens" : "") +
                                ": the longest sequence the KV pool was sized for"));
  SIZER_RETURN_IF_ERROR(Add(d, "max_num_seqs", Int(job.concurrency),
                            "job concurrency: sequences decoded at once"));
  // The pool fraction: the job's override, else the plan's recommendation (the binding
  // device's planned / capacity rounded up to 0.01), never vLLM's default of 0.90.
  double fraction = 0;
  std::string fraction_from;
  if (job.assumptions.gpu_memory_utilization) {
    fraction = *job.assumptions.gpu_memory_utilization;
    fraction_from = "job assumptions.gpu_memory_utilization";
  } else if (ws.memory.recommended_pool_fraction) {
    fraction = *ws.memory.recommended_pool_fraction;
    const DeviceBudget& b = ws.memory.binding_device();
    fraction_from = "worksheet: planned " + FormatBytes(b.planned_bytes) + " / capacity " +
                    FormatBytes(b.capacity_bytes) + " on " + b.label +
                    ", rounded up to 0.01 (the reserve stays unallocated)";
  } else {
    return Status::Internal("the plan has no KV pool fraction for a paged-pool runtime");
  }
  d.gpu_memory_utilization = fraction;
  SIZER_RETURN_IF_ERROR(Add(d, "gpu_memory_utilization", FormatFixed(fraction, 2), fraction_from));
  // vLLM's "auto" stores the cache in the model dtype (16-bit); fp8 is e4m3.
  const std::string& kv = job.kv_cache_dtype;
  SIZER_RETURN_IF_ERROR(Add(d, "kv_cache_dtype", kv == "fp8" ? "fp8" : "auto", KvFrom(d)));
  SIZER_RETURN_IF_ERROR(Add(d, "block_size", Int(d.inputs.runtime.kv_page_tokens),
                            "assumption kv_page_tokens: the KV rows round to these pages"));
  SIZER_RETURN_IF_ERROR(Add(d, "max_num_batched_tokens", Int(d.inputs.runtime.micro_batch_tokens),
                            "assumption micro_batch_tokens: the profile-run activations were sized for it"));
  if (c.nodes > 1) {
    d.tensor_parallel = c.count;
    d.pipeline_parallel = c.nodes;
  } else if (c.count > 1 && ModeOf(d) == MultiDevice::kLayerSplit) {
    d.pipeline_parallel = c.count;
  } else {
    d.tensor_parallel = c.count;
  }
  SIZER_RETURN_IF_ERROR(Add(d, "tensor_parallel_size", Int(d.tensor_parallel),
                            c.nodes > 1 ? "GPUs per node (candidate count " + Int(c.count) + ")"
                                        : "the worksheet's device split: " + Int(c.count) + " device(s)"));
  SIZER_RETURN_IF_ERROR(Add(d, "pipeline_parallel_size", Int(d.pipeline_parallel),
                            c.nodes > 1 ? "one pipeline stage per node (candidate nodes " + Int(c.nodes) + ")"
                                        : "the worksheet's layer split over " + Int(c.count) + " device(s)"));
  if (c.nodes > 1) {
    SIZER_RETURN_IF_ERROR(Add(d, "distributed_executor_backend", "ray",
                              "vLLM's multi-node backend (Ray cluster across the nodes)"));
  }
  return AddVllmExtrasArgs(d);
}

}  // namespace

Status AddRuntimeArgs(Deployment& d) {
  const std::string& id = d.runtime.id;
  if (d.packaging == Packaging::kKubernetes && id != "vllm") {
    return Status::Unsupported("multi-node bundles are rendered for vllm (LeaderWorkerSet); " + id +
                               " is not");
  }
  if (id == "llama.cpp") return LlamaCpp(d);
  if (id == "vllm") {
    if (d.packaging == Packaging::kNative) {
      return Status::Unsupported("vllm has no image for " + d.worksheet().candidate.hardware.id);
    }
    return Vllm(d);
  }
  return Status::Unsupported(
      "sizer deploy renders llama.cpp server and vLLM bundles; " + id + " is not rendered (" +
      (id == "ollama"     ? "Ollama takes its context and parallelism per model through a Modelfile "
                            "and environment variables; serve the GGUF with runtime: llama.cpp"
       : id == "mlx"      ? "mlx_lm.server takes no context, sequence or KV flags, so the plan's "
                            "settings could not be enforced"
       : id == "lmstudio" ? "LM Studio is a desktop application without a container image"
                          : "no renderer yet; the runtime_db entry lists its flags") +
      ")");
}

}  // namespace sizer

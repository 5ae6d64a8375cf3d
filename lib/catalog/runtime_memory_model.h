// RuntimeMemoryModel: what a serving runtime really allocates, as a named, versioned policy
// read from runtime_db/<id>.yaml (`memory_model:`). Estimators that treat every runtime
// alike drift from reality: llama.cpp allocates context x sequences up front and keeps logits
// and the token embedding in host memory, vLLM pre-allocates a paged pool up to
// gpu_memory_utilization, MLX grows its cache on demand. Every constant is stated in the
// runtime's file with its reason and source, and a job's `assumptions:` can override it.
// The code that turns the policy into bytes lives in lib/plan (kv_cache, runtime_memory).
#ifndef SIZER_CATALOG_RUNTIME_MEMORY_MODEL_H_
#define SIZER_CATALOG_RUNTIME_MEMORY_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "catalog/hardware.h"

namespace sizer {

class YamlValue;

enum class KvAllocation {
  kUpFront,    // the whole cache for context x sequences at start-up (llama.cpp)
  kPagedPool,  // fixed-size pages from a pool sized by a memory fraction (vLLM, SGLang, TRT-LLM)
  kDynamic,    // grows as tokens arrive, in steps (MLX)
};
// "up_front", "paged_pool", "dynamic": the spelling in runtime_db.
std::string_view KvAllocationName(KvAllocation allocation);

enum class ActivationModel {
  kLlamaCppGraph,  // ggml graph allocator: f32 scratch for one micro-batch
  kTorchProfile,   // PyTorch profile run: bf16 activations for max_num_batched_tokens
};
std::string_view ActivationModelName(ActivationModel model);

enum class MultiDevice {
  kLayerSplit,      // each device holds a range of layers; decode visits them in turn
  kTensorParallel,  // every layer split across devices; all-reduce twice per layer
};
// "layer split", "tensor parallel": for people; runtime_db spells them layer_split, tensor_parallel.
std::string_view MultiDeviceName(MultiDevice mode);

// A value that differs by hardware kind (an efficiency, a context size).
struct PerKind {
  double gpu = 0;
  double unified = 0;
  double cpu = 0;

  double Of(HardwareKind kind) const {
    switch (kind) {
      case HardwareKind::kGpu: return gpu;
      case HardwareKind::kUnified: return unified;
      case HardwareKind::kCpu: return cpu;
    }
    return 0;
  }
  void SetAll(double value) { gpu = unified = cpu = value; }
};

struct RuntimeMemoryModel {
  std::string version;  // the build whose allocation behaviour the model follows
  std::string engine;   // what runs underneath ("llama.cpp" for Ollama)
  std::string source;
  std::vector<std::string> vendors;            // empty: any vendor
  std::vector<std::string> kv_dtypes;
  std::vector<std::string> sparse_structures;  // structures with a real kernel, e.g. "2:4"

  KvAllocation kv_allocation = KvAllocation::kUpFront;
  int64_t kv_page_tokens = 1;  // page (block) size of a paged pool or a dynamic step
  int64_t kv_pad_tokens = 1;   // llama.cpp pads the cache size to a multiple of this
  bool sliding_keeps_window_only = true;
  bool logits_on_host = false;
  bool token_embedding_on_host = false;
  ActivationModel activation_model = ActivationModel::kTorchProfile;
  int64_t sampler_rows = 256;  // torch profile: logits rows in the warm-up (max_num_seqs)
  MultiDevice multi_device = MultiDevice::kTensorParallel;
  bool quantized_v_needs_flash_attention = false;

  // Named assumptions (overridable by the job's `assumptions:`).
  bool flash_attention = true;
  double default_pool_fraction = 0;  // gpu_memory_utilization and the like; 0: none
  // The runtime's own name for that fraction: a key of the entry's `flags:`, so the text
  // and the deployment bundle spell it as the runtime does. Empty when there is no pool.
  std::string pool_fraction_flag;
  double recurrent_state_bytes_per_element = 4;
  PerKind device_context_bytes;        // driver/CUDA context, cuBLAS workspace, process
  double fixed_runtime_bytes_gpu = 0;  // CUDA graphs, NCCL buffers, allocator reserves
  int64_t micro_batch_tokens = 512;    // tokens per prefill step (n_ubatch, chunked prefill)
  double fragmentation_fraction = 0;   // of KV + activations
  PerKind decode_efficiency;           // achieved / bandwidth ceiling
  PerKind prefill_efficiency;          // achieved / peak matrix FLOP/s
  std::string efficiency_source;
  std::string memory_source;
};

// Reads a `memory_model:` mapping; every error names file:line:col and the key.
StatusOr<RuntimeMemoryModel> ParseRuntimeMemoryModel(const YamlValue& node);

}  // namespace sizer

#endif  // SIZER_CATALOG_RUNTIME_MEMORY_MODEL_H_

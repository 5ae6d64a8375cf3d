#include "knowledge/runtime_profile.h"

#include <algorithm>
#include <cctype>

#include "base/edit_distance.h"
#include "base/units.h"

namespace sizer {
namespace {

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const char* kLlamaCppEfficiencySource =
    "cpu 0.46: median achieved/ceiling of llama-bench tg64 over F16, Q8_0, Q4_0, Q4_K_M, Q6_K "
    "on the 2-core reference (tests/data/reference/llama-cpp-reference.yaml, llama.cpp b4748); "
    "gpu 0.65: assumption (single-stream llama-bench decode of 7B-8B Q4 models commonly reaches "
    "55-70% of peak bandwidth); unified: decode 0.60, prefill 0.65 of the GPU's FP32 rate, read "
    "off llama.cpp's Apple-silicon table (ggml-org/llama.cpp discussion 4167, 7B tg128/pp512 on "
    "M2 Ultra, M3 Max, M4 Pro); gpu/cpu prefill 0.35: assumption. Calibrate on your hardware.";

RuntimeProfile LlamaCpp() {
  RuntimeProfile p;
  p.id = "llama.cpp";
  p.version = "b4748 allocation policy; sliding-window cache as in later builds";
  p.engine = "llama.cpp";
  p.source = "llama.cpp src/llama-context.cpp, llama-kv-cache.cpp; "
             "tests/data/reference/llama-cpp-reference.yaml";
  p.containers = {WeightContainer::kGguf};
  p.hardware_kinds = {HardwareKind::kGpu, HardwareKind::kUnified, HardwareKind::kCpu};
  p.kv_dtypes = {"f32", "f16", "bf16", "q8_0", "q5_1", "q5_0", "q4_1", "q4_0", "iq4_nl"};
  p.kv_allocation = KvAllocation::kUpFront;
  p.kv_page_tokens = 1;
  // llama_context pads n_ctx to 256 cells (GGML_PAD(n_ctx, 256)).
  p.kv_pad_tokens = 256;
  p.sliding_keeps_window_only = true;  // unless --swa-full
  p.logits_on_host = true;             // the output buffer is a host buffer
  p.token_embedding_on_host = true;    // token_embd stays in CPU memory with full offload
  p.activation_model = ActivationModel::kLlamaCppGraph;
  p.multi_device = MultiDevice::kLayerSplit;  // --split-mode layer is the default
  p.quantized_v_needs_flash_attention = true;
  p.flash_attention = true;  // -fa auto resolves to on where the backend supports it
  p.recurrent_state_bytes_per_element = 4;  // r/s state tensors are F32
  // A CUDA context with cuBLAS handles takes 300-500 MiB that llama.cpp does not report.
  p.device_context_bytes.gpu = 450 * kMiB;
  p.device_context_bytes.unified = 256 * kMiB;  // Metal device, library and process
  p.device_context_bytes.cpu = 128 * kMiB;      // the process itself
  p.micro_batch_tokens = 512;                   // n_ubatch default
  p.fragmentation_fraction = 0.02;  // static buffers; driver page rounding and the CUDA pool
  p.decode_efficiency.gpu = 0.65;
  p.decode_efficiency.unified = 0.60;
  p.decode_efficiency.cpu = 0.46;
  p.prefill_efficiency.gpu = 0.35;
  p.prefill_efficiency.unified = 0.65;
  p.prefill_efficiency.cpu = 0.35;
  p.efficiency_source = kLlamaCppEfficiencySource;
  p.memory_source =
      "KV cells = pad256(context x sequences), sliding layers min(that, pad256(window x "
      "sequences + n_ubatch)); compute buffer fitted to llama.cpp b4748's reports "
      "(tests/data/reference/llama-cpp-reference.yaml)";
  return p;
}

RuntimeProfile Ollama() {
  RuntimeProfile p = LlamaCpp();
  p.id = "ollama";
  p.version = "0.6-0.12 (llama.cpp engine)";
  p.engine = "llama.cpp";
  p.source = "ollama envconfig (OLLAMA_FLASH_ATTENTION, OLLAMA_KV_CACHE_TYPE); llama.cpp";
  p.kv_dtypes = {"f16", "q8_0", "q4_0"};
  p.flash_attention = false;  // off unless OLLAMA_FLASH_ATTENTION=1
  // Ollama keeps a minimum of 457 MiB free per CUDA GPU when it places layers.
  p.fixed_runtime_bytes_gpu = 457 * kMiB;
  return p;
}

RuntimeProfile LmStudio() {
  RuntimeProfile p = LlamaCpp();
  p.id = "lmstudio";
  p.version = "0.3 (llama.cpp engine; MLX engine on Apple silicon)";
  p.engine = "llama.cpp / mlx";
  p.source = "LM Studio docs (runtimes: llama.cpp, MLX)";
  p.containers = {WeightContainer::kGguf, WeightContainer::kMlx};
  return p;
}

const char* kTorchEfficiencySource =
    "decode 0.70 and prefill 0.50 of peak: assumptions for CUDA-graph decode and FlashAttention "
    "prefill on data-centre GPUs; calibrate with measurements.";

RuntimeProfile Vllm() {
  RuntimeProfile p;
  p.id = "vllm";
  p.version = "0.10 (V1 engine)";
  p.engine = "vllm";
  p.source = "vLLM docs: engine args gpu_memory_utilization, block_size, max_num_batched_tokens";
  p.containers = {WeightContainer::kSafetensors, WeightContainer::kGguf};
  p.hardware_kinds = {HardwareKind::kGpu};
  p.vendors = {"nvidia", "amd"};
  p.kv_dtypes = {"f16", "bf16", "fp8"};
  p.sparse_structures = {"2:4"};  // CUTLASS 2:4 sparse kernels (compressed-tensors)
  p.kv_allocation = KvAllocation::kPagedPool;
  p.kv_page_tokens = 16;  // block_size default
  p.activation_model = ActivationModel::kTorchProfile;
  p.multi_device = MultiDevice::kTensorParallel;
  p.multi_node = true;  // Ray cluster: tensor parallel in a node, pipeline across nodes
  p.default_pool_fraction = 0.90;  // gpu_memory_utilization default
  p.recurrent_state_bytes_per_element = 2;  // mamba cache dtype "auto" = model dtype
  p.device_context_bytes.gpu = 512 * kMiB;
  p.fixed_runtime_bytes_gpu = 1.0 * kGiB;  // CUDA graphs (~0.5 GiB) + NCCL/cuBLAS workspaces
  p.micro_batch_tokens = 8192;             // max_num_batched_tokens (chunked prefill)
  p.sampler_rows = 256;                    // max_num_seqs: the sampler warm-up
  p.fragmentation_fraction = 0.05;  // PyTorch caching allocator: reserved vs allocated
  p.decode_efficiency.gpu = 0.70;
  p.prefill_efficiency.gpu = 0.50;
  p.efficiency_source = kTorchEfficiencySource;
  p.memory_source =
      "KV in 16-token pages from a pool that fills gpu_memory_utilization x capacity; "
      "activations from the profile run with max_num_batched_tokens";
  return p;
}

RuntimeProfile Sglang() {
  RuntimeProfile p = Vllm();
  p.id = "sglang";
  p.version = "0.4";
  p.engine = "sglang";
  p.source = "SGLang server arguments: mem_fraction_static, page_size, chunked_prefill_size";
  p.containers = {WeightContainer::kSafetensors};
  p.sparse_structures = {};
  p.kv_page_tokens = 1;            // page_size default 1 (token-level radix cache)
  p.default_pool_fraction = 0.88;  // mem_fraction_static default on large GPUs
  p.micro_batch_tokens = 8192;     // chunked_prefill_size
  return p;
}

RuntimeProfile TensorRtLlm() {
  RuntimeProfile p = Vllm();
  p.id = "tensorrt-llm";
  p.version = "0.20";
  p.engine = "tensorrt-llm";
  p.source = "TensorRT-LLM KvCacheConfig (free_gpu_memory_fraction, tokens_per_block)";
  p.containers = {WeightContainer::kSafetensors};
  p.vendors = {"nvidia"};
  p.kv_dtypes = {"f16", "bf16", "fp8"};
  p.sparse_structures = {"2:4"};
  p.kv_page_tokens = 32;           // tokens_per_block default
  p.default_pool_fraction = 0.90;  // free_gpu_memory_fraction default
  p.decode_efficiency.gpu = 0.75;
  p.prefill_efficiency.gpu = 0.60;
  p.efficiency_source = "decode 0.75, prefill 0.60: assumptions for compiled engines; calibrate.";
  return p;
}

RuntimeProfile Mlx() {
  RuntimeProfile p;
  p.id = "mlx";
  p.version = "mlx-lm 0.26";
  p.engine = "mlx";
  p.source = "mlx-lm models/cache.py (KVCache step 256, RotatingKVCache for sliding windows)";
  p.containers = {WeightContainer::kMlx};
  p.hardware_kinds = {HardwareKind::kUnified};
  p.vendors = {"apple"};
  p.kv_dtypes = {"f16", "bf16", "q8_0", "q4_0"};  // --kv-bits 8/4, group 64 (approximated)
  p.kv_allocation = KvAllocation::kDynamic;
  p.kv_page_tokens = 256;  // KVCache grows in steps of 256 tokens
  p.activation_model = ActivationModel::kTorchProfile;
  p.sampler_rows = 1;
  p.micro_batch_tokens = 2048;  // prefill_step_size
  p.recurrent_state_bytes_per_element = 2;
  p.device_context_bytes.unified = 256 * kMiB;
  p.fragmentation_fraction = 0.05;  // Metal buffer cache
  p.decode_efficiency.unified = 0.65;
  p.prefill_efficiency.unified = 0.40;
  p.efficiency_source = "decode 0.65, prefill 0.40: assumptions for mlx-lm; calibrate.";
  p.memory_source = "KV grows in 256-token steps; sliding layers keep the window (rotating)";
  return p;
}

}  // namespace

std::string_view MultiDeviceName(MultiDevice mode) {
  return mode == MultiDevice::kLayerSplit ? "layer split" : "tensor parallel";
}

std::string_view KvAllocationName(KvAllocation allocation) {
  switch (allocation) {
    case KvAllocation::kUpFront:
      return "up front";
    case KvAllocation::kPagedPool:
      return "paged pool";
    case KvAllocation::kDynamic:
      return "dynamic";
  }
  return "dynamic";
}

bool RuntimeProfile::Supports(HardwareKind kind) const { return Contains(hardware_kinds, kind); }
bool RuntimeProfile::Supports(WeightContainer container) const {
  return Contains(containers, container);
}
bool RuntimeProfile::SupportsKvDtype(const std::string& dtype) const {
  return Contains(kv_dtypes, Lower(dtype));
}
bool RuntimeProfile::SupportsVendor(const std::string& vendor) const {
  return vendors.empty() || vendor.empty() || Contains(vendors, Lower(vendor));
}

const std::vector<RuntimeProfile>& AllRuntimeProfiles() {
  static const std::vector<RuntimeProfile> kProfiles = {LlamaCpp(), Ollama(),      LmStudio(),
                                                        Vllm(),     TensorRtLlm(), Sglang(),
                                                        Mlx()};
  return kProfiles;
}

const RuntimeProfile* FindRuntimeProfile(std::string_view id) {
  std::string wanted = Lower(id);
  for (const RuntimeProfile& p : AllRuntimeProfiles()) {
    if (p.id == wanted) return &p;
  }
  return nullptr;
}

std::vector<std::string> RuntimeProfileIds() {
  std::vector<std::string> ids;
  for (const RuntimeProfile& p : AllRuntimeProfiles()) ids.push_back(p.id);
  return ids;
}

Status CheckRuntimeProfiles(const Catalog& catalog) {
  for (const RuntimeInfo& info : catalog.runtimes()) {
    const RuntimeProfile* profile = FindRuntimeProfile(info.id);
    if (profile == nullptr || profile->id != info.id) {
      return Status::InvalidArgument(info.id_where + ": no runtime profile '" + info.id + "'" +
                                     DidYouMean(info.id, RuntimeProfileIds()) +
                                     " (runtime ids: knowledge/runtime_profile.cc)");
    }
  }
  return Status();
}

StatusOr<Catalog> LoadPlanningCatalog(const std::string& root) {
  SIZER_ASSIGN_OR_RETURN(Catalog catalog, Catalog::Load(root));
  SIZER_RETURN_IF_ERROR(CheckRuntimeProfiles(catalog));
  return catalog;
}

}  // namespace sizer

#include "testing/fixture_catalog.h"

#include "base/units.h"

namespace sizer::testing {
namespace {

constexpr char kSource[] = "tests/testing/fixture_catalog.cc";

ModelSpec Dense8b() {
  ModelSpec m;
  m.id = "dense-8b";
  m.name = "Dense 8B (fixture)";
  m.family = "llama";
  m.source = kSource;
  m.params_total = m.params_active = 8.0e9;
  m.n_layers = 32;
  m.d_model = 4096;
  m.n_heads = 32;
  m.n_kv_heads = 8;
  m.head_dim = 128;
  m.d_ff = 14336;
  m.vocab_size = 128256;
  m.max_context_tokens = 131072;
  return m;
}

ModelSpec Swa12b() {
  ModelSpec m = Dense8b();
  m.id = "swa-12b";
  m.name = "Sliding-window 12B (fixture)";
  m.family = "gemma3";
  m.params_total = m.params_active = 12.0e9;
  m.n_layers = 48;
  m.d_model = 3840;
  m.n_heads = 16;
  m.head_dim = 256;
  m.d_ff = 15360;
  m.vocab_size = 262144;
  m.layer_pattern = {LayerKind::kSliding, LayerKind::kSliding, LayerKind::kSliding,
                     LayerKind::kSliding, LayerKind::kSliding, LayerKind::kFull};
  m.sliding_window_tokens = 1024;
  return m;
}

// Every layer slides (Mistral-7B v0.1's layout).
ModelSpec Window7b() {
  ModelSpec m = Dense8b();
  m.id = "window-7b";
  m.name = "All-sliding 7B (fixture)";
  m.params_total = m.params_active = 7.2e9;
  m.vocab_size = 32000;
  m.max_context_tokens = 32768;
  m.layer_pattern = {LayerKind::kSliding};
  m.sliding_window_tokens = 4096;
  return m;
}

// Tied embeddings (Llama-3.2-1B's shape). params_total is above what the dimensions give,
// so the weights carry a residual and total exactly params_total.
ModelSpec Tied1b() {
  ModelSpec m = Dense8b();
  m.id = "tied-1b";
  m.name = "Tied-embedding 1B (fixture)";
  m.params_total = m.params_active = 1.25e9;
  m.n_layers = 16;
  m.d_model = 2048;
  m.n_kv_heads = 8;
  m.head_dim = 64;
  m.d_ff = 8192;
  m.tied_embeddings = true;
  return m;
}

// An XLM-RoBERTa-large-shaped encoder (bge-m3 / bge-reranker-v2-m3): 24 layers, d_model 1024,
// 16 heads of 64, FFN 4096, vocab 250002, 567.75e6 parameters (the GGUF's count), context 8192.
ModelSpec Encoder568m() {
  ModelSpec m;
  m.id = "encoder-568m";
  m.name = "XLM-RoBERTa-large-shaped encoder (fixture)";
  m.family = "xlm-roberta";
  m.source = kSource;
  m.params_total = m.params_active = 567.75e6;
  m.n_layers = 24;
  m.d_model = 1024;
  m.n_heads = 16;
  m.n_kv_heads = 16;
  m.head_dim = 64;
  m.d_ff = 4096;
  m.vocab_size = 250002;
  m.max_context_tokens = 8192;
  return m;
}

ModelSpec Dense70b() {
  ModelSpec m = Dense8b();
  m.id = "dense-70b";
  m.name = "Dense 70B (fixture)";
  m.params_total = m.params_active = 70.6e9;
  m.n_layers = 80;
  m.d_model = 8192;
  m.n_heads = 64;
  m.d_ff = 28672;
  return m;
}

ModelSpec Dense405b() {
  ModelSpec m = Dense8b();
  m.id = "dense-405b";
  m.name = "Dense 405B (fixture)";
  m.params_total = m.params_active = 405.9e9;
  m.n_layers = 126;
  m.d_model = 16384;
  m.n_heads = 128;
  m.d_ff = 53248;
  return m;
}

// Every layer MoE (Qwen3-30B-A3B's shape).
ModelSpec Moe30b() {
  ModelSpec m = Dense8b();
  m.id = "moe-30b";
  m.name = "MoE 30B-A3B (fixture)";
  m.family = "qwen3moe";
  m.params_total = 30.5e9;
  m.params_active = 3.3e9;
  m.n_layers = 48;
  m.d_model = 2048;
  m.n_heads = 32;
  m.n_kv_heads = 4;
  m.d_ff = 0;
  m.vocab_size = 151936;
  m.max_context_tokens = 40960;
  m.has_moe = true;
  m.moe.n_experts = 128;
  m.moe.n_experts_per_token = 8;
  m.moe.expert_d_ff = 768;
  return m;
}

// Three linear-attention layers to one full one (Qwen3-Next's layout), dense FFN.
ModelSpec Hybrid4b() {
  ModelSpec m = Dense8b();
  m.id = "hybrid-4b";
  m.name = "Linear/full hybrid 4B (fixture)";
  m.family = "qwen3next";
  m.params_total = m.params_active = 4.0e9;
  m.n_layers = 48;
  m.d_model = 2048;
  m.n_heads = 16;
  m.n_kv_heads = 2;
  m.head_dim = 256;
  m.d_ff = 6144;
  m.vocab_size = 151936;
  m.max_context_tokens = 262144;
  m.layer_pattern = {LayerKind::kLinear, LayerKind::kLinear, LayerKind::kLinear, LayerKind::kFull};
  m.linear_state_elements = 548864;
  return m;
}

// Multi-head latent attention and MoE (DeepSeek-V2-Lite's shape).
ModelSpec Mla16b() {
  ModelSpec m = Dense8b();
  m.id = "mla-16b";
  m.name = "MLA MoE 16B (fixture)";
  m.family = "deepseek2";
  m.params_total = 15.7e9;
  m.params_active = 2.4e9;
  m.n_layers = 27;
  m.d_model = 2048;
  m.n_heads = 16;
  m.n_kv_heads = 16;
  m.head_dim = 192;
  m.d_ff = 10944;
  m.vocab_size = 102400;
  m.max_context_tokens = 32768;
  m.has_mla = true;
  m.mla.kv_lora_rank = 512;
  m.mla.qk_rope_head_dim = 64;
  m.mla.qk_nope_head_dim = 128;
  m.mla.v_head_dim = 128;
  m.has_moe = true;
  m.moe.n_experts = 64;
  m.moe.n_experts_per_token = 6;
  m.moe.n_shared_experts = 2;
  m.moe.expert_d_ff = 1408;
  m.moe.shared_expert_d_ff = 2816;
  m.moe.n_dense_leading_layers = 1;
  return m;
}

HardwareSpec Gpu(const std::string& id, double memory_gib, double bandwidth_gb_per_s,
                 double price) {
  HardwareSpec hw;
  hw.id = id;
  hw.name = id + " (fixture)";
  hw.kind = HardwareKind::kGpu;
  hw.vendor = "nvidia";
  hw.memory_bytes = memory_gib * kGiB;
  hw.memory_in_binary_units = true;
  hw.memory_bandwidth_bytes_per_s = bandwidth_gb_per_s * 1e9;
  hw.fp16_flop_per_s = 100e12;
  hw.tdp_watts = 300;
  hw.price_usd = price;
  hw.price_date = "2026-01";
  hw.interconnect = "pcie4";
  hw.interconnect_bandwidth_bytes_per_s = 32e9;
  hw.source = kSource;
  return hw;
}

HardwareSpec Gpu80g() {
  HardwareSpec hw = Gpu("gpu-80g", 80, 3350, 25000);
  hw.interconnect = "nvlink4";
  hw.interconnect_bandwidth_bytes_per_s = 450e9;
  return hw;
}

HardwareSpec Mac128g() {
  HardwareSpec hw = Gpu("mac-128g", 128, 400, 4999);
  hw.kind = HardwareKind::kUnified;
  hw.vendor = "apple";
  hw.fp16_flop_per_s = 14.3e12;
  hw.tdp_watts = 140;
  hw.interconnect = "none";
  hw.interconnect_bandwidth_bytes_per_s = 0;
  hw.gpu_wired_limit_fraction = 0.75;
  hw.os_reserved_bytes = 8 * kGiB;
  return hw;
}

HardwareSpec Cpu64g() {
  HardwareSpec hw = Gpu("cpu-64g", 64, 83.2, 899);
  hw.kind = HardwareKind::kCpu;
  hw.vendor = "amd";
  hw.fp16_flop_per_s = 4.6e12;
  hw.tdp_watts = 170;
  hw.interconnect = "none";
  hw.interconnect_bandwidth_bytes_per_s = 0;
  hw.os_reserved_bytes = 4 * kGiB;
  hw.cores = 16;
  return hw;
}

RuntimeInfo Runtime(const std::string& id, RuntimeMemoryModel model) {
  RuntimeInfo info;
  info.id = id;
  info.name = id + " (fixture)";
  info.version = "1";
  info.source = kSource;
  info.artifact_formats = {WeightContainer::kGguf, WeightContainer::kSafetensors};
  info.hardware_kinds = {HardwareKind::kGpu, HardwareKind::kUnified, HardwareKind::kCpu};
  info.flags = {{"pool", "--pool"}};
  info.flags_source = "fixture";
  info.memory_model = std::move(model);
  return info;
}

RuntimeMemoryModel UpFront() {
  RuntimeMemoryModel m;
  m.version = "fixture";
  m.engine = "llama.cpp";
  m.source = "fixture";
  m.kv_dtypes = {"f16", "q8_0"};
  m.kv_allocation = KvAllocation::kUpFront;
  m.kv_page_tokens = 1;
  m.kv_pad_tokens = 256;
  m.logits_on_host = true;
  m.token_embedding_on_host = true;
  m.activation_model = ActivationModel::kLlamaCppGraph;
  m.multi_device = MultiDevice::kLayerSplit;
  m.quantized_v_needs_flash_attention = true;
  m.device_context_bytes.SetAll(256 * kMiB);
  m.micro_batch_tokens = 512;
  m.fragmentation_fraction = 0.02;
  m.decode_efficiency.SetAll(0.5);
  m.prefill_efficiency.SetAll(0.3);
  m.efficiency_source = m.memory_source = "fixture";
  return m;
}

RuntimeMemoryModel Paged() {
  RuntimeMemoryModel m = UpFront();
  m.engine = "vllm";
  m.kv_dtypes = {"f16", "fp8"};
  m.sparse_structures = {"2:4"};
  m.kv_allocation = KvAllocation::kPagedPool;
  m.kv_page_tokens = 16;
  m.kv_pad_tokens = 1;
  m.logits_on_host = false;
  m.token_embedding_on_host = false;
  m.activation_model = ActivationModel::kTorchProfile;
  m.multi_device = MultiDevice::kTensorParallel;
  m.quantized_v_needs_flash_attention = false;
  m.default_pool_fraction = 0.90;
  m.pool_fraction_flag = "pool";
  m.fixed_runtime_bytes_gpu = 1 * kGiB;
  m.micro_batch_tokens = 8192;
  m.fragmentation_fraction = 0.05;
  return m;
}

RuntimeInfo PagedRuntime() {
  RuntimeInfo info = Runtime("paged", Paged());
  info.capabilities["multi_node"] = {true, "fixture"};
  info.flags["pool"] = "--pool-fraction";
  return info;
}

// Runs only on NVIDIA GPUs and loads only safetensors.
RuntimeInfo CudaOnlyRuntime() {
  RuntimeMemoryModel m = Paged();
  m.engine = "tensorrt-llm";
  m.vendors = {"nvidia"};
  RuntimeInfo info = Runtime("cuda-only", std::move(m));
  info.artifact_formats = {WeightContainer::kSafetensors};
  info.hardware_kinds = {HardwareKind::kGpu};
  info.capabilities["multi_node"] = {true, "fixture"};
  return info;
}

}  // namespace

const Catalog& FixtureCatalog() {
  static const Catalog* catalog = [] {
    auto* c = new Catalog();
    for (ModelSpec m : {Dense8b(), Swa12b(), Window7b(), Tied1b(), Dense70b(), Dense405b(),
                        Moe30b(), Hybrid4b(), Mla16b(), Encoder568m()}) {
      c->AddModel(std::move(m));
    }
    c->AddHardware(Gpu("gpu-12g", 12, 360, 300));
    c->AddHardware(Gpu("gpu-24g", 24, 1008, 1600));
    c->AddHardware(Gpu80g());
    c->AddHardware(Mac128g());
    c->AddHardware(Cpu64g());
    c->AddRuntime(Runtime("upfront", UpFront()));
    c->AddRuntime(PagedRuntime());
    c->AddRuntime(CudaOnlyRuntime());
    return c;
  }();
  return *catalog;
}

}  // namespace sizer::testing

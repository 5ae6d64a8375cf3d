#include "testing/fixture_catalog.h"

#include "base/units.h"

namespace sizer::testing {
namespace {

ModelSpec Dense8b() {
  ModelSpec m;
  m.id = "dense-8b";
  m.name = "Dense 8B (fixture)";
  m.family = "llama";
  m.source = "tests/testing/fixture_catalog.cc";
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

HardwareSpec Gpu(const std::string& id, double memory_gib, double bandwidth_gb_per_s, double price) {
  HardwareSpec hw;
  hw.id = id;
  hw.name = id + " (fixture)";
  hw.kind = HardwareKind::kGpu;
  hw.vendor = "nvidia";
  hw.memory_bytes = memory_gib * kGiB;
  hw.memory_bandwidth_bytes_per_s = bandwidth_gb_per_s * 1e9;
  hw.fp16_flop_per_s = 100e12;
  hw.tdp_watts = 300;
  hw.price_usd = price;
  hw.price_date = "2026-01";
  hw.interconnect_bandwidth_bytes_per_s = 32e9;
  hw.source = "tests/testing/fixture_catalog.cc";
  return hw;
}

RuntimeInfo Runtime(const std::string& id, RuntimeMemoryModel model) {
  RuntimeInfo info;
  info.id = id;
  info.name = id + " (fixture)";
  info.version = "1";
  info.source = "tests/testing/fixture_catalog.cc";
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
  m.activation_model = ActivationModel::kLlamaCppGraph;
  m.multi_device = MultiDevice::kLayerSplit;
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
  m.kv_allocation = KvAllocation::kPagedPool;
  m.kv_page_tokens = 16;
  m.kv_pad_tokens = 1;
  m.activation_model = ActivationModel::kTorchProfile;
  m.multi_device = MultiDevice::kTensorParallel;
  m.default_pool_fraction = 0.90;
  m.pool_fraction_flag = "pool";
  m.fixed_runtime_bytes_gpu = 1 * kGiB;
  m.micro_batch_tokens = 8192;
  m.fragmentation_fraction = 0.05;
  return m;
}

}  // namespace

const Catalog& FixtureCatalog() {
  static const Catalog* catalog = [] {
    auto* c = new Catalog();
    c->AddModel(Dense8b());
    c->AddModel(Swa12b());
    c->AddHardware(Gpu("gpu-12g", 12, 360, 300));
    c->AddHardware(Gpu("gpu-24g", 24, 1008, 1600));
    c->AddHardware(Gpu("gpu-80g", 80, 3350, 25000));
    c->AddRuntime(Runtime("upfront", UpFront()));
    c->AddRuntime(Runtime("paged", Paged()));
    return c;
  }();
  return *catalog;
}

}  // namespace sizer::testing

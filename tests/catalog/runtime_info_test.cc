// runtime_db/: the one description of every runtime (facts, flags, memory model); the facts of
// one file agree with each other, and broken entries are errors with a position.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "plan/planner.h"
#include "catalog/runtime_info.h"
#include "knowledge/runtime_profile.h"
#include "yaml/yaml_reader.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::ParseJobOrDie;
using testing::RealCatalog;

TEST(RuntimeDb, TheSevenRuntimesAreThere) {
  std::set<std::string> entries;
  for (const RuntimeInfo& r : RealCatalog().runtimes()) entries.insert(r.id);
  EXPECT_EQ(entries, (std::set<std::string>{"llama.cpp", "lmstudio", "mlx", "ollama", "sglang",
                                            "tensorrt-llm", "vllm"}));
}

// The capabilities a file states and its memory model must tell the same story.
TEST(RuntimeDb, CapabilitiesAgreeWithTheMemoryModel) {
  for (const RuntimeInfo& r : RealCatalog().runtimes()) {
    const RuntimeProfile p = MakeRuntimeProfile(r);
    EXPECT_EQ(r.Has("sparse_kernels"), !p.sparse_structures.empty()) << r.id << ": sparse_kernels";
    const bool quantized_kv = std::any_of(p.kv_dtypes.begin(), p.kv_dtypes.end(), [](const std::string& d) {
      return d != "f32" && d != "f16" && d != "bf16";
    });
    EXPECT_EQ(r.Has("kv_cache_quantization"), quantized_kv) << r.id << ": kv_cache_quantization";
    // The planner's offload check admits llama.cpp engines only; a runtime_db entry may say
    // more (vLLM's --cpu-offload-gb), never less.
    if (p.engine.find("llama.cpp") != std::string::npos) {
      EXPECT_TRUE(r.Has("cpu_offload")) << r.id;
    }
    // A pool fraction is set with the runtime's own flag, spelled as in flags:.
    EXPECT_EQ(p.default_pool_fraction > 0, !p.pool_fraction_flag_text.empty()) << r.id;
    EXPECT_EQ(p.kv_allocation == KvAllocation::kPagedPool, p.default_pool_fraction > 0) << r.id;
    for (const auto& [name, cap] : r.capabilities) EXPECT_FALSE(cap.source.empty()) << r.id << "." << name;
    EXPECT_GT(r.endpoints.port, 0) << r.id;
    EXPECT_FALSE(r.flags_source.empty()) << r.id;
    EXPECT_FALSE(p.memory_source.empty()) << r.id;
    EXPECT_FALSE(p.efficiency_source.empty()) << r.id;
  }
}

TEST(RuntimeDb, TensorRtLlmsPoolIsSetWithItsServeFlag) {
  StatusOr<RuntimeInfo> trt = RealCatalog().FindRuntime("tensorrt-llm");
  ASSERT_TRUE(trt.ok());
  EXPECT_EQ(MakeRuntimeProfile(*trt).pool_fraction_flag_text, "--kv_cache_free_gpu_memory_fraction");
  EXPECT_EQ(*trt->Flag(trt->memory_model.pool_fraction_flag), "--kv_cache_free_gpu_memory_fraction");
}

TEST(RuntimeDb, ServerRuntimesAreTheOnesWithApiBatchingMetricsAndGpuServing) {
  std::vector<std::string> kept;
  for (const RuntimeInfo& r : RealCatalog().runtimes()) {
    if (r.Has("openai_api") && r.Has("batching") && r.Has("metrics") && r.Has("gpu_serving")) {
      kept.push_back(r.id);
    }
  }
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<std::string>{"llama.cpp", "sglang", "tensorrt-llm", "vllm"}));
}

// A valid entry to break one field at a time.
std::string Entry(const std::string& replace_from = "", const std::string& replace_to = "") {
  std::string text = R"(id: vllm
name: vLLM
version: v0.10.2
source: docs
artifact_formats: [safetensors]
hardware_kinds: [gpu]
images:
  - {image: "vllm/vllm-openai:v0.10.2", kind: gpu, vendor: nvidia, source: hub}
endpoints: {port: 8000, openai_base: /v1, health: /health, metrics: /metrics, source: docs}
capabilities:
  openai_api: {supported: true, source: s}
  batching: {supported: true, source: s}
  metrics: {supported: true, source: s}
  health: {supported: true, source: s}
  tensor_parallel: {supported: true, source: s}
  pipeline_parallel: {supported: true, source: s}
  multi_node: {supported: true, source: s}
  kv_cache_quantization: {supported: true, source: s}
  cpu_offload: {supported: false, source: s}
  sparse_kernels: {supported: true, source: s}
  gpu_serving: {supported: true, source: s}
flags: {max_model_len: --max-model-len, gpu_memory_utilization: --gpu-memory-utilization, source: docs}
memory_model:
  version: "0.10"
  engine: vllm
  source: docs
  kv_dtypes: [f16, bf16, fp8]
  kv_allocation: paged_pool
  kv_page_tokens: 16
  kv_pad_tokens: 1
  sliding_keeps_window_only: true
  logits_on_host: false
  token_embedding_on_host: false
  activation_model: torch_profile
  sampler_rows: 256
  multi_device: tensor_parallel
  quantized_v_needs_flash_attention: false
  flash_attention: true
  default_pool_fraction: 0.90
  pool_fraction_flag: gpu_memory_utilization
  recurrent_state_bytes_per_element: 2
  device_context_bytes: {gpu: 512 MiB, unified: 0, cpu: 0}
  fixed_runtime_bytes_gpu: 1 GiB
  micro_batch_tokens: 8192
  fragmentation_fraction: 0.05
  decode_efficiency: {gpu: 0.70, unified: 0, cpu: 0}
  prefill_efficiency: {gpu: 0.50, unified: 0, cpu: 0}
  efficiency_source: assumption
  memory_source: docs
)";
  if (!replace_from.empty()) {
    size_t at = text.find(replace_from);
    EXPECT_NE(at, std::string::npos) << replace_from;
    if (at != std::string::npos) text.replace(at, replace_from.size(), replace_to);
  }
  return text;
}

StatusOr<RuntimeInfo> Parse(const std::string& text) {
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Parse(text, "runtime_db/vllm.yaml"));
  return ParseRuntimeInfo(root);
}

TEST(RuntimeInfoParse, ValidEntryParses) {
  StatusOr<RuntimeInfo> r = Parse(Entry());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->Has("metrics"));
  EXPECT_FALSE(r->Has("cpu_offload"));
  EXPECT_EQ(*r->Flag("max_model_len"), "--max-model-len");
  EXPECT_FALSE(r->Flag("nonexistent").ok());
  EXPECT_EQ(r->endpoints.port, 8000);
}

TEST(RuntimeInfoParse, UnknownCapabilityIsAnErrorWithASuggestion) {
  StatusOr<RuntimeInfo> r = Parse(Entry("  batching:", "  batchng:"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("runtime_db/vllm.yaml:12:"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("did you mean 'batching'"), std::string::npos) << r.status().message();
}

TEST(RuntimeInfoParse, EveryCapabilityMustBeStated) {
  StatusOr<RuntimeInfo> r = Parse(Entry("  gpu_serving: {supported: true, source: s}\n", ""));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("missing capability 'gpu_serving'"), std::string::npos)
      << r.status().message();
}

TEST(RuntimeInfoParse, AnImageMustBePinnedByTag) {
  for (const char* image : {"vllm/vllm-openai:latest", "vllm/vllm-openai", "localhost:5000/vllm"}) {
    StatusOr<RuntimeInfo> r = Parse(Entry("vllm/vllm-openai:v0.10.2", image));
    ASSERT_FALSE(r.ok()) << image;
    EXPECT_NE(r.status().message().find("pinned by a tag"), std::string::npos) << r.status().message();
  }
  EXPECT_TRUE(Parse(Entry("vllm/vllm-openai:v0.10.2", "localhost:5000/vllm:v1")).ok());
}

TEST(RuntimeInfoParse, MetricsCapabilityNeedsAnEndpoint) {
  StatusOr<RuntimeInfo> r = Parse(Entry("metrics: /metrics,", "metrics: \"\","));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("endpoints.metrics is empty"), std::string::npos) << r.status().message();
}

TEST(RuntimeInfoParse, BadKindFormatPortAndFlagsAreErrors) {
  EXPECT_FALSE(Parse(Entry("hardware_kinds: [gpu]", "hardware_kinds: [gpuu]")).ok());
  EXPECT_FALSE(Parse(Entry("artifact_formats: [safetensors]", "artifact_formats: [onnx]")).ok());
  EXPECT_FALSE(Parse(Entry("port: 8000", "port: 70000")).ok());
  EXPECT_FALSE(Parse(Entry(", source: docs}", "}")).ok());
  EXPECT_FALSE(Parse(Entry("health: /health", "health: health")).ok());
}

// A database root with empty model_db/ and hardware_db/ and one runtime_db file.
StatusOr<Catalog> LoadWithRuntimeFile(const std::string& file_name, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path root = fs::temp_directory_path() / ("sizer_runtime_db_" + std::to_string(::getpid()));
  fs::remove_all(root);
  for (const char* sub : {"model_db", "hardware_db", "runtime_db"}) fs::create_directories(root / sub);
  std::ofstream(root / "runtime_db" / file_name) << text;
  StatusOr<Catalog> catalog = Catalog::Load(root.string());
  fs::remove_all(root);
  return catalog;
}

// A team's own runtime is one more file: its memory model comes with it, and a job plans on it.
TEST(RuntimeDbLoad, AnEntryOfOnesOwnWithAMemoryModelLoads) {
  StatusOr<Catalog> c = LoadWithRuntimeFile("my-vllm.yaml", Entry("id: vllm", "id: my-vllm"));
  ASSERT_TRUE(c.ok()) << c.status().message();
  StatusOr<RuntimeInfo> r = c->FindRuntime("my-vllm");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(MakeRuntimeProfile(*r).kv_page_tokens, 16);
}

TEST(RuntimeInfoParse, AnEntryWithoutAMemoryModelIsAnErrorWithItsPosition) {
  std::string text = Entry();
  text = text.substr(0, text.find("memory_model:"));
  StatusOr<RuntimeInfo> r = Parse(text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("runtime_db/vllm.yaml:1:"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("memory_model"), std::string::npos) << r.status().message();
}

TEST(RuntimeInfoParse, BadMemoryModelValuesAreErrorsAtTheirKey) {
  struct Case { const char* from; const char* to; const char* want; };
  for (const Case& c : {Case{"kv_allocation: paged_pool", "kv_allocation: paged", "did you mean 'paged_pool'"},
                        Case{"multi_device: tensor_parallel", "multi_device: tp", "expected one of"},
                        Case{"decode_efficiency: {gpu: 0.70,", "decode_efficiency: {gpu: 1.70,", "memory_model.decode_efficiency.gpu"},
                        Case{"kv_page_tokens: 16", "kv_page_tokens: 0", "memory_model.kv_page_tokens"},
                        Case{"pool_fraction_flag: gpu_memory_utilization", "pool_fraction_flag: gpu_mem", "not a key of flags"},
                        Case{"  pool_fraction_flag: gpu_memory_utilization\n", "", "names its flag"},
                        Case{"  memory_source: docs\n", "", "memory_source"}}) {
    StatusOr<RuntimeInfo> r = Parse(Entry(c.from, c.to));
    ASSERT_FALSE(r.ok()) << c.from;
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find("runtime_db/vllm.yaml:"), std::string::npos) << r.status().message();
  }
}

TEST(RuntimeDbLoad, AnIdThatDiffersFromItsFileNameIsAnError) {
  StatusOr<Catalog> c = LoadWithRuntimeFile("sglang.yaml", Entry());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("differs from the file name 'sglang'"), std::string::npos)
      << c.status().message();
  StatusOr<Catalog> ok = LoadWithRuntimeFile("vllm.yaml", Entry());
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->runtimes().size(), 1u);
  EXPECT_TRUE(ok->FindRuntime("vllm").ok());
  EXPECT_NE(ok->FindRuntime("vlm").status().message().find("did you mean 'vllm'"), std::string::npos);
}

TEST(JobRuntimeRequires, UnknownCapabilityIsAnErrorWithASuggestion) {
  StatusOr<JobSpec> job = ParseJobSpec(R"(job: j
model: llama-3.1-8b
quant: Q4_K_M
context_tokens: 4096
runtime: llama.cpp
runtime_requires: [openai_api, metrcs]
prompt_tokens: 100
output_tokens: 100
candidates: [rtx-4090]
)", "job.yaml", RealCatalog());
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("job.yaml:6:"), std::string::npos) << job.status().message();
  EXPECT_NE(job.status().message().find("did you mean 'metrics'"), std::string::npos) << job.status().message();
}

std::string RequiresJob(const std::string& runtime, const std::string& requires_list) {
  return "job: j\nmodel: llama-3.1-8b\nquant: Q4_K_M\ncontext_tokens: 4096\nruntime: " + runtime +
         "\nruntime_requires: " + requires_list +
         "\nprompt_tokens: 100\noutput_tokens: 100\ncandidates: [rtx-4090]\n";
}

int CountWarningsWith(const Plan& plan, const std::string& text) {
  return static_cast<int>(std::count_if(plan.warnings.begin(), plan.warnings.end(),
                                        [&](const Formula& w) { return RenderFormula(w).find(text) != std::string::npos; }));
}

TEST(JobRuntimeRequires, PlanWarnsWhenTheRuntimeLacksACapability) {
  JobSpec job = ParseJobOrDie(RequiresJob("ollama", "[openai_api, metrics, tensor_parallel]"));
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(CountWarningsWith(*plan, "ollama lacks the required capability 'metrics'"), 1);
  EXPECT_EQ(CountWarningsWith(*plan, "ollama lacks the required capability 'tensor_parallel'"), 1);
  EXPECT_EQ(CountWarningsWith(*plan, "'openai_api'"), 0);
}

TEST(JobRuntimeRequires, NoWarningWhenTheRuntimeHasThem) {
  JobSpec job = ParseJobOrDie(RequiresJob("llama.cpp", "[openai_api, batching, metrics, health]"));
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(CountWarningsWith(*plan, "lacks the required capability"), 0);
}

// runtime_db is the one description of a runtime: a job whose runtime has no entry there is
// refused at the runtime key, not planned with facts from elsewhere.
TEST(JobRuntime, ARuntimeWithoutARuntimeDbEntryIsRefusedAtItsKey) {
  Catalog empty_runtimes;
  for (const ModelSpec& m : RealCatalog().models()) empty_runtimes.AddModel(m);
  for (const HardwareSpec& h : RealCatalog().hardware()) empty_runtimes.AddHardware(h);
  StatusOr<JobSpec> job = ParseJobSpec(RequiresJob("vllm", "[metrics]"), "job.yaml", empty_runtimes);
  ASSERT_FALSE(job.ok());
  EXPECT_NE(job.status().message().find("job.yaml:5:"), std::string::npos) << job.status().message();
  EXPECT_NE(job.status().message().find("unknown runtime 'vllm'"), std::string::npos) << job.status().message();
}

TEST(JobRuntime, IdsMatchIgnoringCase) {
  JobSpec job = ParseJobOrDie(RequiresJob("vLLM", "[metrics]"));
  EXPECT_EQ(job.runtime, "vllm");
  EXPECT_EQ(job.runtime_info.id, "vllm");
}

std::string SmokeJob(const std::string& smoke) {
  return "job: j\nmodel: llama-3.1-8b\nquant: Q4_K_M\ncontext_tokens: 4096\nruntime: llama.cpp\n"
         "prompt_tokens: 100\noutput_tokens: 100\ncandidates: [rtx-4090]\nsmoke_eval:\n" + smoke;
}

TEST(JobSmokeEval, CasesParseWithDefaults) {
  JobSpec job = ParseJobOrDie(SmokeJob(
      "  - {question: 'Capital of France?', expect: Paris}\n"
      "  - {name: sum, question: '2+2?', expect: '4', max_latency_ms: 900, max_tokens: 8}\n"));
  ASSERT_EQ(job.smoke_eval.size(), 2u);
  EXPECT_EQ(job.smoke_eval[0].name, "case-1");
  EXPECT_EQ(job.smoke_eval[0].max_tokens, 32);
  EXPECT_FALSE(job.smoke_eval[0].max_latency_ms);
  EXPECT_EQ(job.smoke_eval[1].name, "sum");
  EXPECT_DOUBLE_EQ(*job.smoke_eval[1].max_latency_ms, 900.0);
  EXPECT_EQ(job.smoke_eval[1].max_tokens, 8);
}

TEST(JobSmokeEval, BadCasesAreErrors) {
  struct Bad { const char* yaml; const char* message; };
  for (const Bad& bad : {
           Bad{"  - {question: q}\n", "missing required key 'expect'"},
           Bad{"  - {question: q, expect: ''}\n", "must not be empty"},
           Bad{"  - {name: 'a b', question: q, expect: e}\n", "letters, digits"},
           Bad{"  - {name: a, question: q, expect: e}\n  - {name: a, question: q, expect: e}\n", "duplicate case name"},
           Bad{"  - {question: q, expect: e, max_latency_ms: -1}\n", "greater than 0"},
           Bad{"  - {question: q, expect: e, answer: x}\n", "unknown key 'answer'"},
           Bad{"  []\n", "non-empty list"},
       }) {
    StatusOr<JobSpec> job = ParseJobSpec(SmokeJob(bad.yaml), "job.yaml", RealCatalog());
    ASSERT_FALSE(job.ok()) << bad.yaml;
    EXPECT_NE(job.status().message().find(bad.message), std::string::npos) << job.status().message();
  }
}

}  // namespace
}  // namespace sizer

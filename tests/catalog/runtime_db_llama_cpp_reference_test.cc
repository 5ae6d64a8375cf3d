// runtime_db/llama.cpp.yaml's memory model (the shipped database) against what llama.cpp b4748
// itself reported (tests/data/reference/llama-cpp-reference.yaml): KV cache, compute buffer
// and file sizes.
#include <cmath>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "base/units.h"
#include "plan/kv_cache.h"
#include "plan/runtime_memory.h"
#include "plan/weights.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

YAML::Node Reference() {
  return YAML::LoadFile(testing::TestDataDir() + "/reference/llama-cpp-reference.yaml");
}

ModelSpec ReferenceModel(const YAML::Node& ref) {
  YAML::Node dims = ref["model"]["dims"];
  ModelSpec m;
  m.id = "llama-cpp-reference";
  m.family = "llama";
  m.params_total = m.params_active = ref["model"]["params"].as<double>();
  m.d_model = dims["d_model"].as<int64_t>();
  m.n_layers = dims["n_layers"].as<int64_t>();
  m.n_heads = dims["n_heads"].as<int64_t>();
  m.n_kv_heads = dims["n_kv_heads"].as<int64_t>();
  m.head_dim = dims["head_dim"].as<int64_t>();
  m.d_ff = dims["d_ff"].as<int64_t>();
  m.vocab_size = dims["vocab"].as<int64_t>();
  m.max_context_tokens = 131072;
  return m;
}

JobSpec ReferenceJob(const ModelSpec& model, const std::string& kv_type, bool flash_attention) {
  JobSpec job;
  job.model = model;
  job.quant = "Q4_K_M";
  job.kv_cache_dtype = kv_type;
  job.runtime = "llama.cpp";
  // The memory model under test is the one runtime_db/llama.cpp.yaml states.
  StatusOr<RuntimeInfo> runtime = testing::RealCatalog().FindRuntime("llama.cpp");
  EXPECT_TRUE(runtime.ok()) << runtime.status().message();
  if (runtime.ok()) job.runtime_info = *runtime;
  job.flash_attention = flash_attention;
  return job;
}

// Printed with two decimals in MiB: agree to the printed precision.
constexpr double kPrintedMiBTolerance = 0.005;

TEST(LlamaCppReference, KvCacheAndComputeBufferMatchWhatLlamaCppReported) {
  YAML::Node ref = Reference();
  ModelSpec model = ReferenceModel(ref);
  int rows = 0;
  for (const YAML::Node& row : ref["memory"]) {
    const int64_t context = row["context"].as<int64_t>();
    const bool fa = row["flash_attn"].as<bool>();
    JobSpec job = ReferenceJob(model, row["kv_type"].as<std::string>(), fa);
    StatusOr<PlanInputs> in = ResolvePlanInputs(job, job.quant);
    ASSERT_TRUE(in.ok()) << in.status().message();
    KvPlan kv = PlanKvCache(*in, context, 1);
    EXPECT_NEAR(kv.bytes / kMiB, row["kv_mib"].as<double>(), kPrintedMiBTolerance)
        << "kv " << row["quant"].as<std::string>() << " fa=" << fa;
    double compute = LlamaCppComputeBufferBytes(model, in->runtime.micro_batch_tokens,
                                                kv.full_cells, fa);
    EXPECT_NEAR(compute / kMiB, row["compute_buffer_mib"].as<double>(), kPrintedMiBTolerance)
        << "compute buffer fa=" << fa;
    ++rows;
  }
  EXPECT_EQ(rows, 4);
}

// Predicted artifact size (tensor bytes; the GGUF header and metadata are not weights) against
// the real files llama-quantize wrote. The error seen: under 0.01% for every format.
constexpr double kArtifactSizeRelativeTolerance = 1e-3;

TEST(LlamaCppReference, PredictedArtifactSizesMatchRealFiles) {
  YAML::Node ref = Reference();
  ModelSpec model = ReferenceModel(ref);
  int files = 0;
  for (const auto& entry : ref["files"]) {
    std::string quant = entry.first.as<std::string>();
    double file_bytes = entry.second["file_bytes"].as<double>();
    const WeightFormat* format = FindWeightFormat(quant);
    ASSERT_NE(format, nullptr) << quant;
    WeightPlan w = PlanWeights(model, *format);
    double error = (w.total_bytes - file_bytes) / file_bytes;
    EXPECT_LT(std::fabs(error), kArtifactSizeRelativeTolerance)
        << quant << ": predicted " << w.total_bytes << " real " << file_bytes;
    EXPECT_LE(w.total_bytes, file_bytes) << quant << ": tensors cannot exceed the file";
    ++files;
  }
  EXPECT_EQ(files, 5);
}

}  // namespace
}  // namespace sizer

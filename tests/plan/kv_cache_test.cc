#include "plan/kv_cache.h"

#include <gtest/gtest.h>

#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::ParseJobOrDie;
using testing::RealCatalog;

ModelSpec Model(const std::string& id) {
  StatusOr<ModelSpec> m = RealCatalog().FindModel(id);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : ModelSpec();
}

// The figures the issue asks for, from the real model_db entries, f16 cache.
TEST(KvBytesPerToken, MatchesPublishedFiguresAtF16) {
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("llama-3.1-8b"), 2.0), 131072);
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("llama-3.1-70b"), 2.0), 327680);
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("qwen2.5-7b"), 2.0), 57344);
  // MLA: 61 layers x (kv_lora_rank 512 + qk_rope_head_dim 64) x 2 bytes.
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("deepseek-v3"), 2.0), 70272);
}

TEST(KvBytesPerToken, Q8_0CarriesItsBlockScale) {
  // q8_0 stores 32 values in 34 bytes: 8.5 bits a value.
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("llama-3.1-8b"), 34.0 / 32.0), 131072 * 34.0 / 64.0);
}

PlanInputs Inputs(const JobSpec& job) {
  StatusOr<PlanInputs> in = ResolvePlanInputs(job, job.quant);
  EXPECT_TRUE(in.ok()) << in.status().message();
  return *in;
}

std::string Job(const std::string& model, const std::string& runtime, const std::string& quant,
                int context, int seqs) {
  return "job: t\nmodel: " + model + "\nquant: " + quant + "\ncontext_tokens: " +
         std::to_string(context) + "\nconcurrency: " + std::to_string(seqs) + "\nruntime: " +
         runtime + "\nprompt_tokens: 100\noutput_tokens: 100\ncandidates: [h100-sxm]\n";
}

TEST(PlanKvCache, LlamaCppSlidingLayersKeepWindowTimesSequencesPlusMicroBatch) {
  JobSpec job = ParseJobOrDie(Job("gemma-3-27b", "llama.cpp", "Q4_K_M", 32768, 2));
  PlanInputs in = Inputs(job);
  KvPlan kv = PlanKvCache(in, 32768, 2);
  EXPECT_EQ(kv.full_cells, 65536);
  // pad256(1024 window x 2 sequences + 512 micro-batch) = 2560.
  EXPECT_EQ(kv.sliding_cells, 2560);
  const ModelSpec& m = in.model;
  double per_layer = 2.0 * m.n_kv_heads * m.head_dim * 2.0;
  double expected = per_layer * (static_cast<double>(m.CountLayers(LayerKind::kFull)) * 65536 +
                                 static_cast<double>(m.CountLayers(LayerKind::kSliding)) * 2560);
  EXPECT_DOUBLE_EQ(kv.bytes, expected);
  // Far below the naive every-layer-full estimate, and affine rather than proportional in
  // context: doubling the context less than doubles the cache.
  EXPECT_LT(kv.bytes, 0.25 * per_layer * static_cast<double>(m.n_layers) * 65536);
  EXPECT_LT(PlanKvCache(in, 65536, 2).bytes, 2 * kv.bytes);
}

TEST(PlanKvCache, KeepFullSlidingCacheOverride) {
  JobSpec job = ParseJobOrDie(Job("gemma-3-27b", "llama.cpp", "Q4_K_M", 8192, 1) +
                              "assumptions: {keep_full_sliding_cache: true}\n");
  KvPlan kv = PlanKvCache(Inputs(job), 8192, 1);
  EXPECT_EQ(kv.sliding_cells, kv.full_cells);
}

TEST(PlanKvCache, VllmAllocatesSixteenTokenPagesPerSequence) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "vllm", "FP16", 1000, 3));
  KvPlan kv = PlanKvCache(Inputs(job), 1000, 3);
  EXPECT_EQ(kv.full_cells, 1008 * 3);  // ceil(1000 / 16) x 16 per sequence
  EXPECT_DOUBLE_EQ(kv.bytes, 131072.0 * 1008 * 3);
}

TEST(PlanKvCache, LlamaCppPadsTheUnifiedCacheTo256Cells) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "llama.cpp", "Q4_K_M", 1000, 3));
  EXPECT_EQ(PlanKvCache(Inputs(job), 1000, 3).full_cells, 3072);  // pad256(3000)
}

TEST(PlanKvCache, LinearLayersKeepAFixedStatePerSequence) {
  JobSpec job = ParseJobOrDie(Job("qwen3-next-80b-a3b", "llama.cpp", "Q4_K_M", 4096, 2));
  PlanInputs in = Inputs(job);
  KvPlan short_context = PlanKvCache(in, 4096, 2);
  KvPlan long_context = PlanKvCache(in, 65536, 2);
  EXPECT_GT(short_context.state_bytes, 0);
  EXPECT_DOUBLE_EQ(short_context.state_bytes, long_context.state_bytes);
  EXPECT_DOUBLE_EQ(PlanKvCache(in, 4096, 4).state_bytes, 2 * short_context.state_bytes);
  // Only the full-attention quarter of the layers grows with the context.
  EXPECT_DOUBLE_EQ(long_context.attention_bytes, 16 * short_context.attention_bytes);
}

TEST(KvReadBytesPerToken, GrowsWithDepthAndStopsAtTheWindow) {
  JobSpec job = ParseJobOrDie(Job("mistral-7b", "llama.cpp", "Q4_K_M", 32768, 1));
  PlanInputs in = Inputs(job);  // every layer slides with a 4096 window
  EXPECT_DOUBLE_EQ(KvReadBytesPerToken(in, 0), 0);
  EXPECT_LT(KvReadBytesPerToken(in, 1000), KvReadBytesPerToken(in, 4000));
  EXPECT_DOUBLE_EQ(KvReadBytesPerToken(in, 4096), KvReadBytesPerToken(in, 30000));
}

}  // namespace
}  // namespace sizer

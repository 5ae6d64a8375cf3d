#include "plan/weights.h"

#include <gtest/gtest.h>

#include "testing/test_env.h"

namespace sizer {
namespace {

ModelSpec Model(const std::string& id) {
  StatusOr<ModelSpec> m = testing::RealCatalog().FindModel(id);
  EXPECT_TRUE(m.ok()) << m.status().message();
  return m.ok() ? *m : ModelSpec();
}

const WeightFormat& Format(const std::string& id) {
  const WeightFormat* f = FindWeightFormat(id);
  EXPECT_NE(f, nullptr) << id;
  return *f;
}

double BytesOf(const WeightPlan& w, TensorClass cls, const std::string& type) {
  for (const TensorGroup& g : w.groups) {
    if (g.cls == cls && g.type == type) return g.bytes;
  }
  return 0;
}

int64_t TensorsOf(const WeightPlan& w, TensorClass cls, const std::string& type) {
  for (const TensorGroup& g : w.groups) {
    if (g.cls == cls && g.type == type) return g.tensors;
  }
  return 0;
}

TEST(PlanWeights, Q4KMGivesHalfOfAttnVAndFfnDownQ6KAndTheOutputQ6K) {
  WeightPlan w = PlanWeights(Model("llama-3.1-8b"), Format("Q4_K_M"));
  // use_more_bits over 32 layers picks 16 of them.
  EXPECT_EQ(TensorsOf(w, TensorClass::kAttnV, "Q6_K"), 16);
  EXPECT_EQ(TensorsOf(w, TensorClass::kAttnV, "Q4_K"), 16);
  EXPECT_EQ(TensorsOf(w, TensorClass::kFfnDown, "Q6_K"), 16);
  EXPECT_EQ(TensorsOf(w, TensorClass::kOutput, "Q6_K"), 1);
  EXPECT_EQ(TensorsOf(w, TensorClass::kTokenEmbedding, "Q4_K"), 1);
  // A published Llama-3.1-8B Q4_K_M GGUF is 4.92 GB; tensors alone are a little less.
  EXPECT_NEAR(w.total_bytes / 1e9, 4.91, 0.02);
}

TEST(PlanWeights, GgufF16KeepsNormsAndRouterInF32) {
  WeightPlan w = PlanWeights(Model("llama-3.1-8b"), Format("F16"));
  EXPECT_GT(BytesOf(w, TensorClass::kNorm, "F32"), 0);
  EXPECT_NEAR(w.total_bytes, 2.0 * 8030261248.0, 2.0 * 8030261248.0 * 1e-4);
}

TEST(PlanWeights, TiedEmbeddingsAreCountedOnceAndReadAsTheOutput) {
  ModelSpec m = Model("llama-3.2-1b");
  ASSERT_TRUE(m.tied_embeddings);
  WeightPlan w = PlanWeights(m, Format("Q8_0"));
  EXPECT_DOUBLE_EQ(w.output_bytes, 0);
  EXPECT_NEAR(w.total_params, m.params_total, 1);
  EXPECT_DOUBLE_EQ(w.read_per_token_bytes, w.total_bytes);  // the table is the lm_head
}

TEST(PlanWeights, UntiedEmbeddingIsALookupAtDecode) {
  WeightPlan w = PlanWeights(Model("llama-3.1-8b"), Format("Q8_0"));
  EXPECT_DOUBLE_EQ(w.read_per_token_bytes, w.total_bytes - w.token_embedding_bytes);
}

TEST(PlanWeights, MoeReadsOnlyTheRoutedExpertsItUses) {
  ModelSpec m = Model("qwen3-30b-a3b");
  WeightPlan w = PlanWeights(m, Format("Q8_0"));
  EXPECT_LT(w.read_per_token_bytes, 0.2 * w.total_bytes);
  // The per-token parameter count derived from the architecture agrees with the published
  // active count (3.3B) to within the embedding/rounding slack.
  EXPECT_NEAR(w.active_params / 1e9, m.params_active / 1e9, 0.35);
}

TEST(PlanWeights, RowsThatAreNotMultiplesOf256FallBackFromKQuants) {
  // gpt-oss hidden size 2880 is not a multiple of 256: Q4_K falls back to Q5_0.
  WeightPlan w = PlanWeights(Model("gpt-oss-20b"), Format("Q4_K_M"));
  EXPECT_GT(TensorsOf(w, TensorClass::kAttnQ, "Q5_0"), 0);
  EXPECT_EQ(TensorsOf(w, TensorClass::kAttnQ, "Q4_K"), 0);
}

TEST(PlanWeights, GptqGroupScalesAndZerosAreCounted) {
  WeightPlan w = PlanWeights(Model("llama-3.1-8b"), Format("GPTQ-4bit-g128"));
  // Linear layers 4 + 20/128 bits; embeddings and lm_head stay 16-bit.
  double linear_bits = 4 + 20.0 / 128;
  double embed = 2.0 * 128256 * 4096;
  double expected = (8030261248.0 - embed) * linear_bits / 8 + embed * 2;
  EXPECT_NEAR(w.total_bytes, expected, expected * 0.001);
}

TEST(RescaleWeights, KeepsTheSplitAndHitsTheGivenSize) {
  WeightPlan w = PlanWeights(Model("llama-3.1-8b"), Format("Q4_K_M"));
  double ratio = w.read_per_token_bytes / w.total_bytes;
  RescaleWeights(w, 5.0e9, "test");
  EXPECT_DOUBLE_EQ(w.total_bytes, 5.0e9);
  EXPECT_NEAR(w.read_per_token_bytes / w.total_bytes, ratio, 1e-12);
}

}  // namespace
}  // namespace sizer

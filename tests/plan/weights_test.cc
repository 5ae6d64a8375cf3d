// Weight bytes from the architecture, on the fixture catalog's models
// (tests/testing/fixture_catalog.cc). The shipped models against published file sizes and
// active-parameter counts are in tests/catalog/model_db_figures_test.cc.
#include "plan/weights.h"

#include <gtest/gtest.h>

#include "testing/fixture_catalog.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using testing::IsOk;

ModelSpec Model(const std::string& id) {
  StatusOr<ModelSpec> m = testing::FixtureCatalog().FindModel(id);
  EXPECT_THAT(m, IsOk());
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

// Norm weights of an untied dense model: two per layer and the output norm, d_model each.
double NormParams(const ModelSpec& m) {
  return static_cast<double>(m.d_model) * static_cast<double>(2 * m.n_layers + 1);
}

// Parameters of an untied dense model from its dimensions: token embedding and output
// (vocab x d_model each), per layer Q and O (d_model x heads x head_dim), K and V (d_model x
// KV heads x head_dim) and the gated FFN (3 x d_model x d_ff), and the norms.
double DenseParams(const ModelSpec& m) {
  const double d = static_cast<double>(m.d_model);
  const double q = static_cast<double>(m.n_heads * m.head_dim);
  const double kv = static_cast<double>(m.n_kv_heads * m.head_dim);
  const double layer = 2 * d * q + 2 * d * kv + 3 * d * static_cast<double>(m.d_ff);
  return 2 * static_cast<double>(m.vocab_size) * d + static_cast<double>(m.n_layers) * layer +
         NormParams(m);
}

TEST(PlanWeights, Q4KMGivesHalfOfAttnVAndFfnDownQ6KAndTheOutputQ6K) {
  WeightPlan w = PlanWeights(Model("dense-8b"), Format("Q4_K_M"));
  // llama.cpp's use_more_bits over dense-8b's 32 layers picks 16 of them.
  EXPECT_EQ(TensorsOf(w, TensorClass::kAttnV, "Q6_K"), 16);
  EXPECT_EQ(TensorsOf(w, TensorClass::kAttnV, "Q4_K"), 16);
  EXPECT_EQ(TensorsOf(w, TensorClass::kFfnDown, "Q6_K"), 16);
  EXPECT_EQ(TensorsOf(w, TensorClass::kOutput, "Q6_K"), 1);
  EXPECT_EQ(TensorsOf(w, TensorClass::kTokenEmbedding, "Q4_K"), 1);
}

TEST(PlanWeights, GgufF16KeepsNormsAndRouterInF32) {
  const ModelSpec m = Model("dense-8b");
  WeightPlan w = PlanWeights(m, Format("F16"));
  EXPECT_DOUBLE_EQ(BytesOf(w, TensorClass::kNorm, "F32"), 4 * NormParams(m));
  // Everything else at 2 bytes a parameter.
  const double expected = 2 * (DenseParams(m) - NormParams(m)) + 4 * NormParams(m);
  EXPECT_NEAR(w.total_bytes, expected, expected * 1e-12);
  // A MoE router is kept in F32 too.
  WeightPlan moe = PlanWeights(Model("moe-30b"), Format("F16"));
  EXPECT_DOUBLE_EQ(BytesOf(moe, TensorClass::kRouter, "F32"), 48 * 128 * 2048 * 4.0);
}

TEST(PlanWeights, TiedEmbeddingsAreCountedOnceAndReadAsTheOutput) {
  ModelSpec m = Model("tied-1b");
  ASSERT_TRUE(m.tied_embeddings);
  WeightPlan w = PlanWeights(m, Format("Q8_0"));
  EXPECT_DOUBLE_EQ(w.output_bytes, 0);
  EXPECT_NEAR(w.total_params, m.params_total, 1);
  EXPECT_DOUBLE_EQ(w.read_per_token_bytes, w.total_bytes);  // the table is the lm_head
}

TEST(PlanWeights, UntiedEmbeddingIsALookupAtDecode) {
  WeightPlan w = PlanWeights(Model("dense-8b"), Format("Q8_0"));
  EXPECT_GT(w.token_embedding_bytes, 0);
  EXPECT_DOUBLE_EQ(w.read_per_token_bytes, w.total_bytes - w.token_embedding_bytes);
}

TEST(PlanWeights, MoeReadsOnlyTheRoutedExpertsItUses) {
  ModelSpec m = Model("moe-30b");
  WeightPlan w = PlanWeights(m, Format("Q8_0"));
  // A token uses 8 of the 128 experts.
  EXPECT_NEAR(w.read_per_token_bytes,
              w.total_bytes - w.token_embedding_bytes - w.routed_expert_bytes * 120 / 128,
              w.total_bytes * 1e-12);
  EXPECT_LT(w.read_per_token_bytes, 0.2 * w.total_bytes);
  // The parameters multiplied per token: all but the embedding table and the 120 unused
  // experts of each of the 48 layers (3 x d_model 2048 x expert FFN 768 each).
  const double expert_params = 3.0 * 2048 * 768;
  EXPECT_NEAR(w.active_params, w.total_params - 151936.0 * 2048 - 48 * 120 * expert_params, 1);
}

TEST(PlanWeights, RowsThatAreNotMultiplesOf256FallBackFromKQuants) {
  // A hidden size of 2880 (gpt-oss's) is not a multiple of 256: Q4_K falls back to Q5_0.
  ModelSpec m = Model("dense-8b");
  m.d_model = 2880;
  WeightPlan w = PlanWeights(m, Format("Q4_K_M"));
  EXPECT_EQ(TensorsOf(w, TensorClass::kAttnQ, "Q5_0"), 32);
  EXPECT_EQ(TensorsOf(w, TensorClass::kAttnQ, "Q4_K"), 0);
  // dense-8b's own 4096 is a multiple of 256 and stays Q4_K.
  EXPECT_EQ(
      TensorsOf(PlanWeights(Model("dense-8b"), Format("Q4_K_M")), TensorClass::kAttnQ, "Q4_K"), 32);
}

TEST(PlanWeights, GptqGroupScalesAndZerosAreCounted) {
  const ModelSpec m = Model("dense-8b");
  WeightPlan w = PlanWeights(m, Format("GPTQ-4bit-g128"));
  // Linear layers 4 + 20/128 bits; embeddings and lm_head stay 16-bit.
  double linear_bits = 4 + 20.0 / 128;
  double embed = 2.0 * static_cast<double>(m.vocab_size * m.d_model);
  double expected = (DenseParams(m) - embed) * linear_bits / 8 + embed * 2;
  EXPECT_NEAR(w.total_bytes, expected, expected * 0.001);
}

TEST(RescaleWeights, KeepsTheSplitAndHitsTheGivenSize) {
  WeightPlan w = PlanWeights(Model("dense-8b"), Format("Q4_K_M"));
  double ratio = w.read_per_token_bytes / w.total_bytes;
  RescaleWeights(w, 5.0e9, "test");
  EXPECT_DOUBLE_EQ(w.total_bytes, 5.0e9);
  EXPECT_NEAR(w.read_per_token_bytes / w.total_bytes, ratio, 1e-12);
}

}  // namespace
}  // namespace sizer

// The shipped model database (model_db/) against published figures: KV bytes per token,
// GGUF file sizes and active-parameter counts. These check the database's data; the
// formulas themselves are tested on the fixture catalog (tests/plan/).
#include <gtest/gtest.h>

#include "plan/kv_cache.h"
#include "plan/weights.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::IsOk;
using testing::RealCatalog;

ModelSpec Model(const std::string& id) {
  StatusOr<ModelSpec> m = RealCatalog().FindModel(id);
  EXPECT_THAT(m, IsOk());
  return m.ok() ? *m : ModelSpec();
}

WeightPlan Weights(const std::string& model, const std::string& quant) {
  const WeightFormat* format = FindWeightFormat(quant);
  EXPECT_NE(format, nullptr) << quant;
  return format != nullptr ? PlanWeights(Model(model), *format) : WeightPlan();
}

// The published "KV bytes per token" figures, f16 cache.
TEST(ModelDbFigures, KvBytesPerTokenMatchesPublishedFiguresAtF16) {
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("llama-3.1-8b"), 2.0), 131072);
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("llama-3.1-70b"), 2.0), 327680);
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("qwen2.5-7b"), 2.0), 57344);
  // MLA: 61 layers x (kv_lora_rank 512 + qk_rope_head_dim 64) x 2 bytes.
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("deepseek-v3"), 2.0), 70272);
}

TEST(ModelDbFigures, Llama31_8bQ4KMIsThePublishedGgufSize) {
  // A published Llama-3.1-8B Q4_K_M GGUF is 4.92 GB; tensors alone are a little less.
  EXPECT_NEAR(Weights("llama-3.1-8b", "Q4_K_M").total_bytes / 1e9, 4.91, 0.02);
}

TEST(ModelDbFigures, Llama31_8bF16IsTwoBytesAParameter) {
  // Llama-3.1-8B has 8,030,261,248 parameters (its safetensors index).
  EXPECT_NEAR(Weights("llama-3.1-8b", "F16").total_bytes, 2.0 * 8030261248.0,
              2.0 * 8030261248.0 * 1e-4);
}

TEST(ModelDbFigures, Qwen3_30bA3bActiveParametersMatchThePublishedCount) {
  // The per-token parameter count derived from the architecture agrees with the published
  // active count (3.3B) to within the embedding/rounding slack.
  const ModelSpec m = Model("qwen3-30b-a3b");
  EXPECT_NEAR(Weights("qwen3-30b-a3b", "Q8_0").active_params / 1e9, m.params_active / 1e9, 0.35);
}

TEST(ModelDbFigures, Llama32_1bTiedEmbeddingsTotalThePublishedCount) {
  const ModelSpec m = Model("llama-3.2-1b");
  ASSERT_TRUE(m.tied_embeddings);
  EXPECT_NEAR(Weights("llama-3.2-1b", "Q8_0").total_params, m.params_total, 1);
}

}  // namespace
}  // namespace sizer

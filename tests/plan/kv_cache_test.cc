// The KV cache on the fixture catalog (tests/testing/fixture_catalog.cc): bytes per token by
// architecture, and the cells each runtime policy allocates. The shipped models' figures
// against published ones are in tests/catalog/model_db_figures_test.cc.
#include "plan/kv_cache.h"

#include <gtest/gtest.h>

#include "testing/fixture_catalog.h"
#include "testing/job_builder.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using testing::FixtureCatalog;
using testing::IsOk;
using testing::JobBuilder;

ModelSpec Model(const std::string& id) {
  StatusOr<ModelSpec> m = FixtureCatalog().FindModel(id);
  EXPECT_THAT(m, IsOk());
  return m.ok() ? *m : ModelSpec();
}

TEST(KvBytesPerToken, IsKAndVOfEveryKvHeadOrMlasLatentPerLayer) {
  // dense-8b: 32 layers x 2 (K, V) x 8 KV heads x 128 x 2 bytes.
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("dense-8b"), 2.0), 32 * 2 * 8 * 128 * 2);
  // swa-12b: the window does not change what one token adds: 48 x 2 x 8 x 256 x 2.
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("swa-12b"), 2.0), 48 * 2 * 8 * 256 * 2);
  // hybrid-4b: only the 12 full layers of 48 hold a cache: 12 x 2 x 2 x 256 x 2.
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("hybrid-4b"), 2.0), 12 * 2 * 2 * 256 * 2);
  // mla-16b: 27 layers x (kv_lora_rank 512 + qk_rope_head_dim 64) x 2 bytes.
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("mla-16b"), 2.0), 27 * (512 + 64) * 2);
}

TEST(KvBytesPerToken, Q8_0CarriesItsBlockScale) {
  // q8_0 stores 32 values in 34 bytes: 8.5 bits a value.
  EXPECT_DOUBLE_EQ(KvBytesPerToken(Model("dense-8b"), 34.0 / 32.0), 32 * 2 * 8 * 128 * 34.0 / 32.0);
}

// The job must outlive the inputs (PlanInputs::job points at it).
PlanInputs Inputs(const JobSpec& job) {
  StatusOr<PlanInputs> in = ResolvePlanInputs(job, job.quant);
  EXPECT_THAT(in, IsOk());
  return in.ok() ? *in : PlanInputs();
}

// `model` on `runtime` at `context` x `sequences`, on one gpu-80g.
JobBuilder Job(const std::string& model, const std::string& runtime, int64_t context,
               int64_t sequences) {
  JobBuilder b(FixtureCatalog());
  b.Model(model)
      .Quant(runtime == "paged" ? "FP16" : "Q4_K_M")
      .Runtime(runtime)
      .Context(context)
      .Concurrency(sequences)
      .Prompt(100)
      .Output(100)
      .Candidate("gpu-80g");
  return b;
}

TEST(PlanKvCache, LlamaCppSlidingLayersKeepWindowTimesSequencesPlusMicroBatch) {
  const JobSpec job = Job("swa-12b", "upfront", 32768, 2).Build();
  PlanInputs in = Inputs(job);
  KvPlan kv = PlanKvCache(in, 32768, 2);
  EXPECT_EQ(kv.full_cells, 65536);
  // pad256(1024 window x 2 sequences + 512 micro-batch) = 2560.
  EXPECT_EQ(kv.sliding_cells, 2560);
  // 8 full and 40 sliding layers of 2 x 8 KV heads x 256 x 2 bytes.
  const double per_layer = 2.0 * 8 * 256 * 2;
  const double expected = per_layer * (8.0 * 65536 + 40.0 * 2560);
  EXPECT_DOUBLE_EQ(kv.bytes, expected);
  // Far below the naive every-layer-full estimate, and affine rather than proportional in
  // context: doubling the context less than doubles the cache.
  EXPECT_LT(kv.bytes, 0.25 * per_layer * 48 * 65536);
  EXPECT_LT(PlanKvCache(in, 65536, 2).bytes, 2 * kv.bytes);
}

TEST(PlanKvCache, KeepFullSlidingCacheOverride) {
  AssumptionOverrides keep;
  keep.keep_full_sliding_cache = true;
  const JobSpec job = Job("swa-12b", "upfront", 8192, 1).Assumptions(keep).Build();
  KvPlan kv = PlanKvCache(Inputs(job), 8192, 1);
  EXPECT_EQ(kv.sliding_cells, kv.full_cells);
  EXPECT_EQ(kv.full_cells, 8192);
}

TEST(PlanKvCache, VllmAllocatesSixteenTokenPagesPerSequence) {
  const JobSpec job = Job("dense-8b", "paged", 1000, 3).Build();
  KvPlan kv = PlanKvCache(Inputs(job), 1000, 3);
  EXPECT_EQ(kv.full_cells, 1008 * 3);  // ceil(1000 / 16) x 16 per sequence
  EXPECT_DOUBLE_EQ(kv.bytes, (32 * 2 * 8 * 128 * 2.0) * 1008 * 3);
}

TEST(PlanKvCache, LlamaCppPadsTheUnifiedCacheTo256Cells) {
  const JobSpec job = Job("dense-8b", "upfront", 1000, 3).Build();
  EXPECT_EQ(PlanKvCache(Inputs(job), 1000, 3).full_cells, 3072);  // pad256(3000)
}

TEST(PlanKvCache, LinearLayersKeepAFixedStatePerSequence) {
  const JobSpec job = Job("hybrid-4b", "upfront", 4096, 2).Build();
  PlanInputs in = Inputs(job);
  KvPlan short_context = PlanKvCache(in, 4096, 2);
  KvPlan long_context = PlanKvCache(in, 65536, 2);
  // 36 linear layers x 548,864 state elements x 4 bytes (f32) x 2 sequences.
  EXPECT_DOUBLE_EQ(short_context.state_bytes, 36 * 548864.0 * 4 * 2);
  EXPECT_DOUBLE_EQ(short_context.state_bytes, long_context.state_bytes);
  EXPECT_DOUBLE_EQ(PlanKvCache(in, 4096, 4).state_bytes, 2 * short_context.state_bytes);
  // Only the full-attention quarter of the layers grows with the context.
  EXPECT_DOUBLE_EQ(long_context.attention_bytes, 16 * short_context.attention_bytes);
}

TEST(KvReadBytesPerToken, GrowsWithDepthAndStopsAtTheWindow) {
  const JobSpec job = Job("window-7b", "upfront", 32768, 1).Build();
  PlanInputs in = Inputs(job);
  // Every one of window-7b's 32 layers slides with a 4096-token window.
  const double per_token = 32 * 2 * 8 * 128 * 2.0;
  EXPECT_DOUBLE_EQ(KvReadBytesPerToken(in, 0), 0);
  EXPECT_DOUBLE_EQ(KvReadBytesPerToken(in, 1000), 1000 * per_token);
  EXPECT_LT(KvReadBytesPerToken(in, 1000), KvReadBytesPerToken(in, 4000));
  EXPECT_DOUBLE_EQ(KvReadBytesPerToken(in, 4096), 4096 * per_token);
  EXPECT_DOUBLE_EQ(KvReadBytesPerToken(in, 30000), KvReadBytesPerToken(in, 4096));
}

}  // namespace
}  // namespace sizer

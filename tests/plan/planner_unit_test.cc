// The planner on the fixture catalog (tests/testing/fixture_catalog.cc): every expectation
// here is derived from figures stated in that file, so these tests follow the memory model's
// arithmetic, not the shipped databases (which have their own tests).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plan/planner.h"
#include "testing/fixture_catalog.h"
#include "testing/job_builder.h"
#include "testing/plan_matchers.h"
#include "testing/plan_of.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using testing::FixtureCatalog;
using testing::IsOk;
using testing::IsReason;
using testing::JobBuilder;

using testing::PlanOf;

JobBuilder Dense(const std::string& runtime) {
  JobBuilder b(FixtureCatalog());
  b.Model("dense-8b").Quant(runtime == "paged" ? "FP16" : "Q4_K_M").Runtime(runtime);
  return b;
}

// dense-8b at f16: 2 (K, V) x 8 KV heads x 128 x 2 bytes = 4,096 bytes per layer per token.
constexpr double kDenseKvBytesPerToken = 32 * 2 * 8 * 128 * 2;

TEST(PlannerOnFixtures, UpFrontCachePadsContextTimesSequencesTo256Cells) {
  Plan plan = PlanOf(Dense("upfront").Context(1000).Concurrency(3).Candidate("gpu-24g").Build());
  ASSERT_EQ(plan.candidates.size(), 1u);
  const KvPlan& kv = plan.candidates[0].memory.kv;
  EXPECT_EQ(kv.full_cells, 3072);  // pad256(1000 x 3)
  EXPECT_DOUBLE_EQ(kv.bytes_per_token, kDenseKvBytesPerToken);
  EXPECT_DOUBLE_EQ(kv.bytes, 3072 * kDenseKvBytesPerToken);
}

TEST(PlannerOnFixtures, PagedCacheRoundsEachSequenceToWholePages) {
  Plan plan = PlanOf(Dense("paged").Context(1000).Concurrency(3).Candidate("gpu-80g").Build());
  const KvPlan& kv = plan.candidates[0].memory.kv;
  // ceil(1000 / 16) = 63 pages of 16 tokens per sequence, 3 sequences.
  EXPECT_DOUBLE_EQ(kv.bytes, 63 * 16 * 3 * kDenseKvBytesPerToken);
}

TEST(PlannerOnFixtures, SlidingLayersStopAtTheWindowTimesSequencesPlusMicroBatch) {
  JobBuilder b(FixtureCatalog());
  Plan plan = PlanOf(b.Model("swa-12b").Quant("Q4_K_M").Runtime("upfront").Context(32768)
                         .Concurrency(2).Candidate("gpu-80g").Build());
  const KvPlan& kv = plan.candidates[0].memory.kv;
  const double per_layer_token = 2 * 8 * 256 * 2;
  EXPECT_EQ(kv.full_cells, 65536);    // pad256(32768 x 2)
  EXPECT_EQ(kv.sliding_cells, 2560);  // pad256(1024 x 2 + 512)
  EXPECT_DOUBLE_EQ(kv.bytes, 8 * 65536 * per_layer_token + 40 * 2560 * per_layer_token);
}

TEST(PlannerOnFixtures, LayerSplitSharesTheCacheAcrossDevices) {
  Plan plan = PlanOf(Dense("upfront").Context(4096).Candidate("gpu-12g", 2).Build());
  const MemoryPlan& m = plan.candidates[0].memory;
  ASSERT_EQ(m.devices.size(), 2u);
  EXPECT_DOUBLE_EQ(m.devices[0].kv_cache_bytes + m.devices[1].kv_cache_bytes, m.kv.bytes);
  EXPECT_GT(m.devices[0].runtime_bytes, 0);  // each device carries its own buffers
  EXPECT_GT(m.devices[1].runtime_bytes, 0);
}

TEST(PlannerOnFixtures, TheLargestContextFitsAndOneMoreTokenDoesNot) {
  Plan plan = PlanOf(Dense("upfront").Candidate("gpu-12g").Build());
  const int64_t edge = plan.candidates[0].max_context_tokens;
  ASSERT_GT(edge, 0);
  ASSERT_LT(edge, 131072) << "the fixture card should not hold the model's whole context";
  EXPECT_TRUE(PlanOf(Dense("upfront").Context(edge).Candidate("gpu-12g").Build()).candidates[0].memory.fits);
  EXPECT_FALSE(PlanOf(Dense("upfront").Context(edge + 1).Candidate("gpu-12g").Build()).candidates[0].memory.fits);
}

TEST(PlannerOnFixtures, AKvDtypeTheRuntimeLacksIsARejection) {
  Plan plan = PlanOf(Dense("paged").KvCacheDtype("q8_0").Candidate("gpu-80g").Build());
  const CandidateWorksheet& ws = plan.candidates[0];
  EXPECT_FALSE(ws.admitted());
  ASSERT_FALSE(ws.reasons.empty());
  EXPECT_THAT(ws.reasons[0], IsReason(Check::kKvCacheDtype, 0.0, 0.0, Basis::kEstimate));
}

}  // namespace
}  // namespace sizer

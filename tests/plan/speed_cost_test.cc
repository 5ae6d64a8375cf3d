// Speed and cost on the fixture catalog (tests/testing/fixture_catalog.cc): each expectation
// follows from the fixture's bandwidths, peaks, efficiencies and prices.
#include <gtest/gtest.h>

#include "plan/cost.h"
#include "plan/planner.h"
#include "plan/speed.h"
#include "testing/fixture_catalog.h"
#include "testing/job_builder.h"
#include "testing/plan_of.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using testing::FixtureCatalog;
using testing::IsOk;
using testing::JobBuilder;

using testing::PlanOf;

// `model` at `quant` on `runtime`: context 8192, one sequence, prompt 1000, output 200.
JobBuilder Job(const std::string& model, const std::string& quant, const std::string& runtime) {
  JobBuilder b(FixtureCatalog());
  b.Model(model).Quant(quant).Runtime(runtime).Prompt(1000).Output(200);
  return b;
}

// dense-8b at f16: 32 layers x 2 (K, V) x 8 KV heads x 128 x 2 bytes per token.
constexpr double kDenseKvBytesPerToken = 32 * 2 * 8 * 128 * 2;

TEST(Speed, CeilingIsBandwidthOverBytesReadAndFallsAsTheContextFills) {
  Plan plan =
      PlanOf(Job("dense-8b", "Q4_K_M", "upfront").Context(32768).Candidate("gpu-24g").Build());
  const SpeedPlan& s = plan.candidates[0].speed;
  const double read = plan.weights.read_per_token_bytes;
  EXPECT_DOUBLE_EQ(s.decode_ceiling_tokens_per_s, 1008e9 / read);  // gpu-24g: 1,008 GB/s
  EXPECT_LT(s.decode_ceiling_at_prompt_tokens_per_s, s.decode_ceiling_tokens_per_s);
  EXPECT_LT(s.decode_ceiling_full_context_tokens_per_s, s.decode_ceiling_at_prompt_tokens_per_s);
  // At full context the cache adds 32768 x 131,072 bytes to every token's reads.
  EXPECT_NEAR(s.decode_ceiling_full_context_tokens_per_s,
              1008e9 / (read + 32768.0 * kDenseKvBytesPerToken), 1e-6);
  // Expected: the upfront runtime's decode efficiency 0.5 at the mid-request depth
  // (prompt 1000 + output 200 / 2).
  EXPECT_FALSE(s.compute_bound);
  const double expected = 0.5 * 1008e9 / (read + 1100.0 * kDenseKvBytesPerToken);
  EXPECT_NEAR(s.expected_decode_tokens_per_s, expected, expected * 1e-12);
}

TEST(Speed, MoeDecodesFromItsActiveExperts) {
  // moe-30b uses 8 of its 128 experts a token; the same model with every expert used reads
  // all of them.
  StatusOr<ModelSpec> moe_model = FixtureCatalog().FindModel("moe-30b");
  ASSERT_THAT(moe_model, IsOk());
  ModelSpec all_experts = *moe_model;
  all_experts.moe.n_experts_per_token = all_experts.moe.n_experts;
  Plan moe = PlanOf(Job("moe-30b", "Q4_K_M", "upfront").Candidate("gpu-80g").Build());
  JobBuilder dense(FixtureCatalog());
  Plan every = PlanOf(dense.InlineModel(all_experts)
                          .Quant("Q4_K_M")
                          .Runtime("upfront")
                          .Prompt(1000)
                          .Output(200)
                          .Candidate("gpu-80g")
                          .Build());
  const double moe_ceiling = moe.candidates[0].speed.decode_ceiling_tokens_per_s;
  const double every_ceiling = every.candidates[0].speed.decode_ceiling_tokens_per_s;
  EXPECT_DOUBLE_EQ(moe_ceiling, 3350e9 / moe.weights.read_per_token_bytes);  // gpu-80g: 3,350 GB/s
  EXPECT_NEAR(moe_ceiling / every_ceiling,
              every.weights.read_per_token_bytes / moe.weights.read_per_token_bytes, 1e-9);
  EXPECT_GT(moe_ceiling, 5 * every_ceiling);
}

TEST(Speed, TensorParallelSpeedsDecodeLayerSplitDoesNot) {
  Plan one = PlanOf(Job("dense-8b", "FP16", "paged").Candidate("gpu-80g").Build());
  Plan tp = PlanOf(Job("dense-8b", "FP16", "paged").Candidate("gpu-80g", 4).Build());
  Plan split = PlanOf(Job("dense-8b", "FP16", "paged")
                          .Candidate("gpu-80g", 4)
                          .Parallelism(MultiDevice::kLayerSplit)
                          .Build());
  double single = one.candidates[0].speed.decode_ceiling_tokens_per_s;
  EXPECT_GT(tp.candidates[0].speed.decode_ceiling_tokens_per_s, 2 * single);
  // The interconnect term keeps it below a perfect 4x.
  EXPECT_LT(tp.candidates[0].speed.decode_ceiling_tokens_per_s, 4 * single);
  EXPECT_NEAR(split.candidates[0].speed.decode_ceiling_tokens_per_s, single, 1e-9);
}

TEST(Speed, BatchedDecodeRaisesThroughputUntilComputeBound) {
  Plan few = PlanOf(
      Job("dense-8b", "FP16", "paged").Context(4096).Concurrency(4).Candidate("gpu-80g").Build());
  // Short sequences keep the per-sequence KV reads small, so 512 of them make the step
  // compute-bound; at long contexts KV reads keep decode bandwidth-bound.
  Plan many = PlanOf(
      Job("dense-8b", "FP16", "paged").Context(128).Concurrency(512).Candidate("gpu-80g").Build());
  EXPECT_GT(many.candidates[0].speed.aggregate_decode_tokens_per_s,
            few.candidates[0].speed.aggregate_decode_tokens_per_s);
  EXPECT_LT(many.candidates[0].speed.expected_decode_tokens_per_s,
            few.candidates[0].speed.expected_decode_tokens_per_s);
  EXPECT_FALSE(few.candidates[0].speed.compute_bound);
  EXPECT_TRUE(many.candidates[0].speed.compute_bound);
}

TEST(Speed, CpuOffloadIsTwoSerialBandwidthTerms) {
  Plan plan = PlanOf(Job("dense-8b", "Q4_K_M", "upfront")
                         .Context(4096)
                         .Candidate("gpu-24g")
                         .Offload(16, "cpu-64g")
                         .Build());
  // 16 of 32 layers: half the bytes at gpu-24g's 1,008 GB/s, half at cpu-64g's 83.2 GB/s.
  double bytes = plan.weights.read_per_token_bytes;
  double expected = 1.0 / (bytes * 0.5 / 1008e9 + bytes * 0.5 / 83.2e9);
  EXPECT_NEAR(plan.candidates[0].speed.decode_ceiling_tokens_per_s, expected, expected * 1e-9);
}

TEST(Speed, SparseKernelOnlyWhereTheRuntimeHasOne) {
  // The paged runtime has a 2:4 kernel, the upfront one none.
  Plan paged = PlanOf(Job("dense-8b", "FP16", "paged")
                          .Context(4096)
                          .Sparse(0.5, "2:4")
                          .Candidate("gpu-80g")
                          .Build());
  Plan upfront = PlanOf(Job("dense-8b", "Q8_0", "upfront")
                            .Context(4096)
                            .Sparse(0.5, "2:4")
                            .Candidate("gpu-80g")
                            .Build());
  Plan unstructured = PlanOf(Job("dense-8b", "FP16", "paged")
                                 .Context(4096)
                                 .Sparse(0.5, "unstructured")
                                 .Candidate("gpu-80g")
                                 .Build());
  // 2:4 reads the kept half of the 16-bit values plus a 2-bit index each: 0.5 x 18 / 16.
  EXPECT_NEAR(paged.candidates[0].speed.sparsity_speedup, 1.0 / (0.5 * 18 / 16), 1e-12);
  EXPECT_DOUBLE_EQ(upfront.candidates[0].speed.sparsity_speedup, 1.0);
  EXPECT_DOUBLE_EQ(unstructured.candidates[0].speed.sparsity_speedup, 1.0);
}

TEST(Speed, PrefillIsComputeBoundAndGivesTtft) {
  Plan plan = PlanOf(Job("dense-8b", "FP16", "paged").Candidate("gpu-80g").Build());
  const SpeedPlan& s = plan.candidates[0].speed;
  // 2 x active params x 1000 prompt tokens at gpu-80g's 100 TFLOP/s x prefill efficiency
  // 0.3; attention over 1000 tokens adds a few percent, and the first decode step a few ms.
  const double matmul_ms = 2 * plan.weights.active_params * 1000 / (100e12 * 0.3) * 1000;
  const double step_ms = 1000 / s.decode_ceiling_at_prompt_tokens_per_s / 0.5;
  EXPECT_GT(s.ttft_ms, matmul_ms);
  EXPECT_LT(s.ttft_ms, 1.05 * matmul_ms + step_ms);
  EXPECT_GT(s.prefill_tokens_per_s, 10 * s.expected_decode_tokens_per_s);
}

TEST(Cost, PerTokenPricesAndBreakEven) {
  CostSpec cost;
  cost.requests_per_month = 100000;
  cost.hosted_usd_per_million_input_tokens = 3;
  cost.hosted_usd_per_million_output_tokens = 15;
  cost.amortization_months = 24;
  cost.power_utilization = 0.5;
  cost.electricity_usd_per_kwh = 0.2;
  cost.operations_monthly_usd = 100;
  Plan plan = PlanOf(Job("dense-8b", "Q4_K_M", "upfront").Cost(cost).Candidate("gpu-24g").Build());
  const CostPlan& c = plan.cost;
  double per_request = (1000 * 3.0 + 200 * 15.0) / 1e6;
  EXPECT_DOUBLE_EQ(c.hosted_monthly_usd, 100000 * per_request);
  double local = 1600.0 / 24 + 300 * 0.5 * 730 / 1000 * 0.2 + 100;  // gpu-24g: $1,600, 300 W
  EXPECT_NEAR(c.local_monthly_usd, local, 1e-9);
  EXPECT_NEAR(c.break_even_requests_per_month, local / per_request, 1e-6);
  EXPECT_EQ(c.cheaper, local < 100000 * per_request ? CheaperSide::kLocal : CheaperSide::kHosted);
}

}  // namespace
}  // namespace sizer

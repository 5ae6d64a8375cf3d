#include <gtest/gtest.h>

#include "plan/cost.h"
#include "plan/planner.h"
#include "plan/speed.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using testing::IsOk;
using testing::ParseJobOrDie;

// The plan owns its job (Plan::job), so the parsed job may go out of scope here.
Plan PlanOf(const std::string& yaml) {
  StatusOr<Plan> plan = MakePlan(ParseJobOrDie(yaml));
  EXPECT_THAT(plan, IsOk());
  return plan.ok() ? std::move(plan).value() : Plan();
}

std::string Job(const std::string& model, const std::string& quant, const std::string& runtime,
                const std::string& candidates, int context = 8192, int seqs = 1,
                const std::string& extra = "") {
  return "job: t\nmodel: " + model + "\nquant: " + quant + "\ncontext_tokens: " +
         std::to_string(context) + "\nconcurrency: " + std::to_string(seqs) + "\nruntime: " +
         runtime + "\nprompt_tokens: 1000\noutput_tokens: 200\ncandidates: " + candidates + "\n" +
         extra;
}

TEST(Speed, CeilingIsBandwidthOverBytesReadAndFallsAsTheContextFills) {
  Plan plan = PlanOf(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp", "[rtx-4090]", 32768));
  const SpeedPlan& s = plan.candidates[0].speed;
  EXPECT_DOUBLE_EQ(s.decode_ceiling_tokens_per_s,
                   1008e9 / plan.weights.read_per_token_bytes);
  EXPECT_LT(s.decode_ceiling_at_prompt_tokens_per_s, s.decode_ceiling_tokens_per_s);
  EXPECT_LT(s.decode_ceiling_full_context_tokens_per_s, s.decode_ceiling_at_prompt_tokens_per_s);
  // At full context the cache adds 32768 x 131,072 bytes to every token's reads.
  EXPECT_NEAR(s.decode_ceiling_full_context_tokens_per_s,
              1008e9 / (plan.weights.read_per_token_bytes + 32768.0 * 131072), 1e-6);
  EXPECT_NEAR(s.expected_decode_tokens_per_s / s.decode_ceiling_at_prompt_tokens_per_s, 0.65, 0.05);
}

TEST(Speed, MoeDecodesFromItsActiveExperts) {
  Plan moe = PlanOf(Job("qwen3-30b-a3b", "Q4_K_M", "llama.cpp", "[a100-80gb]"));
  Plan dense = PlanOf(Job("qwen3-32b", "Q4_K_M", "llama.cpp", "[a100-80gb]"));
  EXPECT_GT(moe.candidates[0].speed.decode_ceiling_tokens_per_s,
            5 * dense.candidates[0].speed.decode_ceiling_tokens_per_s);
}

TEST(Speed, TensorParallelSpeedsDecodeLayerSplitDoesNot) {
  Plan one = PlanOf(Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]"));
  Plan tp = PlanOf(Job("llama-3.1-8b", "FP16", "vllm", "[{hardware: h100-sxm, count: 4}]"));
  Plan split = PlanOf(Job("llama-3.1-8b", "FP16", "vllm",
                          "[{hardware: h100-sxm, count: 4, parallelism: layer}]"));
  double single = one.candidates[0].speed.decode_ceiling_tokens_per_s;
  EXPECT_GT(tp.candidates[0].speed.decode_ceiling_tokens_per_s, 2 * single);
  // The interconnect term keeps it below a perfect 4x.
  EXPECT_LT(tp.candidates[0].speed.decode_ceiling_tokens_per_s, 4 * single);
  EXPECT_NEAR(split.candidates[0].speed.decode_ceiling_tokens_per_s, single, 1e-9);
}

TEST(Speed, BatchedDecodeRaisesThroughputUntilComputeBound) {
  Plan few = PlanOf(Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]", 4096, 4));
  // Short sequences keep the per-sequence KV reads small, so 512 of them make the step
  // compute-bound; at long contexts KV reads keep decode bandwidth-bound.
  Plan many = PlanOf(Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]", 128, 512));
  EXPECT_GT(many.candidates[0].speed.aggregate_decode_tokens_per_s,
            few.candidates[0].speed.aggregate_decode_tokens_per_s);
  EXPECT_LT(many.candidates[0].speed.expected_decode_tokens_per_s,
            few.candidates[0].speed.expected_decode_tokens_per_s);
  EXPECT_FALSE(few.candidates[0].speed.compute_bound);
  EXPECT_TRUE(many.candidates[0].speed.compute_bound);
}

TEST(Speed, CpuOffloadIsTwoSerialBandwidthTerms) {
  Plan plan = PlanOf(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp",
                         "[{hardware: rtx-4090, offload: {gpu_layers: 16, host: ryzen-9-7950x-64gb}}]", 4096));
  double bytes = plan.weights.read_per_token_bytes;
  double expected = 1.0 / (bytes * 0.5 / 1008e9 + bytes * 0.5 / 83.2e9);
  EXPECT_NEAR(plan.candidates[0].speed.decode_ceiling_tokens_per_s, expected, expected * 1e-9);
}

TEST(Speed, SparseKernelOnlyWhereTheRuntimeHasOne) {
  std::string sparse = "sparsity: {fraction: 0.5, structure: \"2:4\"}\n";
  Plan vllm = PlanOf(Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]", 4096, 1, sparse));
  Plan llama = PlanOf(Job("llama-3.1-8b", "Q8_0", "llama.cpp", "[h100-sxm]", 4096, 1, sparse));
  Plan unstructured = PlanOf(Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]", 4096, 1,
                                 "sparsity: {fraction: 0.5, structure: unstructured}\n"));
  EXPECT_GT(vllm.candidates[0].speed.sparsity_speedup, 1.5);
  EXPECT_DOUBLE_EQ(llama.candidates[0].speed.sparsity_speedup, 1.0);
  EXPECT_DOUBLE_EQ(unstructured.candidates[0].speed.sparsity_speedup, 1.0);
}

TEST(Speed, PrefillIsComputeBoundAndGivesTtft) {
  Plan plan = PlanOf(Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]"));
  const SpeedPlan& s = plan.candidates[0].speed;
  // 2 x ~7.5B active params x 1000 tokens over 989 TFLOP/s x 0.5 is about 30 ms.
  EXPECT_GT(s.ttft_ms, 15);
  EXPECT_LT(s.ttft_ms, 80);
  EXPECT_GT(s.prefill_tokens_per_s, 10 * s.expected_decode_tokens_per_s);
}

TEST(Cost, PerTokenPricesAndBreakEven) {
  Plan plan = PlanOf(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp", "[rtx-4090]", 8192, 1,
                         "cost:\n  requests_per_month: 100000\n  hosted: {usd_per_million_input_tokens: 3,"
                         " usd_per_million_output_tokens: 15}\n  local: {amortization_months: 24,"
                         " power_utilization: 0.5, electricity_usd_per_kwh: 0.2, operations_monthly_usd: 100}\n"));
  const CostPlan& c = plan.cost;
  double per_request = (1000 * 3.0 + 200 * 15.0) / 1e6;
  EXPECT_DOUBLE_EQ(c.hosted_monthly_usd, 100000 * per_request);
  double local = 1599.0 / 24 + 450 * 0.5 * 730 / 1000 * 0.2 + 100;
  EXPECT_NEAR(c.local_monthly_usd, local, 1e-9);
  EXPECT_NEAR(c.break_even_requests_per_month, local / per_request, 1e-6);
  EXPECT_EQ(c.cheaper, local < 100000 * per_request ? CheaperSide::kLocal : CheaperSide::kHosted);
}

}  // namespace
}  // namespace sizer

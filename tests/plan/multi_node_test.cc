// Multi-node candidates (nodes: N): vLLM's layout of tensor parallel in a node and one
// pipeline stage per node, the per-device budget, and the checks that refuse what is not planned.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plan/planner.h"
#include "testing/plan_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::IsReason;
using testing::ParseJobOrDie;
using testing::RendersAs;
using testing::RealCatalog;
using testing::SourceDir;

const char* kJob = R"(job: j
model: llama-3.1-405b
quant: FP16
context_tokens: 16384
concurrency: 8
runtime: vllm
prompt_tokens: 2000
output_tokens: 500
candidates:
  - {hardware: h100-sxm, count: 8}
  - {hardware: h100-sxm, count: 8, nodes: 2, node_link: {name: ib, bandwidth: 50 GB/s}}
  - {hardware: h100-sxm, count: 8, nodes: 2}
gates: {reserve_fraction: 0.15}
)";

TEST(MultiNode, TwoNodesHoldWhatOneCannot) {
  JobSpec job = ParseJobOrDie(kJob);
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_FALSE(plan->candidates[0].admitted());
  EXPECT_THAT(plan->candidates[1].reasons, IsEmpty());
  EXPECT_THAT(plan->candidates[0].reasons, Contains(IsReason(Check::kMemory)));
  EXPECT_EQ(plan->candidates[1].candidate.label, "2 nodes x 8x h100-sxm");
  EXPECT_EQ(plan->candidates[1].candidate.devices(), 16);
}

TEST(MultiNode, EachDeviceHoldsItsStageShardedEightWays) {
  JobSpec job = ParseJobOrDie(kJob);
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  const MemoryPlan& two = plan->candidates[1].memory;
  const MemoryPlan& one = plan->candidates[0].memory;
  ASSERT_EQ(two.devices.size(), 16u);
  const int64_t n_layers = job.model.n_layers;
  double weights = 0, kv = 0;
  int64_t layers = 0;
  for (size_t i = 0; i < two.devices.size(); ++i) {
    const DeviceBudget& d = two.devices[i];
    EXPECT_EQ(d.node, static_cast<int64_t>(i / 8));
    weights += d.weights_bytes;
    kv += d.kv_cache_bytes;
    if (i % 8 == 0) layers += d.layers;
  }
  EXPECT_EQ(layers, n_layers);
  // Every byte of the weights is held once across the 16 devices.
  EXPECT_NEAR(weights, plan->weights.total_bytes, 1.0);
  // So is every byte of the KV cache (each stage holds its layers' cache, sharded 8 ways).
  EXPECT_NEAR(kv, two.kv.bytes, 1.0);
  // Runtime buffers are per device, not split.
  EXPECT_DOUBLE_EQ(two.devices[0].runtime_bytes, one.devices[0].runtime_bytes);
  // Half the layers on a node: about half of a one-node device's shard of the weights.
  EXPECT_LT(two.devices[0].weights_bytes, one.devices[0].weights_bytes * 0.6);
}

TEST(MultiNode, TheNodeLinkAddsAHopPerToken) {
  JobSpec job = ParseJobOrDie(kJob);
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  // The assumed 100 GbE link is slower than the job's 50 GB/s InfiniBand.
  EXPECT_GT(plan->candidates[1].speed.decode_ceiling_tokens_per_s,
            plan->candidates[2].speed.decode_ceiling_tokens_per_s);
  EXPECT_FALSE(plan->candidates[2].candidate.node_link.given);
}

TEST(MultiNode, CostCountsEveryMachine) {
  JobSpec job = ParseJobOrDie(std::string(kJob) +
                              "cost: {requests_per_month: 1000, hosted: {usd_per_1k_requests: 1}}\n");
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  EXPECT_NEAR(plan->candidates[1].cost.local_monthly_usd, 2 * plan->candidates[0].cost.local_monthly_usd, 1e-6);
}

TEST(MultiNode, ARuntimeWithoutMultiNodeIsRejectedWithTheReason) {
  JobSpec job = ParseJobOrDie(R"(job: j
model: llama-3.1-8b
quant: Q4_K_M
context_tokens: 4096
runtime: llama.cpp
prompt_tokens: 100
output_tokens: 100
candidates: [{hardware: rtx-4090, count: 1, nodes: 2}]
)");
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_TRUE(plan.ok());
  ASSERT_FALSE(plan->candidates[0].admitted());
  EXPECT_THAT(plan->candidates[0].reasons, Contains(IsReason(Check::kMultiNode)));
  EXPECT_THAT(plan->candidates[0].reasons.front().message,
              RendersAs(HasSubstr("llama.cpp does not serve one model across 2 machines")));
}

TEST(MultiNode, InputErrors) {
  const std::string head = "job: j\nmodel: llama-3.1-8b\nquant: FP8\ncontext_tokens: 4096\nruntime: vllm\n"
                           "prompt_tokens: 100\noutput_tokens: 100\ncandidates:\n";
  struct Bad { const char* candidate; const char* message; };
  for (const Bad& bad : {
           Bad{"  - {hardware: h100-sxm, count: 8, nodes: 2, parallelism: layer}\n", "drop parallelism: layer"},
           Bad{"  - {hardware: h100-sxm, count: 8, node_link: {name: ib, bandwidth: 50 GB/s}}\n", "set nodes above 1"},
           Bad{"  - {hardware: h100-sxm, count: 8, nodes: 0}\n", "at least 1"},
           Bad{"  - {hardware: h100-sxm, count: 8, nodes: 300}\n", "nodes above 256"},
           Bad{"  - {hardware: h100-sxm, nodes: 2, node_link: {name: ib}}\n", "missing required key 'bandwidth'"},
       }) {
    StatusOr<JobSpec> job = ParseJobSpec(head + bad.candidate, "job.yaml", RealCatalog());
    ASSERT_FALSE(job.ok()) << bad.candidate;
    EXPECT_NE(job.status().message().find(bad.message), std::string::npos) << job.status().message();
  }
}

TEST(MultiNode, TheBundledWorksheetAdmitsTwoNodes) {
  StatusOr<JobSpec> job = LoadJobSpec(SourceDir() + "/worksheets/serving-vllm-405b-multinode.yaml", RealCatalog());
  ASSERT_TRUE(job.ok()) << job.status().message();
  StatusOr<Plan> plan = MakePlan(*job);
  ASSERT_TRUE(plan.ok());
  ASSERT_TRUE(plan->recommended);
  EXPECT_EQ(plan->candidates[*plan->recommended].candidate.nodes, 2);
}

}  // namespace
}  // namespace sizer

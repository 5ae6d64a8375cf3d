// Multi-node candidates (nodes: N) on the fixture catalog: vLLM's layout of tensor parallel
// in a node and one pipeline stage per node, the per-device budget, the node link's hop, the
// cost of every machine, and the checks that refuse what is not planned.
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

using ::testing::Contains;
using testing::FixtureCatalog;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::IsOk;
using testing::IsReason;
using testing::JobBuilder;
using testing::StatusIs;

constexpr double kInfiniBandBytesPerS = 50e9;

// dense-405b at FP16 (~812 GB) on one node of 8 x gpu-80g, on two such nodes over a given
// 50 GB/s link, and on two nodes over the assumed link.
JobBuilder Job() {
  JobBuilder b(FixtureCatalog());
  b.Model("dense-405b")
      .Quant("FP16")
      .Runtime("paged")
      .Context(16384)
      .Concurrency(8)
      .Prompt(2000)
      .Output(500)
      .Reserve(0.15);
  b.Candidate("gpu-80g", 8);                                                // one node
  b.Candidate("gpu-80g", 8).Nodes(2).NodeLink("ib", kInfiniBandBytesPerS);  // two, given link
  b.Candidate("gpu-80g", 8).Nodes(2);                                       // two, assumed link
  return b;
}

using testing::PlanOf;

TEST(MultiNode, TwoNodesHoldWhatOneCannot) {
  Plan plan = PlanOf(Job().Build());
  ASSERT_EQ(plan.candidates.size(), 3u);
  EXPECT_FALSE(plan.candidates[0].admitted());
  EXPECT_THAT(plan.candidates[0].reasons, Contains(IsReason(Check::kMemory)));
  EXPECT_THAT(plan.candidates[1].reasons, IsEmpty());
}

TEST(MultiNode, EachDeviceHoldsItsStageShardedEightWays) {
  JobSpec job = Job().Build();
  Plan plan = PlanOf(job);
  ASSERT_EQ(plan.candidates.size(), 3u);
  const MemoryPlan& two = plan.candidates[1].memory;
  const MemoryPlan& one = plan.candidates[0].memory;
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
  EXPECT_NEAR(weights, plan.weights.total_bytes, 1.0);
  // So is every byte of the KV cache (each stage holds its layers' cache, sharded 8 ways).
  EXPECT_NEAR(kv, two.kv.bytes, 1.0);
  // Runtime buffers are per device, not split.
  EXPECT_DOUBLE_EQ(two.devices[0].runtime_bytes, one.devices[0].runtime_bytes);
  // Half the layers on a node: about half of a one-node device's shard of the weights.
  EXPECT_LT(two.devices[0].weights_bytes, one.devices[0].weights_bytes * 0.6);
}

TEST(MultiNode, TheNodeLinkAddsAHopPerToken) {
  JobSpec job = Job().Build();
  Plan plan = PlanOf(job);
  ASSERT_EQ(plan.candidates.size(), 3u);
  // The assumed link (NodeLink's default, 100 GbE) is slower than the job's 50 GB/s one.
  const double given_s = 1.0 / plan.candidates[1].speed.decode_ceiling_tokens_per_s;
  const double assumed_s = 1.0 / plan.candidates[2].speed.decode_ceiling_tokens_per_s;
  // One hop (2 nodes) of one token's activations, d_model x 2 bytes, over each link.
  const double message_bytes = static_cast<double>(job.model.d_model) * 2;
  EXPECT_NEAR(
      assumed_s - given_s,
      message_bytes / NodeLink().bandwidth_bytes_per_s - message_bytes / kInfiniBandBytesPerS,
      1e-12);
  EXPECT_GT(assumed_s, given_s);
}

TEST(MultiNode, CostCountsEveryMachine) {
  CostSpec cost;
  cost.requests_per_month = 1000;
  cost.hosted_usd_per_1k_requests = 1;
  Plan plan = PlanOf(Job().Cost(cost).Build());
  ASSERT_EQ(plan.candidates.size(), 3u);
  EXPECT_NEAR(plan.candidates[1].cost.local_monthly_usd,
              2 * plan.candidates[0].cost.local_monthly_usd, 1e-6);
}

TEST(MultiNode, ARuntimeWithoutMultiNodeIsRejectedWithTheReason) {
  JobBuilder b(FixtureCatalog());
  JobSpec job = b.Model("dense-8b")
                    .Quant("Q4_K_M")
                    .Runtime("upfront")
                    .Context(4096)
                    .Prompt(100)
                    .Output(100)
                    .Candidate("gpu-24g")
                    .Nodes(2)
                    .Build();
  Plan plan = PlanOf(job);
  ASSERT_EQ(plan.candidates.size(), 1u);
  const CandidateWorksheet& ws = plan.candidates[0];
  ASSERT_FALSE(ws.admitted());
  ASSERT_FALSE(ws.reasons.empty());
  const Reason& reason = ws.reasons.front();
  EXPECT_THAT(reason, IsReason(Check::kMultiNode, 0.0, 0.0, Basis::kEstimate));
  EXPECT_EQ(reason.unit, Unit::kNone);
  // The message names the machines the job asked for.
  bool names_nodes = false;
  for (const Operand& o : reason.message.operands) {
    if (o.name == "nodes") names_nodes = o.value == 2;
  }
  EXPECT_TRUE(names_nodes);
}

TEST(MultiNode, InputErrors) {
  const std::string head =
      "job: j\nmodel: dense-8b\nquant: FP8\ncontext_tokens: 4096\nruntime: paged\n"
      "prompt_tokens: 100\noutput_tokens: 100\ncandidates:\n";
  struct Bad {
    const char* candidate;
    const char* message;
  };
  for (const Bad& bad : {
           Bad{"  - {hardware: gpu-80g, count: 8, nodes: 2, parallelism: layer}\n",
               "drop parallelism: layer"},
           Bad{"  - {hardware: gpu-80g, count: 8, node_link: {name: ib, bandwidth: 50 GB/s}}\n",
               "set nodes above 1"},
           Bad{"  - {hardware: gpu-80g, count: 8, nodes: 0}\n", "at least 1"},
           Bad{"  - {hardware: gpu-80g, count: 8, nodes: 300}\n", "nodes above 256"},
           Bad{"  - {hardware: gpu-80g, nodes: 2, node_link: {name: ib}}\n",
               "missing required key 'bandwidth'"},
       }) {
    EXPECT_THAT(ParseJobSpec(head + bad.candidate, "job.yaml", FixtureCatalog()),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr(bad.message)))
        << bad.candidate;
  }
}

}  // namespace
}  // namespace sizer

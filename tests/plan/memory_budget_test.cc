#include "plan/memory_budget.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/units.h"
#include "plan/planner.h"
#include "testing/plan_matchers.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::IsOk;
using testing::IsReason;
using testing::RendersAs;
using testing::ParseJobOrDie;

Plan PlanOf(const JobSpec& job) {
  StatusOr<Plan> plan = MakePlan(job);
  EXPECT_THAT(plan, IsOk());
  return plan.ok() ? std::move(plan).value() : Plan();
}

std::string Job(const std::string& model, const std::string& quant, const std::string& runtime,
                const std::string& candidates, const std::string& extra = "") {
  return "job: t\nmodel: " + model + "\nquant: " + quant +
         "\ncontext_tokens: 8192\nconcurrency: 1\nruntime: " + runtime +
         "\nprompt_tokens: 500\noutput_tokens: 100\ncandidates: " + candidates + "\n" + extra;
}

TEST(MemoryBudget, SeveralCardsAreNeverPooledIntoOne) {
  // Llama-3.1-70B at F16 is ~141 GB: two 80 GB cards hold 160 GB between them, but each must
  // hold its own shard plus its own buffers.
  JobSpec job = ParseJobOrDie(Job("llama-3.1-70b", "FP16", "vllm",
                                  "[{hardware: a100-80gb, count: 2}, {hardware: a100-80gb, count: 4}]"));
  Plan plan = PlanOf(job);
  const CandidateWorksheet& two = plan.candidates[0];
  const CandidateWorksheet& four = plan.candidates[1];
  EXPECT_FALSE(two.admitted());
  ASSERT_EQ(two.memory.devices.size(), 2u);
  EXPECT_NEAR(two.memory.devices[0].weights_bytes, plan.weights.total_bytes / 2, 1);
  EXPECT_GT(two.memory.devices[0].planned_bytes, two.memory.devices[0].usable_bytes);
  EXPECT_THAT(four.reasons, IsEmpty());
  ASSERT_EQ(four.memory.devices.size(), 4u);
  for (const DeviceBudget& d : four.memory.devices) {
    EXPECT_NEAR(d.weights_bytes, plan.weights.total_bytes / 4, 1);
    EXPECT_GT(d.runtime_bytes, 0);  // every device carries its own runtime buffers
  }
}

TEST(MemoryBudget, TensorParallelReplicatesKvHeadsBeyondTheirCount) {
  // Llama-3.1-8B has 8 KV heads: over 16 devices each still holds one whole head.
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "FP16", "vllm", "[{hardware: l4, count: 16}]"));
  Plan plan = PlanOf(job);
  const MemoryPlan& m = plan.candidates[0].memory;
  EXPECT_NEAR(m.devices[0].kv_cache_bytes, m.kv.bytes / 8, 1);
}

TEST(MemoryBudget, LayerSplitPutsEachLayerOnOneDevice) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "Q8_0", "llama.cpp", "[{hardware: rtx-3060-12gb, count: 2}]"));
  Plan plan = PlanOf(job);
  const MemoryPlan& m = plan.candidates[0].memory;
  ASSERT_EQ(m.devices.size(), 2u);
  double on_devices = m.devices[0].weights_bytes + m.devices[1].weights_bytes;
  // llama.cpp keeps the token embedding table in host memory.
  EXPECT_NEAR(on_devices, plan.weights.total_bytes - plan.weights.token_embedding_bytes, 1);
  EXPECT_NEAR(m.devices[0].kv_cache_bytes + m.devices[1].kv_cache_bytes, m.kv.bytes, 1);
}

TEST(MemoryBudget, UnifiedMemoryIsCappedAtTheGpuWiredLimitAndOverridable) {
  StatusOr<HardwareSpec> mac = testing::RealCatalog().FindHardware("m3-max-128gb");
  ASSERT_TRUE(mac.ok());
  AssumptionOverrides none;
  EXPECT_DOUBLE_EQ(CapacityBytes(*mac, none), 128 * kGiB * 0.75);
  AssumptionOverrides raised;
  raised.gpu_wired_limit_fraction = 0.9;
  EXPECT_DOUBLE_EQ(CapacityBytes(*mac, raised), std::min(128 * kGiB * 0.9,
                                                         128 * kGiB - mac->os_reserved_bytes));
}

TEST(MemoryBudget, UsableIsCapacityTimesOneMinusReserve) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp", "[rtx-4090]",
                                  "gates: {reserve_fraction: 0.35}\n"));
  const Plan plan = PlanOf(job);
  const DeviceBudget& d = plan.candidates[0].memory.binding_device();
  EXPECT_DOUBLE_EQ(d.usable_bytes, d.capacity_bytes * 0.65);
  EXPECT_DOUBLE_EQ(d.planned_bytes, d.weights_bytes + d.kv_cache_bytes + d.runtime_bytes +
                                        d.activation_bytes + d.fragmentation_bytes);
}

TEST(MemoryBudget, PagedPoolRecommendsTheSmallestUtilizationAndChecksAGivenOne) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]"));
  Plan plan = PlanOf(job);
  const MemoryPlan& m = plan.candidates[0].memory;
  ASSERT_TRUE(m.recommended_pool_fraction.has_value());
  EXPECT_GE(*m.recommended_pool_fraction * m.binding_device().capacity_bytes,
            m.binding_device().planned_bytes);
  // A utilization too small to leave room for the job's KV is a rejection with its reason.
  std::string text = Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]",
                         "assumptions: {gpu_memory_utilization: 0.25}\n");
  text.replace(text.find("concurrency: 1"), 14, "concurrency: 64");
  Plan tight = PlanOf(ParseJobOrDie(text));
  const CandidateWorksheet& ws = tight.candidates[0];
  EXPECT_FALSE(ws.admitted());
  ASSERT_FALSE(ws.reasons.empty());
  const Reason& pool = ws.reasons[0];
  EXPECT_THAT(pool, IsReason(Check::kKvPool));
  EXPECT_EQ(pool.unit, Unit::kBytes);
  EXPECT_LT(pool.value, pool.limit);  // the pool left at 0.25 is smaller than the job's KV
  EXPECT_DOUBLE_EQ(pool.limit, ws.memory.binding_device().kv_cache_bytes);
  EXPECT_THAT(pool.message, RendersAs(HasSubstr("at --gpu-memory-utilization 0.25")));  // vLLM's flag
  // With a given utilization that is large enough, the runtime takes exactly that share and
  // the KV bucket is the whole pool.
  Plan roomy = PlanOf(ParseJobOrDie(
      Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]", "assumptions: {gpu_memory_utilization: 0.5}\n")));
  const DeviceBudget& d = roomy.candidates[0].memory.binding_device();
  EXPECT_TRUE(roomy.candidates[0].admitted());
  EXPECT_DOUBLE_EQ(d.planned_bytes, 0.5 * d.capacity_bytes);
  EXPECT_GT(d.kv_cache_bytes, roomy.candidates[0].memory.kv.bytes);
}

TEST(MemoryBudget, PinnedBucketsAreSplitByEachDevicesShare) {
  const std::string pinned = "memory_overrides: {kv_cache_bytes: 8 GB, runtime_bytes: 1 GB}\n";
  // Tensor parallel: Llama-3.1-8B has 8 KV heads, so each of two devices holds half.
  Plan tp = PlanOf(ParseJobOrDie(
      Job("llama-3.1-8b", "FP16", "vllm", "[{hardware: h100-sxm, count: 2}]", pinned)));
  ASSERT_EQ(tp.candidates[0].memory.devices.size(), 2u);
  for (const DeviceBudget& d : tp.candidates[0].memory.devices) {
    EXPECT_DOUBLE_EQ(d.bytes(Bucket::kKvCache), 4e9);
    EXPECT_DOUBLE_EQ(d.bytes(Bucket::kRuntime), 1e9);
  }
  // CPU offload: the GPU holds its layers' share, the host the rest.
  Plan offload = PlanOf(ParseJobOrDie(Job(
      "llama-3.1-70b", "Q4_K_M", "llama.cpp",
      "[{hardware: rtx-4090, offload: {gpu_layers: 20, host: ryzen-9-7950x-64gb}}]", pinned)));
  const MemoryPlan& m = offload.candidates[0].memory;
  ASSERT_EQ(m.devices.size(), 2u);
  EXPECT_DOUBLE_EQ(m.devices[0].kv_cache_bytes, 8e9 * 20 / 80);
  EXPECT_DOUBLE_EQ(m.devices[0].kv_cache_bytes + m.devices[1].kv_cache_bytes, 8e9);
  EXPECT_EQ(BucketKey(Bucket::kActivations), "activation_bytes");
}

TEST(MemoryBudget, CpuOffloadSplitsLayersAndChecksTheHostToo) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-70b", "Q4_K_M", "llama.cpp",
                                  "[{hardware: rtx-4090, offload: {gpu_layers: 30, host: ryzen-9-7950x-64gb}}]"));
  Plan plan = PlanOf(job);
  const MemoryPlan& m = plan.candidates[0].memory;
  ASSERT_EQ(m.devices.size(), 2u);
  EXPECT_NEAR(m.devices[0].weights_bytes + m.devices[1].weights_bytes, plan.weights.total_bytes, 1);
  EXPECT_NEAR(m.devices[0].kv_cache_bytes, m.kv.bytes * 30 / 80, 1);
  EXPECT_EQ(m.devices[1].kind, HardwareKind::kCpu);
}

}  // namespace
}  // namespace sizer

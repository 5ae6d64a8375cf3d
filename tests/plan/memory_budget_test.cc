// The memory budget on the fixture catalog (tests/testing/fixture_catalog.cc): placements
// over several devices, unified-memory capacity, the reserve, the paged pool and pinned
// buckets, each expectation derived from the fixture's figures.
#include "plan/memory_budget.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "base/units.h"
#include "plan/planner.h"
#include "testing/fixture_catalog.h"
#include "testing/job_builder.h"
#include "testing/plan_matchers.h"
#include "testing/plan_of.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using testing::FixtureCatalog;
using ::testing::IsEmpty;
using testing::IsOk;
using ::testing::HasSubstr;
using testing::IsReason;
using testing::RendersAs;
using testing::JobBuilder;

using testing::PlanOf;

// `model` at `quant` on `runtime`, the builder's defaults otherwise (context 8192, one
// sequence, prompt 500, output 100, reserve 0.20).
JobBuilder Job(const std::string& model, const std::string& quant, const std::string& runtime) {
  JobBuilder b(FixtureCatalog());
  b.Model(model).Quant(quant).Runtime(runtime);
  return b;
}

TEST(MemoryBudget, SeveralCardsAreNeverPooledIntoOne) {
  // dense-70b at FP16 is ~141 GB: two 80 GiB cards hold 172 GB between them, but each must
  // hold its own half plus its own buffers within 80 GiB x 0.8.
  Plan plan = PlanOf(
      Job("dense-70b", "FP16", "paged").Candidate("gpu-80g", 2).Candidate("gpu-80g", 4).Build());
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
  // dense-8b has 8 KV heads: over 16 devices each still holds one whole head.
  JobSpec job = Job("dense-8b", "FP16", "paged").Candidate("gpu-24g", 16).Build();
  ASSERT_EQ(job.model.n_kv_heads, 8);
  Plan plan = PlanOf(job);
  const MemoryPlan& m = plan.candidates[0].memory;
  ASSERT_EQ(m.devices.size(), 16u);
  EXPECT_NEAR(m.devices[0].kv_cache_bytes, m.kv.bytes / 8, 1);
}

TEST(MemoryBudget, LayerSplitPutsEachLayerOnOneDevice) {
  Plan plan = PlanOf(Job("dense-8b", "Q8_0", "upfront").Candidate("gpu-12g", 2).Build());
  const MemoryPlan& m = plan.candidates[0].memory;
  ASSERT_EQ(m.devices.size(), 2u);
  EXPECT_EQ(m.devices[0].layers + m.devices[1].layers, 32);  // dense-8b's 32 layers, once
  double on_devices = m.devices[0].weights_bytes + m.devices[1].weights_bytes;
  // The upfront runtime (llama.cpp-like) keeps the token embedding table in host memory.
  EXPECT_NEAR(on_devices, plan.weights.total_bytes - plan.weights.token_embedding_bytes, 1);
  EXPECT_NEAR(m.devices[0].kv_cache_bytes + m.devices[1].kv_cache_bytes, m.kv.bytes, 1);
}

TEST(MemoryBudget, UnifiedMemoryIsCappedAtTheGpuWiredLimitAndOverridable) {
  // mac-128g: 128 GiB of RAM, GPU wired limit 0.75, 8 GiB for the OS.
  StatusOr<HardwareSpec> mac = FixtureCatalog().FindHardware("mac-128g");
  ASSERT_THAT(mac, IsOk());
  AssumptionOverrides none;
  EXPECT_DOUBLE_EQ(CapacityBytes(*mac, none), 128 * kGiB * 0.75);
  AssumptionOverrides raised;
  raised.gpu_wired_limit_fraction = 0.9;  // 115.2 GiB, below RAM - OS share
  EXPECT_DOUBLE_EQ(CapacityBytes(*mac, raised), 128 * kGiB * 0.9);
  raised.gpu_wired_limit_fraction = 0.97;  // 124.16 GiB would eat into the OS share
  EXPECT_DOUBLE_EQ(CapacityBytes(*mac, raised), (128 - 8) * kGiB);
}

TEST(MemoryBudget, UsableIsCapacityTimesOneMinusReserve) {
  const Plan plan =
      PlanOf(Job("dense-8b", "Q4_K_M", "upfront").Reserve(0.35).Candidate("gpu-24g").Build());
  const DeviceBudget& d = plan.candidates[0].memory.binding_device();
  EXPECT_DOUBLE_EQ(d.usable_bytes, d.capacity_bytes * 0.65);
  EXPECT_DOUBLE_EQ(d.planned_bytes, d.weights_bytes + d.kv_cache_bytes + d.runtime_bytes +
                                        d.activation_bytes + d.fragmentation_bytes);
}

TEST(MemoryBudget, PagedPoolRecommendsTheSmallestUtilizationAndChecksAGivenOne) {
  Plan plan = PlanOf(Job("dense-8b", "FP16", "paged").Candidate("gpu-80g").Build());
  const MemoryPlan& m = plan.candidates[0].memory;
  ASSERT_TRUE(m.recommended_pool_fraction.has_value());
  const double capacity = m.binding_device().capacity_bytes;
  EXPECT_GE(*m.recommended_pool_fraction * capacity, m.binding_device().planned_bytes);
  // The smallest such fraction in hundredths.
  EXPECT_LT((*m.recommended_pool_fraction - 0.01) * capacity, m.binding_device().planned_bytes);

  // A utilization too small to leave room for the job's KV is a rejection with its figures:
  // the pool left for KV (0.4 x capacity less everything else on the device) against the KV
  // the job needs (64 sequences x 8192 tokens x 131,072 bytes, 68.7 GB).
  AssumptionOverrides tight_pool;
  tight_pool.gpu_memory_utilization = 0.4;
  Plan tight = PlanOf(Job("dense-8b", "FP16", "paged")
                          .Concurrency(64)
                          .Assumptions(tight_pool)
                          .Candidate("gpu-80g")
                          .Build());
  const CandidateWorksheet& ws = tight.candidates[0];
  EXPECT_FALSE(ws.admitted());
  ASSERT_FALSE(ws.reasons.empty());
  const DeviceBudget& d_tight = ws.memory.binding_device();
  const double others = d_tight.planned_bytes - d_tight.kv_cache_bytes;
  const double pool_kv = 0.4 * d_tight.capacity_bytes - others;
  ASSERT_GT(pool_kv, 0);
  EXPECT_THAT(ws.reasons[0],
              IsReason(Check::kKvPool, pool_kv, d_tight.kv_cache_bytes, Basis::kEstimate));
  EXPECT_EQ(ws.reasons[0].unit, Unit::kBytes);
  EXPECT_DOUBLE_EQ(d_tight.kv_cache_bytes, ws.memory.kv.bytes);
  // The reason names the runtime's own flag (runtime_db flags), not a generic key.
  EXPECT_THAT(ws.reasons[0].message, RendersAs(HasSubstr("at --pool-fraction 0.40")));

  // With a given utilization that is large enough, the runtime takes exactly that share and
  // the KV bucket is the whole pool.
  AssumptionOverrides half;
  half.gpu_memory_utilization = 0.5;
  Plan roomy =
      PlanOf(Job("dense-8b", "FP16", "paged").Assumptions(half).Candidate("gpu-80g").Build());
  const DeviceBudget& d = roomy.candidates[0].memory.binding_device();
  EXPECT_TRUE(roomy.candidates[0].admitted());
  EXPECT_DOUBLE_EQ(d.planned_bytes, 0.5 * d.capacity_bytes);
  EXPECT_GT(d.kv_cache_bytes, roomy.candidates[0].memory.kv.bytes);
}

TEST(MemoryBudget, PinnedBucketsAreSplitByEachDevicesShare) {
  MemoryOverrides pinned;
  pinned.kv_cache_bytes = 8e9;
  pinned.runtime_bytes = 1e9;
  // Tensor parallel: dense-8b has 8 KV heads, so each of two devices holds half.
  Plan tp =
      PlanOf(Job("dense-8b", "FP16", "paged").PinMemory(pinned).Candidate("gpu-80g", 2).Build());
  ASSERT_EQ(tp.candidates[0].memory.devices.size(), 2u);
  for (const DeviceBudget& d : tp.candidates[0].memory.devices) {
    EXPECT_DOUBLE_EQ(d.bytes(Bucket::kKvCache), 4e9);
    EXPECT_DOUBLE_EQ(d.bytes(Bucket::kRuntime), 1e9);
  }
  // CPU offload: the GPU holds its 20 of dense-70b's 80 layers' share, the host the rest.
  Plan offload = PlanOf(Job("dense-70b", "Q4_K_M", "upfront")
                            .PinMemory(pinned)
                            .Candidate("gpu-24g")
                            .Offload(20, "cpu-64g")
                            .Build());
  const MemoryPlan& m = offload.candidates[0].memory;
  ASSERT_EQ(m.devices.size(), 2u);
  EXPECT_DOUBLE_EQ(m.devices[0].kv_cache_bytes, 8e9 * 20 / 80);
  EXPECT_DOUBLE_EQ(m.devices[0].kv_cache_bytes + m.devices[1].kv_cache_bytes, 8e9);
  EXPECT_EQ(BucketKey(Bucket::kActivations), "activation_bytes");
}

TEST(MemoryBudget, CpuOffloadSplitsLayersAndChecksTheHostToo) {
  Plan plan = PlanOf(
      Job("dense-70b", "Q4_K_M", "upfront").Candidate("gpu-24g").Offload(30, "cpu-64g").Build());
  const MemoryPlan& m = plan.candidates[0].memory;
  ASSERT_EQ(m.devices.size(), 2u);
  EXPECT_NEAR(m.devices[0].weights_bytes + m.devices[1].weights_bytes, plan.weights.total_bytes, 1);
  EXPECT_NEAR(m.devices[0].kv_cache_bytes, m.kv.bytes * 30 / 80, 1);  // 30 of 80 layers
  EXPECT_EQ(m.devices[1].kind, HardwareKind::kCpu);
  // The host is budgeted like any device: its capacity is RAM less the OS share
  // (cpu-64g: 64 GiB - 4 GiB).
  EXPECT_DOUBLE_EQ(m.devices[1].capacity_bytes, (64 - 4) * kGiB);
}

}  // namespace
}  // namespace sizer

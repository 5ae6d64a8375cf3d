// The seed texts' hand-worked examples, each a job in worksheets/golden-*.yaml: the planner
// must reproduce the figures the seed texts state, rounded as they state them.
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/file.h"
#include "base/format.h"
#include "plan/planner.h"
#include "testing/plan_matchers.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::IsEmpty;
using testing::IsOk;
using testing::RealCatalog;
using testing::SourceDir;

class Golden : public ::testing::Test {
 protected:
  const Plan& PlanFor(const std::string& name) {
    StatusOr<JobSpec> job = LoadJobSpec(SourceDir() + "/worksheets/" + name, RealCatalog());
    EXPECT_THAT(job, IsOk());
    StatusOr<Plan> plan = MakePlan(*job);
    EXPECT_THAT(plan, IsOk());
    plan_ = std::move(plan).value();
    return plan_;
  }
  Plan plan_;
};

TEST_F(Golden, ThirtyFiveBillionParametersAtSixteenBitsIsSeventyGigabytes) {
  const Plan& plan = PlanFor("golden-weights-35b-16bit.yaml");
  EXPECT_EQ(FormatBytes(plan.weights.total_bytes), "70.0 GB");
}

TEST_F(Golden, FullAttentionKvIsTwoPointSevenGigabytes) {
  const Plan& plan = PlanFor("golden-kv-full-attention.yaml");
  const DeviceBudget& d = plan.candidates[0].memory.binding_device();
  // 2 (K,V) x 40 layers x 2 KV heads x 256 x 2 bytes x 8192 tokens x 4 sequences.
  EXPECT_DOUBLE_EQ(d.kv_cache_bytes, 2.0 * 40 * 2 * 256 * 2 * 8192 * 4);
  EXPECT_EQ(FormatBytes(d.kv_cache_bytes), "2.7 GB");
}

TEST_F(Golden, HybridLayoutNeedsFarLessKvThanFullAttention) {
  const Plan& full = PlanFor("golden-kv-full-attention.yaml");
  double full_kv = full.candidates[0].memory.binding_device().kv_cache_bytes;
  const Plan& hybrid = PlanFor("golden-kv-hybrid.yaml");
  const MemoryPlan& m = hybrid.candidates[0].memory;
  // 10 full layers grow with the context; 30 linear layers keep a fixed state per sequence
  // (548,864 f32 elements each, llama.cpp keeps recurrent state in f32).
  EXPECT_DOUBLE_EQ(m.kv.attention_bytes, 2.0 * 10 * 2 * 256 * 2 * 8192 * 4);
  EXPECT_DOUBLE_EQ(m.kv.state_bytes, 30.0 * 548864 * 4 * 4);
  EXPECT_LT(m.binding_device().kv_cache_bytes, full_kv / 2.5);
}

TEST_F(Golden, TwentyFourGigabyteDeviceAdmitsFifteenGigabytes) {
  const Plan& plan = PlanFor("golden-admit-24gb.yaml");
  const CandidateWorksheet& ws = plan.candidates[0];
  const DeviceBudget& d = ws.memory.binding_device();
  EXPECT_EQ(FormatBytes(d.usable_bytes), "19.2 GB");
  EXPECT_EQ(FormatBytes(d.planned_bytes), "15.0 GB");
  EXPECT_TRUE(ws.admitted());
  EXPECT_EQ(ws.max_context_tokens, CandidateWorksheet::kNotSearched);
}

TEST_F(Golden, FourHundredGigabytesPerSecondOverSevenPointSixIsFiftyTwoPointSix) {
  const Plan& plan = PlanFor("golden-decode-ceiling.yaml");
  const SpeedPlan& s = plan.candidates[0].speed;
  EXPECT_EQ(FormatFixed(s.decode_ceiling_tokens_per_s, 1), "52.6");
  EXPECT_EQ(FormatPercent(s.measured_fraction_of_ceiling), "59%");
  EXPECT_EQ(plan.candidates[0].decode_basis, Basis::kMeasured);
}

TEST_F(Golden, LatencyGateRejectsTheUnifiedMachineOnLatencyAlone) {
  const Plan& plan = PlanFor("golden-latency-gate.yaml");
  ASSERT_EQ(plan.candidates.size(), 2u);
  const CandidateWorksheet& gpu = plan.candidates[0];
  const CandidateWorksheet& unified = plan.candidates[1];
  EXPECT_THAT(gpu.reasons, IsEmpty());
  EXPECT_EQ(FormatBytes(gpu.memory.binding_device().planned_bytes), "19.0 GB");
  EXPECT_EQ(FormatBytes(gpu.memory.binding_device().usable_bytes), "19.2 GB");
  EXPECT_FALSE(unified.admitted());
  ASSERT_EQ(unified.reasons.size(), 1u);
  const Check check = unified.reasons[0].check;
  EXPECT_TRUE(check == Check::kTtft || check == Check::kTokenLatency) << CheckName(check);
  EXPECT_GT(unified.reasons[0].value, unified.reasons[0].limit);
  EXPECT_EQ(unified.reasons[0].unit, Unit::kMs);
  EXPECT_TRUE(unified.memory.fits);
}

TEST_F(Golden, ArtifactChoiceKeepsOnlyQ4) {
  const Plan& plan = PlanFor("golden-artifact-choice.yaml");
  ASSERT_EQ(plan.artifacts.size(), 3u);
  EXPECT_EQ(plan.artifacts[0].outcome, ArtifactOutcome::kFitsNowhere);  // F16: 16.0 GB > 8 GB
  EXPECT_TRUE(plan.artifacts[0].fits_on.empty());
  EXPECT_EQ(plan.artifacts[1].outcome, ArtifactOutcome::kPass);  // Q4: fits and 0.925 >= 0.90
  EXPECT_EQ(plan.artifacts[2].outcome, ArtifactOutcome::kFailsQuality);  // Q2: 0.861 < 0.90
  EXPECT_FALSE(plan.artifacts[2].quality_ok);
  EXPECT_FALSE(plan.artifacts[2].fits_on.empty());
  ASSERT_TRUE(plan.recommended_artifact.has_value());
  EXPECT_EQ(*plan.recommended_artifact, 1u);
  EXPECT_EQ(plan.quant, "Q4_K_M");
}

TEST_F(Golden, SparsityWithoutAKernelLeavesLatencyUnchanged) {
  const Plan& plan = PlanFor("golden-sparsity.yaml");
  const CandidateWorksheet& ws = plan.candidates[0];
  EXPECT_DOUBLE_EQ(ws.speed.sparsity_speedup, 1.0);
  EXPECT_EQ(FormatFixed(ws.gate_p95_token_latency_ms, 1), "42.0");
}

TEST_F(Golden, HostedNineHundredAgainstLocalSevenTwentyPicksLocal) {
  const Plan& plan = PlanFor("golden-cost-crossover.yaml");
  ASSERT_TRUE(plan.cost.present);
  EXPECT_DOUBLE_EQ(plan.cost.hosted_monthly_usd, 900.0);
  EXPECT_DOUBLE_EQ(plan.cost.local_monthly_usd, 720.0);
  EXPECT_EQ(plan.cost.cheaper, CheaperSide::kLocal);
  EXPECT_DOUBLE_EQ(plan.cost.break_even_requests_per_month, 400000.0);
}

// Every bundled job plans without error, so the examples never rot.
TEST(Worksheets, EveryBundledJobPlans) {
  StatusOr<std::vector<std::string>> files = ListFiles(SourceDir() + "/worksheets", ".yaml");
  ASSERT_TRUE(files.ok());
  ASSERT_GE(files->size(), 9u);
  for (const std::string& file : *files) {
    StatusOr<JobSpec> job = LoadJobSpec(file, RealCatalog());
    ASSERT_TRUE(job.ok()) << file << ": " << job.status().message();
    StatusOr<Plan> plan = MakePlan(*job);
    ASSERT_TRUE(plan.ok()) << file << ": " << plan.status().message();
    EXPECT_EQ(plan->candidates.size(), job->candidates.size()) << file;
  }
}

}  // namespace
}  // namespace sizer

// The planner's verdicts on the fixture catalog (tests/testing/fixture_catalog.cc): every
// failing check listed, the recommendation, the capacity search's edge, the gates on
// measured figures, and the plan's ownership of its job.
#include "plan/planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plan/capacity_search.h"
#include "plan/memory_budget.h"
#include "testing/fixture_catalog.h"
#include "testing/job_builder.h"
#include "testing/plan_matchers.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using ::testing::Contains;
using testing::FixtureCatalog;
using ::testing::HasSubstr;
using testing::IsOk;
using testing::IsReason;
using testing::JobBuilder;
using ::testing::Not;
using testing::RendersAs;
using testing::StatusIs;

// `model` at `quant` on `runtime`: context 8192, two sequences, prompt 1000, output 200.
JobBuilder Job(const std::string& model, const std::string& quant, const std::string& runtime) {
  JobBuilder b(FixtureCatalog());
  b.Model(model).Quant(quant).Runtime(runtime).Concurrency(2).Prompt(1000).Output(200);
  return b;
}

TEST(Planner, ListsEveryFailingReasonNotOnlyTheFirst) {
  // cuda-only runs on NVIDIA GPUs and loads safetensors only: a Mac is the wrong kind and
  // the wrong vendor, and F16 is a GGUF format; dense-70b at F16 (~141 GB) does not fit in
  // 128 GiB x 0.75; and the decode gate is out of reach.
  JobSpec job = Job("dense-70b", "F16", "cuda-only").MinDecode(500).Candidate("mac-128g").Build();
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  const CandidateWorksheet& ws = plan->candidates[0];
  EXPECT_EQ(ws.verdict, Verdict::kReject);
  EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kRuntimeHardwareKind)));
  EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kRuntimeVendor)));
  EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kFormat)));
  EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kMemory)));
  EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kDecodeSpeed, ws.gate_decode_tokens_per_s, 500,
                                            Basis::kEstimate)));
  EXPECT_THAT(ws.reasons, Not(Contains(IsReason(Check::kKvCacheDtype))));
}

TEST(Planner, KvDtypeTheRuntimeLacksIsARejection) {
  // The upfront runtime has f16 and q8_0 caches, not fp8.
  JobSpec job =
      Job("dense-8b", "Q4_K_M", "upfront").KvCacheDtype("fp8").Candidate("gpu-80g").Build();
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(plan->candidates[0].reasons,
              Contains(IsReason(Check::kKvCacheDtype, 0.0, 0.0, Basis::kEstimate)));
}

TEST(Planner, RecommendsTheSmallestAdmittedCandidate) {
  // dense-8b at Q8_0 (~8.5 GB) with two 8192-token sequences does not fit 12 GiB x 0.8, so
  // the smallest admitted card is the 24 GiB one, not the 12 GiB one nor the 80 GiB one.
  JobSpec job = Job("dense-8b", "Q8_0", "upfront")
                    .Candidate("gpu-80g")
                    .Candidate("gpu-12g")
                    .Candidate("gpu-24g")
                    .Build();
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  ASSERT_TRUE(plan->candidates[0].admitted());
  ASSERT_THAT(plan->candidates[1].reasons, Contains(IsReason(Check::kMemory)));
  ASSERT_TRUE(plan->candidates[2].admitted());
  ASSERT_TRUE(plan->recommended.has_value());
  EXPECT_EQ(*plan->recommended, 2u);
}

TEST(Planner, MaxContextIsTheExactEdgeOfTheMemoryModel) {
  // swa-12b slides on 5 of 6 layers, so memory is not linear in context: the search must
  // land exactly on the edge (fits at N, not at N + 1).
  JobSpec job = Job("swa-12b", "Q4_K_M", "upfront").Candidate("gpu-12g").Build();
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  const CandidateWorksheet& ws = plan->candidates[0];
  StatusOr<PlanInputs> in = ResolvePlanInputs(job, plan->quant);
  ASSERT_THAT(in, IsOk());
  ASSERT_GT(ws.max_context_tokens, 0);
  ASSERT_LT(ws.max_context_tokens, job.model.max_context_tokens);
  EXPECT_TRUE(PlanMemory(*in, ws.candidate, plan->weights, ws.max_context_tokens, 2).fits);
  EXPECT_FALSE(PlanMemory(*in, ws.candidate, plan->weights, ws.max_context_tokens + 1, 2).fits);
  EXPECT_TRUE(PlanMemory(*in, ws.candidate, plan->weights, 8192, ws.max_concurrency).fits);
  EXPECT_FALSE(PlanMemory(*in, ws.candidate, plan->weights, 8192, ws.max_concurrency + 1).fits);
}

TEST(Planner, QuantizedVCacheTurnsFlashAttentionOnForLlamaCpp) {
  // The upfront runtime (llama.cpp-like) cannot hold a quantized V cache without flash
  // attention: a job that turns it off with a q8_0 cache is planned with it on.
  JobSpec job = Job("dense-8b", "Q4_K_M", "upfront")
                    .KvCacheDtype("q8_0")
                    .FlashAttention(false)
                    .Candidate("gpu-24g")
                    .Build();
  StatusOr<PlanInputs> in = ResolvePlanInputs(job, job.quant);
  ASSERT_THAT(in, IsOk());
  EXPECT_TRUE(in->flash_attention);
  EXPECT_THAT(in->warnings, Contains(RendersAs(HasSubstr("planned with flash attention on"))));
  // An f16 cache leaves the job's choice alone.
  JobSpec f16 =
      Job("dense-8b", "Q4_K_M", "upfront").FlashAttention(false).Candidate("gpu-24g").Build();
  StatusOr<PlanInputs> plain = ResolvePlanInputs(f16, f16.quant);
  ASSERT_THAT(plain, IsOk());
  EXPECT_FALSE(plain->flash_attention);
}

TEST(Planner, MeasuredFiguresReplaceEstimatesForTheGates) {
  JobSpec job = Job("dense-8b", "Q4_K_M", "upfront")
                    .MinDecode(10)
                    .Candidate("gpu-24g")
                    .MeasuredDecode(9)
                    .Build();
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  const CandidateWorksheet& ws = plan->candidates[0];
  // The estimate alone would pass the gate; the measurement does not.
  ASSERT_GT(ws.speed.expected_decode_tokens_per_s, 10);
  EXPECT_EQ(ws.decode_basis, Basis::kMeasured);
  EXPECT_FALSE(ws.admitted());
  EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kDecodeSpeed, 9.0, 10.0, Basis::kMeasured)));
}

TEST(Planner, UnknownQualityLeavesTheQualityGateAsAWarning) {
  JobSpec job = Job("dense-8b", "Q4_K_M", "upfront").MinQuality(0.9).Candidate("gpu-24g").Build();
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->candidates[0].admitted());
  EXPECT_THAT(plan->candidates[0].reasons, Not(Contains(IsReason(Check::kQuality))));
  EXPECT_THAT(plan->candidates[0].warnings,
              Contains(RendersAs(HasSubstr("quality gate not evaluated"))));
}

TEST(Planner, ThePlanOwnsItsJob) {
  StatusOr<Plan> plan = [] {
    JobSpec job = Job("dense-8b", "Q4_K_M", "upfront").Candidate("gpu-24g").Build();
    return MakePlan(job);  // `job` ends here; the plan keeps its own copy
  }();
  ASSERT_THAT(plan, IsOk());
  ASSERT_NE(plan->job, nullptr);
  EXPECT_EQ(plan->job->model.id, "dense-8b");
  const Plan copy = *plan;  // copies share the one job
  EXPECT_EQ(copy.job.get(), plan->job.get());
}

TEST(Planner, AnUnknownQuantIsAnInvalidArgument) {
  JobSpec job = Job("dense-8b", "Q4_K_M", "upfront").Candidate("gpu-24g").Build();
  job.quant = "Q9_Z";
  EXPECT_THAT(MakePlan(job),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown quant 'Q9_Z'")));
}

}  // namespace
}  // namespace sizer

#include "plan/planner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plan/capacity_search.h"
#include "plan/memory_budget.h"
#include "testing/plan_matchers.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::IsOk;
using testing::IsReason;
using testing::StatusIs;
using testing::ParseJobOrDie;
using testing::RendersAs;

std::string Job(const std::string& model, const std::string& quant, const std::string& runtime,
                const std::string& candidates, const std::string& extra = "") {
  return "job: t\nmodel: " + model + "\nquant: " + quant +
         "\ncontext_tokens: 8192\nconcurrency: 2\nruntime: " + runtime +
         "\nprompt_tokens: 1000\noutput_tokens: 200\ncandidates: " + candidates + "\n" + extra;
}

TEST(Planner, ListsEveryFailingReasonNotOnlyTheFirst) {
  // TensorRT-LLM cannot run on a Mac, needs NVIDIA, and does not load GGUF; a 70B F16 model
  // does not fit either; and the decode gate is out of reach.
  JobSpec job = ParseJobOrDie(Job("llama-3.1-70b", "F16", "tensorrt-llm", "[m4-pro-48gb]",
                                  "gates: {min_decode_tokens_per_s: 500}\n"));
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
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "FP16", "vllm", "[h100-sxm]",
                                  "kv_cache_dtype: q8_0\n"));
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  EXPECT_THAT(plan->candidates[0].reasons, Contains(IsReason(Check::kKvCacheDtype)));
}

TEST(Planner, RecommendsTheSmallestAdmittedCandidate) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp",
                                  "[h100-sxm, rtx-4090, rtx-3060-12gb, l4]"));
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  ASSERT_TRUE(plan->recommended.has_value());
  EXPECT_EQ(plan->candidates[*plan->recommended].candidate.hardware.id, "rtx-3060-12gb");
}

TEST(Planner, MaxContextIsTheExactEdgeOfTheMemoryModel) {
  // Gemma 3 slides on 5 of 6 layers, so memory is not linear in context: the search must
  // land exactly on the edge (fits at N, not at N + 1).
  JobSpec job = ParseJobOrDie(Job("gemma-3-27b", "Q4_K_M", "llama.cpp", "[rtx-4090]"));
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
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "Q4_K_M", "ollama", "[rtx-4090]",
                                  "kv_cache_dtype: q8_0\n"));
  StatusOr<PlanInputs> in = ResolvePlanInputs(job, job.quant);
  ASSERT_TRUE(in.ok());
  EXPECT_TRUE(in->flash_attention);
  ASSERT_FALSE(in->warnings.empty());
}

TEST(Planner, MeasuredFiguresReplaceEstimatesForTheGates) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp",
                                  "[{hardware: rtx-4090, measured: {decode_tokens_per_s: 9}}]",
                                  "gates: {min_decode_tokens_per_s: 10}\n"));
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  const CandidateWorksheet& ws = plan->candidates[0];
  EXPECT_EQ(ws.decode_basis, Basis::kMeasured);
  EXPECT_FALSE(ws.admitted());
  EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kDecodeSpeed, 9.0, 10.0, Basis::kMeasured)));
}

TEST(Planner, UnknownQualityLeavesTheQualityGateAsAWarning) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp", "[rtx-4090]",
                                  "gates: {min_quality: 0.9}\n"));
  StatusOr<Plan> plan = MakePlan(job);
  ASSERT_THAT(plan, IsOk());
  EXPECT_TRUE(plan->candidates[0].admitted());
  EXPECT_THAT(plan->candidates[0].warnings,
              Contains(RendersAs(HasSubstr("quality gate not evaluated"))));
}

TEST(Planner, ThePlanOwnsItsJob) {
  StatusOr<Plan> plan = [] {
    JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp", "[rtx-4090]"));
    return MakePlan(job);  // `job` ends here; the plan keeps its own copy
  }();
  ASSERT_THAT(plan, IsOk());
  ASSERT_NE(plan->job, nullptr);
  EXPECT_EQ(plan->job->model.id, "llama-3.1-8b");
  const Plan copy = *plan;  // copies share the one job
  EXPECT_EQ(copy.job.get(), plan->job.get());
}

TEST(Planner, AnUnknownQuantIsAnInvalidArgument) {
  JobSpec job = ParseJobOrDie(Job("llama-3.1-8b", "Q4_K_M", "llama.cpp", "[rtx-4090]"));
  job.quant = "Q9_Z";
  EXPECT_THAT(MakePlan(job), StatusIs(StatusCode::kInvalidArgument, HasSubstr("unknown quant 'Q9_Z'")));
}

}  // namespace
}  // namespace sizer

// Questions asked with flags (input/question.h): the flags are checked before any work, and
// a question plans exactly like the job file it means.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "input/question.h"
#include "plan/planner.h"
#include "report/json_report.h"
#include "testing/status_matchers.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using testing::IsOk;
using testing::RealCatalog;
using testing::StatusIs;

Question Seventy() {
  Question q;
  q.model = "llama-3.1-70b";
  q.context = "32k";
  q.on = "rtx-4090,2x rtx-4090,h100-sxm";
  return q;
}

// The plan's JSON without the one field that names the input file.
nlohmann::json PlanJson(const JobSpec& job) {
  StatusOr<Plan> plan = MakePlan(job);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  if (!plan.ok()) return {};
  nlohmann::json j = PlanToJson(*plan);
  j["job"].erase("file");
  return j;
}

TEST(TokenCount, AcceptsPlainAndSuffixedCounts) {
  EXPECT_EQ(*ParseTokenCount("8192"), 8192);
  EXPECT_EQ(*ParseTokenCount("32k"), 32768);
  EXPECT_EQ(*ParseTokenCount("1.5k"), 1536);
  EXPECT_EQ(*ParseTokenCount("1M"), 1048576);
  for (const char* bad : {"0", "-5", "", "k", "12x", "0.5", "1e12"}) {
    EXPECT_THAT(ParseTokenCount(bad), StatusIs(StatusCode::kInvalidArgument, HasSubstr("tokens")))
        << bad;
  }
}

TEST(DeviceCount, ReadsCountsAndIds) {
  StatusOr<DeviceCount> two = ParseDeviceCount(" 2x rtx-4090 ");
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->count, 2);
  EXPECT_EQ(two->hardware_id, "rtx-4090");
  EXPECT_EQ(ParseDeviceCount("8xh100-sxm")->count, 8);
  EXPECT_EQ(ParseDeviceCount("4 x a100-80gb")->hardware_id, "a100-80gb");
  EXPECT_EQ(ParseDeviceCount("rtx-3090")->count, 1);
  // An id that starts with digits is not a count.
  EXPECT_EQ(ParseDeviceCount("4090")->hardware_id, "4090");
  EXPECT_FALSE(ParseDeviceCount("0x rtx-4090").ok());
  EXPECT_FALSE(ParseDeviceCount("2x").ok());
  EXPECT_FALSE(ParseDeviceCount("rtx 4090").ok());
  StatusOr<std::vector<DeviceCount>> list = ParseDeviceList("rtx-4090,2x rtx-4090,h100-sxm");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[1].count, 2);
  EXPECT_FALSE(ParseDeviceList("rtx-4090,,h100-sxm").ok());
}

TEST(Question, DraftsTheJobWithStatedDefaults) {
  StatusOr<DraftedJob> draft = DraftJob(Seventy(), RealCatalog());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_THAT(draft->yaml, HasSubstr("context_tokens: 32768\n"));
  EXPECT_THAT(draft->yaml, HasSubstr("candidates: [rtx-4090, {hardware: rtx-4090, count: 2}, h100-sxm]\n"));
  std::vector<std::string> keys;
  for (const QuestionDefault& d : draft->defaults) keys.push_back(d.key);
  EXPECT_THAT(keys, ::testing::IsSupersetOf({"runtime", "quant", "kv_cache_dtype", "concurrency",
                                             "prompt_tokens", "output_tokens"}));
  EXPECT_THAT(keys, ::testing::Not(::testing::Contains("context_tokens")));
}

// The flags and the job file a person would write for them plan identically.
TEST(Question, PlansExactlyLikeTheEquivalentJobFile) {
  StatusOr<DraftedJob> draft = DraftJob(Seventy(), RealCatalog());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  StatusOr<JobSpec> asked = ParseDraftedJob(*draft, RealCatalog());
  ASSERT_TRUE(asked.ok()) << asked.status().message();
  const JobSpec written = testing::ParseJobOrDie(
      "job: question-llama-3.1-70b\n"
      "model: llama-3.1-70b\n"
      "quant: Q4_K_M\n"
      "kv_cache_dtype: f16\n"
      "context_tokens: 32768\n"
      "concurrency: 1\n"
      "runtime: llama.cpp\n"
      "prompt_tokens: 1024\n"
      "output_tokens: 256\n"
      "candidates:\n"
      "  - rtx-4090\n"
      "  - {hardware: rtx-4090, count: 2}\n"
      "  - h100-sxm\n");
  EXPECT_EQ(PlanJson(*asked), PlanJson(written));
  // And the saved draft, read back from a file, too.
  const std::string path = (std::filesystem::temp_directory_path() / "sizer_question_test.yaml").string();
  std::ofstream(path) << draft->yaml;
  StatusOr<JobSpec> saved = LoadJobSpec(path, RealCatalog());
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(PlanJson(*saved), PlanJson(*asked));
  std::filesystem::remove(path);
}

TEST(Question, SetReachesAnyKeyAndFlagsWin) {
  Question q = Seventy();
  q.sets = {"gates.max_ttft_ms=2000", "cost.requests_per_month=100000",
            "cost.hosted.usd_per_1k_requests=2", "concurrency=4"};
  StatusOr<DraftedJob> draft = DraftJob(q, RealCatalog());
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  StatusOr<JobSpec> job = ParseDraftedJob(*draft, RealCatalog());
  ASSERT_TRUE(job.ok()) << job.status().message() << "\n" << draft->yaml;
  EXPECT_EQ(job->gates.max_ttft_ms, 2000);
  EXPECT_EQ(job->concurrency, 4);
  EXPECT_TRUE(job->cost.present);
  EXPECT_EQ(job->cost.hosted_usd_per_1k_requests, 2);
}

Status DraftError(Question q) { return DraftJob(q, RealCatalog()).status(); }

TEST(QuestionErrors, NameTheFlagAndStopBeforeAnyWork) {
  Question q = Seventy();
  q.model = "llama-3.1-7b";
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kNotFound, HasSubstr("did you mean")));
  q = Seventy();
  q.on = "rtx-4909";
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kNotFound,
                                      ::testing::AllOf(HasSubstr("--on"), HasSubstr("rtx-4090"))));
  q = Seventy();
  q.gpu = "2x rtx-4090";
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kInvalidArgument, HasSubstr("--on and --gpu")));
  q = Seventy();
  q.context = "0";
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kInvalidArgument, HasSubstr("--context")));
  q = Seventy();
  q.on.reset();
  q.memory = "-24GiB";
  q.bandwidth = "1TB/s";
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kInvalidArgument, HasSubstr("--memory: must be positive")));
  q.memory = "24GiB";
  q.bandwidth.reset();
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kInvalidArgument, HasSubstr("give both")));
  q = Seventy();
  q.sets = {"context_tokens=16384"};
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kInvalidArgument,
                                      ::testing::AllOf(HasSubstr("--set context_tokens"),
                                                       HasSubstr("--context"))));
  q = Seventy();
  q.sets = {"gates"};
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kInvalidArgument, HasSubstr("KEY=VALUE")));
  q = Seventy();
  q.quant = "Q4_K_N";
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kNotFound, HasSubstr("Q4_K_M")));
  q = Seventy();
  q.search_hardware = true;
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kInvalidArgument, HasSubstr("drop --on")));
  q = Seventy();
  q.model = testing::SourceDir() + "/model_db";
  EXPECT_THAT(DraftError(q), StatusIs(StatusCode::kInvalidArgument, HasSubstr("folder without config.json")));
}

TEST(QuestionErrors, AFlagThatDisagreesWithTheJobIsRefused) {
  JobSpec job = testing::ParseJobOrDie(
      "job: j\nmodel: llama-3.1-8b\nquant: Q4_K_M\ncontext_tokens: 8192\nruntime: llama.cpp\n"
      "prompt_tokens: 100\noutput_tokens: 100\ncandidates: [rtx-4090]\n"
      "gates: {min_decode_tokens_per_s: 10}\n");
  Question q;
  q.context = "8k";
  EXPECT_THAT(ApplyQuestionToJob(q, job), IsOk());
  q.context = "16k";
  EXPECT_THAT(ApplyQuestionToJob(q, job),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("--context 16k"), HasSubstr("context_tokens: 8192"))));
  q = Question();
  q.min_decode = "20";
  EXPECT_THAT(ApplyQuestionToJob(q, job), StatusIs(StatusCode::kInvalidArgument, HasSubstr("--min-decode")));
  job.gates.min_decode_tokens_per_s.reset();
  EXPECT_THAT(ApplyQuestionToJob(q, job), IsOk());
  EXPECT_EQ(job.gates.min_decode_tokens_per_s, 20);
}

}  // namespace
}  // namespace sizer

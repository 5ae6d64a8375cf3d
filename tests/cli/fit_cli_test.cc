// sizer fit and sizer recommend through the binary: the flags answer exactly what the saved
// job file answers, exit codes 0/1/2, and every bad input is one line before any output.
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::CliResult;
using testing::RunCli;

const char* kSeventy = "fit llama-3.1-70b --context 32k --on 'rtx-4090,2x rtx-4090,h100-sxm'";

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("sizer_fit_test_" + name)).string();
}

nlohmann::json JsonWithoutFile(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text);
  j["job"].erase("file");
  return j;
}

void ExpectBadInput(const CliResult& r, const std::string& what) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, StartsWith("sizer: error: "));
  EXPECT_THAT(r.err, HasSubstr(what));
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
}

TEST(FitCli, FlagsAnswerWhatTheSavedJobAnswers) {
  const std::string job = TempPath("seventy.yaml");
  CliResult fit = RunCli(std::string(kSeventy) + " --json --save '" + job + "'");
  ASSERT_EQ(fit.exit_code, 0) << fit.err;  // the H100 admits it
  CliResult plan = RunCli("plan '" + job + "' --json");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(JsonWithoutFile(fit.out), JsonWithoutFile(plan.out));
  std::filesystem::remove(job);
}

TEST(FitCli, AGgufFileIsAskedAboutLikeAnId) {
  const std::string job = TempPath("stories.yaml");
  const std::string model = "tests/data/models/stories260K.gguf --memory 1GiB --bandwidth 10GB/s";
  CliResult fit = RunCli("fit " + model + " --json --save '" + job + "'");
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  CliResult plan = RunCli("plan '" + job + "' --json");
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_EQ(JsonWithoutFile(fit.out), JsonWithoutFile(plan.out));
  EXPECT_EQ(nlohmann::json::parse(fit.out)["job"]["quant"], "F32");  // the file's own type
  ExpectBadInput(RunCli("fit " + model + " --quant Q8_0"), "disagrees with");
  std::filesystem::remove(job);
}

TEST(FitCli, PrintsTheDefaultsAndTheVerdicts) {
  CliResult r = RunCli(kSeventy, "COLUMNS=100");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("default: quant = Q4_K_M"));
  EXPECT_THAT(r.out, HasSubstr("default: runtime = llama.cpp"));
  EXPECT_THAT(r.out, HasSubstr("2x rtx-4090"));
  EXPECT_THAT(r.out, HasSubstr("h100-sxm"));
}

TEST(FitCli, ExitsOneWhenNothingFits) {
  CliResult r = RunCli("fit llama-3.1-70b --context 32k --gpu rtx-4090");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("reject"));
}

TEST(FitCli, MaxContextPrintsOneNumberPerMachine) {
  CliResult r = RunCli("fit llama-3.1-8b --on 'rtx-4090,rtx-3060-12gb' --max-context --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "sizer-max-context/1");
  ASSERT_EQ(j["machines"].size(), 2u);
  const int64_t big = j["machines"][0]["max_context_tokens"];
  const int64_t small = j["machines"][1]["max_context_tokens"];
  EXPECT_GT(big, small);  // 24 GiB holds more context than 12 GiB
  EXPECT_LE(big, j["model_max_context_tokens"].get<int64_t>());
  CliResult text = RunCli("fit llama-3.1-8b --on rtx-4090 --max-context");
  EXPECT_THAT(text.out, HasSubstr("rtx-4090"));
  EXPECT_THAT(text.out, HasSubstr(" tokens"));
}

TEST(FitCli, ACustomDeviceIsPlanned) {
  CliResult r = RunCli("fit llama-3.1-8b --memory 24GiB --bandwidth 1TB/s --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["candidates"][0]["verdict"], "admit");
}

TEST(FitCli, ThisMachineNeedsTheSavedProbe) {
  const std::string dir = TempPath("empty-cache");
  std::filesystem::create_directories(dir);
  ExpectBadInput(RunCli("fit llama-3.1-8b", "SIZER_CACHE_DIR='" + dir + "'"), "sizer probe --save");
  std::filesystem::remove_all(dir);
}

TEST(FitCli, BadInputIsOneLineAndExitTwo) {
  ExpectBadInput(RunCli("fit llama-3.1-7b --on rtx-4090"), "did you mean");
  ExpectBadInput(RunCli("fit llama-3.1-8b --on rtx-4909"), "rtx-4090");
  ExpectBadInput(RunCli("fit llama-3.1-8b --on rtx-4090 --gpu rtx-4090"), "--on and --gpu");
  ExpectBadInput(RunCli("fit llama-3.1-8b --on rtx-4090 --context 0"), "--context");
  ExpectBadInput(RunCli("fit llama-3.1-8b --memory=-24GiB --bandwidth 1TB/s"), "must be positive");
  ExpectBadInput(RunCli("fit llama-3.1-8b --on rtx-4090 --context 8k --set context_tokens=4096"),
                 "--set context_tokens");
  ExpectBadInput(RunCli("fit llama-3.1-8b --on rtx-4090 --concurrency -2"), "--concurrency");
  ExpectBadInput(RunCli("fit model_db --on rtx-4090"), "folder");
  ExpectBadInput(RunCli("fit llama-3.1-8b --on rtx-4090 --save /nonexistent-dir/job.yaml"), "--save");
}

TEST(RecommendCli, FindsTheReadmeQuestion) {
  CliResult r = RunCli("recommend --model qwen3-30b-a3b --context 32k --concurrency 8 --min-decode 20 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["format"], "sizer-recommend/1");
  ASSERT_FALSE(j["top"].empty());
  for (const auto& t : j["top"]) EXPECT_GE(t["decode_tokens_per_s"].get<double>(), 20.0);
  EXPECT_FALSE(j["pareto"].empty());
}

TEST(RecommendCli, NothingAdmittedExitsOneWithTheNearestMiss) {
  CliResult r = RunCli("recommend --model llama-3.1-405b --context 128k --concurrency 4 --counts 1,2 --min-decode 5");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("No configuration is admitted"));
  EXPECT_THAT(r.out, HasSubstr("memory: "));
  EXPECT_THAT(r.out, HasSubstr("the smallest shortfall is"));
}

TEST(RecommendCli, AJobFileAndADisagreeingFlagIsBadInput) {
  ExpectBadInput(RunCli("recommend worksheets/chat-assistant-8b.yaml --context 64k"),
                 "disagrees with the job's context_tokens");
  ExpectBadInput(RunCli("recommend --model qwen3-30b-a3b --on rtx-4090"), "drop --on");
  ExpectBadInput(RunCli("recommend --model qwen3-30b-a3b --rank price"), "--rank");
  ExpectBadInput(RunCli("recommend"), "--model");
  ExpectBadInput(RunCli("recommend --model qwen3-30b-a3b --prices /nonexistent/prices.yaml"),
                 "/nonexistent/prices.yaml");
  ExpectBadInput(RunCli("fit llama-3.1-8b --on rtx-4090 --prices /nonexistent/prices.yaml"),
                 "/nonexistent/prices.yaml");
  CliResult ok = RunCli("recommend worksheets/chat-assistant-8b.yaml --top 2 --json");
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(nlohmann::json::parse(ok.out)["top"].size(), 2u);
}

TEST(RecommendCli, InverseListsModelsForOneMachine) {
  CliResult r = RunCli("recommend --hardware rtx-4090 --context 8k --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["machine"], "rtx-4090");
  EXPECT_FALSE(j["fits"].empty());
  ExpectBadInput(RunCli("recommend --hardware rtx-4909"), "rtx-4090");
}

}  // namespace
}  // namespace sizer

// sizer validate: prediction next to measurement for a real GGUF on a machine described by a
// cached probe (written here, so the test does not spend seconds measuring), the refusal of a
// model the plan says does not fit, --calibrate, and sizer plan --calibration.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::RunCli;

class ValidateCli : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = fs::temp_directory_path() / ("sizer_validate_" + std::to_string(::getpid()));
    fs::create_directories(cache_);
    model_ = testing::TestDataDir() + "/models/stories260K.gguf";
  }
  void TearDown() override { fs::remove_all(cache_); }

  void WriteMachine(const std::string& memory) {
    std::ofstream(cache_ / "this-machine.yaml")
        << "id: this-machine\nname: test machine\nkind: cpu\nmemory: " << memory
        << "\nmemory_bandwidth: 10 GB/s\nfp16_tflops: 0.1\nint8_tops: 0.2\nos_reserved: 0 GiB\n"
           "cores: 2\ninterconnect: none\nsource: \"written by the test\"\n";
  }
  std::string Env() const { return "SIZER_CACHE_DIR='" + cache_.string() + "'"; }

  fs::path cache_;
  std::string model_;
};

TEST_F(ValidateCli, JsonPutsPredictionBesideMeasurement) {
  WriteMachine("8 GiB");
  CliResult r = RunCli("validate '" + model_ + "' --context 64 --prompt-tokens 8 --tokens 16 -t 1 --json", Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sizer_validate"], 1);
  EXPECT_EQ(j["hardware_id"], "this-machine");
  EXPECT_DOUBLE_EQ(j["bandwidth_bytes_per_s"].get<double>(), 10e9);
  const double bytes = j["bytes_read_per_token"];
  EXPECT_GT(bytes, 0);
  EXPECT_NEAR(j["decode"]["ceiling_tokens_per_s"].get<double>(), 10e9 / bytes, 1e-6 * 10e9 / bytes);
  EXPECT_GT(j["decode"]["measured_tokens_per_s"].get<double>(), 0);
  EXPECT_GT(j["decode"]["predicted_tokens_per_s"].get<double>(), 0);
  EXPECT_GT(j["prefill"]["measured_tokens_per_s"].get<double>(), 0);
  // The runner's f16 KV cache for 64 positions is what the planner's llama.cpp bucket holds
  // (llama.cpp pads the cache to 256 cells, so the plan is the padded size).
  EXPECT_GT(j["memory"]["measured_kv_bytes"].get<double>(), 0);
  EXPECT_GE(j["memory"]["planned_kv_bytes"].get<double>(), j["memory"]["measured_kv_bytes"].get<double>());
  EXPECT_GT(j["memory"]["peak_rss_bytes"].get<double>(), 0);
  EXPECT_FALSE(j["decode"].contains("calibrated_tokens_per_s"));  // no calibration yet
}

TEST_F(ValidateCli, TextShowsEveryComparison) {
  WriteMachine("8 GiB");
  CliResult r = RunCli("validate '" + model_ + "' --context 64 --prompt-tokens 8 --tokens 8 -t 1", Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* row : {"decode ceiling", "decode, tokens/s (planner", "effective read bandwidth",
                          "prefill", "KV cache", "peak RSS"}) {
    EXPECT_NE(r.out.find(row), std::string::npos) << row << "\n" << r.out;
  }
}

TEST_F(ValidateCli, RefusesAModelThePlanSaysDoesNotFitBeforeLoadingIt) {
  WriteMachine("0.001 GiB");
  CliResult r = RunCli("validate '" + model_ + "' --context 64 --prompt-tokens 8 --tokens 8", Env());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("does not fit this machine, so it is not loaded"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(ValidateCli, BadArgumentsAndUnwritableOutputFailBeforeWork) {
  WriteMachine("8 GiB");
  EXPECT_EQ(RunCli("validate '" + model_ + "' --context 16 --prompt-tokens 8 --tokens 16", Env()).exit_code, 2);
  CliResult out = RunCli("validate '" + model_ + "' --context 64 --prompt-tokens 8 --tokens 8 --json -o /nonexistent-dir/v.json", Env());
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.err.find("/nonexistent-dir/v.json: directory /nonexistent-dir does not exist"), std::string::npos)
      << out.err;
  EXPECT_EQ(RunCli("validate /nonexistent/model.gguf", Env()).exit_code, 2);
  EXPECT_EQ(RunCli("validate", Env()).exit_code, 2);
}

TEST_F(ValidateCli, CalibrateWritesAFileThatPlanUses) {
  WriteMachine("8 GiB");
  CliResult r = RunCli("validate '" + model_ + "' --context 64 --prompt-tokens 8 --tokens 16 -t 1 --calibrate --json", Env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  const fs::path calibration = cache_ / "calibration.yaml";
  ASSERT_TRUE(fs::exists(calibration));
  EXPECT_EQ(j["calibration"]["points"], 1);
  // One point: the fit reproduces it exactly.
  EXPECT_NEAR(j["decode"]["calibrated_error_fraction"].get<double>(), 0, 1e-3);

  const fs::path job = cache_ / "job.yaml";
  std::ofstream(job) << "job: t\nmodel: '" << model_ << "'\ncontext_tokens: 64\nprompt_tokens: 8\n"
                        "output_tokens: 16\nruntime: llama.cpp\ncandidates: [this-machine]\n";
  CliResult plain = RunCli("plan --json '" + job.string() + "'", Env());
  CliResult calibrated = RunCli("plan --json '" + job.string() + "' --calibration '" + calibration.string() + "'", Env());
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  ASSERT_EQ(calibrated.exit_code, 0) << calibrated.err;
  EXPECT_NE(calibrated.err.find("using calibration"), std::string::npos);
  const double measured = j["decode"]["measured_tokens_per_s"];
  const double planned = nlohmann::json::parse(calibrated.out)["candidates"][0]["speed"]["expected_decode_tokens_per_s"];
  // The plan's depth (prompt + half the output) is the depth validate measured at.
  EXPECT_NEAR(planned / measured, 1.0, 0.05);
  EXPECT_NE(nlohmann::json::parse(plain.out)["candidates"][0]["speed"]["expected_decode_tokens_per_s"].get<double>(), planned);
  CliResult missing = RunCli("plan '" + job.string() + "' --calibration /nonexistent/cal.yaml", Env());
  EXPECT_EQ(missing.exit_code, 2);
}

}  // namespace
}  // namespace sizer

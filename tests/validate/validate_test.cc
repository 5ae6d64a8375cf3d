// lib/validate: the job "this model on this machine" built as a JobSpec, the comparison of
// prediction and measurement, the calibration refit, and the JSON contract written beside
// its reader (report/validation.h).
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "plan/planner.h"
#include "report/json_report.h"
#include "report/validation.h"
#include "testing/test_env.h"
#include "validate/calibration_update.h"
#include "validate/comparison.h"
#include "validate/prediction.h"
#include "validate/validation_job.h"
#include "validate/validation_text.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

std::set<std::string> Keys(const nlohmann::json& j) {
  std::set<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
  return keys;
}

// A cached probe of "this machine" in a private cache directory (SIZER_CACHE_DIR).
class ValidateLib : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = fs::temp_directory_path() / ("sizer_validate_lib_" + std::to_string(::getpid()));
    fs::create_directories(cache_);
    std::ofstream(cache_ / "this-machine.yaml")
        << "id: this-machine\nname: test machine\nkind: cpu\nmemory: 8 GiB\n"
           "memory_bandwidth: 10 GB/s\nfp16_tflops: 0.1\nint8_tops: 0.2\nos_reserved: 0 GiB\n"
           "cores: 2\ninterconnect: none\nsource: \"written by the test\"\n";
    ::setenv("SIZER_CACHE_DIR", cache_.c_str(), 1);
    settings_.model_path = testing::TestDataDir() + "/models/stories260K.gguf";
    settings_.context_tokens = 64;
    settings_.prompt_tokens = 8;
    settings_.decode_tokens = 16;
    settings_.threads = 1;
  }
  void TearDown() override {
    ::unsetenv("SIZER_CACHE_DIR");
    fs::remove_all(cache_);
  }

  fs::path cache_;
  validate::ValidationSettings settings_;
};

// The struct-built job plans exactly like the YAML job validate used to write and parse.
TEST_F(ValidateLib, TheJobPlansLikeItsYamlSpelling) {
  StatusOr<JobSpec> built = validate::MakeValidationJob(settings_, testing::RealCatalog());
  ASSERT_TRUE(built.ok()) << built.status().message();
  const std::string yaml = "job: validate\nmodel: \"" + settings_.model_path +
                           "\"\ncontext_tokens: 64\nconcurrency: 1\nruntime: llama.cpp\n"
                           "prompt_tokens: 8\noutput_tokens: 16\ncandidates: [this-machine]\n";
  StatusOr<JobSpec> parsed = ParseJobSpec(yaml, built->file, testing::RealCatalog());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(built->quant, parsed->quant);
  EXPECT_EQ(built->runtime, parsed->runtime);
  EXPECT_EQ(built->model.id, parsed->model.id);
  EXPECT_EQ(built->runtime_info.id, parsed->runtime_info.id);
  ASSERT_EQ(built->candidates.size(), 1u);
  EXPECT_EQ(built->candidates[0].label, parsed->candidates[0].label);
  StatusOr<Plan> a = MakePlan(*built);
  StatusOr<Plan> b = MakePlan(*parsed);
  ASSERT_TRUE(a.ok() && b.ok());
  nlohmann::json ja = PlanToJson(*a), jb = PlanToJson(*b);
  EXPECT_EQ(ja["candidates"], jb["candidates"]);
  EXPECT_EQ(ja["weights"], jb["weights"]);
}

TEST_F(ValidateLib, BadSettingsAndMissingFilesAreInputErrors) {
  validate::ValidationSettings s = settings_;
  s.prompt_tokens = 60;  // 60 + 16 > 64
  EXPECT_EQ(validate::MakeValidationJob(s, testing::RealCatalog()).status().code(),
            StatusCode::kInvalidArgument);
  s = settings_;
  s.model_path = "/nonexistent/model.gguf";
  StatusOr<JobSpec> missing = validate::MakeValidationJob(s, testing::RealCatalog());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().code(), StatusCode::kInternal);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/model.gguf"));
}

TEST_F(ValidateLib, ThePredictionIsTheWorksheetsAtTheMeanDepth) {
  StatusOr<validate::Prediction> p = validate::PredictValidation(settings_, testing::RealCatalog());
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_TRUE(p->fits);
  EXPECT_DOUBLE_EQ(p->bandwidth_bytes_per_s, 10e9);
  EXPECT_EQ(p->mean_depth, 8 + 16 / 2);
  EXPECT_GT(p->bytes_read_per_token, 0);
  EXPECT_GT(p->decode_tokens_per_s, 0);
  EXPECT_LE(p->decode_tokens_per_s, p->bandwidth_bytes_per_s / p->bytes_read_per_token);
  EXPECT_GT(p->memory.planned_bytes, 0);
}

// Fixed figures: no model is run.
ValidationResult Compared() {
  validate::ValidationSettings s;
  s.model_path = "/models/m.gguf";
  s.context_tokens = 64;
  s.prompt_tokens = 8;
  s.decode_tokens = 16;
  s.threads = 2;
  validate::Prediction p;
  p.fits = true;
  p.bandwidth_bytes_per_s = 10e9;
  p.bytes_read_per_token = 1e8;  // ceiling 100 tokens/s
  p.decode_tokens_per_s = 80;
  p.decode_efficiency = 0.8;
  p.prefill_tokens_per_s = 200;
  p.memory.weights_bytes = 1e8;
  p.memory.kv_cache_bytes = 2e6;
  p.memory.planned_bytes = 3e8;
  validate::Measurement m;
  m.stats.decode_tokens_per_s = 50;
  m.stats.prefill_tokens_per_s = 150;
  m.stats.median_token_ms = 20;
  m.stats.kv_cache_bytes = 1000000;
  m.peak_rss_bytes = 2e8;
  return validate::ComparePrediction(s, "this-machine", p, m);
}

TEST(ValidateComparison, FiguresBesideEachOther) {
  ValidationResult r = Compared();
  EXPECT_DOUBLE_EQ(r.decode.ceiling_tokens_per_s, 100);
  EXPECT_DOUBLE_EQ(r.decode.measured_fraction_of_ceiling, 0.5);
  EXPECT_DOUBLE_EQ(r.decode.effective_bytes_per_s, 5e9);
  EXPECT_DOUBLE_EQ(r.decode.predicted_tokens_per_s, 80);
  EXPECT_EQ(r.memory.measured_kv_bytes, 1000000u);
  EXPECT_FALSE(r.decode.calibrated_tokens_per_s);
  validate::AddCalibratedPrediction(0.5, 0, r);
  ASSERT_TRUE(r.decode.calibrated_tokens_per_s);
  EXPECT_DOUBLE_EQ(*r.decode.calibrated_tokens_per_s, 50);
  EXPECT_NEAR(*r.decode.calibrated_error_fraction, 0, 1e-12);
}

TEST(ValidationJson, TheWriterWritesWhatTheReaderReads) {
  ValidationResult r = Compared();
  const std::string text = ValidationToJsonText(r);
  nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"sizer_validate", "hardware_id", "model_file",
                                            "threads", "context_tokens", "bandwidth_bytes_per_s",
                                            "bytes_read_per_token", "decode", "prefill",
                                            "memory"}));
  EXPECT_EQ(Keys(j["decode"]),
            (std::set<std::string>{"tokens", "ceiling_tokens_per_s", "predicted_tokens_per_s",
                                   "predicted_efficiency", "measured_tokens_per_s",
                                   "median_token_ms", "measured_fraction_of_ceiling",
                                   "effective_bytes_per_s"}));
  EXPECT_EQ(Keys(j["prefill"]),
            (std::set<std::string>{"tokens", "predicted_tokens_per_s", "measured_tokens_per_s"}));
  EXPECT_EQ(Keys(j["memory"]),
            (std::set<std::string>{"planned_weights_bytes", "planned_kv_bytes",
                                   "planned_runtime_bytes", "planned_activation_bytes",
                                   "planned_total_bytes", "measured_kv_bytes", "peak_rss_bytes"}));
  EXPECT_EQ(j["threads"], 2);
  EXPECT_EQ(j["decode"]["tokens"], 16);
  EXPECT_EQ(text.back(), '\n');

  StatusOr<ValidationRecord> back = ParseValidation(text, "v.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->hardware_id, "this-machine");
  EXPECT_EQ(back->model_file, "/models/m.gguf");
  EXPECT_DOUBLE_EQ(*back->decode_measured_tokens_per_s, 50);
  EXPECT_DOUBLE_EQ(*back->decode_predicted_tokens_per_s, 80);
  EXPECT_DOUBLE_EQ(*back->decode_ceiling_tokens_per_s, 100);
  EXPECT_DOUBLE_EQ(*back->prefill_measured_tokens_per_s, 150);
  EXPECT_DOUBLE_EQ(*back->planned_total_bytes, 3e8);
  EXPECT_DOUBLE_EQ(*back->peak_rss_bytes, 2e8);
  EXPECT_DOUBLE_EQ(*back->measured_kv_bytes, 1e6);
}

TEST(ValidationCalibration, ARunRefitsAndReplacesItsOwnPoint) {
  ValidationResult r = Compared();
  Calibration old;
  old.hardware_id = "this-machine";
  old.bandwidth_bytes_per_s = 10e9;
  old.points = {{"/models/m.gguf", 1e8, 10}, {"/models/other.gguf", 2e8, 25}};
  StatusOr<validate::CalibrationUpdate> u = validate::UpdateCalibration(old, r, "2026-11-29");
  ASSERT_TRUE(u.ok()) << u.status().message();
  EXPECT_TRUE(u->warnings.empty());
  ASSERT_EQ(u->calibration.points.size(), 2u);  // m.gguf replaced, other kept
  EXPECT_DOUBLE_EQ(u->calibration.points.back().tokens_per_s, 50);
  EXPECT_EQ(u->calibration.date, "2026-11-29");
  EXPECT_THAT(u->calibration.measured_with, HasSubstr("2 threads"));
  validate::AddCalibrationFit("cal.yaml", *u, r);
  ASSERT_TRUE(r.calibration);
  EXPECT_EQ(r.calibration->points, 2u);
  EXPECT_TRUE(r.decode.calibrated_tokens_per_s);
  nlohmann::json j = nlohmann::json::parse(ValidationToJsonText(r));
  EXPECT_EQ(Keys(j["calibration"]),
            (std::set<std::string>{"file", "points", "decode_efficiency", "decode_overhead_ms",
                                   "max_abs_error_fraction", "fit"}));
  EXPECT_TRUE(j["decode"].contains("calibrated_error_fraction"));
}

TEST(ValidationCalibration, AnotherBandwidthDropsTheOldPoints) {
  ValidationResult r = Compared();
  Calibration old;
  old.hardware_id = "this-machine";
  old.bandwidth_bytes_per_s = 20e9;
  old.points = {{"/models/other.gguf", 2e8, 25}};
  StatusOr<validate::CalibrationUpdate> u = validate::UpdateCalibration(old, r, "2026-11-29");
  ASSERT_TRUE(u.ok()) << u.status().message();
  ASSERT_EQ(u->warnings.size(), 1u);
  EXPECT_THAT(u->warnings[0], HasSubstr("old points are dropped"));
  EXPECT_EQ(u->calibration.points.size(), 1u);
  // One point: the fit reproduces it.
  EXPECT_NEAR(u->fit.max_abs_error_fraction, 0, 1e-9);
}

TEST(ValidationText, EveryComparisonAndTheCalibratedRowWhenThereIsOne) {
  ValidationResult r = Compared();
  std::string text = validate::RenderValidationText(r);
  for (const char* row : {"sizer validate: m.gguf on this-machine (2 threads, context 64)",
                          "depth 16", "decode ceiling", "decode, tokens/s (planner, efficiency 0.80)",
                          "effective read bandwidth", "prefill", "KV cache", "peak RSS"}) {
    EXPECT_THAT(text, HasSubstr(row));
  }
  EXPECT_THAT(text, Not(HasSubstr("(calibrated)")));
  validate::AddCalibratedPrediction(0.5, 0, r);
  EXPECT_THAT(validate::RenderValidationText(r), HasSubstr("decode, tokens/s (calibrated)"));
}

}  // namespace
}  // namespace sizer

// Measurements from `sizer validate` beside the prediction: the file format (what is
// tolerated, what is rejected) and where the figures land in the report.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/sha256.h"
#include "plan/planner.h"
#include "report/report_document.h"
#include "report/report_model.h"
#include "report/validation.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

using ::testing::HasSubstr;
using testing::RealCatalog;
using testing::SourceDir;

const std::string kFixture = SourceDir() + "/tests/report/fixtures/validate-rtx-4090.json";

TEST(ValidationFile, FixtureLoadsEveryFigure) {
  StatusOr<ValidationRecord> v = LoadValidation(kFixture);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->hardware_id, "rtx-4090");
  EXPECT_EQ(v->model_file, "llama-3.1-8b-Q4_K_M.gguf");
  EXPECT_DOUBLE_EQ(*v->decode_predicted_tokens_per_s, 120.5);
  EXPECT_DOUBLE_EQ(*v->decode_measured_tokens_per_s, 104.2);
  EXPECT_DOUBLE_EQ(*v->decode_ceiling_tokens_per_s, 218.3);
  EXPECT_DOUBLE_EQ(*v->prefill_measured_tokens_per_s, 7650.0);
  EXPECT_DOUBLE_EQ(*v->peak_rss_bytes, 9.1e9);
  EXPECT_DOUBLE_EQ(*v->measured_kv_bytes, 4.29e9);
}

TEST(ValidationFile, OptionalFiguresMayBeMissingOrNull) {
  StatusOr<ValidationRecord> v = ParseValidation(
      R"({"sizer_validate": 1, "hardware_id": "this-machine",
          "decode": {"measured_tokens_per_s": 18.7, "predicted_tokens_per_s": null}})",
      "v.json");
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_DOUBLE_EQ(*v->decode_measured_tokens_per_s, 18.7);
  EXPECT_FALSE(v->decode_predicted_tokens_per_s.has_value());
  EXPECT_FALSE(v->prefill_measured_tokens_per_s.has_value());
  EXPECT_FALSE(v->peak_rss_bytes.has_value());
  EXPECT_TRUE(v->model_file.empty());
}

struct Bad {
  const char* text;
  StatusCode code;
  const char* message;
};

TEST(ValidationFile, MalformedFilesAreRejectedWithTheKey) {
  const Bad cases[] = {
      {"{not json", StatusCode::kCorruption, "v.json: not valid JSON"},
      {"[1, 2]", StatusCode::kInvalidArgument, "v.json: expected a JSON object"},
      {R"({"hardware_id": "x", "decode": {"measured_tokens_per_s": 1}})", StatusCode::kInvalidArgument,
       "v.json: sizer_validate: missing"},
      {R"({"sizer_validate": "1", "hardware_id": "x"})", StatusCode::kInvalidArgument,
       "sizer_validate: missing or not an integer"},
      {R"({"sizer_validate": 2, "hardware_id": "x"})", StatusCode::kUnsupported,
       "format version 2, this sizer reads version 1"},
      {R"({"sizer_validate": 1, "decode": {"measured_tokens_per_s": 1}})", StatusCode::kInvalidArgument,
       "v.json: hardware_id: expected"},
      {R"({"sizer_validate": 1, "hardware_id": 7})", StatusCode::kInvalidArgument, "hardware_id: expected"},
      {R"({"sizer_validate": 1, "hardware_id": "x", "decode": [1]})", StatusCode::kInvalidArgument,
       "v.json: decode: expected a mapping of figures"},
      {R"({"sizer_validate": 1, "hardware_id": "x", "decode": {"measured_tokens_per_s": "fast"}})",
       StatusCode::kInvalidArgument, "v.json: decode.measured_tokens_per_s: expected a number, got \"fast\""},
      {R"({"sizer_validate": 1, "hardware_id": "x", "memory": {"peak_rss_bytes": -1}})",
       StatusCode::kInvalidArgument, "memory.peak_rss_bytes: expected a non-negative number"},
      {R"({"sizer_validate": 1, "hardware_id": "x", "model_file": 3, "decode": {"measured_tokens_per_s": 1}})",
       StatusCode::kInvalidArgument, "v.json: model_file: expected a string"},
      {R"({"sizer_validate": 1, "hardware_id": "x", "decode": {"predicted_tokens_per_s": 20}})",
       StatusCode::kInvalidArgument, "v.json: holds no measured figure"},
  };
  for (const Bad& bad : cases) {
    SCOPED_TRACE(bad.text);
    StatusOr<ValidationRecord> v = ParseValidation(bad.text, "v.json");
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.status().code(), bad.code);
    EXPECT_THAT(v.status().message(), HasSubstr(bad.message));
  }
}

TEST(ValidationFile, MissingFileIsNotFound) {
  StatusOr<ValidationRecord> v = LoadValidation(SourceDir() + "/tests/report/fixtures/no-such.json");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kNotFound);
}

class ValidationInReport : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<JobSpec> job = LoadJobSpec(SourceDir() + "/worksheets/chat-assistant-8b.yaml", RealCatalog());
    ASSERT_TRUE(job.ok()) << job.status().message();
    StatusOr<Plan> plan = MakePlan(*job);
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    plan_ = std::move(plan).value();
  }
  Plan plan_;
};

TEST_F(ValidationInReport, MeasuredFiguresSitBesideTheirCandidate) {
  StatusOr<ValidationRecord> v = LoadValidation(kFixture);
  ASSERT_TRUE(v.ok()) << v.status().message();
  ReportOptions options;
  options.date = "2025-01-01";
  options.validations = {*v};
  StatusOr<nlohmann::json> model = BuildReportModel(plan_, options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  // chat-assistant-8b: rtx-3060-12gb, rtx-4090, ... : only the second candidate has them.
  const nlohmann::json& candidates = (*model)["candidates"];
  ASSERT_EQ(candidates[1]["candidate"], "rtx-4090");
  EXPECT_TRUE(candidates[1]["has_validation"].get<bool>());
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (i != 1) {
      EXPECT_FALSE(candidates[i]["has_validation"].get<bool>()) << i;
    }
  }
  const nlohmann::json& rows = candidates[1]["validations"][0]["rows"];
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0]["quantity"], "Decode");
  EXPECT_EQ(rows[0]["predicted"], "120.5 tokens/s");
  EXPECT_EQ(rows[0]["measured"], "104.2 tokens/s");
  EXPECT_EQ(rows[0]["ratio"], "86%");  // 104.2 / 120.5
  EXPECT_EQ(rows[3]["measured"], "8.5 GiB");  // 9.1e9 bytes, in binary units
  // The validation file is hashed with the other inputs.
  EXPECT_EQ((*model)["provenance"]["inputs"].back()["file"], kFixture);
  StatusOr<std::string> digest = Sha256File(kFixture);
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ((*model)["provenance"]["inputs"].back()["sha256"], *digest);

  StatusOr<ReportDocument> doc = RenderReport(plan_, ReportFormat::kMarkdown, SourceDir() + "/reports/templates", options);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  size_t section = doc->text.find("### rtx-4090: admit\n");
  ASSERT_NE(section, std::string::npos);
  size_t measured = doc->text.find("Measured with `sizer validate`");
  EXPECT_GT(measured, section);
  EXPECT_LT(measured, doc->text.find("### m4-pro-48gb: reject\n", section));
  EXPECT_THAT(doc->text, HasSubstr("| Decode | 120.5 tokens/s | 104.2 tokens/s | 86% |"));
  // And the speed chart marks the measured rate.
  StatusOr<ReportDocument> html = RenderReport(plan_, ReportFormat::kHtml, SourceDir() + "/reports/templates", options);
  ASSERT_TRUE(html.ok());
  EXPECT_THAT(html->text, HasSubstr("119.5, measured 104.2"));
}

TEST_F(ValidationInReport, UnknownHardwareIsAnError) {
  StatusOr<ValidationRecord> v = ParseValidation(
      R"({"sizer_validate": 1, "hardware_id": "h100-sxm", "decode": {"measured_tokens_per_s": 99}})", "h100.json");
  ASSERT_TRUE(v.ok());
  ReportOptions options;
  options.date = "2025-01-01";
  options.validations = {*v};
  StatusOr<nlohmann::json> model = BuildReportModel(plan_, options);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(model.status().message(),
              HasSubstr("h100.json: hardware_id 'h100-sxm' is not a candidate of this job (candidates: rtx-3060-12gb, "
                        "rtx-4090"));
}

TEST_F(ValidationInReport, PlainEntryWinsOverTheOffloadVariant) {
  // chat-assistant-8b has rtx-3060-12gb alone and with CPU offload: a measurement on the
  // card belongs to the plain entry.
  StatusOr<ValidationRecord> v = ParseValidation(
      R"({"sizer_validate": 1, "hardware_id": "rtx-3060-12gb", "decode": {"measured_tokens_per_s": 40}})", "v.json");
  ASSERT_TRUE(v.ok());
  ReportOptions options;
  options.date = "2025-01-01";
  options.validations = {*v};
  StatusOr<nlohmann::json> model = BuildReportModel(plan_, options);
  ASSERT_TRUE(model.ok()) << model.status().message();
  EXPECT_TRUE((*model)["candidates"][0]["has_validation"].get<bool>());
  EXPECT_EQ((*model)["candidates"][4]["candidate"], "rtx-3060-12gb + offload");
  EXPECT_FALSE((*model)["candidates"][4]["has_validation"].get<bool>());
}

}  // namespace
}  // namespace sizer

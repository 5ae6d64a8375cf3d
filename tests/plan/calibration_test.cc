// Decode calibration: the least-squares fit recovers a known efficiency and overhead, degrades
// sensibly with one size or a negative overhead; the file round-trips; the planner applies it
// only to the calibrated machine.
#include <cmath>

#include <gtest/gtest.h>

#include "plan/calibration_fit.h"
#include "plan/planner.h"
#include "input/calibration.h"
#include "testing/fixture_catalog.h"
#include "testing/job_builder.h"
#include "testing/status_matchers.h"

namespace sizer {
namespace {

using ::testing::_;
using ::testing::Not;
using testing::IsOk;
using testing::StatusIs;

constexpr double kBandwidth = 20e9;

std::vector<CalibrationPoint> PointsFrom(double efficiency, double overhead_s) {
  std::vector<CalibrationPoint> points;
  for (double bytes : {0.55e9, 0.59e9, 0.80e9, 1.04e9, 1.95e9}) {
    points.push_back({"m" + std::to_string(points.size()), bytes,
                      CalibratedTokensPerSecond(bytes, kBandwidth, efficiency, overhead_s)});
  }
  return points;
}

TEST(CalibrationFit, RecoversEfficiencyAndOverhead) {
  StatusOr<CalibrationFit> fit = FitDecodeCalibration(PointsFrom(0.8, 0.004), kBandwidth);
  ASSERT_THAT(fit, IsOk());
  EXPECT_NEAR(fit->decode_efficiency, 0.8, 1e-9);
  EXPECT_NEAR(fit->decode_overhead_s, 0.004, 1e-12);
  EXPECT_LT(fit->max_abs_error_fraction, 1e-9);
  EXPECT_NE(fit->description.find("least squares over 5"), std::string::npos);
}

TEST(CalibrationFit, OnePointGivesEfficiencyOnly) {
  std::vector<CalibrationPoint> one = {{"m", 1e9, 16.0}};  // 16 GB/s effective of 20
  StatusOr<CalibrationFit> fit = FitDecodeCalibration(one, kBandwidth);
  ASSERT_THAT(fit, IsOk());
  EXPECT_NEAR(fit->decode_efficiency, 0.8, 1e-12);
  EXPECT_EQ(fit->decode_overhead_s, 0);
  EXPECT_NE(fit->description.find("needs models of several sizes"), std::string::npos);
}

TEST(CalibrationFit, NegativeOverheadIsClampedThroughTheOrigin) {
  // Larger models faster per byte than small ones: the free fit's intercept is negative.
  std::vector<CalibrationPoint> points = {{"a", 0.5e9, 40.0}, {"b", 2.0e9, 8.0}};
  StatusOr<CalibrationFit> fit = FitDecodeCalibration(points, kBandwidth);
  ASSERT_THAT(fit, IsOk());
  EXPECT_EQ(fit->decode_overhead_s, 0);
  EXPECT_GT(fit->decode_efficiency, 0.7);
  EXPECT_NE(fit->description.find("negative overhead"), std::string::npos);
}

TEST(CalibrationFit, RefusesEmptyAndNonPositive) {
  EXPECT_THAT(FitDecodeCalibration({}, kBandwidth), Not(IsOk()));
  EXPECT_THAT(FitDecodeCalibration({{"m", 0, 1}}, kBandwidth), Not(IsOk()));
  EXPECT_THAT(FitDecodeCalibration({{"m", 1e9, 1}}, 0), Not(IsOk()));
}

TEST(CalibrationFile, RoundTripsAndReportsErrorsWithPosition) {
  Calibration c;
  c.hardware_id = "this-machine";
  c.measured_with = "sizer micro-runner, 2 threads";
  c.date = "2026-11-21";
  c.bandwidth_bytes_per_s = 20.5e9;
  c.decode_efficiency = 0.8125;
  c.decode_overhead_s = 0.0021;
  c.fit = "least squares over 2 models";
  c.points = {{"/tmp/a \"q\".gguf", 5.5e8, 29.5}, {"b.gguf", 1.9e9, 9.1}};
  StatusOr<Calibration> back = ParseCalibration(CalibrationToYaml(c), "cal.yaml");
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->hardware_id, "this-machine");
  EXPECT_NEAR(back->bandwidth_bytes_per_s, 20.5e9, 1e6);
  EXPECT_NEAR(back->decode_efficiency, 0.8125, 1e-9);
  EXPECT_NEAR(back->decode_overhead_s, 0.0021, 1e-9);
  ASSERT_EQ(back->points.size(), 2u);
  EXPECT_EQ(back->points[0].model, "/tmp/a \"q\".gguf");

  StatusOr<Calibration> bad = ParseCalibration("hardware: x\nbandwidth: 10 GB/s\ndecode_efficiency: -1\n", "cal.yaml");
  EXPECT_NE(bad.status().message().find("cal.yaml:3:"), std::string::npos) << bad.status().message();
  StatusOr<Calibration> typo = ParseCalibration("hardware: x\nbandwidth: 10 GB/s\ndecode_eficiency: 1\n", "cal.yaml");
  EXPECT_NE(typo.status().message().find("decode_efficiency"), std::string::npos);
  EXPECT_THAT(ParseCalibration("hardware: x\nbandwidth: 10 GB/s\ndecode_efficiency: 5\n", "c"), Not(IsOk()));
  EXPECT_THAT(LoadCalibration("/nonexistent/cal.yaml"), StatusIs(StatusCode::kNotFound, _));
}

// What the reader accepts, the writer must write back readably (`sizer validate --calibrate`
// rewrites the file it read). Fixed decimals turned 0.4 bytes per token into "0" (refused on
// reading) and a raw newline inside quotes read back as a space.
TEST(CalibrationFile, WritesBackEveryFigureAndStringItRead) {
  Calibration c;
  c.hardware_id = "lab\nbox\t\"7\"\\";
  c.measured_with = std::string("ctl\x01\x7f") + "caf\xc3\xa9";
  c.bandwidth_bytes_per_s = 123.456;
  c.decode_efficiency = 1e-7;
  c.decode_overhead_s = 3.3e-9;
  c.points = {{"m\n.gguf", 0.4, 0.0001}};
  const std::string written = CalibrationToYaml(c);
  StatusOr<Calibration> back = ParseCalibration(written, "cal.yaml");
  ASSERT_THAT(back, IsOk()) << written;
  EXPECT_EQ(back->hardware_id, c.hardware_id);
  EXPECT_EQ(back->measured_with, c.measured_with);
  EXPECT_DOUBLE_EQ(back->bandwidth_bytes_per_s, c.bandwidth_bytes_per_s);
  EXPECT_DOUBLE_EQ(back->decode_efficiency, c.decode_efficiency);
  EXPECT_NEAR(back->decode_overhead_s, c.decode_overhead_s, 1e-20);
  ASSERT_EQ(back->points.size(), 1u);
  EXPECT_EQ(back->points[0].model, "m\n.gguf");
  EXPECT_DOUBLE_EQ(back->points[0].bytes_per_token, 0.4);
  EXPECT_DOUBLE_EQ(back->points[0].tokens_per_s, 0.0001);
}

TEST(CalibrationPlan, AppliesOnlyToTheCalibratedMachine) {
  // dense-8b on the fixture CPU (cpu-64g, 83.2 GB/s) and GPU (gpu-24g).
  JobSpec job = testing::JobBuilder(testing::FixtureCatalog())
                    .Model("dense-8b").Quant("Q4_K_M").Runtime("upfront")
                    .Context(4096).Prompt(500).Output(200)
                    .Candidate("cpu-64g").Candidate("gpu-24g")
                    .Build();
  StatusOr<Plan> before = MakePlan(job);
  ASSERT_THAT(before, IsOk());
  Calibration c;
  c.hardware_id = "cpu-64g";
  c.decode_efficiency = 0.5;
  c.decode_overhead_s = 0.01;
  c.fit = "test";
  EXPECT_EQ(ApplyCalibration(c, "cal.yaml", job), 1);
  StatusOr<Plan> after = MakePlan(job);
  ASSERT_THAT(after, IsOk());
  const SpeedPlan& cpu = after->candidates[0].speed;
  // Ceiling unchanged; expected = 1 / (bytes / (bw x 0.5) + 10 ms), the bytes read at the
  // mid-request depth (prompt 500 + output 200 / 2 = 600 tokens of 131,072 bytes each).
  EXPECT_DOUBLE_EQ(cpu.decode_ceiling_tokens_per_s, before->candidates[0].speed.decode_ceiling_tokens_per_s);
  ASSERT_FALSE(cpu.compute_bound);
  const double bytes = after->weights.read_per_token_bytes + 600 * 131072.0;
  const double expected = 1.0 / (bytes / (83.2e9 * 0.5) + 0.01);
  EXPECT_NEAR(cpu.expected_decode_tokens_per_s, expected, expected * 1e-12);
  EXPECT_EQ(cpu.decode_efficiency, 0.5);
  EXPECT_EQ(after->candidates[1].speed.expected_decode_tokens_per_s,
            before->candidates[1].speed.expected_decode_tokens_per_s);
  bool cited = false;
  for (const Quantity& q : cpu.rows) {
    if (q.key == "expected_decode_tokens_per_s") cited = q.source.find("calibration cal.yaml") == 0;
  }
  EXPECT_TRUE(cited);
}

}  // namespace
}  // namespace sizer

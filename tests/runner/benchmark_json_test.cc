// `sizer bench --json`: the keys scripts read, from fixed figures (no measurement).
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "testing/json_keys.h"

#include "runner/benchmark_json.h"

namespace sizer {
namespace {

using testing::Keys;

TEST(BenchmarkJson, DecodeBenchReportKeysAndValues) {
  runner::DecodeBenchReport report;
  report.cpu_model = "Test CPU";
  report.threads = 2;
  report.simd_target = "AVX2";
  report.bandwidth_best_bytes_per_s = 20e9;
  report.bandwidth_median_bytes_per_s = 19e9;
  report.tokens = 64;
  report.runs = 3;
  report.rows.push_back({"Q8_0", 1000, 500.0, 10.0, {9.0, 10.0, 11.0}, 5000.0, 0.25});
  nlohmann::json j = runner::DecodeBenchReportToJson(report);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"cpu_model", "threads", "simd_target",
                                            "bandwidth_best_bytes_per_s",
                                            "bandwidth_median_bytes_per_s", "tokens", "runs",
                                            "types"}));
  ASSERT_EQ(j["types"].size(), 1u);
  EXPECT_EQ(Keys(j["types"][0]),
            (std::set<std::string>{"type", "file_bytes", "bytes_per_token", "decode_tokens_per_s",
                                   "runs_tokens_per_s", "effective_bytes_per_s",
                                   "fraction_of_bandwidth"}));
  EXPECT_EQ(j["tokens"], 64);
  EXPECT_EQ(j["types"][0]["file_bytes"], 1000);
  EXPECT_EQ(j["types"][0]["runs_tokens_per_s"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["types"][0]["fraction_of_bandwidth"].get<double>(), 0.25);
}

}  // namespace
}  // namespace sizer

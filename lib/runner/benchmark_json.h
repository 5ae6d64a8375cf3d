// What `sizer bench --json` prints: the micro-runner's decode speed per weight type against
// the read bandwidth measured in the same run. The runner knows nothing of the probe, so the
// machine's figures come in as plain values.
#ifndef SIZER_RUNNER_BENCHMARK_JSON_H_
#define SIZER_RUNNER_BENCHMARK_JSON_H_

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sizer::runner {

struct DecodeBenchRow {
  std::string type;  // the weight format of the file
  uint64_t file_bytes = 0;
  double bytes_per_token = 0;      // what one decode step reads
  double decode_tokens_per_s = 0;  // the median of runs_tokens_per_s
  std::vector<double> runs_tokens_per_s;
  double effective_bytes_per_s = 0;  // bytes_per_token x decode_tokens_per_s
  double fraction_of_bandwidth = 0;  // of the best measured read bandwidth
};

struct DecodeBenchReport {
  std::string cpu_model;
  int threads = 0;
  std::string simd_target;
  double bandwidth_best_bytes_per_s = 0;
  double bandwidth_median_bytes_per_s = 0;
  int64_t tokens = 0;  // decoded per run
  int runs = 0;
  std::vector<DecodeBenchRow> rows;
};

nlohmann::json DecodeBenchReportToJson(const DecodeBenchReport& report);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_BENCHMARK_JSON_H_

#include "runner/benchmark_json.h"

namespace sizer::runner {

using nlohmann::json;

json DecodeBenchReportToJson(const DecodeBenchReport& report) {
  json rows = json::array();
  for (const DecodeBenchRow& r : report.rows) {
    rows.push_back({{"type", r.type},
                    {"file_bytes", r.file_bytes},
                    {"bytes_per_token", r.bytes_per_token},
                    {"decode_tokens_per_s", r.decode_tokens_per_s},
                    {"runs_tokens_per_s", r.runs_tokens_per_s},
                    {"effective_bytes_per_s", r.effective_bytes_per_s},
                    {"fraction_of_bandwidth", r.fraction_of_bandwidth}});
  }
  return {{"cpu_model", report.cpu_model},
          {"threads", report.threads},
          {"simd_target", report.simd_target},
          {"bandwidth_best_bytes_per_s", report.bandwidth_best_bytes_per_s},
          {"bandwidth_median_bytes_per_s", report.bandwidth_median_bytes_per_s},
          {"tokens", report.tokens},
          {"runs", report.runs},
          {"types", rows}};
}

}  // namespace sizer::runner

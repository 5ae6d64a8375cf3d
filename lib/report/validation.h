// Measurements written by `sizer validate` (predicted next to measured on one machine), read
// back so a report can show them beside the plan's own prediction. The writer and the reader
// of the contract live here together, so the two cannot drift apart. The file is JSON:
//   {"sizer_validate": 1, "hardware_id": "this-machine", "model_file": "x.gguf",
//    "decode":  {"predicted_tokens_per_s", "measured_tokens_per_s", "ceiling_tokens_per_s"},
//    "prefill": {"predicted_tokens_per_s", "measured_tokens_per_s"},
//    "memory":  {"planned_total_bytes", "peak_rss_bytes", "planned_kv_bytes", "measured_kv_bytes"}}
// Every figure is optional (null reads as absent); unknown keys are ignored so newer files
// still load; a wrong type, a negative figure, another format version or a file with no
// figures at all is an error naming the file and the key.
#ifndef SIZER_REPORT_VALIDATION_H_
#define SIZER_REPORT_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"

namespace sizer {

struct ValidationRecord {
  std::string file;         // as given on the command line
  std::string hardware_id;  // the candidate it was measured on
  std::string model_file;
  std::string sha256;       // of the text that was parsed (the report's provenance)
  std::optional<double> decode_predicted_tokens_per_s;
  std::optional<double> decode_measured_tokens_per_s;
  std::optional<double> decode_ceiling_tokens_per_s;
  std::optional<double> prefill_predicted_tokens_per_s;
  std::optional<double> prefill_measured_tokens_per_s;
  std::optional<double> planned_total_bytes;
  std::optional<double> peak_rss_bytes;
  std::optional<double> planned_kv_bytes;
  std::optional<double> measured_kv_bytes;
};

// The format version this sizer reads and writes.
inline constexpr int kValidationFormatVersion = 1;

// Everything `sizer validate` measured and predicted, as it writes it (a superset of what
// ValidationRecord reads back).
struct ValidationResult {
  std::string hardware_id;
  std::string model_file;
  int threads = 0;
  int64_t context_tokens = 0;
  double bandwidth_bytes_per_s = 0;  // the probe's, the plan's ceiling is taken against it
  double bytes_read_per_token = 0;   // weights and KV at the mean depth of the timed steps
  struct Decode {
    int64_t tokens = 0;
    double ceiling_tokens_per_s = 0;
    double predicted_tokens_per_s = 0;
    double predicted_efficiency = 0;
    double measured_tokens_per_s = 0;
    double median_token_ms = 0;
    double measured_fraction_of_ceiling = 0;
    double effective_bytes_per_s = 0;
    std::optional<double> calibrated_tokens_per_s;  // with a calibration of this machine
    std::optional<double> calibrated_error_fraction;
  } decode;
  struct Prefill {
    int64_t tokens = 0;
    double predicted_tokens_per_s = 0;
    double measured_tokens_per_s = 0;
  } prefill;
  struct Memory {
    double planned_weights_bytes = 0;
    double planned_kv_bytes = 0;
    double planned_runtime_bytes = 0;
    double planned_activation_bytes = 0;
    double planned_total_bytes = 0;
    size_t measured_kv_bytes = 0;
    double peak_rss_bytes = 0;
  } memory;
  // The refit of --calibrate.
  struct Calibration {
    std::string file;
    size_t points = 0;
    double decode_efficiency = 0;
    double decode_overhead_ms = 0;
    double max_abs_error_fraction = 0;
    std::string fit;
  };
  std::optional<Calibration> calibration;
};

// The JSON text `sizer validate --json` writes (pretty-printed, newline-terminated);
// ParseValidation reads it back.
std::string ValidationToJsonText(const ValidationResult& result);

// kCorruption for text that is not JSON, kInvalidArgument for a wrong shape or value,
// kUnsupported for another format version. Messages read "FILE: key: what was expected".
StatusOr<ValidationRecord> ParseValidation(const std::string& text, const std::string& file);
StatusOr<ValidationRecord> LoadValidation(const std::string& path);

}  // namespace sizer

#endif  // SIZER_REPORT_VALIDATION_H_

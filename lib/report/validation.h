// Measurements written by `sizer validate` (predicted next to measured on one machine), read
// back so a report can show them beside the plan's own prediction. The file is JSON:
//   {"sizer_validate": 1, "hardware_id": "this-machine", "model_file": "x.gguf",
//    "decode":  {"predicted_tokens_per_s", "measured_tokens_per_s", "ceiling_tokens_per_s"},
//    "prefill": {"predicted_tokens_per_s", "measured_tokens_per_s"},
//    "memory":  {"planned_total_bytes", "peak_rss_bytes", "planned_kv_bytes", "measured_kv_bytes"}}
// Every figure is optional (null reads as absent); unknown keys are ignored so newer files
// still load; a wrong type, a negative figure, another format version or a file with no
// figures at all is an error naming the file and the key.
#ifndef SIZER_REPORT_VALIDATION_H_
#define SIZER_REPORT_VALIDATION_H_

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

// The format version this sizer reads.
inline constexpr int kValidationFormatVersion = 1;

// kCorruption for text that is not JSON, kInvalidArgument for a wrong shape or value,
// kUnsupported for another format version. Messages read "FILE: key: what was expected".
StatusOr<ValidationRecord> ParseValidation(const std::string& text, const std::string& file);
StatusOr<ValidationRecord> LoadValidation(const std::string& path);

}  // namespace sizer

#endif  // SIZER_REPORT_VALIDATION_H_

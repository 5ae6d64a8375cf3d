// What a validation run measures: prefill and greedy decode with the micro-runner, and the
// peak resident memory of the run (the process's high-water mark, reset just before the model
// is opened, so an earlier machine probe's buffers do not count).
#ifndef SIZER_VALIDATE_MEASUREMENT_H_
#define SIZER_VALIDATE_MEASUREMENT_H_

#include "base/status.h"
#include "runner/benchmark.h"
#include "validate/validation_job.h"

namespace sizer::validate {

struct Measurement {
  runner::BenchmarkStats stats;
  // The process's peak RSS during the run: the model and KV cache plus sizer itself (a few
  // MiB). Where the high-water mark cannot be reset (not Linux), the process's lifetime peak.
  double peak_rss_bytes = 0;
};

// Opens the model with the settings' context and threads and runs the benchmark.
StatusOr<Measurement> MeasureValidation(const ValidationSettings& settings);

}  // namespace sizer::validate

#endif  // SIZER_VALIDATE_MEASUREMENT_H_

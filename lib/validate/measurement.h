// What a validation run measures: prefill and greedy decode with the micro-runner, and the
// process's peak resident memory afterwards.
#ifndef SIZER_VALIDATE_MEASUREMENT_H_
#define SIZER_VALIDATE_MEASUREMENT_H_

#include "base/status.h"
#include "runner/benchmark.h"
#include "validate/validation_job.h"

namespace sizer::validate {

struct Measurement {
  runner::BenchmarkStats stats;
  double peak_rss_bytes = 0;  // of this process, so it includes sizer itself (a few MiB)
};

// Opens the model with the settings' context and threads and runs the benchmark.
StatusOr<Measurement> MeasureValidation(const ValidationSettings& settings);

}  // namespace sizer::validate

#endif  // SIZER_VALIDATE_MEASUREMENT_H_

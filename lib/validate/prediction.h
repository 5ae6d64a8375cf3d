// What the planner predicts for a validation run, taken from the worksheet of this machine
// before the model is loaded, so a model the plan says does not fit is never run.
#ifndef SIZER_VALIDATE_PREDICTION_H_
#define SIZER_VALIDATE_PREDICTION_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "plan/memory_budget.h"
#include "validate/validation_job.h"

namespace sizer::validate {

struct Prediction {
  bool fits = false;
  std::vector<std::string> reasons;   // why it does not fit (the memory check's)
  std::vector<std::string> warnings;  // the job's input warnings
  double bandwidth_bytes_per_s = 0;   // the probe's
  // Bytes one decode step reads: the weights plus the KV cache at the mean depth of the timed
  // steps (prompt + half the output), the depth the plan's expected figure is taken at.
  double bytes_read_per_token = 0;
  int64_t mean_depth = 0;
  double decode_tokens_per_s = 0;  // the plan's expected figure
  double decode_efficiency = 0;    // the runtime profile's (or a calibration's)
  double prefill_tokens_per_s = 0;
  DeviceBudget memory;  // the binding device's buckets
};

StatusOr<Prediction> PredictValidation(const ValidationSettings& settings, const Catalog& catalog);

}  // namespace sizer::validate

#endif  // SIZER_VALIDATE_PREDICTION_H_

// The prediction next to the measurement: the figures `sizer validate` prints and writes
// (report/validation.h holds the JSON contract), and the calibrated prediction beside them.
#ifndef SIZER_VALIDATE_COMPARISON_H_
#define SIZER_VALIDATE_COMPARISON_H_

#include "report/validation.h"
#include "validate/measurement.h"
#include "validate/prediction.h"
#include "validate/validation_job.h"

namespace sizer::validate {

// `hardware_id` is the candidate measured (this machine).
ValidationResult ComparePrediction(const ValidationSettings& settings,
                                   const std::string& hardware_id, const Prediction& prediction,
                                   const Measurement& measurement);

// Adds what a decode calibration (efficiency, per-token overhead) predicts for this run, and
// its error against the measurement.
void AddCalibratedPrediction(double decode_efficiency, double decode_overhead_s,
                             ValidationResult& result);

}  // namespace sizer::validate

#endif  // SIZER_VALIDATE_COMPARISON_H_

// `sizer validate --calibrate`: this run becomes a point of this machine's calibration file
// and the decode model is refitted over every model measured so far.
#ifndef SIZER_VALIDATE_CALIBRATION_UPDATE_H_
#define SIZER_VALIDATE_CALIBRATION_UPDATE_H_

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "input/calibration.h"
#include "plan/calibration_fit.h"
#include "report/validation.h"

namespace sizer::validate {

struct CalibrationUpdate {
  Calibration calibration;  // to be written back (CalibrationToYaml)
  CalibrationFit fit;
  std::vector<std::string> warnings;  // e.g. old points dropped after a bandwidth change
};

// `existing` is the file's calibration when it is for `result.hardware_id`. A point of the
// same model file is replaced. When the probe's bandwidth moved by more than 2% since the
// file was written, its old points are dropped (they were measured against another ceiling).
StatusOr<CalibrationUpdate> UpdateCalibration(const std::optional<Calibration>& existing,
                                              const ValidationResult& result,
                                              const std::string& date);

// Records the refit in `result` (its "calibration" section and the calibrated prediction).
void AddCalibrationFit(const std::string& file, const CalibrationUpdate& update,
                       ValidationResult& result);

}  // namespace sizer::validate

#endif  // SIZER_VALIDATE_CALIBRATION_UPDATE_H_

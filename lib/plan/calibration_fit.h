// Fits a decode calibration to measurements: seconds per token t_i against the bandwidth
// time x_i = bytes_per_token_i / bandwidth, by least squares on t = x / efficiency + overhead
// (Eigen's QR solve). With one point, or points of one size, the overhead is not separable
// and is 0 (efficiency = mean x/t). A negative fitted overhead is clamped to 0 and the
// efficiency refitted through the origin: a machine cannot decode faster than its bytes.
#ifndef SIZER_PLAN_CALIBRATION_FIT_H_
#define SIZER_PLAN_CALIBRATION_FIT_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "input/calibration.h"

namespace sizer {

struct CalibrationFit {
  double decode_efficiency = 1;
  double decode_overhead_s = 0;
  double max_abs_error_fraction = 0;  // worst |predicted / measured - 1| over the points
  std::string description;            // "least squares over 5 models (efficiency and overhead)"
};

// kInvalidArgument without points or with a non-positive figure.
StatusOr<CalibrationFit> FitDecodeCalibration(const std::vector<CalibrationPoint>& points,
                                              double bandwidth_bytes_per_s);

// Tokens/s the calibration predicts for `bytes_per_token`.
double CalibratedTokensPerSecond(double bytes_per_token, double bandwidth_bytes_per_s,
                                 double decode_efficiency, double decode_overhead_s);

}  // namespace sizer

#endif  // SIZER_PLAN_CALIBRATION_FIT_H_

#include "validate/calibration_update.h"

#include <cmath>

#include "base/format.h"
#include "validate/comparison.h"
#include "version.h"

namespace sizer::validate {

StatusOr<CalibrationUpdate> UpdateCalibration(const std::optional<Calibration>& existing,
                                              const ValidationResult& result,
                                              const std::string& date) {
  const double bandwidth = result.bandwidth_bytes_per_s;
  CalibrationUpdate u;
  Calibration& c = u.calibration;
  if (existing) c = *existing;
  c.hardware_id = result.hardware_id;
  c.measured_with = "sizer micro-runner " + std::string(SIZER_VERSION_STRING) + ", " +
                    std::to_string(result.threads) + " threads";
  c.date = date;
  if (existing && std::abs(existing->bandwidth_bytes_per_s / bandwidth - 1) > 0.02) {
    u.warnings.push_back("the calibration file was measured against " +
                         FormatBytesPerSecond(existing->bandwidth_bytes_per_s) +
                         " and this machine's probe now says " + FormatBytesPerSecond(bandwidth) +
                         "; its old points are dropped");
    c.points.clear();
  }
  c.bandwidth_bytes_per_s = bandwidth;
  std::erase_if(c.points, [&](const CalibrationPoint& p) { return p.model == result.model_file; });
  c.points.push_back({result.model_file, result.bytes_read_per_token,
                      result.decode.measured_tokens_per_s});
  SIZER_ASSIGN_OR_RETURN(u.fit, FitDecodeCalibration(c.points, bandwidth));
  c.decode_efficiency = u.fit.decode_efficiency;
  c.decode_overhead_s = u.fit.decode_overhead_s;
  c.fit = u.fit.description;
  return u;
}

void AddCalibrationFit(const std::string& file, const CalibrationUpdate& update,
                       ValidationResult& result) {
  const CalibrationFit& fit = update.fit;
  AddCalibratedPrediction(fit.decode_efficiency, fit.decode_overhead_s, result);
  result.calibration = ValidationResult::Calibration{file,
                                                     update.calibration.points.size(),
                                                     fit.decode_efficiency,
                                                     fit.decode_overhead_s * 1000.0,
                                                     fit.max_abs_error_fraction,
                                                     fit.description};
}

}  // namespace sizer::validate

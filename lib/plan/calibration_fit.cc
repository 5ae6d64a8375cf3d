#include "plan/calibration_fit.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Dense>

namespace sizer {

double CalibratedTokensPerSecond(double bytes_per_token, double bandwidth_bytes_per_s,
                                 double decode_efficiency, double decode_overhead_s) {
  return 1.0 / (bytes_per_token / (bandwidth_bytes_per_s * decode_efficiency) + decode_overhead_s);
}

StatusOr<CalibrationFit> FitDecodeCalibration(const std::vector<CalibrationPoint>& points,
                                              double bandwidth_bytes_per_s) {
  if (points.empty()) return Status::InvalidArgument("no measurements to fit a calibration to");
  if (!(bandwidth_bytes_per_s > 0)) return Status::InvalidArgument("the bandwidth must be positive");
  const Eigen::Index n = static_cast<Eigen::Index>(points.size());
  Eigen::VectorXd x(n), t(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const CalibrationPoint& p = points[static_cast<size_t>(i)];
    if (!(p.bytes_per_token > 0) || !(p.tokens_per_s > 0)) {
      return Status::InvalidArgument("calibration point " + p.model + " has a non-positive figure");
    }
    x(i) = p.bytes_per_token / bandwidth_bytes_per_s;
    t(i) = 1.0 / p.tokens_per_s;
  }
  CalibrationFit fit;
  // Two parameters need two distinct sizes (a 5 % spread at least, or the fit is noise).
  const bool separable = n >= 2 && x.maxCoeff() > 1.05 * x.minCoeff();
  double slope = 0, overhead = 0;
  if (separable) {
    Eigen::MatrixXd a(n, 2);
    a.col(0) = x;
    a.col(1).setOnes();
    const Eigen::Vector2d solution = a.colPivHouseholderQr().solve(t);
    slope = solution(0);
    overhead = solution(1);
  }
  if (!separable || overhead < 0 || !(slope > 0)) {
    // Through the origin: minimise sum (t - slope x)^2 -> slope = x.t / x.x.
    slope = x.dot(t) / x.dot(x);
    overhead = 0;
    fit.description = separable ? "least squares through the origin over " + std::to_string(n) +
                                      " models (the free fit gave a negative overhead)"
                                : "efficiency from " + std::to_string(n) +
                                      (n == 1 ? " model" : " models of one size") +
                                      " (the per-token overhead needs models of several sizes)";
  } else {
    fit.description = "least squares over " + std::to_string(n) +
                      " models (efficiency and per-token overhead)";
  }
  fit.decode_efficiency = 1.0 / slope;
  fit.decode_overhead_s = overhead;
  for (const CalibrationPoint& p : points) {
    const double predicted = CalibratedTokensPerSecond(p.bytes_per_token, bandwidth_bytes_per_s,
                                                       fit.decode_efficiency, overhead);
    fit.max_abs_error_fraction =
        std::max(fit.max_abs_error_fraction, std::abs(predicted / p.tokens_per_s - 1.0));
  }
  return fit;
}

}  // namespace sizer

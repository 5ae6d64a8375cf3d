// A decode calibration: what `sizer validate --calibrate` measured on one machine, as the
// efficiency and fixed per-token overhead that turn the planner's bandwidth ceiling into the
// tokens/s this machine really decodes:  seconds per token = bytes read per token /
// (bandwidth x decode_efficiency) + decode_overhead_s.
// `sizer plan --calibration FILE` applies it to the candidates whose hardware id matches.
//
// File format (YAML, written by sizer; docs/db-schema.md "Calibration files"):
//   hardware: this-machine
//   measured_with: "sizer micro-runner 0.5.0, 2 threads"
//   date: 2026-11-21
//   bandwidth: 20.1 GB/s
//   decode_efficiency: 0.81
//   decode_overhead_ms: 0.35
//   fit: "least squares over 5 models"
//   points:
//     - {model: synth-1b-q4_0.gguf, bytes_per_token: 552000000, tokens_per_s: 29.4}
#ifndef SIZER_INPUT_CALIBRATION_H_
#define SIZER_INPUT_CALIBRATION_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "input/job.h"

namespace sizer {

struct CalibrationPoint {
  std::string model;            // the file that was run
  double bytes_per_token = 0;   // the planner's bytes read per decode step
  double tokens_per_s = 0;      // measured
};

struct Calibration {
  std::string hardware_id;
  std::string measured_with;
  std::string date;
  double bandwidth_bytes_per_s = 0;  // the ceiling's bandwidth the points were measured against
  double decode_efficiency = 1;
  double decode_overhead_s = 0;
  std::string fit;
  std::vector<CalibrationPoint> points;
};

StatusOr<Calibration> ParseCalibration(const std::string& text, const std::string& file);
// kNotFound when the file does not exist.
StatusOr<Calibration> LoadCalibration(const std::string& path);
std::string CalibrationToYaml(const Calibration& calibration);

// Sets the decode calibration of every candidate of `job` on `calibration.hardware_id`;
// returns how many it applied to.
int ApplyCalibration(const Calibration& calibration, const std::string& file, JobSpec& job);

}  // namespace sizer

#endif  // SIZER_INPUT_CALIBRATION_H_

// libFuzzer target for the calibration reader (ParseCalibration, input/calibration.h). Any
// input gives a calibration or an error "fuzz-calibration.yaml:..."; a calibration that
// parses is written back (CalibrationToYaml) and must read again with the same strings and
// (to 1e-9) the same figures: `sizer validate --calibrate` rewrites the file it read, and
// `sizer plan --calibration` reads what it wrote.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "input/calibration.h"

namespace {

const char kFile[] = "fuzz-calibration.yaml";

[[noreturn]] void Fail(const std::string& what, const std::string& written) {
  std::fprintf(stderr, "fuzz: calibration does not read back: %s\n--- written:\n%s\n",
               what.c_str(), written.c_str());
  std::abort();
}

// Relative 1e-9, plus an absolute slack for subnormals (the overhead is stored in seconds and
// written in milliseconds, which rounds figures below 1e-300).
bool Close(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)) + 1e-300;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sizer::StatusOr<sizer::Calibration> parsed = sizer::ParseCalibration(text, kFile);
  sizer::fuzz::CheckErrorNamesFile(parsed.status(), kFile);
  if (!parsed.ok()) return 0;
  const sizer::Calibration& a = *parsed;
  const std::string written = sizer::CalibrationToYaml(a);
  sizer::StatusOr<sizer::Calibration> again = sizer::ParseCalibration(written, kFile);
  if (!again.ok()) Fail(again.status().message(), written);
  const sizer::Calibration& b = *again;
  if (a.hardware_id != b.hardware_id || a.measured_with != b.measured_with || a.date != b.date ||
      a.fit != b.fit) {
    Fail("a string differs", written);
  }
  if (!Close(a.bandwidth_bytes_per_s, b.bandwidth_bytes_per_s) ||
      !Close(a.decode_efficiency, b.decode_efficiency) ||
      !Close(a.decode_overhead_s, b.decode_overhead_s)) {
    Fail("a figure differs", written);
  }
  if (a.points.size() != b.points.size()) Fail("the points differ", written);
  for (size_t i = 0; i < a.points.size(); ++i) {
    if (a.points[i].model != b.points[i].model ||
        !Close(a.points[i].bytes_per_token, b.points[i].bytes_per_token) ||
        !Close(a.points[i].tokens_per_s, b.points[i].tokens_per_s)) {
      Fail("point " + std::to_string(i) + " differs", written);
    }
  }
  return 0;
}

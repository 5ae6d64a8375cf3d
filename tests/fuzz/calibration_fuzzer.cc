// libFuzzer target for the calibration reader (ParseCalibration, spec/calibration.h). Any
// input gives a calibration or an error "fuzz-calibration.yaml:..."; a calibration that
// parses is written back (CalibrationToYaml) and must read again, naming the same hardware:
// `sizer validate --calibrate` writes the file that `sizer plan --calibration` reads.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_support.h"
#include "spec/calibration.h"

namespace {
const char kFile[] = "fuzz-calibration.yaml";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sizer::StatusOr<sizer::Calibration> parsed = sizer::ParseCalibration(text, kFile);
  sizer::fuzz::CheckErrorNamesFile(parsed.status(), kFile);
  if (!parsed.ok()) return 0;
  const std::string written = sizer::CalibrationToYaml(*parsed);
  sizer::StatusOr<sizer::Calibration> again = sizer::ParseCalibration(written, kFile);
  sizer::fuzz::CheckErrorNamesFile(again.status(), kFile);
  if (again.ok() && again->hardware_id != parsed->hardware_id) {
    std::fprintf(stderr, "fuzz: hardware id '%s' reads back as '%s'\n",
                 parsed->hardware_id.c_str(), again->hardware_id.c_str());
    std::abort();
  }
  return 0;
}

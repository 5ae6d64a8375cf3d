// Replays every input the fuzzers found a bug with (tests/fuzz/regressions/TARGET/) and every
// checked-in seed (tests/fuzz/corpus/TARGET/) through the same parser the fuzz target calls,
// in the normal test binary: each must give a result or an error that names its file, never
// a crash (the sanitizer build turns any memory error into a failure). A fixed bug stays
// fixed without a fuzzer run.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "base/file.h"
#include "gguf/reader.h"
#include "report/validation.h"
#include "input/calibration.h"
#include "input/job.h"
#include "input/manifest.h"
#include "testing/test_env.h"

namespace sizer {
namespace {

namespace fs = std::filesystem;
using testing::RealCatalog;
using testing::SourceDir;

// Every file under tests/fuzz/regressions/TARGET/ and tests/fuzz/corpus/TARGET/.
std::vector<std::string> Inputs(const std::string& target) {
  std::vector<std::string> files;
  for (const char* kind : {"regressions", "corpus"}) {
    const fs::path dir = fs::path(SourceDir()) / "tests/fuzz" / kind / target;
    if (!fs::is_directory(dir)) continue;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) {
      if (e.is_regular_file() && e.path().filename() != "README.md") {
        files.push_back(e.path().string());
      }
    }
  }
  return files;
}

std::string ReadOrDie(const std::string& path) {
  StatusOr<std::string> text = ReadFileToString(path);
  EXPECT_TRUE(text.ok()) << text.status().message();
  return text.ok() ? *text : std::string();
}

// The contract the fuzz targets check: an error says where it is, starting with the file.
void ExpectErrorNamesFile(const Status& status, const std::string& file) {
  if (status.ok()) return;
  EXPECT_EQ(status.message().rfind(file, 0), 0u) << status.message();
}

TEST(FuzzRegressions, EveryTargetHasInputs) {
  for (const char* target : {"job_spec", "manifest", "calibration", "validation"}) {
    EXPECT_FALSE(Inputs(target).empty()) << target;
  }
}

TEST(FuzzRegressions, JobSpec) {
  for (const std::string& path : Inputs("job_spec")) {
    SCOPED_TRACE(path);
    StatusOr<JobSpec> job = ParseJobSpec(ReadOrDie(path), "fuzz-job.yaml", RealCatalog());
    ExpectErrorNamesFile(job.status(), "fuzz-job.yaml");
  }
}

TEST(FuzzRegressions, Manifest) {
  for (const std::string& path : Inputs("manifest")) {
    SCOPED_TRACE(path);
    StatusOr<ReleaseManifest> m = LoadManifest(path, RealCatalog());
    ExpectErrorNamesFile(m.status(), path);
    StatusOr<PreviousRelease> identity = LoadReleaseIdentity(path);
    ExpectErrorNamesFile(identity.status(), path);
  }
}

TEST(FuzzRegressions, Calibration) {
  for (const std::string& path : Inputs("calibration")) {
    SCOPED_TRACE(path);
    StatusOr<Calibration> c = ParseCalibration(ReadOrDie(path), "fuzz-calibration.yaml");
    ExpectErrorNamesFile(c.status(), "fuzz-calibration.yaml");
    if (c.ok()) {
      StatusOr<Calibration> again = ParseCalibration(CalibrationToYaml(*c), "again.yaml");
      ASSERT_TRUE(again.ok()) << again.status().message();
      EXPECT_EQ(again->hardware_id, c->hardware_id);
    }
  }
}

TEST(FuzzRegressions, Validation) {
  for (const std::string& path : Inputs("validation")) {
    SCOPED_TRACE(path);
    StatusOr<ValidationRecord> r = ParseValidation(ReadOrDie(path), "fuzz-validation.json");
    ExpectErrorNamesFile(r.status(), "fuzz-validation.json");
  }
}

TEST(FuzzRegressions, GgufReader) {
  for (const std::string& path : Inputs("gguf_reader")) {
    SCOPED_TRACE(path);
    const std::string bytes = ReadOrDie(path);
    StatusOr<gguf::GgufFile> file =
        gguf::ParseGguf(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
    if (!file.ok()) {
      EXPECT_FALSE(file.status().message().empty());
    }
  }
}

}  // namespace
}  // namespace sizer

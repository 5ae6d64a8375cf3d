// Paths and helpers shared by the tests.
#ifndef SIZER_TESTS_TESTING_TEST_ENV_H_
#define SIZER_TESTS_TESTING_TEST_ENV_H_

#include <string>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "input/job.h"

namespace sizer::testing {

inline std::string SourceDir() { return SIZER_TEST_SOURCE_DIR; }
// The fixtures the repository carries (tests/data/README.md gives each origin and sha256).
inline std::string TestDataDir() { return SIZER_TEST_DATA_DIR; }
inline std::string CliPath() { return SIZER_TEST_CLI; }

// The project's real databases, loaded once.
inline const Catalog& RealCatalog() {
  static const Catalog* catalog = [] {
    StatusOr<Catalog> loaded = Catalog::Load(SourceDir());
    if (!loaded.ok()) {
      ADD_FAILURE() << loaded.status().message();
      return new Catalog();
    }
    return new Catalog(std::move(loaded).value());
  }();
  return *catalog;
}

// Parses a job from text against the real catalog; fails the test on error.
inline JobSpec ParseJobOrDie(const std::string& yaml, const std::string& file = "job.yaml") {
  StatusOr<JobSpec> job = ParseJobSpec(yaml, file, RealCatalog());
  EXPECT_TRUE(job.ok()) << job.status().message();
  return job.ok() ? std::move(job).value() : JobSpec();
}

// Runs the sizer binary with `args` (shell-quoted by the caller); returns the exit code and
// fills stdout/stderr.
struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// `env` is prepended to the command, e.g. "SIZER_CACHE_DIR=/tmp/x".
CliResult RunCli(const std::string& args, const std::string& env = "");

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_TEST_ENV_H_

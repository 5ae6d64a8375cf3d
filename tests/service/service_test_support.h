// Shared by the service tests: a service over the real databases, the CLI run in a folder,
// and a scratch folder per test.
#ifndef SIZER_TESTS_SERVICE_SERVICE_TEST_SUPPORT_H_
#define SIZER_TESTS_SERVICE_SERVICE_TEST_SUPPORT_H_

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "service/api.h"
#include "testing/scratch_dir.h"
#include "testing/test_env.h"

namespace sizer::testing {

// models_dir = tests/data/models (canonical), the real catalog.
inline service::ServiceContext RealService() {
  service::ServiceContext ctx;
  ctx.catalog = &RealCatalog();
  ctx.models_dir = std::filesystem::canonical(TestDataDir() + "/models");
  return ctx;
}

// The CLI run with `dir` as its working directory.
inline CliResult RunCliIn(const std::filesystem::path& dir, const std::string& args) {
  return RunCli(args, "cd '" + dir.string() + "' && ");
}

// The CLI's --json output, parsed; fails the test when it is not JSON.
inline nlohmann::json ParsedOut(const CliResult& r) {
  nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "not JSON: " << r.out << r.err;
  return j;
}

// The one-line message the CLI prints for an error: stderr without "sizer: error: " and the
// newline.
inline std::string CliMessage(const CliResult& r) {
  const std::string prefix = "sizer: error: ";
  std::string m = r.err;
  if (m.rfind(prefix, 0) == 0) m = m.substr(prefix.size());
  if (!m.empty() && m.back() == '\n') m.pop_back();
  return m;
}

}  // namespace sizer::testing

#endif  // SIZER_TESTS_SERVICE_SERVICE_TEST_SUPPORT_H_

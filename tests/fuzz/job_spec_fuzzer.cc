// libFuzzer target for the job YAML parser (ParseJobSpec, input/job.h) against the real
// catalog. Any input must give a job or an error "fuzz-job.yaml:LINE:COL: ..." — never a
// crash, a hang, a sanitizer report or an unbounded allocation. A job that parses is parsed
// again with --strict (which only turns a warning into an error) and its inline mappings are
// re-emitted as JSON, the way deploy bundles carry them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "input/job.h"

namespace {
const char kFile[] = "fuzz-job.yaml";
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  sizer::fuzz::LoadCatalogOnce();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const sizer::Catalog& catalog = sizer::fuzz::LoadCatalogOnce();
  sizer::StatusOr<sizer::JobSpec> job = sizer::ParseJobSpec(text, kFile, catalog);
  sizer::fuzz::CheckErrorNamesFile(job.status(), kFile);
  if (!job.ok()) return 0;
  sizer::JobParseOptions strict;
  strict.strict = true;
  sizer::StatusOr<sizer::JobSpec> strict_job = sizer::ParseJobSpec(text, kFile, catalog, strict);
  sizer::fuzz::CheckErrorNamesFile(strict_job.status(), kFile);
  // A parsed job is usable: every candidate has at least one device.
  for (const sizer::Candidate& c : job->candidates) {
    if (c.count < 1 || c.nodes < 1) __builtin_trap();
  }
  return 0;
}

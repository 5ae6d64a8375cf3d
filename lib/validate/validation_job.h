// The job `sizer validate` plans: "this model file on this machine", built field by field as
// a JobSpec (no YAML text): the GGUF's own architecture and weight format, the llama.cpp
// profile (the runtime whose memory the micro-runner imitates), one sequence, and the cached
// probe of this machine as the only candidate.
#ifndef SIZER_VALIDATE_VALIDATION_JOB_H_
#define SIZER_VALIDATE_VALIDATION_JOB_H_

#include <cstdint>
#include <string>

#include "base/status.h"
#include "catalog/catalog.h"
#include "input/job.h"

namespace sizer::validate {

// What one validation run decodes, and with how many threads.
struct ValidationSettings {
  std::string model_path;  // the GGUF file, as it will be opened
  int64_t context_tokens = 512;
  int64_t prompt_tokens = 32;
  int64_t decode_tokens = 64;
  int threads = 1;
};

// kInvalidArgument for settings that cannot run (a prompt and output beyond the context);
// the GGUF's and the catalog's errors as they come (kNotFound without a probe of this
// machine: run 'sizer probe --save').
StatusOr<JobSpec> MakeValidationJob(const ValidationSettings& settings, const Catalog& catalog);

}  // namespace sizer::validate

#endif  // SIZER_VALIDATE_VALIDATION_JOB_H_

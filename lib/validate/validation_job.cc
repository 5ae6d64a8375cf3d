#include "validate/validation_job.h"

#include "catalog/model_from_gguf.h"
#include "gguf/artifact.h"
#include "knowledge/runtime_profile.h"

namespace sizer::validate {
namespace {

// The profile whose memory model the micro-runner follows (an up-front KV cache, f16).
constexpr const char* kRuntime = "llama.cpp";

}  // namespace

StatusOr<JobSpec> MakeValidationJob(const ValidationSettings& settings, const Catalog& catalog) {
  if (settings.context_tokens < 2 || settings.prompt_tokens < 1 || settings.decode_tokens < 1 ||
      settings.threads < 1 ||
      settings.prompt_tokens + settings.decode_tokens > settings.context_tokens) {
    return Status::InvalidArgument(
        "need prompt tokens >= 1, decode tokens >= 1, their sum <= the context, and threads >= 1");
  }
  JobSpec job;
  job.name = "validate";
  job.file = "validate job for " + settings.model_path;
  job.model_ref = settings.model_path;
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(settings.model_path);
  if (!artifact.ok()) return artifact.status().WithContext(job.file);
  StatusOr<ModelSpec> model = ModelFromGguf(*artifact);
  if (!model.ok()) return model.status().WithContext(job.file + ": " + settings.model_path);
  job.model = std::move(model).value();
  job.model_file = DescribeArtifact(*artifact);
  job.quant = job.model_file->file_type;  // the file's own weight format

  job.context_tokens = settings.context_tokens;
  if (job.context_tokens > job.model.max_context_tokens) {
    job.warnings.push_back(job.file + ": context_tokens " + std::to_string(job.context_tokens) +
                           " exceeds the model's maximum of " +
                           std::to_string(job.model.max_context_tokens));
  }
  job.concurrency = 1;
  SIZER_ASSIGN_OR_RETURN(job.runtime_info, catalog.FindRuntime(kRuntime));
  job.runtime = job.runtime_info.id;
  job.prompt_tokens = settings.prompt_tokens;
  job.output_tokens = settings.decode_tokens;

  Candidate candidate;
  SIZER_ASSIGN_OR_RETURN(candidate.hardware, catalog.FindHardware(kThisMachineId));
  candidate.label = candidate.hardware.id;
  candidate.where = job.file;
  candidate.node_json = std::string("\"") + kThisMachineId + "\"";
  job.candidates.push_back(std::move(candidate));
  return job;
}

}  // namespace sizer::validate

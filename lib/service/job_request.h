// A job sent in a request (JSON or YAML: a JSON document is YAML) parsed by the one job parser,
// with its `model:` file kept under the models folder. Shared by PlanJson, ReportHtml and
// RecommendJson.
#ifndef SIZER_SERVICE_JOB_REQUEST_H_
#define SIZER_SERVICE_JOB_REQUEST_H_

#include <string>
#include <string_view>

#include "base/status.h"
#include "input/job.h"
#include "service/api.h"

namespace sizer::service {

// kInvalidArgument "request body is N bytes; the limit is 1 MiB" past kMaxRequestBodyBytes.
Status CheckBodySize(size_t bytes);
// kInternal when the context has no catalog (a wiring bug, not a bad request).
Status CheckContext(const ServiceContext& ctx);

// Model files through ResolveModelPath; `already_resolved` (a canonical path the service
// resolved itself, e.g. a fit question's model) is accepted as it is.
ModelFileResolver RequestModelResolver(const ServiceContext& ctx, std::string already_resolved = "");

// The job in `body` (file name kRequestFileName in messages), as `sizer plan` parses a file.
StatusOr<JobSpec> ParseJobRequest(const ServiceContext& ctx, std::string_view body);

// A question's MODEL as the command would open it: a .gguf name through ResolveModelPath (its
// canonical path), a model_db id as it is; errors "MODEL: ...". Never probes other paths.
StatusOr<std::string> ResolveQuestionModel(const ServiceContext& ctx, const std::string& model);

// Whether a model name is a GGUF file name (ends in .gguf, any case) rather than a model_db id.
bool NamesGgufFile(std::string_view name);

// "quant, context, ..., set": the question parameters, for messages.
std::string FitKeyList();

}  // namespace sizer::service

#endif  // SIZER_SERVICE_JOB_REQUEST_H_

#include "service/job_request.h"

#include <cctype>
#include <utility>

namespace sizer::service {

bool NamesGgufFile(std::string_view name) {
  if (name.size() < 5) return false;
  std::string tail(name.substr(name.size() - 5));
  for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".gguf";
}

Status CheckBodySize(size_t bytes) {
  if (bytes <= kMaxRequestBodyBytes) return Status();
  return Status::InvalidArgument("request body is " + std::to_string(bytes) +
                                 " bytes; the limit is 1 MiB");
}

Status CheckContext(const ServiceContext& ctx) {
  if (ctx.catalog == nullptr) return Status::Internal("service: no catalog loaded");
  return Status();
}

ModelFileResolver RequestModelResolver(const ServiceContext& ctx, std::string already_resolved) {
  return [&ctx, resolved = std::move(already_resolved)](const std::string& requested) -> StatusOr<std::string> {
    if (!resolved.empty() && requested == resolved) return resolved;
    SIZER_ASSIGN_OR_RETURN(std::filesystem::path path, ResolveModelPath(ctx, requested));
    return path.string();
  };
}

StatusOr<JobSpec> ParseJobRequest(const ServiceContext& ctx, std::string_view body) {
  SIZER_RETURN_IF_ERROR(CheckBodySize(body.size()));
  SIZER_RETURN_IF_ERROR(CheckContext(ctx));
  JobParseOptions options;
  options.model_file_resolver = RequestModelResolver(ctx);
  return ParseJobSpec(std::string(body), kRequestFileName, *ctx.catalog, options);
}

}  // namespace sizer::service

// InspectModelFile (service/inspect.h) and InspectJson (service/api.h).
#include "service/inspect.h"

#include <filesystem>

#include "catalog/catalog_json.h"
#include "catalog/model_from_gguf.h"
#include "gguf/artifact.h"
#include "report/inspect_render.h"
#include "service/api.h"
#include "service/job_request.h"

namespace sizer::service {

StatusOr<ArtifactSummary> InspectModelFile(const std::string& path) {
  SIZER_ASSIGN_OR_RETURN(gguf::Artifact artifact, gguf::Artifact::Open(path));
  StatusOr<ModelSpec> model = ModelFromGguf(artifact);
  if (!model.ok()) return model.status().WithContext(path);
  return SummarizeArtifact(*model, DescribeArtifact(artifact));
}

StatusOr<nlohmann::json> InspectJson(const ServiceContext& ctx, std::string_view model) {
  SIZER_RETURN_IF_ERROR(CheckContext(ctx));
  if (!NamesGgufFile(model)) {
    SIZER_ASSIGN_OR_RETURN(ModelSpec spec, ctx.catalog->FindModel(std::string(model)));
    return ModelToJson(spec);
  }
  SIZER_ASSIGN_OR_RETURN(std::filesystem::path path, ResolveModelPath(ctx, model));
  SIZER_ASSIGN_OR_RETURN(ArtifactSummary summary, InspectModelFile(path.string()));
  // Paths as the request named them (relative to the models folder), not the server's.
  const std::filesystem::path root = std::filesystem::canonical(ctx.models_dir);
  summary.artifact.path = std::string(model);
  for (std::string& file : summary.artifact.files) {
    file = std::filesystem::path(file).lexically_relative(root).string();
  }
  return ArtifactSummaryToJson(summary);
}

}  // namespace sizer::service

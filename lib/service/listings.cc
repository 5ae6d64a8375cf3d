// The listings (service/listings.h) and the service's list functions (service/api.h).
#include "service/listings.h"

#include "catalog/catalog_json.h"
#include "catalog/runtime_info.h"
#include "service/api.h"
#include "service/job_request.h"

namespace sizer::service {

nlohmann::json ModelListJson(const Catalog& catalog) {
  nlohmann::json j = nlohmann::json::array();
  for (const ModelSpec& m : catalog.models()) j.push_back(ModelToJson(m));
  return j;
}

nlohmann::json HardwareListJson(const Catalog& catalog) {
  nlohmann::json j = nlohmann::json::array();
  for (const HardwareSpec& h : catalog.hardware()) j.push_back(HardwareToJson(h));
  return j;
}

nlohmann::ordered_json RuntimeListJson(const Catalog& catalog, const std::vector<std::string>& required) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const RuntimeInfo& r : catalog.runtimes()) {
    bool keep = true;
    for (const std::string& cap : required) keep = keep && r.Has(cap);
    if (keep) j.push_back(RuntimeInfoToJson(r));
  }
  return j;
}

nlohmann::json ModelsJson(const ServiceContext& ctx) {
  return ctx.catalog == nullptr ? nlohmann::json::array() : ModelListJson(*ctx.catalog);
}

nlohmann::json HardwareJson(const ServiceContext& ctx) {
  return ctx.catalog == nullptr ? nlohmann::json::array() : HardwareListJson(*ctx.catalog);
}

// nlohmann::json keeps keys sorted, so the text differs from the command's in key order only;
// parsed, the two are equal.
nlohmann::json RuntimesJson(const ServiceContext& ctx) {
  if (ctx.catalog == nullptr) return nlohmann::json::array();
  return nlohmann::json::parse(RuntimeListJson(*ctx.catalog, {}).dump());
}

StatusOr<nlohmann::json> ModelJson(const ServiceContext& ctx, std::string_view id) {
  SIZER_RETURN_IF_ERROR(CheckContext(ctx));
  SIZER_ASSIGN_OR_RETURN(ModelSpec model, ctx.catalog->FindModel(std::string(id)));
  return ModelToJson(model);
}

}  // namespace sizer::service

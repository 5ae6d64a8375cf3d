#include "knowledge/knowledge_json.h"

#include <string>

#include "catalog/weight_container.h"

namespace sizer {

nlohmann::json RuntimeProfileToJson(const RuntimeProfile& r) {
  return {{"id", r.id}, {"version", r.version}, {"engine", r.engine}, {"source", r.source},
          {"kv_allocation", std::string(KvAllocationName(r.kv_allocation))},
          {"kv_dtypes", r.kv_dtypes}};
}

nlohmann::json WeightFormatToJson(const WeightFormat& f) {
  return {{"id", f.id}, {"container", std::string(WeightContainerName(f.container))},
          {"description", f.description}, {"source", f.source}};
}

}  // namespace sizer

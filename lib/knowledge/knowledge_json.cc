#include "knowledge/knowledge_json.h"

#include <string>

#include "catalog/weight_container.h"

namespace sizer {

std::string_view KvAllocationText(KvAllocation allocation) {
  switch (allocation) {
    case KvAllocation::kUpFront: return "up front";
    case KvAllocation::kPagedPool: return "paged pool";
    case KvAllocation::kDynamic: return "dynamic";
  }
  return "dynamic";
}

nlohmann::json RuntimeMemoryModelToJson(const RuntimeInfo& runtime) {
  const RuntimeProfile r = MakeRuntimeProfile(runtime);
  return {{"id", r.id},
          {"version", runtime.version},
          {"memory_model_version", r.version},
          {"engine", r.engine},
          {"source", r.source},
          {"kv_allocation", std::string(KvAllocationText(r.kv_allocation))},
          {"kv_dtypes", r.kv_dtypes}};
}

nlohmann::json WeightFormatToJson(const WeightFormat& f) {
  return {{"id", f.id}, {"container", std::string(WeightContainerName(f.container))},
          {"description", f.description}, {"source", f.source}};
}

}  // namespace sizer

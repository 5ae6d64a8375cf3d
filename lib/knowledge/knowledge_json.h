// The planner's knowledge tables as JSON (`sizer db list runtimes|quants --json`).
#ifndef SIZER_KNOWLEDGE_KNOWLEDGE_JSON_H_
#define SIZER_KNOWLEDGE_KNOWLEDGE_JSON_H_

#include <nlohmann/json.hpp>

#include "knowledge/runtime_profile.h"
#include "knowledge/weight_format.h"

namespace sizer {

// "up front", "paged pool", "dynamic": the allocation policy for people.
std::string_view KvAllocationText(KvAllocation allocation);
// A runtime_db entry's memory model (`sizer db list runtimes --json`): id, version (the
// release runtime_db pins, as `sizer runtimes` shows), memory_model_version (the build whose
// allocation the model follows), engine, source, kv_allocation, kv_dtypes.
nlohmann::json RuntimeMemoryModelToJson(const RuntimeInfo& runtime);
// id, container, description, source.
nlohmann::json WeightFormatToJson(const WeightFormat& format);

}  // namespace sizer

#endif  // SIZER_KNOWLEDGE_KNOWLEDGE_JSON_H_

// The planner's knowledge tables as JSON (`sizer db list runtimes|quants --json`).
#ifndef SIZER_KNOWLEDGE_KNOWLEDGE_JSON_H_
#define SIZER_KNOWLEDGE_KNOWLEDGE_JSON_H_

#include <nlohmann/json.hpp>

#include "knowledge/runtime_profile.h"
#include "knowledge/weight_format.h"

namespace sizer {

// id, version, engine, source, kv_allocation, kv_dtypes.
nlohmann::json RuntimeProfileToJson(const RuntimeProfile& profile);
// id, container, description, source.
nlohmann::json WeightFormatToJson(const WeightFormat& format);

}  // namespace sizer

#endif  // SIZER_KNOWLEDGE_KNOWLEDGE_JSON_H_

// The catalog's records as JSON (`sizer db list|show --json`, `sizer runtimes --json`): every
// field of the database entry under its YAML name, so scripts read what the files say.
#ifndef SIZER_CATALOG_CATALOG_JSON_H_
#define SIZER_CATALOG_CATALOG_JSON_H_

#include <nlohmann/json.hpp>

#include "catalog/hardware.h"
#include "catalog/model.h"
#include "catalog/runtime_info.h"

namespace sizer {

nlohmann::json ModelToJson(const ModelSpec& model);
nlohmann::json HardwareToJson(const HardwareSpec& hardware);
// Ordered: the keys read in the order of a runtime_db file, every fact with its source.
nlohmann::ordered_json RuntimeInfoToJson(const RuntimeInfo& runtime);

}  // namespace sizer

#endif  // SIZER_CATALOG_CATALOG_JSON_H_

// The database listings as the commands print them with --json (`sizer db list`, `sizer db
// show`, `sizer runtimes`), shared by the commands and the service.
#ifndef SIZER_SERVICE_LISTINGS_H_
#define SIZER_SERVICE_LISTINGS_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "catalog/catalog.h"

namespace sizer::service {

// `sizer db list models --json`, `sizer db list hardware --json`.
nlohmann::json ModelListJson(const Catalog& catalog);
nlohmann::json HardwareListJson(const Catalog& catalog);
// `sizer runtimes [--require CAPS] --json`: the runtimes with every capability in `required`
// (all when empty), each fact with its source, keys in the order the command prints them.
nlohmann::ordered_json RuntimeListJson(const Catalog& catalog, const std::vector<std::string>& required);

}  // namespace sizer::service

#endif  // SIZER_SERVICE_LISTINGS_H_

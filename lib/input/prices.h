// Street prices move: a prices file (`--prices FILE`) overrides hardware_db's price_usd and
// price_date per hardware id, for fit and recommend.
//
//   rtx-4090: {price_usd: 1999, price_date: "2025-11"}
//   h100-sxm: {price_usd: 27000, price_date: "2025-09", source: "vendor quote"}
#ifndef SIZER_INPUT_PRICES_H_
#define SIZER_INPUT_PRICES_H_

#include <map>
#include <string>

#include "base/status.h"
#include "catalog/catalog.h"
#include "catalog/hardware.h"

namespace sizer {

struct PriceOverride {
  double price_usd = 0;
  std::string price_date;  // "YYYY-MM" or "YYYY-MM-DD"; required (the age is the point)
  std::string source;
};

using PriceOverrides = std::map<std::string, PriceOverride>;  // by hardware id

// Errors: file:line:col messages; an unknown hardware id gets the closest ids.
StatusOr<PriceOverrides> LoadPriceOverrides(const std::string& path, const Catalog& catalog);
StatusOr<PriceOverrides> ParsePriceOverrides(const std::string& text, const std::string& file_name,
                                             const Catalog& catalog);

// Applies the override for `hw.id`, if any; true when it changed the price.
bool ApplyPriceOverride(const PriceOverrides& prices, HardwareSpec& hw);

}  // namespace sizer

#endif  // SIZER_INPUT_PRICES_H_

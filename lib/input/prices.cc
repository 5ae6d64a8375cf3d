#include "input/prices.h"

#include <cctype>

#include "yaml/yaml_reader.h"

namespace sizer {
namespace {

bool LooksLikeDate(const std::string& d) {
  auto digits = [&](size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i) {
      if (i >= d.size() || !std::isdigit(static_cast<unsigned char>(d[i]))) return false;
    }
    return true;
  };
  if (d.size() == 7) return digits(0, 4) && d[4] == '-' && digits(5, 2);
  if (d.size() == 10) return digits(0, 4) && d[4] == '-' && digits(5, 2) && d[7] == '-' && digits(8, 2);
  return false;
}

StatusOr<PriceOverrides> ParseRoot(const YamlValue& root, const Catalog& catalog) {
  if (!root.IsMap()) return root.Error("a prices file maps hardware ids to {price_usd, price_date}");
  PriceOverrides out;
  for (const auto& [id, entry] : root.Entries()) {
    StatusOr<HardwareSpec> hw = catalog.FindHardware(id);
    if (!hw.ok()) return entry.Error(hw.status().message(), hw.status().code());
    SIZER_RETURN_IF_ERROR(entry.CheckKeys({"price_usd", "price_date", "source"}));
    PriceOverride p;
    SIZER_RETURN_IF_ERROR(ReadRequired(entry, "price_usd", &YamlValue::AsNonNegativeNumber, p.price_usd));
    SIZER_RETURN_IF_ERROR(ReadRequired(entry, "price_date", &YamlValue::AsString, p.price_date));
    if (!LooksLikeDate(p.price_date)) {
      return entry.GetOptional("price_date").Error("expected YYYY-MM or YYYY-MM-DD, got '" +
                                                   p.price_date + "'");
    }
    SIZER_RETURN_IF_ERROR(ReadIfPresent(entry, "source", &YamlValue::AsString, p.source));
    out[id] = std::move(p);
  }
  return out;
}

}  // namespace

StatusOr<PriceOverrides> LoadPriceOverrides(const std::string& path, const Catalog& catalog) {
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Load(path));
  return ParseRoot(root, catalog);
}

StatusOr<PriceOverrides> ParsePriceOverrides(const std::string& text, const std::string& file_name,
                                             const Catalog& catalog) {
  SIZER_ASSIGN_OR_RETURN(YamlValue root, YamlValue::Parse(text, file_name));
  return ParseRoot(root, catalog);
}

bool ApplyPriceOverride(const PriceOverrides& prices, HardwareSpec& hw) {
  auto it = prices.find(hw.id);
  if (it == prices.end()) return false;
  hw.price_usd = it->second.price_usd;
  hw.price_date = it->second.price_date;
  if (!it->second.source.empty()) hw.source += " ; price: " + it->second.source;
  return true;
}

}  // namespace sizer

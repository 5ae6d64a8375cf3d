#include "report/display_format.h"

#include <cmath>
#include <string_view>

#include "base/format.h"
#include "base/formula_render.h"

namespace sizer {

std::string FormatNumber(double value, int decimals) {
  if (!std::isfinite(value)) return FormatFixed(value, decimals);
  std::string fixed = FormatFixed(std::fabs(value), decimals);
  size_t point = fixed.find('.');
  std::string whole = fixed.substr(0, point);
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    out += whole[i];
    size_t remaining = whole.size() - i - 1;
    if (remaining > 0 && remaining % 3 == 0) out += ',';
  }
  if (point != std::string::npos) out += fixed.substr(point);
  // FormatFixed already dropped the sign of a value that rounds to zero.
  bool zero = fixed.find_first_not_of("0.") == std::string::npos;
  return (value < 0 && !zero ? "-" : "") + out;
}

std::string FormatMemory(double bytes) {
  if (std::isnan(bytes)) return "n/a";
  if (std::isinf(bytes)) return "unbounded";
  constexpr double kKiB = 1024.0, kMiB = kKiB * 1024, kGiB = kMiB * 1024, kTiB = kGiB * 1024;
  const double magnitude = std::fabs(bytes);
  if (magnitude >= kTiB * 10) return FormatNumber(bytes / kTiB, 1) + " TiB";
  if (magnitude >= kGiB) return FormatNumber(bytes / kGiB, magnitude >= 100 * kGiB ? 0 : 1) + " GiB";
  if (magnitude >= kMiB) return FormatNumber(bytes / kMiB, 0) + " MiB";
  if (magnitude >= kKiB) return FormatNumber(bytes / kKiB, 0) + " KiB";
  return FormatNumber(bytes, 0) + " B";
}

std::string FormatBandwidth(double bytes_per_s) {
  if (std::fabs(bytes_per_s) >= 1e12) return FormatNumber(bytes_per_s / 1e12, 2) + " TB/s";
  return FormatNumber(bytes_per_s / 1e9, std::fabs(bytes_per_s) >= 100e9 ? 0 : 1) + " GB/s";
}

std::string FormatTokensPerSecond(double tokens_per_s) {
  return FormatNumber(tokens_per_s, 1) + " tokens/s";
}

std::string FormatMs(double ms) {
  return FormatNumber(ms, std::fabs(ms) >= 100 ? 0 : 1) + " ms";
}

std::string FormatByUnit(double value, const std::string& unit) {
  if (unit == "bytes") return FormatMemory(value);
  if (unit == "bytes/s") return FormatBandwidth(value);
  if (unit == "tokens/s") return FormatTokensPerSecond(value);
  if (unit == "ms") return FormatNumber(value, 1) + " ms";
  if (unit == "usd") return FormatUsd(value);
  if (unit == "fraction") return FormatPercent(value);
  if (unit == "x") return "x" + FormatFixed(value, 2);
  if (unit == "requests/month") return FormatCount(value) + " requests/month";
  if (unit == "tokens") return FormatCount(value) + " tokens";
  return FormatNumber(value, 2) + (unit.empty() ? "" : " " + unit);
}

std::string DisplayOperand(const Operand& o) {
  const bool given = o.decimals != Operand::kUnitDefault;
  switch (o.unit) {
    case Unit::kBytes:
    case Unit::kBinaryBytes:
      return FormatMemory(o.value);
    case Unit::kBytesPerS:
      return FormatBandwidth(o.value);
    case Unit::kTokensPerS:
    case Unit::kMs:
      return FormatNumber(o.value, given ? o.decimals : 1);
    case Unit::kTokens:
    case Unit::kRequestsPerMonth:
    case Unit::kCount:
      return given ? FormatFixed(o.value, o.decimals) : FormatCount(o.value);
    default:
      break;
  }
  return FormatOperand(o);
}

std::string DisplayFormula(const Formula& f) { return RenderFormulaWith(f, DisplayOperand); }

std::vector<std::string> DisplayFormulas(const std::vector<Formula>& formulas) {
  std::vector<std::string> out;
  out.reserve(formulas.size());
  for (const Formula& f : formulas) out.push_back(DisplayFormula(f));
  return out;
}

}  // namespace sizer

#include "base/format.h"

#include <ctime>

#include <cmath>

#include <fmt/format.h>

#include "base/units.h"

namespace sizer {

std::string FormatFixed(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (s == "-0" || s.rfind("-0.", 0) == 0) {
    // Avoid "-0.0" for tiny negatives produced by rounding.
    bool all_zero = s.find_first_not_of("-0.") == std::string::npos;
    if (all_zero) s.erase(0, 1);
  }
  return s;
}

std::string FormatBytes(double bytes) {
  if (std::isnan(bytes)) return "n/a";
  double magnitude = std::fabs(bytes);
  if (magnitude >= kTB * 10) return FormatFixed(bytes / kTB, 1) + " TB";
  if (magnitude >= kGB) return FormatFixed(bytes / kGB, magnitude >= 100 * kGB ? 0 : 1) + " GB";
  if (magnitude >= kMB) return FormatFixed(bytes / kMB, 0) + " MB";
  if (magnitude >= kKB) return FormatFixed(bytes / kKB, 0) + " KB";
  return FormatFixed(bytes, 0) + " B";
}

std::string FormatBinaryBytes(double bytes) {
  if (std::isnan(bytes)) return "n/a";
  const double magnitude = std::fabs(bytes);
  const auto scaled = [&](double unit, const char* name) {
    const double v = bytes / unit;
    return FormatFixed(v, v == std::round(v) ? 0 : 1) + " " + name;
  };
  if (magnitude >= kTiB) return scaled(kTiB, "TiB");
  if (magnitude >= kGiB) return scaled(kGiB, "GiB");
  if (magnitude >= kMiB) return scaled(kMiB, "MiB");
  if (magnitude >= kKiB) return scaled(kKiB, "KiB");
  return FormatFixed(bytes, 0) + " B";
}

std::string FormatBytesPerSecond(double bytes_per_s) {
  if (std::fabs(bytes_per_s) >= kTB) return FormatFixed(bytes_per_s / kTB, 2) + " TB/s";
  return FormatFixed(bytes_per_s / kGB, bytes_per_s >= 100 * kGB ? 0 : 1) + " GB/s";
}

std::string FormatCount(double value) {
  if (!std::isfinite(value)) return FormatFixed(value, 0);
  std::string digits = fmt::format("{:.0f}", std::fabs(value));
  std::string out;
  int n = static_cast<int>(digits.size());
  for (int i = 0; i < n; ++i) {
    out += digits[i];
    int remaining = n - i - 1;
    if (remaining > 0 && remaining % 3 == 0) out += ',';
  }
  return (value < 0 && digits != "0" ? "-" : "") + out;
}

std::string FormatUsd(double usd) {
  if (!std::isfinite(usd)) return FormatFixed(usd, 0);
  const char* sign = usd < 0 ? "-$" : "$";
  double magnitude = std::fabs(usd);
  if (magnitude >= 10000) return sign + FormatCount(magnitude);
  // Per-request and per-token prices are fractions of a cent: keep four decimals there.
  if (magnitude > 0 && magnitude < 0.1) return sign + FormatFixed(magnitude, 4);
  return sign + FormatFixed(magnitude, 2);
}

std::string FormatPercent(double fraction) { return FormatFixed(fraction * 100.0, 0) + "%"; }

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += separator;
    out += items[i];
  }
  return out;
}

std::string TodayUtc() {
  const std::time_t now = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", std::gmtime(&now));
  return buf;
}

}  // namespace sizer

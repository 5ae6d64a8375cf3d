#include "base/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

namespace sizer {
namespace {

struct UnitFactor {
  std::string_view name;
  double factor;
};

constexpr UnitFactor kByteUnits[] = {
    {"B", 1.0},    {"KB", kKB},   {"MB", kMB},   {"GB", kGB},   {"TB", kTB},
    {"KiB", kKiB}, {"MiB", kMiB}, {"GiB", kGiB}, {"TiB", kTiB},
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "4.4 GB" into 4.4 and "GB".
StatusOr<std::pair<double, std::string_view>> SplitNumberAndUnit(std::string_view text,
                                                                 std::string_view expected) {
  std::string_view s = Trim(text);
  double value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end == s.data()) {
    return Status::InvalidArgument("expected " + std::string(expected) + ", got '" +
                                   std::string(text) + "'");
  }
  if (!std::isfinite(value)) {
    return Status::InvalidArgument("expected a finite number, got '" + std::string(text) + "'");
  }
  if (value < 0) {
    return Status::InvalidArgument("expected a non-negative size, got '" + std::string(text) +
                                   "'");
  }
  return std::make_pair(value, Trim(std::string_view(end, s.data() + s.size() - end)));
}

StatusOr<double> ApplyByteUnit(double value, std::string_view unit, std::string_view text,
                               std::string_view expected) {
  if (unit.empty()) return value;
  for (const UnitFactor& u : kByteUnits) {
    if (unit == u.name) return value * u.factor;
  }
  return Status::InvalidArgument("unknown unit '" + std::string(unit) + "' in '" +
                                 std::string(text) + "' (expected " + std::string(expected) +
                                 ")");
}

}  // namespace

StatusOr<double> ParseBytes(std::string_view text) {
  constexpr std::string_view kExpected = "a size such as '24 GiB', '4.4 GB' or a byte count";
  SIZER_ASSIGN_OR_RETURN(auto parts, SplitNumberAndUnit(text, kExpected));
  return ApplyByteUnit(parts.first, parts.second, text, kExpected);
}

StatusOr<double> ParseBytesPerSecond(std::string_view text) {
  constexpr std::string_view kExpected = "a bandwidth such as '1008 GB/s' or bytes per second";
  SIZER_ASSIGN_OR_RETURN(auto parts, SplitNumberAndUnit(text, kExpected));
  std::string_view unit = parts.second;
  if (unit.empty()) return parts.first;
  if (unit.size() < 3 || unit.substr(unit.size() - 2) != "/s") {
    return Status::InvalidArgument("unknown unit '" + std::string(unit) + "' in '" +
                                   std::string(text) + "' (expected " + std::string(kExpected) +
                                   ")");
  }
  return ApplyByteUnit(parts.first, unit.substr(0, unit.size() - 2), text, kExpected);
}

}  // namespace sizer

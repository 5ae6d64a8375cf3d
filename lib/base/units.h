// Units. Every quantity is stored in base SI units (bytes, bytes/s, FLOP/s, seconds);
// conversion to display units happens only in base/format and report/. GB (1e9) and
// GiB (2^30) are never mixed in one name.
#ifndef SIZER_BASE_UNITS_H_
#define SIZER_BASE_UNITS_H_

#include <string_view>

#include "base/status.h"

namespace sizer {

inline constexpr double kKB = 1e3;
inline constexpr double kMB = 1e6;
inline constexpr double kGB = 1e9;
inline constexpr double kTB = 1e12;
inline constexpr double kKiB = 1024.0;
inline constexpr double kMiB = 1024.0 * 1024.0;
inline constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
inline constexpr double kTiB = 1024.0 * kGiB;
inline constexpr double kTera = 1e12;
inline constexpr double kSecondsPerMonth = 730.0 * 3600.0;  // 8760 h / 12, the usual billing month
inline constexpr double kHoursPerMonth = 730.0;

// Parses a byte size: "24 GiB", "4.4GB", "512 MiB", "1.5 TB", "2048" (bytes).
// Returns kInvalidArgument naming what was expected. The result is finite and >= 0.
StatusOr<double> ParseBytes(std::string_view text);

// Parses a bandwidth: "1008 GB/s", "3.35 TB/s", "900 GiB/s", "64e9" (bytes/s).
StatusOr<double> ParseBytesPerSecond(std::string_view text);

}  // namespace sizer

#endif  // SIZER_BASE_UNITS_H_

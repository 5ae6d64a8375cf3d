// Number formatting shared by every report, so all of them round the same way.
#ifndef SIZER_BASE_FORMAT_H_
#define SIZER_BASE_FORMAT_H_

#include <string>
#include <string_view>
#include <vector>

namespace sizer {

// "15.0 GB" (decimal GB, one decimal) for sizes of 1 GB or more; MB/KB/B below.
std::string FormatBytes(double bytes);
// Binary units for memory sold in them: "24 GiB" (whole), "21.6 GiB", "512 MiB".
std::string FormatBinaryBytes(double bytes);
// "1,008 GB/s", "3.35 TB/s".
std::string FormatBytesPerSecond(double bytes_per_s);
// Fixed precision: FormatFixed(52.63, 1) == "52.6".
std::string FormatFixed(double value, int decimals);
// Thousands separators for integers: 500000 -> "500,000".
std::string FormatCount(double value);
// "$900.00" (two decimals below $10,000, whole dollars above, four below $0.10).
std::string FormatUsd(double usd);
// 0.59 -> "59%".
std::string FormatPercent(double fraction);

// "a, b, c" with `separator` between the items.
std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ");

// Today's date in UTC, "2026-11-21".
std::string TodayUtc();

}  // namespace sizer

#endif  // SIZER_BASE_FORMAT_H_

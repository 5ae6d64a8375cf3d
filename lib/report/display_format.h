// The one number style of every view (terminal, Markdown, HTML, charts' labels):
//  - memory sizes in binary units (GiB, MiB): GPU memory and DRAM are built and sold in
//    powers of two, so a 24 GiB card prints as "24.0 GiB", not "25.8 GB". CPU RAM is memory
//    too and gets the same units, so a host and a GPU tier can be compared at a glance.
//  - rates and counts with thousands separators: "2,314.9 tokens/s", "1,500 tokens".
//  - bandwidth stays decimal ("1,008 GB/s"): vendors quote it in 10^9 bytes per second.
// The planner's formulas are data (base/formula.h): DisplayFormula fills their operands in
// with this style too, so a reason or a derivation never says "25.8 GB" beside "24.0 GiB".
#ifndef SIZER_REPORT_DISPLAY_FORMAT_H_
#define SIZER_REPORT_DISPLAY_FORMAT_H_

#include <string>
#include <vector>

#include "base/formula.h"

namespace sizer {

// "24.0 GiB", "512 MiB", "1.5 TiB"; "n/a" for NaN, "unbounded" for infinity.
std::string FormatMemory(double bytes);
// Thousands separators and `decimals` places: FormatNumber(2314.94, 1) == "2,314.9".
std::string FormatNumber(double value, int decimals);
// "1,008 GB/s", "3.35 TB/s" (decimal, as vendors quote bandwidth).
std::string FormatBandwidth(double bytes_per_s);
// "2,314.9 tokens/s" (one decimal).
std::string FormatTokensPerSecond(double tokens_per_s);
// "1,234 ms" at or above 100 ms, "12.5 ms" below.
std::string FormatMs(double ms);
// A value by its unit (a Quantity's unit: bytes, bytes/s, tokens/s, ms, usd, fraction, x,
// requests/month, tokens, or anything else as a plain number with the unit after it).
std::string FormatByUnit(double value, const std::string& unit);
// One formula operand in this style: memory (bytes, binary bytes) as FormatMemory, bandwidth
// as FormatBandwidth, rates and times with thousands separators; an operand stated to an
// explicit precision (a context length written "4096") keeps it. Others as FormatOperand.
std::string DisplayOperand(const Operand& operand);
// The formula with every "{name}" filled in by DisplayOperand (RenderFormula's rules
// otherwise: unknown names stay as they are).
std::string DisplayFormula(const Formula& formula);
std::vector<std::string> DisplayFormulas(const std::vector<Formula>& formulas);

}  // namespace sizer

#endif  // SIZER_REPORT_DISPLAY_FORMAT_H_

#include "base/formula.h"

#include <array>

#include "base/format.h"
#include "base/formula_render.h"

namespace sizer {
namespace {

struct UnitSpelling {
  Unit unit;
  std::string_view name;
};

// kBinaryBytes shares "bytes" with kBytes and comes after it, so UnitFromName gives kBytes.
constexpr std::array<UnitSpelling, 14> kUnitNames = {{
    {Unit::kNone, ""},
    {Unit::kBytes, "bytes"},
    {Unit::kBinaryBytes, "bytes"},
    {Unit::kBytesPerS, "bytes/s"},
    {Unit::kFlopPerS, "flop/s"},
    {Unit::kTokens, "tokens"},
    {Unit::kTokensPerS, "tokens/s"},
    {Unit::kMs, "ms"},
    {Unit::kUsd, "usd"},
    {Unit::kRequestsPerMonth, "requests/month"},
    {Unit::kFraction, "fraction"},
    {Unit::kRatio, "x"},
    {Unit::kCount, "count"},
    {Unit::kParams, "params"},
}};

int DecimalsOr(const Operand& o, int fallback) {
  return o.decimals == Operand::kUnitDefault ? fallback : o.decimals;
}

}  // namespace

std::string_view UnitName(Unit unit) {
  for (const UnitSpelling& s : kUnitNames) {
    if (s.unit == unit) return s.name;
  }
  return "";
}

std::optional<Unit> UnitFromName(std::string_view name) {
  for (const UnitSpelling& s : kUnitNames) {
    if (s.name == name) return s.unit;
  }
  return std::nullopt;
}

Formula& Formula::Append(const Formula& more) {
  text += more.text;
  operands.insert(operands.end(), more.operands.begin(), more.operands.end());
  return *this;
}

Formula& Formula::Append(std::string_view more_text, std::vector<Operand> more_operands) {
  text += more_text;
  for (Operand& o : more_operands) operands.push_back(std::move(o));
  return *this;
}

std::string FormatOperand(const Operand& o) {
  const double v = o.value;
  switch (o.unit) {
    case Unit::kBytes:
      return FormatBytes(v);
    case Unit::kBinaryBytes:
      return FormatBinaryBytes(v);
    case Unit::kBytesPerS:
      return FormatBytesPerSecond(v);
    case Unit::kFlopPerS:
      return FormatFixed(v / 1e12, DecimalsOr(o, 1)) + " TFLOP/s";
    case Unit::kUsd:
      return FormatUsd(v);
    case Unit::kFraction:
      return o.decimals == Operand::kUnitDefault ? FormatPercent(v) : FormatFixed(v, o.decimals);
    case Unit::kTokens:
    case Unit::kRequestsPerMonth:
    case Unit::kCount:
      return o.decimals == Operand::kUnitDefault ? FormatCount(v) : FormatFixed(v, o.decimals);
    case Unit::kParams:
      return FormatFixed(v / 1e9, DecimalsOr(o, 2)) + "B";
    case Unit::kTokensPerS:
    case Unit::kMs:
      return FormatFixed(v, DecimalsOr(o, 1));
    case Unit::kRatio:
    case Unit::kNone:
      return FormatFixed(v, DecimalsOr(o, 2));
  }
  return FormatFixed(v, 2);
}

std::string RenderFormula(const Formula& f) { return RenderFormulaWith(f, FormatOperand); }

std::string RenderFormulaWith(const Formula& f, std::string (*format_operand)(const Operand&)) {
  std::string out;
  out.reserve(f.text.size() + 8 * f.operands.size());
  size_t i = 0;
  while (i < f.text.size()) {
    const size_t open = f.text.find('{', i);
    if (open == std::string::npos) break;
    const size_t close = f.text.find('}', open + 1);
    if (close == std::string::npos) break;
    out.append(f.text, i, open - i);
    const std::string_view name(f.text.data() + open + 1, close - open - 1);
    const Operand* operand = nullptr;
    for (const Operand& o : f.operands) {
      if (o.name == name) {
        operand = &o;
        break;
      }
    }
    if (operand != nullptr) {
      out += format_operand(*operand);
    } else {
      out.append(f.text, open, close - open + 1);
    }
    i = close + 1;
  }
  out.append(f.text, i, std::string::npos);
  return out;
}

std::vector<std::string> RenderFormulas(const std::vector<Formula>& formulas) {
  std::vector<std::string> out;
  out.reserve(formulas.size());
  for (const Formula& f : formulas) out.push_back(RenderFormula(f));
  return out;
}

}  // namespace sizer

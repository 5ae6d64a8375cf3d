// Units and formulas as data. A Formula is how a figure was derived, as a text template with
// named numeric operands ("{layers} layers x {cells} cells"), so the arithmetic (plan/) never
// formats a number: RenderFormula fills the operands in with the project's one number style
// (base/format), and a report may render them otherwise.
#ifndef SIZER_BASE_FORMULA_H_
#define SIZER_BASE_FORMULA_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sizer {

// What a number measures. Values are in base units (bytes, seconds as ms where named).
enum class Unit {
  kNone,              // a plain number
  kBytes,             // decimal display: 15.0 GB
  kBinaryBytes,       // the same bytes, sold in binary units (a 24 GiB card): 24 GiB
  kBytesPerS,
  kFlopPerS,
  kTokens,
  kTokensPerS,
  kMs,
  kUsd,
  kRequestsPerMonth,
  kFraction,          // 0..1; a percentage unless a precision is given
  kRatio,             // "x": a speed-up or scale factor
  kCount,
  kParams,            // parameters; displayed in billions
};

// The stable spelling of `unit` in --json and in worksheet rows ("bytes", "tokens/s", "x").
// kBinaryBytes is "bytes" too: the unit of the value, not of its display.
std::string_view UnitName(Unit unit);
// The inverse of UnitName (kBytes for "bytes"); nullopt for an unknown name.
std::optional<Unit> UnitFromName(std::string_view name);

// One named number of a formula. `decimals` is the precision the figure is stated to;
// kUnitDefault leaves it to the unit's style. A count with decimals 0 prints as written
// (4096); the default style groups thousands (4,096).
struct Operand {
  static constexpr int kUnitDefault = -1;
  Operand(std::string name_in, double value_in, Unit unit_in = Unit::kNone,
          int decimals_in = kUnitDefault)
      : name(std::move(name_in)), value(value_in), unit(unit_in), decimals(decimals_in) {}
  std::string name;
  double value = 0;
  Unit unit = Unit::kNone;
  int decimals = kUnitDefault;
};

// An integer operand printed as written (a context length, a layer count): "4096".
inline Operand Whole(std::string name, int64_t value) {
  return {std::move(name), static_cast<double>(value), Unit::kCount, 0};
}

struct Formula {
  Formula() = default;
  // Implicit, so a plain text is a formula without operands: Formula f = "device memory";
  Formula(std::string text_in, std::vector<Operand> operands_in = {})  // NOLINT
      : text(std::move(text_in)), operands(std::move(operands_in)) {}
  Formula(const char* text_in) : text(text_in) {}  // NOLINT

  std::string text;               // "{name}" marks where an operand goes
  std::vector<Operand> operands;

  // Appends `more`'s text and operands (operand names must stay distinct).
  Formula& Append(const Formula& more);
  Formula& Append(std::string_view text, std::vector<Operand> operands);
  bool empty() const { return text.empty(); }
};

// One operand as text in the project's number style: "15.0 GB", "1,008 GB/s", "$900.00",
// "59%", "4,096", "8.03B", "989.0 TFLOP/s", "0.95".
std::string FormatOperand(const Operand& operand);
// The formula's text with every "{name}" replaced by its operand; unknown names stay as they
// are.
std::string RenderFormula(const Formula& formula);
// The texts of `formulas`, in order.
std::vector<std::string> RenderFormulas(const std::vector<Formula>& formulas);

}  // namespace sizer

#endif  // SIZER_BASE_FORMULA_H_

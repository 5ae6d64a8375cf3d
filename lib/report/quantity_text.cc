#include "report/quantity_text.h"

#include "base/format.h"

namespace sizer {

std::string QuantityValueText(double value, Unit unit) {
  switch (unit) {
    case Unit::kBytes:
      return FormatBytes(value);
    case Unit::kBinaryBytes:
      return FormatBinaryBytes(value);
    case Unit::kBytesPerS:
      return FormatBytesPerSecond(value);
    case Unit::kTokensPerS:
      return FormatFixed(value, 1) + " tokens/s";
    case Unit::kMs:
      return FormatFixed(value, 1) + " ms";
    case Unit::kUsd:
      return FormatUsd(value);
    case Unit::kFraction:
      return FormatPercent(value);
    case Unit::kRatio:
      return "x" + FormatFixed(value, 2);
    case Unit::kRequestsPerMonth:
      return FormatCount(value) + " requests/month";
    case Unit::kTokens:
      return FormatCount(value) + " tokens";
    case Unit::kNone:
      return FormatFixed(value, 2);
    case Unit::kFlopPerS:
    case Unit::kCount:
    case Unit::kParams:
      break;
  }
  return FormatFixed(value, 2) + " " + std::string(UnitName(unit));
}

std::string QuantityValueText(const Quantity& q) { return QuantityValueText(q.value, q.unit); }

std::string QuantityFormulaText(const Quantity& q) { return RenderFormula(q.formula); }

std::string FormulaText(const Formula& formula) { return RenderFormula(formula); }

std::vector<std::string> FormulaTexts(const std::vector<Formula>& formulas) {
  return RenderFormulas(formulas);
}

std::string ReasonText(const Reason& reason) { return RenderFormula(reason.message); }

std::string ArtifactVerdictText(const ArtifactVerdict& v, const Gates& gates) {
  switch (v.outcome) {
    case ArtifactOutcome::kPass:
      return "pass";
    case ArtifactOutcome::kFailsQuality:
      return RenderFormula({"quality {quality} below the gate of {gate}",
                            {{"quality", v.artifact.quality.value_or(0), Unit::kNone, 3},
                             {"gate", gates.min_quality.value_or(0), Unit::kNone, 3}}});
    case ArtifactOutcome::kFitsNowhere:
      return "fits on no candidate";
  }
  return "";
}

}  // namespace sizer

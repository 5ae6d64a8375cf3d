// The one place that turns the plan's numbers into text for people: a Quantity's value by
// its unit, its formula with the operands filled in, a rejection reason, an artifact's
// verdict. Every renderer (terminal, Markdown, JSON, templates) calls these, so every report
// prints a number the same way (base/format's style).
#ifndef SIZER_REPORT_QUANTITY_TEXT_H_
#define SIZER_REPORT_QUANTITY_TEXT_H_

#include <optional>
#include <string>
#include <vector>

#include "base/formula.h"
#include "input/job.h"
#include "plan/planner.h"
#include "plan/quantity.h"
#include "plan/verdict.h"

namespace sizer {

// "15.0 GB", "24 GiB" (memory sold in binary units), "52.6 tokens/s", "$900.00", "59%",
// "131,072 tokens", "x1.80" by the unit.
std::string QuantityValueText(double value, Unit unit);
std::string QuantityValueText(const Quantity& q);
// The formula with its operands filled in: "2 x n_kv_heads 8 x head_dim 128 x 2.0000 B ...".
std::string QuantityFormulaText(const Quantity& q);
// Any formula, warning or message (RenderFormula).
std::string FormulaText(const Formula& formula);
std::vector<std::string> FormulaTexts(const std::vector<Formula>& formulas);
// A rejection reason for people: "memory: needs 30.1 GB on rtx-4090 but only ..."
// (plan/verdict.h ReasonTexts gives all of a worksheet's).
std::string ReasonText(const Reason& reason);
// "pass", "quality 0.850 below the gate of 0.900", "fits on no candidate".
std::string ArtifactVerdictText(const ArtifactVerdict& verdict, const Gates& gates);

}  // namespace sizer

#endif  // SIZER_REPORT_QUANTITY_TEXT_H_

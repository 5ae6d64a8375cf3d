// Formula substitution with a chosen number style: base/formula.h's RenderFormula uses the
// plan-side style (FormatOperand); report/display_format.h's DisplayFormula the display one.
#ifndef SIZER_BASE_FORMULA_RENDER_H_
#define SIZER_BASE_FORMULA_RENDER_H_

#include <string>

#include "base/formula.h"

namespace sizer {

// Each "{name}" of formula.text becomes format_operand(operand); an unknown name stays as
// written.
std::string RenderFormulaWith(const Formula& formula,
                              std::string (*format_operand)(const Operand& operand));

}  // namespace sizer

#endif  // SIZER_BASE_FORMULA_RENDER_H_

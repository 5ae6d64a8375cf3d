// `sizer validate` for a terminal: the prediction next to the measurement, one row per
// figure with measured / predicted, and what --calibrate fitted.
#ifndef SIZER_VALIDATE_VALIDATION_TEXT_H_
#define SIZER_VALIDATE_VALIDATION_TEXT_H_

#include <string>

#include "report/validation.h"

namespace sizer::validate {

std::string RenderValidationText(const ValidationResult& result);

}  // namespace sizer::validate

#endif  // SIZER_VALIDATE_VALIDATION_TEXT_H_

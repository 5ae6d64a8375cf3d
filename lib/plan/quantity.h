// Quantity: one worksheet row that carries its own derivation, so every number a report
// prints can be traced to a formula and a source. The plan fills in numbers only: the
// formula is a template with named operands (base/formula.h), rendered by the report layer
// (report/quantity_text.h).
#ifndef SIZER_PLAN_QUANTITY_H_
#define SIZER_PLAN_QUANTITY_H_

#include <string>
#include <vector>

#include "base/formula.h"

namespace sizer {

struct Quantity {
  std::string key;      // stable name for scripts: "kv_cache_bytes"
  std::string label;    // for people: "KV cache"
  double value = 0;
  Unit unit = Unit::kNone;  // UnitName(unit) is the JSON spelling
  Formula formula;      // how it was derived, with its numbers as operands
  std::string source;   // where the constants come from
};

using QuantityList = std::vector<Quantity>;

}  // namespace sizer

#endif  // SIZER_PLAN_QUANTITY_H_

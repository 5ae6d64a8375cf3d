// Quantity: one worksheet row that carries its own derivation, so every number a report
// prints can be traced to a formula and a source.
#ifndef SIZER_PLAN_QUANTITY_H_
#define SIZER_PLAN_QUANTITY_H_

#include <string>
#include <vector>

namespace sizer {

struct Quantity {
  std::string key;      // stable name for scripts: "kv_cache_bytes"
  std::string label;    // for people: "KV cache"
  double value = 0;
  std::string unit;     // bytes, bytes/s, tokens/s, ms, usd, usd/month, tokens, fraction, count
  std::string formula;  // how it was derived, with the numbers filled in
  std::string source;   // where the constants come from
};

using QuantityList = std::vector<Quantity>;

}  // namespace sizer

#endif  // SIZER_PLAN_QUANTITY_H_

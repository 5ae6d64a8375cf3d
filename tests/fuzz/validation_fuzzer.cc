// libFuzzer target for the `sizer validate` results reader (ParseValidation,
// report/validation.h): any input gives a record or an error "fuzz-validation.json: ...";
// a record always holds at least one measured figure, and every figure is finite and >= 0.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "fuzz_support.h"
#include "report/validation.h"

namespace {
const char kFile[] = "fuzz-validation.json";

void CheckFigure(const std::optional<double>& v) {
  if (v && (!std::isfinite(*v) || *v < 0)) __builtin_trap();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sizer::StatusOr<sizer::ValidationRecord> r = sizer::ParseValidation(text, kFile);
  sizer::fuzz::CheckErrorNamesFile(r.status(), kFile);
  if (!r.ok()) return 0;
  if (r->hardware_id.empty()) __builtin_trap();
  for (const auto* v : {&r->decode_predicted_tokens_per_s, &r->decode_measured_tokens_per_s,
                        &r->decode_ceiling_tokens_per_s, &r->prefill_predicted_tokens_per_s,
                        &r->prefill_measured_tokens_per_s, &r->planned_total_bytes,
                        &r->peak_rss_bytes, &r->planned_kv_bytes, &r->measured_kv_bytes}) {
    CheckFigure(*v);
  }
  return 0;
}

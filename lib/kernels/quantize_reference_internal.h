// The per-type weight quantizers behind kernels/quantize.h's dispatch, and the rounding
// helpers they share. Private to lib/kernels: quantize_reference.cc dispatches and holds the
// 32-element formats, quantize_reference_k.cc the k-quants, quantize_reference_iq4.cc IQ4.
// Every function takes whole blocks (`n` a multiple of the type's block).
#ifndef SIZER_KERNELS_QUANTIZE_REFERENCE_INTERNAL_H_
#define SIZER_KERNELS_QUANTIZE_REFERENCE_INTERNAL_H_

#include <cmath>
#include <cstdint>

namespace sizer::kernels::internal {

// ggml's GROUP_MAX_EPS: a group whose largest magnitude is below this quantizes to zero.
inline constexpr float kGroupMaxEps = 1e-15f;

// Round to nearest, ties to even (ggml's nearest_int), then clamp to [lo, hi]. The clamp
// happens in float first, so huge values and NaN (which fmin/fmax map to a bound) never
// reach an out-of-range float -> int conversion.
inline int RoundClamp(float v, int lo, int hi) {
  v = std::fmax(static_cast<float>(lo), std::fmin(static_cast<float>(hi), v));
  return static_cast<int>(std::nearbyint(v));
}

// trunc(v) clamped to [lo, hi] (the legacy quantizers' "(int8_t)(x * id + 8.5f)", whose
// argument is never negative, so trunc = floor = round half up of x * id).
inline int TruncClamp(float v, int lo, int hi) {
  v = std::fmax(static_cast<float>(lo), std::fmin(static_cast<float>(hi), v));
  return static_cast<int>(v);
}

void QuantizeQ2_K(const float* x, void* out, int64_t n);
void QuantizeQ3_K(const float* x, void* out, int64_t n);
void QuantizeQ4_K(const float* x, void* out, int64_t n);
void QuantizeQ5_K(const float* x, void* out, int64_t n);
void QuantizeQ6_K(const float* x, void* out, int64_t n);
void QuantizeIq4Nl(const float* x, void* out, int64_t n);
void QuantizeIq4Xs(const float* x, void* out, int64_t n);

}  // namespace sizer::kernels::internal

#endif  // SIZER_KERNELS_QUANTIZE_REFERENCE_INTERNAL_H_

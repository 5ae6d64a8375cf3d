// The per-type weight quantizers behind kernels/quantize.h's dispatch, and the rounding
// helpers they share. Private to lib/kernels: quantize_reference.cc dispatches and holds the
// 32-element formats, quantize_reference_k.cc the k-quants, quantize_reference_iq4.cc IQ4,
// quantize_reference_mxfp4.cc MXFP4.
// Every function takes whole blocks (`n` a multiple of the type's block).
#ifndef SIZER_KERNELS_QUANTIZE_REFERENCE_INTERNAL_H_
#define SIZER_KERNELS_QUANTIZE_REFERENCE_INTERNAL_H_

#include <bit>
#include <cmath>
#include <cstdint>

namespace sizer::kernels::internal {

// ggml's GROUP_MAX_EPS: a group whose largest magnitude is below this quantizes to zero.
inline constexpr float kGroupMaxEps = 1e-15f;

// `v` clamped to [lo, hi]; NaN gives lo. Plain comparisons (std::fmin / fmax are libm
// calls on baseline x86-64, and these run for every value of every candidate scale).
inline float ClampOrLow(float v, int lo, int hi) {
  v = v >= static_cast<float>(lo) ? v : static_cast<float>(lo);
  return v <= static_cast<float>(hi) ? v : static_cast<float>(hi);
}

// Round to nearest, ties to even (ggml's nearest_int), then clamp to [lo, hi]. The clamp
// happens in float first, so huge values and NaN never reach the rounding. The rounding adds 1.5 * 2^23: in [2^23, 2^24) floats are spaced 1
// apart, so the addition itself rounds v to an integer (nearest, ties to even, the FPU's
// default mode), which the low mantissa bits then hold offset by 2^22. Exact for
// |v| < 2^22; no libm call (nearbyint is one on baseline x86-64), which makes the
// k-quant searches several times faster.
inline int RoundClamp(float v, int lo, int hi) {
  v = ClampOrLow(v, lo, hi);
  const float shifted = v + 12582912.0f;  // 1.5 * 2^23
  return static_cast<int>(std::bit_cast<uint32_t>(shifted) & 0x7fffffu) - 0x400000;
}

// trunc(v) clamped to [lo, hi] (the legacy quantizers' "(int8_t)(x * id + 8.5f)", whose
// argument is never negative, so trunc = floor = round half up of x * id).
inline int TruncClamp(float v, int lo, int hi) {
  v = ClampOrLow(v, lo, hi);
  return static_cast<int>(v);
}

void QuantizeQ2_K(const float* x, void* out, int64_t n);
void QuantizeQ3_K(const float* x, void* out, int64_t n);
void QuantizeQ4_K(const float* x, void* out, int64_t n);
void QuantizeQ5_K(const float* x, void* out, int64_t n);
void QuantizeQ6_K(const float* x, void* out, int64_t n);
void QuantizeIq4Nl(const float* x, void* out, int64_t n);
void QuantizeIq4Xs(const float* x, void* out, int64_t n);
// quantize_reference_mxfp4.cc.
void QuantizeMxfp4(const float* x, void* out, int64_t n);

}  // namespace sizer::kernels::internal

#endif  // SIZER_KERNELS_QUANTIZE_REFERENCE_INTERNAL_H_

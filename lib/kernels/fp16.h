// Scalar conversions between float and the two 16-bit float formats GGUF files store:
// IEEE 754 binary16 ("F16": 1 sign, 5 exponent, 10 mantissa bits) and bfloat16 ("BF16": the
// top half of a float). Narrowing rounds to nearest, ties to even, the way ggml and the
// hardware instructions (F16C, AVX512-BF16) do; NaN stays NaN, infinities stay infinite.
#ifndef SIZER_KERNELS_FP16_H_
#define SIZER_KERNELS_FP16_H_

#include <bit>
#include <cstdint>

namespace sizer::kernels {

// Exact: every binary16 value (subnormals, infinities, NaN payloads) is a float.
inline float F16ToF32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exponent = (h >> 10) & 0x1fu;
  const uint32_t mantissa = h & 0x3ffu;
  if (exponent == 0x1f) {  // inf / NaN: keep the payload, widen the exponent
    return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));
  }
  if (exponent == 0) {  // zero / subnormal: mantissa x 2^-24, exact in float
    const float magnitude = static_cast<float>(mantissa) * 0x1p-24f;
    return sign ? -magnitude : magnitude;
  }
  // Normal: rebias the exponent from 15 to 127.
  return std::bit_cast<float>(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

inline uint16_t F32ToF16(float f) {
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t magnitude = bits & 0x7fffffffu;
  if (magnitude > 0x7f800000u) {  // NaN: quiet, keep the top payload bits
    return static_cast<uint16_t>(sign | 0x7e00u | ((magnitude >> 13) & 0x3ffu));
  }
  // 65520 (halfway between 65504, the largest half, and 65536) and above round to infinity.
  if (magnitude >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);
  if (magnitude < 0x38800000u) {               // below 2^-14: a subnormal half (or zero)
    if (magnitude < 0x33000000u) return sign;  // below 2^-25: rounds to zero
    // value = m x 2^(e - 150); in units of 2^-24 that is m >> (126 - e).
    const uint32_t e = magnitude >> 23;
    const uint32_t m = (magnitude & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126u - e;  // 14..24
    uint32_t q = m >> shift;
    const uint32_t rest = m & ((1u << shift) - 1u);
    const uint32_t half = 1u << (shift - 1u);
    if (rest > half || (rest == half && (q & 1u))) ++q;  // may carry into the smallest normal
    return static_cast<uint16_t>(sign | q);
  }
  // Normal: rebias, drop 13 mantissa bits with round-to-nearest-even. A carry out of the
  // mantissa correctly bumps the exponent.
  uint32_t h = (magnitude - 0x38000000u) >> 13;
  const uint32_t rest = magnitude & 0x1fffu;
  if (rest > 0x1000u || (rest == 0x1000u && (h & 1u))) ++h;
  return static_cast<uint16_t>(sign | h);
}

// Exact.
inline float Bf16ToF32(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

inline uint16_t F32ToBf16(float f) {
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  if ((bits & 0x7fffffffu) > 0x7f800000u) {  // NaN: keep it NaN (force quiet)
    return static_cast<uint16_t>((bits >> 16) | 0x40u);
  }
  // Round to nearest even; overflow past the largest finite bf16 becomes infinity.
  return static_cast<uint16_t>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_FP16_H_

// kernels/vec_dot_simd.h: Highway SIMD dot products, one copy per target (foreach_target.h
// re-includes this file once per instruction set), dispatched at run time.
//
// Shape of every integer kernel (the layouts are blocks.h's):
// - Weight quants are unpacked from their bytes in 16-bit lanes (load N bytes, zero-extend,
//   mask / shift / or), the int8 activations are sign-extended to 16 bits, and
//   ReorderWidenMulAccumulate (pmaddwd on x86) multiplies pairs into int32 lanes. Per-group
//   integer scales of the k-quants are applied in 16 bits before that (|q * scale| <= 4096),
//   so a whole block or super-block sums exactly in int32, as the reference's `int` does.
// - The exact int32 lanes are then converted to float and scaled with one FMA per block
//   (super-block) into float lanes; one horizontal sum per row. The scalar min terms (Q4_1,
//   Q5_1, Q4_K, Q5_K) are accumulated in a float beside it.
// The vector width is capped so that one vector never spans two scale groups: 16 values for
// the 32-element formats (value j and j + 16 share byte j) and Q6_K (16-value groups), 32 for
// Q8_0, Q4_K and Q5_K. So on AVX3 some kernels use 256-bit vectors; all are correct at any
// width that divides the cap (1, 4, 8, 16 or 32 lanes).
//
// F32 / F16 / BF16 rows widen both sides to double and accumulate exact products in double, as
// the reference does, so they match it to the final float rounding.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/vec_dot_simd.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// foreach_target.h must come first; the rest is in the usual order.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <type_traits>
#include <vector>

#include "base/check.h"
#include "hwy/highway.h"
#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant.h"
#include "kernels/vec_dot_simd.h"
#include "kernels/vec_dot_simd_iquant.h"

// Target-independent constants: defined once, not per target.
#ifndef SIZER_KERNELS_VEC_DOT_SIMD_CONSTANTS_
#define SIZER_KERNELS_VEC_DOT_SIMD_CONSTANTS_
namespace sizer::kernels::simd_internal {

// ggml type ids (gguf/ggml_types.cc).
inline constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ4_1 = 3, kQ5_0 = 6, kQ5_1 = 7, kQ8_0 = 8,
                          kQ4_K = 12, kQ5_K = 13, kQ6_K = 14, kBf16 = 30;

// The types with a SIMD kernel, in id order.
inline constexpr uint32_t kSimdTypes[] = {
    kF32,  kF16,  kQ4_0, kQ4_1, kQ5_0, kQ5_1, kQ8_0, kQ4_K, kQ5_K, kQ6_K,
    kIquantSimdIq2Xxs, kIquantSimdIq2Xs, kIquantSimdIq3Xxs, kIquantSimdIq3S, kIquantSimdIq2S,
    kBf16};

// Bit j of lane j: picks one bit of a 16-bit mask per lane (Q5_0 / Q5_1 high bits).
alignas(64) inline constexpr uint16_t kLaneBit[16] = {
    1u << 0, 1u << 1, 1u << 2,  1u << 3,  1u << 4,  1u << 5,  1u << 6,  1u << 7,
    1u << 8, 1u << 9, 1u << 10, 1u << 11, 1u << 12, 1u << 13, 1u << 14, 1u << 15};

template <typename T>
inline T LoadScalar(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

inline float LoadF16Scalar(const uint8_t* p) { return F16ToF32(LoadScalar<uint16_t>(p)); }

}  // namespace sizer::kernels::simd_internal
#endif  // SIZER_KERNELS_VEC_DOT_SIMD_CONSTANTS_

HWY_BEFORE_NAMESPACE();
namespace sizer::kernels {
namespace HWY_NAMESPACE {
namespace {

namespace hn = hwy::HWY_NAMESPACE;
using simd_internal::LoadScalar;

// The f16 scale at `p` as a float: F16C where the target has it (one instruction instead of
// F16ToF32's branches, twice per 32 values in the Q8_0 formats), else F16ToF32. Both exact.
HWY_INLINE float LoadF16(const uint8_t* p) {
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  const hn::CappedTag<float, 1> df1;
  const hn::Rebind<hwy::float16_t, decltype(df1)> dh1;
  return hn::GetLane(
      hn::PromoteTo(df1, hn::LoadU(dh1, reinterpret_cast<const hwy::float16_t*>(p))));
#else
  return simd_internal::LoadF16Scalar(p);
#endif
}

// ---- Float rows: widen to double, exact products, double sums.

// Converts binary16 bits (in 32-bit lanes) to float exactly as F16ToF32 does: subnormals,
// infinities and NaN payloads included. Highway 1.0.3's own fallback (used below AVX2, where
// there is no F16C) turns infinities and NaN into finite numbers, hence this version there.
template <class DF, class VU32>
HWY_INLINE hn::Vec<DF> HalfBitsToFloat(DF df, VU32 h) {
  const hn::RebindToUnsigned<DF> du32;
  const hn::RebindToSigned<DF> di32;
  const VU32 magnitude = hn::And(h, hn::Set(du32, 0x7fffu));
  const VU32 shifted = hn::ShiftLeft<13>(magnitude);  // exponent and mantissa in place
  const VU32 exponent = hn::And(shifted, hn::Set(du32, 0x0f800000u));
  const VU32 normal = hn::Add(shifted, hn::Set(du32, 112u << 23));   // rebias 15 -> 127
  const VU32 inf_nan = hn::Add(shifted, hn::Set(du32, 224u << 23));  // exponent -> 255
  // Zero / subnormal: mantissa x 2^-24, exact in float.
  const VU32 subnormal = hn::BitCast(
      du32, hn::Mul(hn::ConvertTo(df, hn::BitCast(di32, magnitude)), hn::Set(df, 0x1p-24f)));
  VU32 bits = hn::IfThenElse(hn::Eq(exponent, hn::Set(du32, 0x0f800000u)), inf_nan, normal);
  bits = hn::IfThenElse(hn::Eq(exponent, hn::Zero(du32)), subnormal, bits);
  const VU32 sign = hn::ShiftLeft<16>(hn::And(h, hn::Set(du32, 0x8000u)));
  return hn::BitCast(df, hn::Or(bits, sign));
}

// Loaders of Lanes(dd) weights as doubles, from element `i` of the row.
struct F32Row {
  template <class DD>
  HWY_INLINE hn::Vec<DD> operator()(DD dd, const uint8_t* row, int64_t i) const {
    const hn::Rebind<float, DD> df;
    return hn::PromoteTo(dd, hn::LoadU(df, reinterpret_cast<const float*>(row) + i));
  }
  static float Scalar(const uint8_t* row, int64_t i) { return LoadScalar<float>(row + 4 * i); }
};

struct F16Row {
  template <class DD>
  HWY_INLINE hn::Vec<DD> operator()(DD dd, const uint8_t* row, int64_t i) const {
    const hn::Rebind<float, DD> df;
#if HWY_TARGET == HWY_AVX2 || HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
    // F16C: exact for every non-NaN half (NaN stays NaN, quieted).
    const hn::Rebind<hwy::float16_t, DD> dh;
    return hn::PromoteTo(
        dd, hn::PromoteTo(df, hn::LoadU(dh, reinterpret_cast<const hwy::float16_t*>(row) + i)));
#else
    const hn::Rebind<uint16_t, DD> du16;
    const hn::Rebind<uint32_t, DD> du32;
    const auto bits =
        hn::PromoteTo(du32, hn::LoadU(du16, reinterpret_cast<const uint16_t*>(row) + i));
    return hn::PromoteTo(dd, HalfBitsToFloat(df, bits));
#endif
  }
  static float Scalar(const uint8_t* row, int64_t i) { return LoadF16(row + 2 * i); }
};

struct Bf16Row {
  template <class DD>
  HWY_INLINE hn::Vec<DD> operator()(DD dd, const uint8_t* row, int64_t i) const {
    const hn::Rebind<float, DD> df;
    const hn::Rebind<uint16_t, DD> du16;
    const hn::Rebind<uint32_t, DD> du32;
    const auto bits =
        hn::PromoteTo(du32, hn::LoadU(du16, reinterpret_cast<const uint16_t*>(row) + i));
    return hn::PromoteTo(dd, hn::BitCast(df, hn::ShiftLeft<16>(bits)));
  }
  static float Scalar(const uint8_t* row, int64_t i) {
    return Bf16ToF32(LoadScalar<uint16_t>(row + 2 * i));
  }
};

// sum(w_i * a_i) in double (each product of a float and a <= 24-bit float is exact), four
// accumulators, the tail in scalar code; rounded to float once.
template <class Load>
float DotFloatRow(const uint8_t* row, const float* a, int64_t n) {
  const hn::ScalableTag<double> dd;
  const hn::Rebind<float, decltype(dd)> df;
  const Load load{};
  const int64_t lanes = static_cast<int64_t>(hn::Lanes(dd));
  auto sum0 = hn::Zero(dd), sum1 = hn::Zero(dd), sum2 = hn::Zero(dd), sum3 = hn::Zero(dd);
  int64_t i = 0;
  for (; i + 4 * lanes <= n; i += 4 * lanes) {
    sum0 = hn::MulAdd(load(dd, row, i), hn::PromoteTo(dd, hn::LoadU(df, a + i)), sum0);
    sum1 =
        hn::MulAdd(load(dd, row, i + lanes), hn::PromoteTo(dd, hn::LoadU(df, a + i + lanes)), sum1);
    sum2 = hn::MulAdd(load(dd, row, i + 2 * lanes),
                      hn::PromoteTo(dd, hn::LoadU(df, a + i + 2 * lanes)), sum2);
    sum3 = hn::MulAdd(load(dd, row, i + 3 * lanes),
                      hn::PromoteTo(dd, hn::LoadU(df, a + i + 3 * lanes)), sum3);
  }
  for (; i + lanes <= n; i += lanes) {
    sum0 = hn::MulAdd(load(dd, row, i), hn::PromoteTo(dd, hn::LoadU(df, a + i)), sum0);
  }
  const auto total = hn::Add(hn::Add(sum0, sum1), hn::Add(sum2, sum3));
  double sum = hn::GetLane(hn::SumOfLanes(dd, total));
  for (; i < n; ++i) sum += static_cast<double>(Load::Scalar(row, i)) * a[i];
  return static_cast<float>(sum);
}

// ---- Integer building blocks. D16 is an int16 tag; its int32 partner has half the lanes.

template <class D16>
using D32For = hn::Repartition<int32_t, D16>;
template <class D16>
using V32For = hn::Vec<D32For<D16>>;

// Lanes(d16) int8 values at `p`, sign-extended.
template <class D16>
HWY_INLINE hn::Vec<D16> LoadI8(D16 d16, const int8_t* p) {
  const hn::Rebind<int8_t, D16> d8;
  return hn::PromoteTo(d16, hn::LoadU(d8, p));
}

// Lanes(d16) bytes at `p`, zero-extended to unsigned 16-bit lanes.
template <class D16>
HWY_INLINE hn::Vec<hn::RebindToUnsigned<D16>> LoadU8(D16 /*d16*/, const uint8_t* p) {
  const hn::RebindToUnsigned<D16> du16;
  const hn::Rebind<uint8_t, D16> du8;
  return hn::PromoteTo(du16, hn::LoadU(du8, p));
}

// sum0 (+ sum1) += pairwise products of the int16 lanes of q and a (exact in int32).
template <class D16>
HWY_INLINE V32For<D16> MulAcc(D16 /*d16*/, hn::Vec<D16> q, hn::Vec<D16> a, V32For<D16> sum0,
                              V32For<D16>& sum1) {
  const D32For<D16> d32;
  return hn::ReorderWidenMulAccumulate(d32, q, a, sum0, sum1);
}

// ---- 32-element formats with Q8_0 / Q8_1 activations.
//
// Each format is a struct: the weight block size, the integer dot of one block with the 32
// activation quants (int32 lanes), the block scale d, and the per-block min m (0 if none).
// D16 is capped at 16 lanes: value j and j + 16 come from byte j.

using D16x16 = hn::CappedTag<int16_t, 16>;

// Quants of one 16-byte nibble array: value j is the low nibble of byte j, j + 16 the high.
// `high` gives each value's added high bits (0 for 4-bit formats); `offset` is subtracted.
template <class HighBits>
HWY_INLINE V32For<D16x16> NibbleBlockDot(const uint8_t* qs, const int8_t* a, int16_t offset,
                                         HighBits high) {
  const D16x16 d16;
  const hn::RebindToUnsigned<D16x16> du16;
  const D32For<D16x16> d32;
  const size_t lanes = hn::Lanes(d16);
  auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
  for (size_t j = 0; j < 16; j += lanes) {
    const auto bytes = LoadU8(d16, qs + j);
    const auto low = hn::Or(hn::And(bytes, hn::Set(du16, 0xF)), high(j, false));
    const auto top = hn::Or(hn::ShiftRight<4>(bytes), high(j, true));
    const auto q0 = hn::Sub(hn::BitCast(d16, low), hn::Set(d16, offset));
    const auto q1 = hn::Sub(hn::BitCast(d16, top), hn::Set(d16, offset));
    sum0 = MulAcc(d16, q0, LoadI8(d16, a + j), sum0, sum1);
    sum0 = MulAcc(d16, q1, LoadI8(d16, a + 16 + j), sum0, sum1);
  }
  return hn::Add(sum0, sum1);
}

struct NoHighBits {
  HWY_INLINE hn::Vec<hn::RebindToUnsigned<D16x16>> operator()(size_t /*j*/, bool /*top*/) const {
    return hn::Zero(hn::RebindToUnsigned<D16x16>());
  }
};

// Q5_0 / Q5_1: bit j of the little-endian uint32 qh is bit 4 of value j.
struct Q5HighBits {
  uint32_t qh;
  HWY_INLINE hn::Vec<hn::RebindToUnsigned<D16x16>> operator()(size_t j, bool top) const {
    const hn::RebindToUnsigned<D16x16> du16;
    const uint16_t half = static_cast<uint16_t>(top ? qh >> 16 : qh & 0xFFFFu);
    const auto bit = hn::LoadU(du16, simd_internal::kLaneBit + j);
    return hn::IfThenElseZero(hn::TestBit(hn::Set(du16, half), bit), hn::Set(du16, 16));
  }
};

struct Q4_0Kernel {
  static constexpr size_t kBytes = sizeof(BlockQ4_0);
  static constexpr bool kHasMin = false;
  static HWY_INLINE V32For<D16x16> Dot(const uint8_t* x, const int8_t* a) {
    return NibbleBlockDot(x + offsetof(BlockQ4_0, qs), a, 8, NoHighBits());
  }
  static float D(const uint8_t* x) { return LoadF16(x + offsetof(BlockQ4_0, d)); }
  static float M(const uint8_t* /*x*/) { return 0; }
};

struct Q4_1Kernel {
  static constexpr size_t kBytes = sizeof(BlockQ4_1);
  static constexpr bool kHasMin = true;
  static HWY_INLINE V32For<D16x16> Dot(const uint8_t* x, const int8_t* a) {
    return NibbleBlockDot(x + offsetof(BlockQ4_1, qs), a, 0, NoHighBits());
  }
  static float D(const uint8_t* x) { return LoadF16(x + offsetof(BlockQ4_1, d)); }
  static float M(const uint8_t* x) { return LoadF16(x + offsetof(BlockQ4_1, m)); }
};

struct Q5_0Kernel {
  static constexpr size_t kBytes = sizeof(BlockQ5_0);
  static constexpr bool kHasMin = false;
  static HWY_INLINE V32For<D16x16> Dot(const uint8_t* x, const int8_t* a) {
    const Q5HighBits high{LoadScalar<uint32_t>(x + offsetof(BlockQ5_0, qh))};
    return NibbleBlockDot(x + offsetof(BlockQ5_0, qs), a, 16, high);
  }
  static float D(const uint8_t* x) { return LoadF16(x + offsetof(BlockQ5_0, d)); }
  static float M(const uint8_t* /*x*/) { return 0; }
};

struct Q5_1Kernel {
  static constexpr size_t kBytes = sizeof(BlockQ5_1);
  static constexpr bool kHasMin = true;
  static HWY_INLINE V32For<D16x16> Dot(const uint8_t* x, const int8_t* a) {
    const Q5HighBits high{LoadScalar<uint32_t>(x + offsetof(BlockQ5_1, qh))};
    return NibbleBlockDot(x + offsetof(BlockQ5_1, qs), a, 0, high);
  }
  static float D(const uint8_t* x) { return LoadF16(x + offsetof(BlockQ5_1, d)); }
  static float M(const uint8_t* x) { return LoadF16(x + offsetof(BlockQ5_1, m)); }
};

// Blocks of 32 with a Q8_0 (or, with a min, Q8_1) activation:
// sum over blocks of d_x d_a isum (+ m_x s_a).
template <class Kernel>
float DotBlocks32(const uint8_t* row, const uint8_t* act, int64_t n) {
  const D32For<D16x16> d32;
  const hn::RebindToFloat<decltype(d32)> df;
  // Q8_1 = Q8_0 plus the f16 s after d.
  const size_t act_bytes = Kernel::kHasMin ? sizeof(BlockQ8_1) : sizeof(BlockQ8_0);
  const size_t act_qs = Kernel::kHasMin ? offsetof(BlockQ8_1, qs) : offsetof(BlockQ8_0, qs);
  auto acc0 = hn::Zero(df), acc1 = hn::Zero(df);  // two chains hide the FMA latency
  float min0 = 0, min1 = 0;
  const int64_t blocks = n / kQK;
  auto block = [&](int64_t i, hn::Vec<decltype(df)> acc, float& min_sum) {
    const uint8_t* x = row + static_cast<size_t>(i) * Kernel::kBytes;
    const uint8_t* y = act + static_cast<size_t>(i) * act_bytes;
    const auto isum = Kernel::Dot(x, reinterpret_cast<const int8_t*>(y + act_qs));
    if constexpr (Kernel::kHasMin) {
      min_sum += Kernel::M(x) * LoadF16(y + offsetof(BlockQ8_1, s));
    }
    const float d = Kernel::D(x) * LoadF16(y);  // d is the first field of Q8_0 and Q8_1
    return hn::MulAdd(hn::ConvertTo(df, isum), hn::Set(df, d), acc);
  };
  int64_t i = 0;
  for (; i + 2 <= blocks; i += 2) {
    acc0 = block(i, acc0, min0);
    acc1 = block(i + 1, acc1, min1);
  }
  if (i < blocks) acc0 = block(i, acc0, min0);
  return hn::GetLane(hn::SumOfLanes(df, hn::Add(acc0, acc1))) + (min0 + min1);
}

// Q8_0: 32 int8 quants against 32 int8 activations; up to 32 lanes per vector.
float DotQ8_0(const uint8_t* row, const uint8_t* act, int64_t n) {
  const hn::CappedTag<int16_t, 32> d16;
  const D32For<decltype(d16)> d32;
  const hn::RebindToFloat<decltype(d32)> df;
  const size_t lanes = hn::Lanes(d16);
  auto acc0 = hn::Zero(df), acc1 = hn::Zero(df);
  const int64_t blocks = n / kQK;
  auto block = [&](int64_t i, hn::Vec<decltype(df)> acc) {
    const uint8_t* x = row + static_cast<size_t>(i) * sizeof(BlockQ8_0);
    const uint8_t* y = act + static_cast<size_t>(i) * sizeof(BlockQ8_0);
    const auto* xq = reinterpret_cast<const int8_t*>(x + offsetof(BlockQ8_0, qs));
    const auto* yq = reinterpret_cast<const int8_t*>(y + offsetof(BlockQ8_0, qs));
    auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
    for (size_t j = 0; j < static_cast<size_t>(kQK); j += lanes) {
      sum0 = MulAcc(d16, LoadI8(d16, xq + j), LoadI8(d16, yq + j), sum0, sum1);
    }
    const float d = LoadF16(x) * LoadF16(y);
    return hn::MulAdd(hn::ConvertTo(df, hn::Add(sum0, sum1)), hn::Set(df, d), acc);
  };
  int64_t i = 0;
  for (; i + 2 <= blocks; i += 2) {
    acc0 = block(i, acc0);
    acc1 = block(i + 1, acc1);
  }
  if (i < blocks) acc0 = block(i, acc0);
  return hn::GetLane(hn::SumOfLanes(df, hn::Add(acc0, acc1)));
}

// ---- k-quants with Q8_K activations: one exact int32 sum per super-block.

// Q4_K / Q5_K: 8 groups of 32, d * sc[g] * q - dmin * m[g]. Chunk c (64 values) holds group
// 2c in the low nibbles of qs[32c..32c+31] and group 2c+1 in the high nibbles; Q5_K adds bit
// g of qh[l] as 16. Up to 32 lanes per vector.
template <bool kFiveBit>
float DotScaleMinK(const uint8_t* row, const uint8_t* act, int64_t n) {
  using Block = std::conditional_t<kFiveBit, BlockQ5_K, BlockQ4_K>;
  const hn::CappedTag<int16_t, 32> d16;
  const hn::RebindToUnsigned<decltype(d16)> du16;
  const D32For<decltype(d16)> d32;
  const hn::RebindToFloat<decltype(d32)> df;
  const size_t lanes = hn::Lanes(d16);
  const auto mask4 = hn::Set(du16, 0xF);
  const auto one = hn::Set(du16, 1);
  auto acc = hn::Zero(df);
  float min_sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const uint8_t* x = row + static_cast<size_t>(i) * sizeof(Block);
    const uint8_t* y = act + static_cast<size_t>(i) * sizeof(BlockQ8_K);
    const uint8_t* qs = x + offsetof(Block, qs);
    const auto* a = reinterpret_cast<const int8_t*>(y + offsetof(BlockQ8_K, qs));
    int16_t bsums[kQK_K / 16];
    std::memcpy(bsums, y + offsetof(BlockQ8_K, bsums), sizeof(bsums));
    uint8_t sc[8], m[8];
    int sum_mins = 0;
    for (int g = 0; g < 8; ++g) {
      ScaleMinK4(g, x + offsetof(Block, scales), &sc[g], &m[g]);
      sum_mins += (bsums[2 * g] + bsums[2 * g + 1]) * m[g];
    }
    auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
    for (int c = 0; c < 4; ++c) {
      const auto scale_low = hn::Set(d16, sc[2 * c]);
      const auto scale_high = hn::Set(d16, sc[2 * c + 1]);
      for (size_t j = 0; j < 32; j += lanes) {
        const auto bytes = LoadU8(d16, qs + 32 * c + j);
        auto low = hn::And(bytes, mask4);
        auto high = hn::ShiftRight<4>(bytes);
        if constexpr (kFiveBit) {
          const auto qh = LoadU8(d16, x + offsetof(BlockQ5_K, qh) + j);
          low = hn::Or(low, hn::ShiftLeft<4>(hn::And(hn::ShiftRightSame(qh, 2 * c), one)));
          high = hn::Or(high, hn::ShiftLeft<4>(hn::And(hn::ShiftRightSame(qh, 2 * c + 1), one)));
        }
        // q * sc <= 31 * 63: fits in 16 bits.
        sum0 = MulAcc(d16, hn::Mul(hn::BitCast(d16, low), scale_low), LoadI8(d16, a + 64 * c + j),
                      sum0, sum1);
        sum0 = MulAcc(d16, hn::Mul(hn::BitCast(d16, high), scale_high),
                      LoadI8(d16, a + 64 * c + 32 + j), sum0, sum1);
      }
    }
    const float yd = LoadScalar<float>(y + offsetof(BlockQ8_K, d));
    const float d = LoadF16(x + offsetof(Block, d)) * yd;
    const float dmin = LoadF16(x + offsetof(Block, dmin)) * yd;
    acc = hn::MulAdd(hn::ConvertTo(df, hn::Add(sum0, sum1)), hn::Set(df, d), acc);
    min_sum += dmin * static_cast<float>(sum_mins);
  }
  return hn::GetLane(hn::SumOfLanes(df, acc)) - min_sum;
}

// Q6_K: 16 groups of 16, d * scales[g] * (q - 32). In half h, for l < 32, values 128h + l,
// + 32, + 64, + 96 are the low nibble of ql[64h + l], of ql[64h + 32 + l], the high nibble of
// ql[64h + l], of ql[64h + 32 + l]; their top 2 bits are bits 0-1, 2-3, 4-5, 6-7 of
// qh[32h + l]. Up to 16 lanes per vector (one scale group).
float DotQ6_K(const uint8_t* row, const uint8_t* act, int64_t n) {
  const D16x16 d16;
  const hn::RebindToUnsigned<D16x16> du16;
  const D32For<D16x16> d32;
  const hn::RebindToFloat<decltype(d32)> df;
  const size_t lanes = hn::Lanes(d16);
  const auto mask4 = hn::Set(du16, 0xF);
  const auto bias = hn::Set(d16, 32);
  auto acc = hn::Zero(df);
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const uint8_t* x = row + static_cast<size_t>(i) * sizeof(BlockQ6_K);
    const uint8_t* y = act + static_cast<size_t>(i) * sizeof(BlockQ8_K);
    const auto* scales = reinterpret_cast<const int8_t*>(x + offsetof(BlockQ6_K, scales));
    const auto* a = reinterpret_cast<const int8_t*>(y + offsetof(BlockQ8_K, qs));
    auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
    for (int h = 0; h < 2; ++h) {
      const uint8_t* ql = x + offsetof(BlockQ6_K, ql) + 64 * h;
      const uint8_t* qh = x + offsetof(BlockQ6_K, qh) + 32 * h;
      for (size_t l = 0; l < 32; l += lanes) {
        const auto ql0 = LoadU8(d16, ql + l);
        const auto ql1 = LoadU8(d16, ql + 32 + l);
        const auto top = LoadU8(d16, qh + l);
        const auto q0 =
            hn::Or(hn::And(ql0, mask4), hn::ShiftLeft<4>(hn::And(top, hn::Set(du16, 0x03))));
        const auto q1 =
            hn::Or(hn::And(ql1, mask4), hn::ShiftLeft<2>(hn::And(top, hn::Set(du16, 0x0C))));
        const auto q2 = hn::Or(hn::ShiftRight<4>(ql0), hn::And(top, hn::Set(du16, 0x30)));
        const auto q3 =
            hn::Or(hn::ShiftRight<4>(ql1), hn::ShiftRight<2>(hn::And(top, hn::Set(du16, 0xC0))));
        const int g = 8 * h + static_cast<int>(l / 16);  // group of value 128h + l
        const int8_t* al = a + 128 * h + l;
        // (q - 32) * scale: |.| <= 32 * 128, fits in 16 bits.
        sum0 = MulAcc(d16, hn::Mul(hn::Sub(hn::BitCast(d16, q0), bias), hn::Set(d16, scales[g])),
                      LoadI8(d16, al), sum0, sum1);
        sum0 =
            MulAcc(d16, hn::Mul(hn::Sub(hn::BitCast(d16, q1), bias), hn::Set(d16, scales[g + 2])),
                   LoadI8(d16, al + 32), sum0, sum1);
        sum0 =
            MulAcc(d16, hn::Mul(hn::Sub(hn::BitCast(d16, q2), bias), hn::Set(d16, scales[g + 4])),
                   LoadI8(d16, al + 64), sum0, sum1);
        sum0 =
            MulAcc(d16, hn::Mul(hn::Sub(hn::BitCast(d16, q3), bias), hn::Set(d16, scales[g + 6])),
                   LoadI8(d16, al + 96), sum0, sum1);
      }
    }
    const float d =
        LoadF16(x + offsetof(BlockQ6_K, d)) * LoadScalar<float>(y + offsetof(BlockQ8_K, d));
    acc = hn::MulAdd(hn::ConvertTo(df, hn::Add(sum0, sum1)), hn::Set(df, d), acc);
  }
  return hn::GetLane(hn::SumOfLanes(df, acc));
}

}  // namespace

// The per-target entry points (HWY_EXPORT needs them outside the anonymous namespace).
float VecDotTarget(uint32_t ggml_type, const void* row, const void* activation, int64_t n) {
  using namespace simd_internal;  // NOLINT: the type ids
  const auto* x = static_cast<const uint8_t*>(row);
  const auto* a = static_cast<const uint8_t*>(activation);
  switch (ggml_type) {
    case kF32:
      return DotFloatRow<F32Row>(x, static_cast<const float*>(activation), n);
    case kF16:
      return DotFloatRow<F16Row>(x, static_cast<const float*>(activation), n);
    case kBf16:
      return DotFloatRow<Bf16Row>(x, static_cast<const float*>(activation), n);
    case kQ8_0:
      return DotQ8_0(x, a, n);
    case kQ4_0:
      return DotBlocks32<Q4_0Kernel>(x, a, n);
    case kQ4_1:
      return DotBlocks32<Q4_1Kernel>(x, a, n);
    case kQ5_0:
      return DotBlocks32<Q5_0Kernel>(x, a, n);
    case kQ5_1:
      return DotBlocks32<Q5_1Kernel>(x, a, n);
    case kQ4_K:
      return DotScaleMinK<false>(x, a, n);
    case kQ5_K:
      return DotScaleMinK<true>(x, a, n);
    case kQ6_K:
      return DotQ6_K(x, a, n);
    default:
      return VecDotReference(ggml_type, row, activation, n);
  }
}

const char* TargetNameTarget() { return hwy::TargetName(HWY_TARGET); }

}  // namespace HWY_NAMESPACE
}  // namespace sizer::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sizer::kernels {

HWY_EXPORT(VecDotTarget);
HWY_EXPORT(TargetNameTarget);

namespace {

bool ForceScalarFromEnvironment() {
  const char* value = std::getenv("SIZER_FORCE_SCALAR");
  return value != nullptr && value[0] != '\0' && std::strcmp(value, "0") != 0;
}

std::atomic<bool>& ForceScalarFlag() {
  static std::atomic<bool> flag(ForceScalarFromEnvironment());
  return flag;
}

// Elements per block of the types with a SIMD kernel.
int64_t BlockElements(uint32_t ggml_type) {
  using namespace simd_internal;  // NOLINT: the type ids
  switch (ggml_type) {
    case kF32:
    case kF16:
    case kBf16:
      return 1;
    case kQ4_K:
    case kQ5_K:
    case kQ6_K:
    case kIquantSimdIq2Xxs:
    case kIquantSimdIq2Xs:
    case kIquantSimdIq2S:
    case kIquantSimdIq3Xxs:
    case kIquantSimdIq3S:
      return kQK_K;
    default:
      return kQK;
  }
}

// The lattice I-quants have their own dispatch (kernels/vec_dot_simd_iquant.cc).
bool IsLatticeIquant(uint32_t ggml_type) {
  return ggml_type == kIquantSimdIq2Xxs || ggml_type == kIquantSimdIq2Xs ||
         ggml_type == kIquantSimdIq2S || ggml_type == kIquantSimdIq3Xxs ||
         ggml_type == kIquantSimdIq3S;
}

}  // namespace

float VecDot(uint32_t ggml_type, const void* row, const void* activation, int64_t n) {
  if (ForceScalarFlag().load(std::memory_order_relaxed) || !HasSimdVecDot(ggml_type)) {
    return VecDotReference(ggml_type, row, activation, n);
  }
  SIZER_CHECK(n >= 0 && n % BlockElements(ggml_type) == 0);  // a switch: cheap per row
  if (IsLatticeIquant(ggml_type)) return VecDotIquantSimd(ggml_type, row, activation, n);
  return HWY_DYNAMIC_DISPATCH(VecDotTarget)(ggml_type, row, activation, n);
}

bool HasSimdVecDot(uint32_t ggml_type) {
  for (uint32_t t : simd_internal::kSimdTypes) {
    if (t == ggml_type) return true;
  }
  return false;
}

std::vector<uint32_t> SimdVecDotTypes() {
  return std::vector<uint32_t>(std::begin(simd_internal::kSimdTypes),
                               std::end(simd_internal::kSimdTypes));
}

std::string ActiveSimdTarget() { return HWY_DYNAMIC_DISPATCH(TargetNameTarget)(); }

void SetForceScalarVecDot(bool force) { ForceScalarFlag().store(force, std::memory_order_relaxed); }

bool ForceScalarVecDot() { return ForceScalarFlag().load(std::memory_order_relaxed); }

std::vector<int64_t> CompiledSimdTargets() { return hwy::SupportedAndGeneratedTargets(); }

std::string SimdTargetName(int64_t target) { return hwy::TargetName(target); }

void SetSimdTargetForTest(int64_t target) { hwy::SetSupportedTargetsForTest(target); }

}  // namespace sizer::kernels
#endif  // HWY_ONCE

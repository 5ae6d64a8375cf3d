// Highway SIMD dot products of the lattice I-quants IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS and IQ3_S
// with Q8_K activations, one copy per target (foreach_target.h re-includes this file once per
// instruction set), dispatched at run time; kernels/vec_dot_simd.cc routes these types here.
//
// The layout work is the reference's: each super-block is unpacked by the same function the
// reference kernels use (UnpackIq2Xxs ... UnpackIq3S, quant_reference_internal.h: eight signed
// grid values per table lookup) into 256 int8 values and 16 scale fields. The SIMD part is the
// integer dot: per group of 16 values (one vector of up to 16 int16 lanes) the values are
// multiplied by the group's odd multiplier 2s + 1 in 16 bits (|q| <= 62, 2s + 1 <= 31), and
// ReorderWidenMulAccumulate (pmaddwd on x86) multiplies them with the sign-extended
// activations into int32 lanes. The super-block sum is exact in int32, as the reference's, and
// it is scaled in float in the reference's order, so the result is bit-identical to
// VecDotReference (tests/kernels/vec_dot_simd_test.cc). That needs the float products rounded
// one by one: lib/CMakeLists.txt compiles this file with -ffp-contract=off, since the AVX2 /
// AVX3 targets would otherwise fuse sum += d * bsum into an FMA.

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/vec_dot_simd_iquant.cc"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
// foreach_target.h must come first; the rest is in the usual order.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "hwy/highway.h"
#include "kernels/blocks.h"
#include "kernels/blocks_iquant.h"
#include "kernels/fp16.h"
#include "kernels/quant_reference_internal.h"
#include "kernels/vec_dot_simd_iquant.h"

HWY_BEFORE_NAMESPACE();
namespace sizer::kernels {
namespace HWY_NAMESPACE {
namespace {

namespace hn = hwy::HWY_NAMESPACE;
using internal::LatticeSuperBlock;

using D16 = hn::CappedTag<int16_t, 16>;  // never more than one scale group per vector

// sum_g (2 s_g + 1) * sum(q * a) over the 16 groups of 16 values: exact in int32.
HWY_INLINE int32_t LatticeBlockDot(const LatticeSuperBlock& v, const int8_t* a) {
  const D16 d16;
  const hn::Rebind<int8_t, D16> d8;
  const hn::Repartition<int32_t, D16> d32;
  const size_t lanes = hn::Lanes(d16);
  auto sum0 = hn::Zero(d32), sum1 = hn::Zero(d32);
  for (int g = 0; g < kQK_K / 16; ++g) {
    const auto scale = hn::Set(d16, static_cast<int16_t>(2 * v.s[g] + 1));
    for (size_t l = 16 * static_cast<size_t>(g); l < 16 * static_cast<size_t>(g) + 16;
         l += lanes) {
      const auto q = hn::Mul(hn::PromoteTo(d16, hn::LoadU(d8, v.q + l)), scale);
      const auto x = hn::PromoteTo(d16, hn::LoadU(d8, a + l));
      sum0 = hn::ReorderWidenMulAccumulate(d32, q, x, sum0, sum1);
    }
  }
  return hn::GetLane(hn::SumOfLanes(d32, hn::Add(sum0, sum1)));
}

// The row's dot product: per super-block d_w * d_a * exact sum, added in float in order, then
// times `factor` (1/8 for IQ2, 1/4 for IQ3_XXS, 1 for IQ3_S), as the reference does.
template <size_t kBlockBytes, void (*Unpack)(const uint8_t*, LatticeSuperBlock*)>
float LatticeDot(const uint8_t* row, const uint8_t* act, int64_t n, float factor) {
  LatticeSuperBlock v;
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const uint8_t* x = row + static_cast<size_t>(i) * kBlockBytes;
    const uint8_t* y = act + static_cast<size_t>(i) * sizeof(BlockQ8_K);
    Unpack(x, &v);
    const int32_t bsum =
        LatticeBlockDot(v, reinterpret_cast<const int8_t*>(y + offsetof(BlockQ8_K, qs)));
    uint16_t d_bits;
    float d_act;
    std::memcpy(&d_bits, x, sizeof(d_bits));  // every lattice block starts with its f16 d
    std::memcpy(&d_act, y + offsetof(BlockQ8_K, d), sizeof(d_act));
    sum += F16ToF32(d_bits) * d_act * static_cast<float>(bsum);
  }
  return factor * sum;
}

}  // namespace

// The per-target entry point (HWY_EXPORT needs it outside the anonymous namespace).
float IquantVecDotTarget(uint32_t ggml_type, const void* row, const void* activation,
                         int64_t n) {
  const auto* x = static_cast<const uint8_t*>(row);
  const auto* a = static_cast<const uint8_t*>(activation);
  switch (ggml_type) {
    case kIquantSimdIq2Xxs:
      return LatticeDot<sizeof(BlockIq2Xxs), internal::UnpackIq2Xxs>(x, a, n, 0.125f);
    case kIquantSimdIq2Xs:
      return LatticeDot<sizeof(BlockIq2Xs), internal::UnpackIq2Xs>(x, a, n, 0.125f);
    case kIquantSimdIq2S:
      return LatticeDot<sizeof(BlockIq2S), internal::UnpackIq2S>(x, a, n, 0.125f);
    case kIquantSimdIq3Xxs:
      return LatticeDot<sizeof(BlockIq3Xxs), internal::UnpackIq3Xxs>(x, a, n, 0.25f);
    case kIquantSimdIq3S:
      return LatticeDot<sizeof(BlockIq3S), internal::UnpackIq3S>(x, a, n, 1.0f);
    default:
      return 0.0f;  // VecDotIquantSimd's callers pass only the types above
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace sizer::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace sizer::kernels {

HWY_EXPORT(IquantVecDotTarget);

float VecDotIquantSimd(uint32_t ggml_type, const void* row, const void* activation, int64_t n) {
  return HWY_DYNAMIC_DISPATCH(IquantVecDotTarget)(ggml_type, row, activation, n);
}

}  // namespace sizer::kernels
#endif  // HWY_ONCE

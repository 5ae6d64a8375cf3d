// SIMD dot products of the lattice I-quants (IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S): the
// same contract and the same result, bit for bit, as VecDotReference (kernels/quant.h).
// Private to lib/kernels: kernels/vec_dot_simd.cc's VecDot calls it for these types.
#ifndef SIZER_KERNELS_VEC_DOT_SIMD_IQUANT_H_
#define SIZER_KERNELS_VEC_DOT_SIMD_IQUANT_H_

#include <cstdint>

namespace sizer::kernels {

// ggml type ids of the types VecDotIquantSimd runs.
inline constexpr uint32_t kIquantSimdIq2Xxs = 16, kIquantSimdIq2Xs = 17, kIquantSimdIq3Xxs = 18,
                          kIquantSimdIq3S = 21, kIquantSimdIq2S = 22;

// REQUIRES: ggml_type one of the above, n a multiple of 256, activations in Q8_K. Dispatches to
// the best Highway target this CPU supports (or the one SetSimdTargetForTest chose).
float VecDotIquantSimd(uint32_t ggml_type, const void* row, const void* activation, int64_t n);

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_VEC_DOT_SIMD_IQUANT_H_

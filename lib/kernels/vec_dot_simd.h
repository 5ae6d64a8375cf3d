// SIMD dot products of one weight row with its activations: the same contract as
// VecDotReference (kernels/quant.h), compiled by Highway for several instruction sets (on x86:
// AVX3 = AVX-512, AVX2, SSE4, SSSE3, and Highway's portable fallback: SCALAR with GCC < 12.3,
// else EMU128) and dispatched at run time to the best one this CPU supports. Types without a
// SIMD kernel fall through to VecDotReference.
//
// The kernels keep the reference's math: integer sums per block (or k-quant sub-block) are
// exact, and only the float scaling and the order of the float additions differ, so results
// agree with the reference to float rounding (tests/kernels/vec_dot_simd_test.cc states the
// bounds). The float formats (F32, F16, BF16) accumulate exact products in double, as the
// reference does. No Highway type appears here: callers need not include Highway.
#ifndef SIZER_KERNELS_VEC_DOT_SIMD_H_
#define SIZER_KERNELS_VEC_DOT_SIMD_H_

#include <cstdint>
#include <string>
#include <vector>

namespace sizer::kernels {

// Dot product of one weight row (`n` values of `ggml_type`) with activations already in
// ActivationFormatFor(ggml_type). REQUIRES: IsSupportedWeightType(ggml_type), `n` a multiple
// of the type's block. Thread-safe.
float VecDot(uint32_t ggml_type, const void* row, const void* activation, int64_t n);

// Whether `ggml_type` has a SIMD kernel (otherwise VecDot calls VecDotReference).
bool HasSimdVecDot(uint32_t ggml_type);
// The ggml type ids with a SIMD kernel, in id order.
std::vector<uint32_t> SimdVecDotTypes();

// Name of the Highway target VecDot dispatches to on this CPU ("AVX3", "AVX2", "SSE4",
// "SSSE3", "SCALAR", ...). It does not reflect the force-scalar switch below.
std::string ActiveSimdTarget();

// When set, VecDot calls VecDotReference for every type: the switch benchmarks use to time
// the scalar kernels in the same binary. Starts set iff the environment variable
// SIZER_FORCE_SCALAR is set to anything but "" or "0" when first read.
void SetForceScalarVecDot(bool force);
bool ForceScalarVecDot();

// For tests: the Highway targets (single-bit masks) compiled into VecDot that this CPU
// supports, best first...
std::vector<int64_t> CompiledSimdTargets();
// ...the name of one of them...
std::string SimdTargetName(int64_t target);
// ...and a switch that makes VecDot dispatch to `target` (one of CompiledSimdTargets()).
// 0 restores the normal choice. Not thread-safe: no VecDot may run concurrently.
void SetSimdTargetForTest(int64_t target);

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_VEC_DOT_SIMD_H_

// The per-type scalar reference kernels behind kernels/quant.h's dispatch. Private to
// lib/kernels: quant_reference.cc dispatches, quant_reference_legacy.cc holds the 32-element
// formats, quant_reference_k.cc the k-quants and IQ4. Every function takes whole blocks
// (`n` a multiple of the type's block) and mirrors ggml's dequantize_row_* or
// ggml_vec_dot_*_generic: integer sums per block, then scaled in float.
#ifndef SIZER_KERNELS_QUANT_REFERENCE_INTERNAL_H_
#define SIZER_KERNELS_QUANT_REFERENCE_INTERNAL_H_

#include <cstdint>
#include <cstring>

namespace sizer::kernels::internal {

// Block `i` of a packed array, copied out: no alignment or aliasing assumptions on `base`.
template <typename Block>
Block LoadBlock(const void* base, int64_t i) {
  Block b;
  std::memcpy(&b, static_cast<const uint8_t*>(base) + i * static_cast<int64_t>(sizeof(Block)),
              sizeof(Block));
  return b;
}

template <typename Block>
void StoreBlock(void* base, int64_t i, const Block& b) {
  std::memcpy(static_cast<uint8_t*>(base) + i * static_cast<int64_t>(sizeof(Block)), &b,
              sizeof(Block));
}

using DequantizeFn = void (*)(const void* row, float* out, int64_t n);
using DotFn = float (*)(const void* row, const void* activation, int64_t n);

// 32-element formats (quant_reference_legacy.cc). Activations: Q8_0, or Q8_1 for Q4_1/Q5_1.
void DequantizeQ4_0(const void* row, float* out, int64_t n);
void DequantizeQ4_1(const void* row, float* out, int64_t n);
void DequantizeQ5_0(const void* row, float* out, int64_t n);
void DequantizeQ5_1(const void* row, float* out, int64_t n);
void DequantizeQ8_0(const void* row, float* out, int64_t n);
float DotQ4_0(const void* row, const void* q8_0, int64_t n);
float DotQ4_1(const void* row, const void* q8_1, int64_t n);
float DotQ5_0(const void* row, const void* q8_0, int64_t n);
float DotQ5_1(const void* row, const void* q8_1, int64_t n);
float DotQ8_0(const void* row, const void* q8_0, int64_t n);

// k-quants and IQ4 (quant_reference_k.cc). Activations: Q8_K, or Q8_0 for IQ4_NL.
void DequantizeQ2_K(const void* row, float* out, int64_t n);
void DequantizeQ3_K(const void* row, float* out, int64_t n);
void DequantizeQ4_K(const void* row, float* out, int64_t n);
void DequantizeQ5_K(const void* row, float* out, int64_t n);
void DequantizeQ6_K(const void* row, float* out, int64_t n);
void DequantizeIq4Nl(const void* row, float* out, int64_t n);
void DequantizeIq4Xs(const void* row, float* out, int64_t n);
float DotQ2_K(const void* row, const void* q8_k, int64_t n);
float DotQ3_K(const void* row, const void* q8_k, int64_t n);
float DotQ4_K(const void* row, const void* q8_k, int64_t n);
float DotQ5_K(const void* row, const void* q8_k, int64_t n);
float DotQ6_K(const void* row, const void* q8_k, int64_t n);
float DotIq4Nl(const void* row, const void* q8_0, int64_t n);
float DotIq4Xs(const void* row, const void* q8_k, int64_t n);

}  // namespace sizer::kernels::internal

#endif  // SIZER_KERNELS_QUANT_REFERENCE_INTERNAL_H_

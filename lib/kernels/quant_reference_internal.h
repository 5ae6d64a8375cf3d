// The per-type scalar reference kernels behind kernels/quant.h's dispatch. Private to
// lib/kernels: quant_reference.cc dispatches, quant_reference_legacy.cc holds the 32-element
// formats, quant_reference_k.cc the k-quants and IQ4, quant_reference_iq2.cc / _iq3.cc /
// _iq1.cc the lattice I-quants, quant_reference_ternary.cc TQ1_0 / TQ2_0 and
// quant_reference_mxfp4.cc MXFP4. Every function takes whole blocks
// (`n` a multiple of the type's block) and mirrors ggml's dequantize_row_* or
// ggml_vec_dot_*_generic: integer sums per block, then scaled in float.
#ifndef SIZER_KERNELS_QUANT_REFERENCE_INTERNAL_H_
#define SIZER_KERNELS_QUANT_REFERENCE_INTERNAL_H_

#include <array>
#include <cstdint>
#include <cstring>

#include "kernels/blocks.h"

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

// kByteMasks[b]: byte j is 0xFF where bit j of b is set, else 0.
inline constexpr std::array<uint64_t, 256> kByteMasks = [] {
  std::array<uint64_t, 256> masks{};
  for (int b = 0; b < 256; ++b) {
    for (int j = 0; j < 8; ++j) masks[b] |= ((b >> j) & 1) ? uint64_t{0xFF} << (8 * j) : 0;
  }
  return masks;
}();

// The 8 values of a lattice point (value j in byte j of `entry`), value j negated where bit j
// of `signs` is set: the I-quants' signed magnitudes (1..62, so int8). Eight bytes at once:
// -v = ~v + 1 in each masked byte; no carry crosses a byte because every IQ2 / IQ3 coordinate
// is at least 1 (tests/kernels/iquant_reference_test.cc checks the tables).
inline void SignedGridValues(uint64_t entry, uint8_t signs, int8_t out[8]) {
  const uint64_t mask = kByteMasks[signs];
  const uint64_t values = (entry ^ mask) + (mask & 0x0101010101010101ull);
  std::memcpy(out, &values, sizeof(values));
}

// A lattice I-quant super-block (IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S) unpacked: the 256
// signed grid values and the 4-bit scale field s of each 16 values (the block multiplier is
// 2s + 1; IQ2_XXS and the IQ3 types repeat one s over 32 values). Every such block starts
// with its f16 d. The unpacking functions (quant_reference_iq2.cc, _iq3.cc) are the one place
// each layout is decoded; the reference and the SIMD kernels both use them.
struct LatticeSuperBlock {
  int8_t q[kQK_K];
  uint8_t s[kQK_K / 16];
};
void UnpackIq2Xxs(const uint8_t* block, LatticeSuperBlock* out);
void UnpackIq2Xs(const uint8_t* block, LatticeSuperBlock* out);
void UnpackIq2S(const uint8_t* block, LatticeSuperBlock* out);
void UnpackIq3Xxs(const uint8_t* block, LatticeSuperBlock* out);
void UnpackIq3S(const uint8_t* block, LatticeSuperBlock* out);
using UnpackLatticeFn = void (*)(const uint8_t* block, LatticeSuperBlock* out);
// The lattice I-quants' dot product against Q8_K activations (quant_reference_iq2.cc): over
// super-blocks of `block_bytes`, d_w * d_a * sum_g (2 s_g + 1) * sum(q * a), times `factor`
// (1/8 for IQ2, 1/4 for IQ3_XXS, 1 for IQ3_S, as ggml's vec_dot).
float DotLattice(const void* row, size_t block_bytes, UnpackLatticeFn unpack, const void* q8_k,
                 int64_t n, float factor);
// Dequantizes lattice super-blocks: value = block_scale(d, s_g) x grid value, each format
// giving its own block scale (ggml's dequantize_row_iq*).
using LatticeBlockScaleFn = float (*)(float d, int s);
void DequantizeLattice(const void* row, size_t block_bytes, UnpackLatticeFn unpack,
                       LatticeBlockScaleFn block_scale, float* out, int64_t n);

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

// Lattice I-quants (quant_reference_iq2.cc, _iq3.cc, _iq1.cc). Activations: Q8_K.
void DequantizeIq2Xxs(const void* row, float* out, int64_t n);
void DequantizeIq2Xs(const void* row, float* out, int64_t n);
void DequantizeIq2S(const void* row, float* out, int64_t n);
void DequantizeIq3Xxs(const void* row, float* out, int64_t n);
void DequantizeIq3S(const void* row, float* out, int64_t n);
void DequantizeIq1S(const void* row, float* out, int64_t n);
void DequantizeIq1M(const void* row, float* out, int64_t n);
float DotIq2Xxs(const void* row, const void* q8_k, int64_t n);
float DotIq2Xs(const void* row, const void* q8_k, int64_t n);
float DotIq2S(const void* row, const void* q8_k, int64_t n);
float DotIq3Xxs(const void* row, const void* q8_k, int64_t n);
float DotIq3S(const void* row, const void* q8_k, int64_t n);
float DotIq1S(const void* row, const void* q8_k, int64_t n);
float DotIq1M(const void* row, const void* q8_k, int64_t n);

// Ternary (quant_reference_ternary.cc). Activations: Q8_K.
void DequantizeTq1_0(const void* row, float* out, int64_t n);
void DequantizeTq2_0(const void* row, float* out, int64_t n);
float DotTq1_0(const void* row, const void* q8_k, int64_t n);
float DotTq2_0(const void* row, const void* q8_k, int64_t n);

// MXFP4 (quant_reference_mxfp4.cc). Activations: Q8_0.
void DequantizeMxfp4(const void* row, float* out, int64_t n);
float DotMxfp4(const void* row, const void* q8_0, int64_t n);

}  // namespace sizer::kernels::internal

#endif  // SIZER_KERNELS_QUANT_REFERENCE_INTERNAL_H_

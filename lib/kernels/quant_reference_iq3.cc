// Scalar reference kernels of the 3-bit lattice I-quants IQ3_XXS and IQ3_S (ggml's
// dequantize_row_iq3_* and ggml_vec_dot_iq3_*_q8_K_generic, ggml-org/ggml src/ggml-quants.c
// and src/ggml-cpu/quants.c).
//
// Both store, per 4 values, an index into a table of lattice points (kernels/iquant_grids.h),
// signs per value and a 4-bit scale s per 32 values. IQ3_XXS: x = d * (2s + 1) / 4 * (+-grid),
// its signs as IQ2_XXS's 7-bit parity fields; IQ3_S: x = d * (2s + 1) * (+-grid), 9-bit indices
// and a full sign byte per 8 values. One unpacking function per type (to a LatticeSuperBlock,
// shared with the SIMD kernels); dequantization and the dot product share it. The dot product
// sums (2s + 1) * sum(q * a) exactly in int, then scales in float in ggml's order.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/blocks.h"
#include "kernels/blocks_iquant.h"
#include "kernels/fp16.h"
#include "kernels/iquant_grids.h"
#include "kernels/quant_reference_internal.h"

namespace sizer::kernels::internal {
namespace {

// Two 4-value lattice points as one 8-value entry (the first in bytes 0-3).
uint64_t PairOfPoints(const uint32_t* grid, int first, int second) {
  return grid[first] | (static_cast<uint64_t>(grid[second]) << 32);
}

}  // namespace

// IQ3_XXS: qs[0..63] one index per 4 values; per 32 values a uint32 of four 7-bit sign
// fields (each for 8 values) and the scale in bits 28-31.
void UnpackIq3Xxs(const uint8_t* block, LatticeSuperBlock* v) {
  const uint8_t* qs = block + offsetof(BlockIq3Xxs, qs);
  const uint8_t* scales_and_signs = qs + kQK_K / 4;
  for (int g = 0; g < kQK_K / 32; ++g) {
    uint32_t aux;
    std::memcpy(&aux, scales_and_signs + 4 * g, sizeof(aux));
    v->s[2 * g] = v->s[2 * g + 1] = static_cast<uint8_t>(aux >> 28);
    for (int l = 0; l < 4; ++l) {
      const int k = 8 * g + 2 * l;  // the first of this 8-value group's two indices
      const uint8_t signs = kKSignsIq2Xs[(aux >> (7 * l)) & 127];
      SignedGridValues(PairOfPoints(kIq3XxsGrid, qs[k], qs[k + 1]), signs, v->q + 32 * g + 8 * l);
    }
  }
}

// IQ3_S: index k (values 4k..4k+3) is qs[k] plus bit k % 8 of qh[k / 8] as bit 8.
void UnpackIq3S(const uint8_t* block, LatticeSuperBlock* v) {
  const uint8_t* qs = block + offsetof(BlockIq3S, qs);
  const uint8_t* qh = block + offsetof(BlockIq3S, qh);
  const uint8_t* signs = block + offsetof(BlockIq3S, signs);
  const uint8_t* scales = block + offsetof(BlockIq3S, scales);
  for (int p = 0; p < kQK_K / 8; ++p) {  // 8-value groups: indices 2p and 2p + 1
    const int k = 2 * p;
    const int first = qs[k] | (((qh[k / 8] >> (k % 8)) & 1) << 8);
    const int second = qs[k + 1] | (((qh[k / 8] >> (k % 8 + 1)) & 1) << 8);
    SignedGridValues(PairOfPoints(kIq3SGrid, first, second), signs[p], v->q + 8 * p);
  }
  for (int g = 0; g < kQK_K / 32; ++g) {
    v->s[2 * g] = v->s[2 * g + 1] = (scales[g / 2] >> (4 * (g % 2))) & 0xF;
  }
}

namespace {

// The float multiplier of scale field s: d * (0.5 + s) * 0.5 for IQ3_XXS, d * (1 + 2s) for
// IQ3_S, computed as ggml does.
float Iq3XxsBlockScale(float d, int s) { return d * (0.5f + static_cast<float>(s)) * 0.5f; }
float Iq3SBlockScale(float d, int s) { return d * static_cast<float>(1 + 2 * s); }

}  // namespace

void DequantizeIq3Xxs(const void* row, float* out, int64_t n) {
  DequantizeLattice(row, sizeof(BlockIq3Xxs), UnpackIq3Xxs, Iq3XxsBlockScale, out, n);
}
void DequantizeIq3S(const void* row, float* out, int64_t n) {
  DequantizeLattice(row, sizeof(BlockIq3S), UnpackIq3S, Iq3SBlockScale, out, n);
}
// ggml scales IQ3_XXS by 1/4 at the end and IQ3_S not at all.
float DotIq3Xxs(const void* row, const void* q8_k, int64_t n) {
  return DotLattice(row, sizeof(BlockIq3Xxs), UnpackIq3Xxs, q8_k, n, 0.25f);
}
float DotIq3S(const void* row, const void* q8_k, int64_t n) {
  return DotLattice(row, sizeof(BlockIq3S), UnpackIq3S, q8_k, n, 1.0f);
}

}  // namespace sizer::kernels::internal

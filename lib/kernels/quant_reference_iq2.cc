// Scalar reference kernels of the 2-bit lattice I-quants IQ2_XXS, IQ2_XS and IQ2_S (ggml's
// dequantize_row_iq2_* and ggml_vec_dot_iq2_*_q8_K_generic, ggml-org/ggml src/ggml-quants.c
// and src/ggml-cpu/quants.c).
//
// All three store, per 8 values, an index into a table of lattice points whose coordinates are
// 8, 25 or 43 (kernels/iquant_grids.h) and 8 signs, and per 16 values a 4-bit scale s, so
// x = d * (2s + 1) / 8 * (+-grid). Each type has one unpacking function (to a
// LatticeSuperBlock, shared with the SIMD kernels); dequantization and the dot product share
// it. The dot product sums (2s + 1) * sum(q * a) exactly in int, then scales by
// d_w * d_a / 8 in float, in ggml's order.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/blocks.h"
#include "kernels/blocks_iquant.h"
#include "kernels/fp16.h"
#include "kernels/iquant_grids.h"
#include "kernels/quant_reference_internal.h"

namespace sizer::kernels::internal {

// IQ2_XXS: per 32 values, bytes 0-3 of the 8 are grid indices, the uint32 of bytes 4-7 the
// four 7-bit sign fields and the scale (shared by both halves).
void UnpackIq2Xxs(const uint8_t* block, LatticeSuperBlock* v) {
  const uint8_t* qs = block + offsetof(BlockIq2Xxs, qs);
  for (int g = 0; g < kQK_K / 32; ++g) {
    const uint8_t* indices = qs + 8 * g;
    uint32_t aux;
    std::memcpy(&aux, indices + 4, sizeof(aux));
    v->s[2 * g] = v->s[2 * g + 1] = static_cast<uint8_t>(aux >> 28);
    for (int l = 0; l < 4; ++l) {
      const uint8_t signs = kKSignsIq2Xs[(aux >> (7 * l)) & 127];
      SignedGridValues(kIq2XxsGrid[indices[l]], signs, v->q + 32 * g + 8 * l);
    }
  }
}

// IQ2_XS: per 8 values a uint16 of 9 index bits and 7 sign bits.
void UnpackIq2Xs(const uint8_t* block, LatticeSuperBlock* v) {
  uint16_t qs[kQK_K / 8];
  uint8_t scales[kQK_K / 32];
  std::memcpy(qs, block + offsetof(BlockIq2Xs, qs), sizeof(qs));
  std::memcpy(scales, block + offsetof(BlockIq2Xs, scales), sizeof(scales));
  for (int k = 0; k < kQK_K / 8; ++k) {
    SignedGridValues(kIq2XsGrid[qs[k] & 511], kKSignsIq2Xs[qs[k] >> 9], v->q + 8 * k);
  }
  for (int g = 0; g < kQK_K / 32; ++g) {
    v->s[2 * g] = scales[g] & 0xF;
    v->s[2 * g + 1] = scales[g] >> 4;
  }
}

// IQ2_S: 10-bit indices (8 bits in qs, 2 in qh), a full sign byte per 8 values.
void UnpackIq2S(const uint8_t* block, LatticeSuperBlock* v) {
  const uint8_t* qs = block + offsetof(BlockIq2S, qs);
  const uint8_t* signs = qs + kQK_K / 8;
  const uint8_t* qh = block + offsetof(BlockIq2S, qh);
  const uint8_t* scales = block + offsetof(BlockIq2S, scales);
  for (int k = 0; k < kQK_K / 8; ++k) {
    const int index = qs[k] | (((qh[k / 4] >> (2 * (k % 4))) & 3) << 8);
    SignedGridValues(kIq2SGrid[index], signs[k], v->q + 8 * k);
  }
  for (int g = 0; g < kQK_K / 32; ++g) {
    v->s[2 * g] = scales[g] & 0xF;
    v->s[2 * g + 1] = scales[g] >> 4;
  }
}

namespace {

// IQ2_XXS, IQ2_XS, IQ2_S: d x (0.5 + s) / 4 per 16 values.
float Iq2BlockScale(float d, int s) { return d * (0.5f + static_cast<float>(s)) * 0.25f; }

}  // namespace

void DequantizeLattice(const void* row, size_t block_bytes, UnpackLatticeFn unpack,
                       LatticeBlockScaleFn block_scale, float* out, int64_t n) {
  LatticeSuperBlock v;
  const auto* bytes = static_cast<const uint8_t*>(row);
  for (int64_t i = 0; i < n / kQK_K; ++i, out += kQK_K) {
    const uint8_t* block = bytes + static_cast<size_t>(i) * block_bytes;
    const float d = F16ToF32(LoadBlock<uint16_t>(block, 0));
    unpack(block, &v);
    for (int g = 0; g < kQK_K / 16; ++g) {
      const float db = block_scale(d, v.s[g]);
      for (int l = 16 * g; l < 16 * g + 16; ++l) out[l] = db * static_cast<float>(v.q[l]);
    }
  }
}

float DotLattice(const void* row, size_t block_bytes, UnpackLatticeFn unpack, const void* q8_k,
                 int64_t n, float factor) {
  LatticeSuperBlock v;
  const auto* bytes = static_cast<const uint8_t*>(row);
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const uint8_t* block = bytes + static_cast<size_t>(i) * block_bytes;
    const BlockQ8_K y = LoadBlock<BlockQ8_K>(q8_k, i);
    unpack(block, &v);
    int32_t bsum = 0;
    for (int g = 0; g < kQK_K / 16; ++g) {
      int32_t sumi = 0;
      for (int l = 16 * g; l < 16 * g + 16; ++l) sumi += v.q[l] * y.qs[l];
      bsum += (2 * v.s[g] + 1) * sumi;
    }
    sum += F16ToF32(LoadBlock<uint16_t>(block, 0)) * y.d * static_cast<float>(bsum);
  }
  return factor * sum;
}

void DequantizeIq2Xxs(const void* row, float* out, int64_t n) {
  DequantizeLattice(row, sizeof(BlockIq2Xxs), UnpackIq2Xxs, Iq2BlockScale, out, n);
}
void DequantizeIq2Xs(const void* row, float* out, int64_t n) {
  DequantizeLattice(row, sizeof(BlockIq2Xs), UnpackIq2Xs, Iq2BlockScale, out, n);
}
void DequantizeIq2S(const void* row, float* out, int64_t n) {
  DequantizeLattice(row, sizeof(BlockIq2S), UnpackIq2S, Iq2BlockScale, out, n);
}
float DotIq2Xxs(const void* row, const void* q8_k, int64_t n) {
  return DotLattice(row, sizeof(BlockIq2Xxs), UnpackIq2Xxs, q8_k, n, 0.125f);
}
float DotIq2Xs(const void* row, const void* q8_k, int64_t n) {
  return DotLattice(row, sizeof(BlockIq2Xs), UnpackIq2Xs, q8_k, n, 0.125f);
}
float DotIq2S(const void* row, const void* q8_k, int64_t n) {
  return DotLattice(row, sizeof(BlockIq2S), UnpackIq2S, q8_k, n, 0.125f);
}

}  // namespace sizer::kernels::internal

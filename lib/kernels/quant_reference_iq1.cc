// Scalar reference kernels of the 1-bit lattice I-quants IQ1_S and IQ1_M (ggml's
// dequantize_row_iq1_* and ggml_vec_dot_iq1_*_q8_K_generic, ggml-org/ggml src/ggml-quants.c
// and src/ggml-cpu/quants.c).
//
// Both store, per 8 values, an 11-bit index into a table of ternary lattice points (each
// coordinate -1, 0 or 1, kernels/iquant_grids.h) and a shift of +-1/8 added to every value,
// with a 3-bit scale s: x = d * (2s + 1) * (grid + shift). IQ1_S has one scale and one shift
// sign per 32 values; IQ1_M one scale per 16, one shift sign per 8 and no separate d (its f16
// is spread over the scales' top nibbles). One unpacking function per type gives a
// super-block's 256 grid values, 32 shift signs and 16 scales; dequantization and the dot
// product share it. The dot product keeps ggml's two exact int sums, sum (2s + 1) * sum(grid *
// a) and sum (2s + 1) * sign * sum(a), and combines them in float as
// d_w * d_a * (first + 1/8 * second).
#include <cstdint>
#include <cstring>

#include "kernels/blocks.h"
#include "kernels/blocks_iquant.h"
#include "kernels/fp16.h"
#include "kernels/iquant_grids.h"
#include "kernels/quant_reference_internal.h"

namespace sizer::kernels::internal {
namespace {

// ggml's IQ1S_DELTA and IQ1M_DELTA.
constexpr float kIq1Shift = 0.125f;

// A super-block unpacked.
struct Iq1Values {
  float d;                     // the super-block scale
  int8_t grid[kQK_K];          // -1, 0 or 1
  int8_t shift_sign[kQK_K / 8];  // +1 or -1, per 8 values
  uint8_t scale[kQK_K / 16];   // the 3-bit s, per 16 values
};

// The 8 ternary values of lattice point `index` (int8 bytes of the table entry).
void GridPoint(int index, int8_t out[8]) {
  const uint64_t entry = kIq1SGrid[index];
  std::memcpy(out, &entry, 8);
}

// IQ1_S: qh[g] (per 32 values) holds four 3-bit index tops, the scale and the shift sign.
void UnpackIq1S(const BlockIq1S& b, Iq1Values* v) {
  v->d = F16ToF32(b.d);
  for (int g = 0; g < kQK_K / 32; ++g) {
    const uint16_t qh = b.qh[g];
    for (int l = 0; l < 4; ++l) {
      const int k = 4 * g + l;
      GridPoint(b.qs[k] | (((qh >> (3 * l)) & 7) << 8), v->grid + 8 * k);
      v->shift_sign[k] = (qh & 0x8000) ? -1 : 1;
    }
    v->scale[2 * g] = v->scale[2 * g + 1] = static_cast<uint8_t>((qh >> 12) & 7);
  }
}

// IQ1_M: qh[k / 2] holds group k's index top (low or high nibble, bits 0-2) and shift sign
// (bit 3 of that nibble); the scales' uint16s hold four 3-bit s each and a nibble of d.
void UnpackIq1M(const BlockIq1M& b, Iq1Values* v) {
  uint16_t sc[4];
  std::memcpy(sc, b.scales, sizeof(sc));
  const uint16_t d_bits = static_cast<uint16_t>((sc[0] >> 12) | ((sc[1] >> 8) & 0x00F0) |
                                                ((sc[2] >> 4) & 0x0F00) | (sc[3] & 0xF000));
  v->d = F16ToF32(d_bits);
  for (int k = 0; k < kQK_K / 8; ++k) {
    const int nibble = (b.qh[k / 2] >> (4 * (k % 2))) & 0xF;
    GridPoint(b.qs[k] | ((nibble & 7) << 8), v->grid + 8 * k);
    v->shift_sign[k] = (nibble & 8) ? -1 : 1;
  }
  for (int g = 0; g < kQK_K / 16; ++g) {
    v->scale[g] = static_cast<uint8_t>((sc[g / 4] >> (3 * (g % 4))) & 7);
  }
}

template <typename Block, void (*Unpack)(const Block&, Iq1Values*)>
void DequantizeIq1(const void* row, float* out, int64_t n) {
  Iq1Values v;
  for (int64_t i = 0; i < n / kQK_K; ++i, out += kQK_K) {
    Unpack(LoadBlock<Block>(row, i), &v);
    for (int k = 0; k < kQK_K / 8; ++k) {
      const float dl = v.d * static_cast<float>(2 * v.scale[k / 2] + 1);
      const float shift = v.shift_sign[k] < 0 ? -kIq1Shift : kIq1Shift;
      for (int l = 8 * k; l < 8 * k + 8; ++l) {
        out[l] = dl * (static_cast<float>(v.grid[l]) + shift);
      }
    }
  }
}

template <typename Block, void (*Unpack)(const Block&, Iq1Values*)>
float DotIq1(const void* row, const void* q8_k, int64_t n) {
  Iq1Values v;
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const BlockQ8_K y = LoadBlock<BlockQ8_K>(q8_k, i);
    Unpack(LoadBlock<Block>(row, i), &v);
    int32_t grid_sum = 0;   // sum (2s + 1) * sum(grid * a)
    int32_t shift_sum = 0;  // sum (2s + 1) * sign * sum(a)
    for (int k = 0; k < kQK_K / 8; ++k) {
      int32_t dot = 0, plain = 0;
      for (int l = 8 * k; l < 8 * k + 8; ++l) {
        dot += v.grid[l] * y.qs[l];
        plain += y.qs[l];
      }
      const int ls = 2 * v.scale[k / 2] + 1;
      grid_sum += ls * dot;
      shift_sum += ls * v.shift_sign[k] * plain;
    }
    sum += v.d * y.d *
           (static_cast<float>(grid_sum) + kIq1Shift * static_cast<float>(shift_sum));
  }
  return sum;
}

}  // namespace

void DequantizeIq1S(const void* row, float* out, int64_t n) {
  DequantizeIq1<BlockIq1S, UnpackIq1S>(row, out, n);
}
void DequantizeIq1M(const void* row, float* out, int64_t n) {
  DequantizeIq1<BlockIq1M, UnpackIq1M>(row, out, n);
}
// ggml takes IQ1_S's sum(a) per 32 from the Q8_K group sums (bsums); they are the same
// integers as the direct sums here.
float DotIq1S(const void* row, const void* q8_k, int64_t n) {
  return DotIq1<BlockIq1S, UnpackIq1S>(row, q8_k, n);
}
float DotIq1M(const void* row, const void* q8_k, int64_t n) {
  return DotIq1<BlockIq1M, UnpackIq1M>(row, q8_k, n);
}

}  // namespace sizer::kernels::internal

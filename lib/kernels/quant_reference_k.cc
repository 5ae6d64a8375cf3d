// Scalar reference kernels of the k-quants (Q2_K..Q6_K) and the non-linear IQ4_NL / IQ4_XS
// (ggml's dequantize_row_* and ggml_vec_dot_*_q8_K_generic / _iq4_nl_q8_0_generic).
//
// Each super-block type has one unpacking function that turns a block's packed bits into its
// 256 integer quants in value order; dequantization and the dot product share it, so the
// layout lives in exactly one place per type.
#include <cstdint>

#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant_reference_internal.h"

namespace sizer::kernels::internal {
namespace {

// Sum of q[first + l] * a[first + l] for l < count.
int IntDot(const int8_t* q, const int8_t* a, int first, int count) {
  int sum = 0;
  for (int l = first; l < first + count; ++l) sum += q[l] * a[l];
  return sum;
}

// Q2_K: 2-bit quants 0..3. Value 128h + 32j + l is bits 2j..2j+1 of qs[32h + l].
void UnpackQ2_K(const BlockQ2_K& b, int8_t q[kQK_K]) {
  for (int v = 0; v < kQK_K; ++v) {
    const int h = v / 128, j = (v % 128) / 32, l = v % 32;
    q[v] = static_cast<int8_t>((b.qs[32 * h + l] >> (2 * j)) & 3);
  }
}

// Q3_K: signed quants -4..3: the 2 low bits as Q2_K, minus 4 where the hmask bit is clear.
void UnpackQ3_K(const BlockQ3_K& b, int8_t q[kQK_K]) {
  for (int v = 0; v < kQK_K; ++v) {
    const int h = v / 128, j = (v % 128) / 32, l = v % 32;
    const int low = (b.qs[32 * h + l] >> (2 * j)) & 3;
    const bool high = (b.hmask[l] >> (v / 32)) & 1;
    q[v] = static_cast<int8_t>(low - (high ? 0 : 4));
  }
}

// Q4_K: quants 0..15. In chunk c (64 values) value 64c + l is the low nibble of qs[32c + l],
// value 64c + 32 + l the high nibble.
void UnpackQ4_K(const BlockQ4_K& b, int8_t q[kQK_K]) {
  for (int v = 0; v < kQK_K; ++v) {
    const int c = v / 64, l = v % 32;
    const uint8_t byte = b.qs[32 * c + l];
    q[v] = static_cast<int8_t>((v % 64) < 32 ? (byte & 0xF) : (byte >> 4));
  }
}

// Q5_K: quants 0..31: Q4_K's nibbles plus bit (v / 32) of qh[v % 32] as 16.
void UnpackQ5_K(const BlockQ5_K& b, int8_t q[kQK_K]) {
  for (int v = 0; v < kQK_K; ++v) {
    const int c = v / 64, l = v % 32;
    const uint8_t byte = b.qs[32 * c + l];
    const int low = (v % 64) < 32 ? (byte & 0xF) : (byte >> 4);
    const int high = ((b.qh[l] >> (v / 32)) & 1) << 4;
    q[v] = static_cast<int8_t>(low | high);
  }
}

// Q6_K: signed quants -32..31. In half h, for l < 32 and k < 4, value 128h + 32k + l has its
// low 4 bits in ql[64h + l + 32(k % 2)] (low nibble for k < 2, high for k >= 2) and its top
// 2 bits at bit 2k of qh[32h + l].
void UnpackQ6_K(const BlockQ6_K& b, int8_t q[kQK_K]) {
  for (int v = 0; v < kQK_K; ++v) {
    const int h = v / 128, k = (v % 128) / 32, l = v % 32;
    const uint8_t low_byte = b.ql[64 * h + l + 32 * (k % 2)];
    const int low = k < 2 ? (low_byte & 0xF) : (low_byte >> 4);
    const int high = (b.qh[32 * h + l] >> (2 * k)) & 3;
    q[v] = static_cast<int8_t>((low | (high << 4)) - 32);
  }
}

// IQ4_NL / IQ4_XS: 32 values from 16 bytes, value l the low and l + 16 the high nibble of
// byte l, mapped through the non-linear table.
void UnpackIq4Group(const uint8_t qs[16], int8_t q[32]) {
  for (int l = 0; l < 16; ++l) {
    q[l] = kValuesIq4Nl[qs[l] & 0xF];
    q[l + 16] = kValuesIq4Nl[qs[l] >> 4];
  }
}

}  // namespace

// ---- Q2_K: d * (sc & 15) * q - dmin * (sc >> 4), per group of 16

void DequantizeQ2_K(const void* row, float* out, int64_t n) {
  int8_t q[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i, out += kQK_K) {
    const BlockQ2_K b = LoadBlock<BlockQ2_K>(row, i);
    const float d = F16ToF32(b.d);
    const float min = F16ToF32(b.dmin);
    UnpackQ2_K(b, q);
    for (int g = 0; g < 16; ++g) {
      const float dl = d * static_cast<float>(b.scales[g] & 0xF);
      const float ml = min * static_cast<float>(b.scales[g] >> 4);
      for (int l = 16 * g; l < 16 * g + 16; ++l) out[l] = dl * static_cast<float>(q[l]) - ml;
    }
  }
}

float DotQ2_K(const void* row, const void* q8_k, int64_t n) {
  int8_t q[kQK_K];
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const BlockQ2_K x = LoadBlock<BlockQ2_K>(row, i);
    const BlockQ8_K y = LoadBlock<BlockQ8_K>(q8_k, i);
    UnpackQ2_K(x, q);
    int sum_mins = 0;  // the min term needs only the activation's group sums
    int isum = 0;
    for (int g = 0; g < 16; ++g) {
      sum_mins += y.bsums[g] * (x.scales[g] >> 4);
      isum += (x.scales[g] & 0xF) * IntDot(q, y.qs, 16 * g, 16);
    }
    const float dall = y.d * F16ToF32(x.d);
    const float dmin = y.d * F16ToF32(x.dmin);
    sum += dall * static_cast<float>(isum) - dmin * static_cast<float>(sum_mins);
  }
  return sum;
}

// ---- Q3_K: d * (scale - 32) * q, per group of 16

void DequantizeQ3_K(const void* row, float* out, int64_t n) {
  int8_t q[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i, out += kQK_K) {
    const BlockQ3_K b = LoadBlock<BlockQ3_K>(row, i);
    const float d_all = F16ToF32(b.d);
    UnpackQ3_K(b, q);
    for (int g = 0; g < 16; ++g) {
      const float dl = d_all * static_cast<float>(UnpackQ3KScale(g, b.scales));
      for (int l = 16 * g; l < 16 * g + 16; ++l) out[l] = dl * static_cast<float>(q[l]);
    }
  }
}

float DotQ3_K(const void* row, const void* q8_k, int64_t n) {
  int8_t q[kQK_K];
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const BlockQ3_K x = LoadBlock<BlockQ3_K>(row, i);
    const BlockQ8_K y = LoadBlock<BlockQ8_K>(q8_k, i);
    UnpackQ3_K(x, q);
    int isum = 0;
    for (int g = 0; g < 16; ++g) isum += UnpackQ3KScale(g, x.scales) * IntDot(q, y.qs, 16 * g, 16);
    sum += F16ToF32(x.d) * y.d * static_cast<float>(isum);
  }
  return sum;
}

// ---- Q4_K / Q5_K: d * sc * q - dmin * m, per group of 32

namespace {

template <typename Block, void (*Unpack)(const Block&, int8_t*)>
void DequantizeScaleMinK(const void* row, float* out, int64_t n) {
  int8_t q[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i, out += kQK_K) {
    const Block b = LoadBlock<Block>(row, i);
    const float d = F16ToF32(b.d);
    const float min = F16ToF32(b.dmin);
    Unpack(b, q);
    for (int g = 0; g < 8; ++g) {
      uint8_t sc, m;
      ScaleMinK4(g, b.scales, &sc, &m);
      const float dl = d * static_cast<float>(sc);
      const float ml = min * static_cast<float>(m);
      for (int l = 32 * g; l < 32 * g + 32; ++l) out[l] = dl * static_cast<float>(q[l]) - ml;
    }
  }
}

template <typename Block, void (*Unpack)(const Block&, int8_t*)>
float DotScaleMinK(const void* row, const void* q8_k, int64_t n) {
  int8_t q[kQK_K];
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const Block x = LoadBlock<Block>(row, i);
    const BlockQ8_K y = LoadBlock<BlockQ8_K>(q8_k, i);
    Unpack(x, q);
    int sum_mins = 0;
    int isum = 0;
    for (int g = 0; g < 8; ++g) {
      uint8_t sc, m;
      ScaleMinK4(g, x.scales, &sc, &m);
      sum_mins += (y.bsums[2 * g] + y.bsums[2 * g + 1]) * m;
      isum += sc * IntDot(q, y.qs, 32 * g, 32);
    }
    const float d = F16ToF32(x.d) * y.d;
    const float dmin = F16ToF32(x.dmin) * y.d;
    sum += d * static_cast<float>(isum) - dmin * static_cast<float>(sum_mins);
  }
  return sum;
}

}  // namespace

void DequantizeQ4_K(const void* row, float* out, int64_t n) {
  DequantizeScaleMinK<BlockQ4_K, UnpackQ4_K>(row, out, n);
}
float DotQ4_K(const void* row, const void* q8_k, int64_t n) {
  return DotScaleMinK<BlockQ4_K, UnpackQ4_K>(row, q8_k, n);
}
void DequantizeQ5_K(const void* row, float* out, int64_t n) {
  DequantizeScaleMinK<BlockQ5_K, UnpackQ5_K>(row, out, n);
}
float DotQ5_K(const void* row, const void* q8_k, int64_t n) {
  return DotScaleMinK<BlockQ5_K, UnpackQ5_K>(row, q8_k, n);
}

// ---- Q6_K: d * scale * q, per group of 16

void DequantizeQ6_K(const void* row, float* out, int64_t n) {
  int8_t q[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i, out += kQK_K) {
    const BlockQ6_K b = LoadBlock<BlockQ6_K>(row, i);
    const float d = F16ToF32(b.d);
    UnpackQ6_K(b, q);
    for (int g = 0; g < 16; ++g) {
      for (int l = 16 * g; l < 16 * g + 16; ++l) {
        out[l] = d * static_cast<float>(b.scales[g]) * static_cast<float>(q[l]);
      }
    }
  }
}

float DotQ6_K(const void* row, const void* q8_k, int64_t n) {
  int8_t q[kQK_K];
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const BlockQ6_K x = LoadBlock<BlockQ6_K>(row, i);
    const BlockQ8_K y = LoadBlock<BlockQ8_K>(q8_k, i);
    UnpackQ6_K(x, q);
    int isum = 0;
    for (int g = 0; g < 16; ++g) isum += x.scales[g] * IntDot(q, y.qs, 16 * g, 16);
    sum += F16ToF32(x.d) * y.d * static_cast<float>(isum);
  }
  return sum;
}

// ---- IQ4_NL: d * table[q], blocks of 32 with Q8_0 activations

void DequantizeIq4Nl(const void* row, float* out, int64_t n) {
  int8_t q[kQK];
  for (int64_t i = 0; i < n / kQK; ++i, out += kQK) {
    const BlockIq4Nl b = LoadBlock<BlockIq4Nl>(row, i);
    const float d = F16ToF32(b.d);
    UnpackIq4Group(b.qs, q);
    for (int l = 0; l < kQK; ++l) out[l] = d * static_cast<float>(q[l]);
  }
}

float DotIq4Nl(const void* row, const void* q8_0, int64_t n) {
  int8_t q[kQK];
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockIq4Nl x = LoadBlock<BlockIq4Nl>(row, i);
    const BlockQ8_0 y = LoadBlock<BlockQ8_0>(q8_0, i);
    UnpackIq4Group(x.qs, q);
    const float d = F16ToF32(y.d) * F16ToF32(x.d);
    sum += d * static_cast<float>(IntDot(q, y.qs, 0, kQK));
  }
  return sum;
}

// ---- IQ4_XS: d * (ls - 32) * table[q], per group of 32

void DequantizeIq4Xs(const void* row, float* out, int64_t n) {
  int8_t q[kQK];
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const BlockIq4Xs b = LoadBlock<BlockIq4Xs>(row, i);
    const float d = F16ToF32(b.d);
    for (int g = 0; g < 8; ++g, out += kQK) {
      const float dl = d * static_cast<float>(UnpackIq4XsScale(g, b));
      UnpackIq4Group(b.qs + 16 * g, q);
      for (int l = 0; l < kQK; ++l) out[l] = dl * static_cast<float>(q[l]);
    }
  }
}

// Unlike the other k-quant dots, ggml scales IQ4_XS per group of 32 in float.
float DotIq4Xs(const void* row, const void* q8_k, int64_t n) {
  int8_t q[kQK];
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const BlockIq4Xs x = LoadBlock<BlockIq4Xs>(row, i);
    const BlockQ8_K y = LoadBlock<BlockQ8_K>(q8_k, i);
    const float d4d8 = F16ToF32(x.d) * y.d;
    for (int g = 0; g < 8; ++g) {
      UnpackIq4Group(x.qs + 16 * g, q);
      const float dl = d4d8 * static_cast<float>(UnpackIq4XsScale(g, x));
      sum += dl * static_cast<float>(IntDot(q, y.qs + kQK * g, 0, kQK));
    }
  }
  return sum;
}

}  // namespace sizer::kernels::internal

// Scalar reference kernels of the 32-element formats: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0
// (ggml's dequantize_row_q*_* and ggml_vec_dot_q*_q8_*_generic).
#include <cstdint>

#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant_reference_internal.h"

namespace sizer::kernels::internal {
namespace {

// The 5th bit of value j (0..31) of a Q5_0 / Q5_1 block, as 0 or 16.
int HighBit5(const uint8_t qh_bytes[4], int j) {
  const uint32_t qh =
      static_cast<uint32_t>(qh_bytes[0]) | (static_cast<uint32_t>(qh_bytes[1]) << 8) |
      (static_cast<uint32_t>(qh_bytes[2]) << 16) | (static_cast<uint32_t>(qh_bytes[3]) << 24);
  return static_cast<int>((qh >> j) & 1u) << 4;
}

// Integer dot of one 32-value block whose quants are `q(j)` with the int8 activations `a`.
template <typename QuantAt>
int BlockDot(QuantAt q, const int8_t* a) {
  int sum = 0;
  for (int j = 0; j < kQK; ++j) sum += q(j) * a[j];
  return sum;
}

}  // namespace

// ---- Q4_0: d * (q - 8)

void DequantizeQ4_0(const void* row, float* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ4_0 b = LoadBlock<BlockQ4_0>(row, i);
    const float d = F16ToF32(b.d);
    for (int j = 0; j < kQK / 2; ++j) {
      out[i * kQK + j] = static_cast<float>((b.qs[j] & 0x0F) - 8) * d;
      out[i * kQK + j + kQK / 2] = static_cast<float>((b.qs[j] >> 4) - 8) * d;
    }
  }
}

float DotQ4_0(const void* row, const void* q8_0, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ4_0 x = LoadBlock<BlockQ4_0>(row, i);
    const BlockQ8_0 y = LoadBlock<BlockQ8_0>(q8_0, i);
    const int sumi = BlockDot(
        [&](int j) { return (j < 16 ? (x.qs[j] & 0x0F) : (x.qs[j - 16] >> 4)) - 8; }, y.qs);
    sum += static_cast<float>(sumi) * F16ToF32(x.d) * F16ToF32(y.d);
  }
  return sum;
}

// ---- Q4_1: d * q + m

void DequantizeQ4_1(const void* row, float* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ4_1 b = LoadBlock<BlockQ4_1>(row, i);
    const float d = F16ToF32(b.d);
    const float m = F16ToF32(b.m);
    for (int j = 0; j < kQK / 2; ++j) {
      out[i * kQK + j] = static_cast<float>(b.qs[j] & 0x0F) * d + m;
      out[i * kQK + j + kQK / 2] = static_cast<float>(b.qs[j] >> 4) * d + m;
    }
  }
}

// sum(x * a) = d_x d_a sum(q * qa) + m_x * (d_a sum(qa)); the activation carries s = d_a sum(qa).
float DotQ4_1(const void* row, const void* q8_1, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ4_1 x = LoadBlock<BlockQ4_1>(row, i);
    const BlockQ8_1 y = LoadBlock<BlockQ8_1>(q8_1, i);
    const int sumi =
        BlockDot([&](int j) { return j < 16 ? (x.qs[j] & 0x0F) : (x.qs[j - 16] >> 4); }, y.qs);
    sum +=
        (F16ToF32(x.d) * F16ToF32(y.d)) * static_cast<float>(sumi) + F16ToF32(x.m) * F16ToF32(y.s);
  }
  return sum;
}

// ---- Q5_0: d * (q - 16)

void DequantizeQ5_0(const void* row, float* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ5_0 b = LoadBlock<BlockQ5_0>(row, i);
    const float d = F16ToF32(b.d);
    for (int j = 0; j < kQK / 2; ++j) {
      const int x0 = ((b.qs[j] & 0x0F) | HighBit5(b.qh, j)) - 16;
      const int x1 = ((b.qs[j] >> 4) | HighBit5(b.qh, j + 16)) - 16;
      out[i * kQK + j] = static_cast<float>(x0) * d;
      out[i * kQK + j + kQK / 2] = static_cast<float>(x1) * d;
    }
  }
}

float DotQ5_0(const void* row, const void* q8_0, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ5_0 x = LoadBlock<BlockQ5_0>(row, i);
    const BlockQ8_0 y = LoadBlock<BlockQ8_0>(q8_0, i);
    const int sumi = BlockDot(
        [&](int j) {
          const int low = j < 16 ? (x.qs[j] & 0x0F) : (x.qs[j - 16] >> 4);
          return (low | HighBit5(x.qh, j)) - 16;
        },
        y.qs);
    sum += (F16ToF32(x.d) * F16ToF32(y.d)) * static_cast<float>(sumi);
  }
  return sum;
}

// ---- Q5_1: d * q + m

void DequantizeQ5_1(const void* row, float* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ5_1 b = LoadBlock<BlockQ5_1>(row, i);
    const float d = F16ToF32(b.d);
    const float m = F16ToF32(b.m);
    for (int j = 0; j < kQK / 2; ++j) {
      const int x0 = (b.qs[j] & 0x0F) | HighBit5(b.qh, j);
      const int x1 = (b.qs[j] >> 4) | HighBit5(b.qh, j + 16);
      out[i * kQK + j] = static_cast<float>(x0) * d + m;
      out[i * kQK + j + kQK / 2] = static_cast<float>(x1) * d + m;
    }
  }
}

float DotQ5_1(const void* row, const void* q8_1, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ5_1 x = LoadBlock<BlockQ5_1>(row, i);
    const BlockQ8_1 y = LoadBlock<BlockQ8_1>(q8_1, i);
    const int sumi = BlockDot(
        [&](int j) {
          const int low = j < 16 ? (x.qs[j] & 0x0F) : (x.qs[j - 16] >> 4);
          return low | HighBit5(x.qh, j);
        },
        y.qs);
    sum +=
        (F16ToF32(x.d) * F16ToF32(y.d)) * static_cast<float>(sumi) + F16ToF32(x.m) * F16ToF32(y.s);
  }
  return sum;
}

// ---- Q8_0: d * q

void DequantizeQ8_0(const void* row, float* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ8_0 b = LoadBlock<BlockQ8_0>(row, i);
    const float d = F16ToF32(b.d);
    for (int j = 0; j < kQK; ++j) out[i * kQK + j] = static_cast<float>(b.qs[j]) * d;
  }
}

float DotQ8_0(const void* row, const void* q8_0, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockQ8_0 x = LoadBlock<BlockQ8_0>(row, i);
    const BlockQ8_0 y = LoadBlock<BlockQ8_0>(q8_0, i);
    const int sumi = BlockDot([&](int j) { return static_cast<int>(x.qs[j]); }, y.qs);
    sum += static_cast<float>(sumi) * (F16ToF32(x.d) * F16ToF32(y.d));
  }
  return sum;
}

}  // namespace sizer::kernels::internal

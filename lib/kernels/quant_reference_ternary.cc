// Scalar reference kernels of the ternary formats TQ1_0 and TQ2_0 (ggml's
// dequantize_row_tq*_0 and ggml_vec_dot_tq*_0_q8_K_generic, ggml-org/ggml src/ggml-quants.c and
// src/ggml-cpu/quants.c): x = d * t, t in {-1, 0, 1}, one f16 d per 256 values.
// One unpacking function per type gives a super-block's 256 values of t; the dot product sums
// t * a exactly in int and scales by d_w * d_a once per super-block.
#include <cstdint>

#include "kernels/blocks.h"
#include "kernels/blocks_iquant.h"
#include "kernels/fp16.h"
#include "kernels/quant_reference_internal.h"

namespace sizer::kernels::internal {
namespace {

// Trit n (0..4) of a base-3 packed byte: the byte is a fixed-point fraction of 3^5, so
// multiplying by 3^n (mod 256) brings trit n to the top and (q * 3) >> 8 reads it.
int Trit(uint8_t byte, int n) {
  static constexpr uint8_t kPow3[5] = {1, 3, 9, 27, 81};
  const uint8_t q = static_cast<uint8_t>(byte * kPow3[n]);
  return (q * 3) >> 8;
}

// TQ1_0 value order (blocks_iquant.h): qs[0..31] five trits each for values 32n + m,
// qs[32..47] for 160 + 16n + m, qh[0..3] four trits each for 240 + 4n + m.
void UnpackTq1_0(const BlockTq1_0& b, int8_t t[kQK_K]) {
  for (int n = 0; n < 5; ++n) {
    for (int m = 0; m < 32; ++m) t[32 * n + m] = static_cast<int8_t>(Trit(b.qs[m], n) - 1);
    for (int m = 0; m < 16; ++m) {
      t[160 + 16 * n + m] = static_cast<int8_t>(Trit(b.qs[32 + m], n) - 1);
    }
  }
  for (int n = 0; n < 4; ++n) {
    for (int m = 0; m < 4; ++m) t[240 + 4 * n + m] = static_cast<int8_t>(Trit(b.qh[m], n) - 1);
  }
}

// TQ2_0: value 128h + 32l + m is bits 2l..2l+1 of qs[32h + m], minus 1.
void UnpackTq2_0(const BlockTq2_0& b, int8_t t[kQK_K]) {
  for (int v = 0; v < kQK_K; ++v) {
    const int h = v / 128, l = (v % 128) / 32, m = v % 32;
    t[v] = static_cast<int8_t>(((b.qs[32 * h + m] >> (2 * l)) & 3) - 1);
  }
}

template <typename Block, void (*Unpack)(const Block&, int8_t*)>
void DequantizeTernary(const void* row, float* out, int64_t n) {
  int8_t t[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i, out += kQK_K) {
    const Block b = LoadBlock<Block>(row, i);
    const float d = F16ToF32(b.d);
    Unpack(b, t);
    for (int l = 0; l < kQK_K; ++l) out[l] = static_cast<float>(t[l]) * d;
  }
}

template <typename Block, void (*Unpack)(const Block&, int8_t*)>
float DotTernary(const void* row, const void* q8_k, int64_t n) {
  int8_t t[kQK_K];
  float sum = 0;
  for (int64_t i = 0; i < n / kQK_K; ++i) {
    const Block x = LoadBlock<Block>(row, i);
    const BlockQ8_K y = LoadBlock<BlockQ8_K>(q8_k, i);
    Unpack(x, t);
    int32_t isum = 0;
    for (int l = 0; l < kQK_K; ++l) isum += t[l] * y.qs[l];
    sum += static_cast<float>(isum) * (F16ToF32(x.d) * y.d);
  }
  return sum;
}

}  // namespace

void DequantizeTq1_0(const void* row, float* out, int64_t n) {
  DequantizeTernary<BlockTq1_0, UnpackTq1_0>(row, out, n);
}
void DequantizeTq2_0(const void* row, float* out, int64_t n) {
  DequantizeTernary<BlockTq2_0, UnpackTq2_0>(row, out, n);
}
float DotTq1_0(const void* row, const void* q8_k, int64_t n) {
  return DotTernary<BlockTq1_0, UnpackTq1_0>(row, q8_k, n);
}
float DotTq2_0(const void* row, const void* q8_k, int64_t n) {
  return DotTernary<BlockTq2_0, UnpackTq2_0>(row, q8_k, n);
}

}  // namespace sizer::kernels::internal

// Scalar reference kernels of MXFP4 (OCP Microscaling Formats spec v1.0: 32 e2m1 values with
// one e8m0 scale; ggml's dequantize_row_mxfp4 and ggml_vec_dot_mxfp4_q8_0_generic,
// ggml-org/ggml src/ggml-quants.c and src/ggml-cpu/quants.c). ggml doubles the e2m1 values so
// they are integers (kValuesMxfp4) and halves the scale (E8m0ToFloatHalf), so the dot product
// is an exact int sum per block of 32, scaled once by d_a * 2^(e - 128).
#include <cstdint>

#include "kernels/blocks.h"
#include "kernels/blocks_iquant.h"
#include "kernels/fp16.h"
#include "kernels/iquant_grids.h"
#include "kernels/quant_reference_internal.h"

namespace sizer::kernels::internal {

void DequantizeMxfp4(const void* row, float* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i, out += kQK) {
    const BlockMxfp4 b = LoadBlock<BlockMxfp4>(row, i);
    const float d = E8m0ToFloatHalf(b.e);
    for (int j = 0; j < kQK / 2; ++j) {
      out[j] = static_cast<float>(kValuesMxfp4[b.qs[j] & 0xF]) * d;
      out[j + kQK / 2] = static_cast<float>(kValuesMxfp4[b.qs[j] >> 4]) * d;
    }
  }
}

float DotMxfp4(const void* row, const void* q8_0, int64_t n) {
  float sum = 0;
  for (int64_t i = 0; i < n / kQK; ++i) {
    const BlockMxfp4 x = LoadBlock<BlockMxfp4>(row, i);
    const BlockQ8_0 y = LoadBlock<BlockQ8_0>(q8_0, i);
    int32_t isum = 0;
    for (int j = 0; j < kQK / 2; ++j) {
      isum += y.qs[j] * kValuesMxfp4[x.qs[j] & 0xF];
      isum += y.qs[j + kQK / 2] * kValuesMxfp4[x.qs[j] >> 4];
    }
    sum += F16ToF32(y.d) * E8m0ToFloatHalf(x.e) * static_cast<float>(isum);
  }
  return sum;
}

}  // namespace sizer::kernels::internal

// The MXFP4 weight quantizer (kernels/quantize.h): ggml's quantize_row_mxfp4_ref semantics,
// re-implemented from its description (ggml-org/ggml src/ggml-quants.c; format: OCP
// Microscaling Formats spec v1.0). Per block of 32: the shared exponent
// e = floor(log2(amax)) - 2 + 127, so that the largest magnitude lands in e2m1's top binade
// (values 4..6 x 2^(e-127)), then every value is the nearest of the 16 doubled e2m1 levels
// times 2^(e - 128) (the first level on ties, as ggml's linear search keeps the first).
#include <cmath>
#include <cstdint>

#include "kernels/blocks.h"
#include "kernels/blocks_iquant.h"
#include "kernels/iquant_grids.h"
#include "kernels/quant_reference_internal.h"
#include "kernels/quantize_reference_internal.h"

namespace sizer::kernels::internal {
namespace {

// The index of the level nearest to x (levels kValuesMxfp4[i] * d), the first on ties.
uint8_t NearestMxfp4Level(float x, float d) {
  uint8_t best = 0;
  float best_err = std::fabs(static_cast<float>(kValuesMxfp4[0]) * d - x);
  for (uint8_t i = 1; i < 16; ++i) {
    const float err = std::fabs(static_cast<float>(kValuesMxfp4[i]) * d - x);
    if (err < best_err) {
      best = i;
      best_err = err;
    }
  }
  return best;
}

// ggml's exponent, floor(log2f(amax)) - 2 + 127, clamped to 0..254 (ggml leaves amax below
// 2^-125 undefined; 0 is the smallest scale and still encodes such a block as zeros).
uint8_t SharedExponent(float amax) {
  if (!(amax > 0.0f)) return 0;
  const float e = std::floor(std::log2(amax)) - 2.0f + 127.0f;
  if (e <= 0.0f) return 0;
  return static_cast<uint8_t>(e >= 254.0f ? 254.0f : e);
}

}  // namespace

void QuantizeMxfp4(const float* x, void* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    float amax = 0;
    for (int j = 0; j < kQK; ++j) amax = std::fabs(x[j]) > amax ? std::fabs(x[j]) : amax;
    BlockMxfp4 b;
    b.e = SharedExponent(amax);
    const float d = E8m0ToFloatHalf(b.e);
    for (int j = 0; j < kQK / 2; ++j) {
      b.qs[j] = static_cast<uint8_t>(NearestMxfp4Level(x[j], d) |
                                     (NearestMxfp4Level(x[j + kQK / 2], d) << 4));
    }
    StoreBlock(out, i, b);
  }
}

}  // namespace sizer::kernels::internal

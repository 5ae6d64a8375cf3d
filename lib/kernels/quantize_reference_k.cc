// Weight quantizers of the k-quants Q2_K..Q6_K (ggml's quantize_row_q*_K_ref semantics
// without an importance matrix, see kernels/quantize.h).
//
// Each type first fits a scale (and, for Q2_K / Q4_K / Q5_K, a min) per group of 16 or 32
// values in float, then quantizes those group scales relative to one f16 super-block scale,
// and finally re-rounds every value against the group scale the file will actually hold.
// The Pack* functions are the exact inverses of quant_reference_k.cc's Unpack* functions:
// they place quant v where the dequantizer reads it. The float sums keep ggml's operation
// order (w * l * l, not w * (l * l)) so the bytes can match llama-quantize's.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant_reference_internal.h"
#include "kernels/quantize_reference_internal.h"

namespace sizer::kernels::internal {
namespace {

constexpr int kMaxGroup = 32;

// ---- Per-group fits

// ggml's make_qkx2_quants: x ~ scale * L + min with L in 0..nmax and min <= 0, minimizing the
// `w`-weighted absolute (use_abs) or squared error. Starts from the plain min/max fit, then
// tries nstep + 1 stretched grids iscale = (nmax + rmin + step * rdelta) / (max - min), each
// followed by the closed-form weighted least-squares (scale, min) for its L. Returns the
// scale, writes -min to *neg_min (so both come back >= 0).
float FitScaleMin(int n, int nmax, const float* x, const float* w, uint8_t* L, float* neg_min,
                  float rmin, float rdelta, int nstep, bool use_abs) {
  float min = x[0], max = x[0];
  float sum_w = w[0], sum_x = w[0] * x[0];
  for (int i = 1; i < n; ++i) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
    sum_w += w[i];
    sum_x += w[i] * x[i];
  }
  if (min > 0) min = 0;  // the format subtracts a min >= 0 only
  if (max == min) {
    std::memset(L, 0, static_cast<size_t>(n));
    *neg_min = -min;
    return 0;
  }
  auto error_of = [&](const uint8_t* levels, float scale, float offset) {
    float error = 0;
    for (int i = 0; i < n; ++i) {
      const float diff = scale * static_cast<float>(levels[i]) + offset - x[i];
      error += w[i] * (use_abs ? std::fabs(diff) : diff * diff);
    }
    return error;
  };
  float iscale = static_cast<float>(nmax) / (max - min);
  float scale = 1 / iscale;
  for (int i = 0; i < n; ++i) L[i] = static_cast<uint8_t>(RoundClamp(iscale * (x[i] - min), 0, nmax));
  float best_error = error_of(L, scale, min);
  uint8_t trial[kMaxGroup];
  for (int step = 0; step <= nstep; ++step) {
    iscale = (rmin + rdelta * static_cast<float>(step) + static_cast<float>(nmax)) / (max - min);
    float sum_l = 0, sum_l2 = 0, sum_xl = 0;
    for (int i = 0; i < n; ++i) {
      const int l = RoundClamp(iscale * (x[i] - min), 0, nmax);
      trial[i] = static_cast<uint8_t>(l);
      sum_l += w[i] * static_cast<float>(l);
      sum_l2 += w[i] * static_cast<float>(l) * static_cast<float>(l);
      sum_xl += w[i] * static_cast<float>(l) * x[i];
    }
    // Weighted least squares of x ~ a * l + b: the 2x2 normal equations' determinant.
    const float det = sum_w * sum_l2 - sum_l * sum_l;
    if (det <= 0) continue;
    float this_scale = (sum_w * sum_xl - sum_x * sum_l) / det;
    float this_min = (sum_l2 * sum_x - sum_l * sum_xl) / det;
    if (this_min > 0) {  // min must stay <= 0: refit the scale alone with min = 0
      this_min = 0;
      this_scale = sum_xl / sum_l2;
    }
    const float error = error_of(trial, this_scale, this_min);
    if (error < best_error) {
      std::memcpy(L, trial, static_cast<size_t>(n));
      best_error = error;
      scale = this_scale;
      min = this_min;
    }
  }
  *neg_min = -min;
  return scale;
}

// The value of largest magnitude, sign included (the first on ties); 0 when every |x| is
// below kGroupMaxEps.
float SignedMaxOrZero(int n, const float* x) {
  float amax = 0, max = 0;
  for (int i = 0; i < n; ++i) {
    if (std::fabs(x[i]) > amax) {
      amax = std::fabs(x[i]);
      max = x[i];
    }
  }
  return amax < kGroupMaxEps ? 0.0f : max;
}

// ggml's make_qx_quants with x^2 weights (rmse_type 1), for Q6_K: x ~ scale * l with l in
// -nmax..nmax-1, the value of largest magnitude on -nmax. Tries the 19 grids
// iscale = -(nmax + 0.1 k) / max, k in -9..9, keeping the one whose least-squares scale
// explains the most weighted energy (largest sumlx^2 / suml2). L gets l + nmax.
float FitSymmetricScale(int n, int nmax, const float* x, uint8_t* L) {
  const float max = SignedMaxOrZero(n, x);
  if (max == 0) {
    std::memset(L, 0, static_cast<size_t>(n));
    return 0;
  }
  auto sums_for = [&](float iscale, float* sumlx, float* suml2, uint8_t* levels) {
    *sumlx = 0;
    *suml2 = 0;
    for (int i = 0; i < n; ++i) {
      const int l = RoundClamp(iscale * x[i], -nmax, nmax - 1);
      if (levels != nullptr) levels[i] = static_cast<uint8_t>(l + nmax);
      const float w = x[i] * x[i];
      *sumlx += w * x[i] * static_cast<float>(l);
      *suml2 += w * static_cast<float>(l) * static_cast<float>(l);
    }
  };
  float sumlx, suml2;
  sums_for(-static_cast<float>(nmax) / max, &sumlx, &suml2, L);
  float scale = suml2 > 0 ? sumlx / suml2 : 0.0f;
  float best = scale * sumlx;
  for (int k = -9; k <= 9; ++k) {
    if (k == 0) continue;
    const float iscale = -(static_cast<float>(nmax) + 0.1f * static_cast<float>(k)) / max;
    sums_for(iscale, &sumlx, &suml2, nullptr);
    if (suml2 > 0 && sumlx * sumlx > best * suml2) {
      sums_for(iscale, &sumlx, &suml2, L);
      scale = sumlx / suml2;
      best = scale * sumlx;
    }
  }
  return scale;
}

// ggml's make_q3_quants with do_rmse, for Q3_K: start from l = round(-nmax x / max) in
// -nmax..nmax-1, then up to 5 rounds of coordinate descent: move each l to the level that is
// best for x given the least-squares scale of the others, when that raises the x^2-weighted
// sumlx^2 / suml2. L gets l + nmax; returns the least-squares scale.
float FitQ3Scale(int n, int nmax, const float* x, uint8_t* L) {
  const float max = SignedMaxOrZero(n, x);
  if (max == 0) {
    std::memset(L, 0, static_cast<size_t>(n));
    return 0;
  }
  const float iscale = -static_cast<float>(nmax) / max;
  int l_of[kMaxGroup];
  float sumlx = 0, suml2 = 0;
  for (int i = 0; i < n; ++i) {
    l_of[i] = RoundClamp(iscale * x[i], -nmax, nmax - 1);
    const float w = x[i] * x[i];
    sumlx += w * x[i] * static_cast<float>(l_of[i]);
    suml2 += w * static_cast<float>(l_of[i]) * static_cast<float>(l_of[i]);
  }
  for (int round = 0; round < 5; ++round) {
    int changed = 0;
    for (int i = 0; i < n; ++i) {
      const float w = x[i] * x[i];
      const float l = static_cast<float>(l_of[i]);
      float slx = sumlx - w * x[i] * l;
      if (slx <= 0) continue;
      float sl2 = suml2 - w * l * l;
      const int new_l = RoundClamp(x[i] * sl2 / slx, -nmax, nmax - 1);
      if (new_l == l_of[i]) continue;
      slx += w * x[i] * static_cast<float>(new_l);
      sl2 += w * static_cast<float>(new_l) * static_cast<float>(new_l);
      if (sl2 > 0 && slx * slx * suml2 > sumlx * sumlx * sl2) {
        l_of[i] = new_l;
        sumlx = slx;
        suml2 = sl2;
        ++changed;
      }
    }
    if (changed == 0) break;
  }
  for (int i = 0; i < n; ++i) L[i] = static_cast<uint8_t>(l_of[i] + nmax);
  return suml2 > 0 ? sumlx / suml2 : 1 / iscale;
}

// ---- Packing: the inverses of quant_reference_k.cc's Unpack* (same index arithmetic).

void PackQ2Bits(const uint8_t q[kQK_K], uint8_t qs[kQK_K / 4]) {
  std::memset(qs, 0, kQK_K / 4);
  for (int v = 0; v < kQK_K; ++v) {
    const int h = v / 128, j = (v % 128) / 32, l = v % 32;
    qs[32 * h + l] = static_cast<uint8_t>(qs[32 * h + l] | ((q[v] & 3) << (2 * j)));
  }
}

// Q4_K / Q5_K: in chunk c value 64c + l is the low nibble of qs[32c + l], 64c + 32 + l the
// high nibble.
void PackQ4Nibbles(const uint8_t q[kQK_K], uint8_t qs[kQK_K / 2]) {
  std::memset(qs, 0, kQK_K / 2);
  for (int v = 0; v < kQK_K; ++v) {
    const int c = v / 64, l = v % 32;
    const int shift = (v % 64) < 32 ? 0 : 4;
    qs[32 * c + l] = static_cast<uint8_t>(qs[32 * c + l] | ((q[v] & 0xF) << shift));
  }
}

// Q3_K / Q5_K: one bit of value v at bit v / 32 of mask[v % 32].
void PackBitPlane(const uint8_t q[kQK_K], int bit, uint8_t mask[kQK_K / 8]) {
  std::memset(mask, 0, kQK_K / 8);
  for (int v = 0; v < kQK_K; ++v) {
    mask[v % 32] = static_cast<uint8_t>(mask[v % 32] | (((q[v] >> bit) & 1) << (v / 32)));
  }
}

// Q4_K / Q5_K: 6-bit scale and min of group j, where ScaleMinK4 reads them.
void PackScaleMinK4(int j, int sc, int m, uint8_t q[kKScaleSize]) {
  if (j < 4) {
    q[j] = static_cast<uint8_t>((q[j] & 0xC0) | sc);
    q[j + 4] = static_cast<uint8_t>((q[j + 4] & 0xC0) | m);
  } else {
    q[j + 4] = static_cast<uint8_t>((sc & 0xF) | ((m & 0xF) << 4));
    q[j - 4] = static_cast<uint8_t>(q[j - 4] | ((sc >> 4) << 6));
    q[j] = static_cast<uint8_t>(q[j] | ((m >> 4) << 6));
  }
}

// Q3_K: the 6-bit (scale + 32) of group j, where UnpackQ3KScale reads it.
void PackQ3KScale(int j, int biased, uint8_t scales[12]) {
  const int low = biased & 0xF, high = biased >> 4;
  if (j < 8) {
    scales[j] = static_cast<uint8_t>(scales[j] | low);
  } else {
    scales[j - 8] = static_cast<uint8_t>(scales[j - 8] | (low << 4));
  }
  scales[8 + j % 4] = static_cast<uint8_t>(scales[8 + j % 4] | (high << (2 * (j / 4))));
}

// ---- Scale-and-min types: Q2_K (16 groups of 16, 4-bit scales) and Q4_K / Q5_K (8 groups
// of 32, 6-bit scales)

struct ScaleMinBlock {
  uint16_t d = 0, dmin = 0;
  int sc[16] = {}, m[16] = {};  // quantized group scales and mins
  uint8_t q[kQK_K] = {};        // quants 0..nmax in value order
};

// Fits every group, quantizes the group scales and mins to 0..scale_max relative to
// d = max_scale / scale_max and dmin = max_min / scale_max (both f16), then re-rounds the
// values against the stored d * sc and dmin * m. `weights_of` fills a group's fit weights.
template <typename Weights>
ScaleMinBlock QuantizeScaleMin(const float* x, int group, int nmax, int scale_max, float rmin,
                               float rdelta, int nstep, bool use_abs, Weights weights_of) {
  const int groups = kQK_K / group;
  ScaleMinBlock b;
  float scales[16], mins[16], w[kMaxGroup];
  float max_scale = 0, max_min = 0;
  for (int g = 0; g < groups; ++g) {
    weights_of(x + group * g, w);
    scales[g] = FitScaleMin(group, nmax, x + group * g, w, b.q + group * g, &mins[g], rmin,
                            rdelta, nstep, use_abs);
    if (scales[g] > max_scale) max_scale = scales[g];
    if (mins[g] > max_min) max_min = mins[g];
  }
  const float inv_scale = max_scale > 0 ? static_cast<float>(scale_max) / max_scale : 0.0f;
  const float inv_min = max_min > 0 ? static_cast<float>(scale_max) / max_min : 0.0f;
  for (int g = 0; g < groups; ++g) {
    b.sc[g] = RoundClamp(inv_scale * scales[g], 0, scale_max);
    b.m[g] = RoundClamp(inv_min * mins[g], 0, scale_max);
  }
  b.d = F32ToF16(max_scale / static_cast<float>(scale_max));
  b.dmin = F32ToF16(max_min / static_cast<float>(scale_max));
  for (int g = 0; g < groups; ++g) {
    const float d = F16ToF32(b.d) * static_cast<float>(b.sc[g]);
    if (d == 0) continue;  // the group dequantizes to -dmin * m whatever its quants
    const float dm = F16ToF32(b.dmin) * static_cast<float>(b.m[g]);
    for (int l = group * g; l < group * g + group; ++l) {
      b.q[l] = static_cast<uint8_t>(RoundClamp((x[l] + dm) / d, 0, nmax));
    }
  }
  return b;
}

// Q4_K / Q5_K weights: RMS of the group plus |x| (ggml's av_x + |x|).
void RmsPlusAbsWeights(const float* x, float* w) {
  float sum_x2 = 0;
  for (int l = 0; l < 32; ++l) sum_x2 += x[l] * x[l];
  const float av_x = std::sqrt(sum_x2 / 32);
  for (int l = 0; l < 32; ++l) w[l] = av_x + std::fabs(x[l]);
}

}  // namespace

void QuantizeQ2_K(const float* x, void* out, int64_t n) {
  auto abs_weights = [](const float* xg, float* w) {
    for (int l = 0; l < 16; ++l) w[l] = std::fabs(xg[l]);
  };
  for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
    const ScaleMinBlock s = QuantizeScaleMin(x, 16, 3, 15, -0.5f, 0.1f, 15, true, abs_weights);
    BlockQ2_K b;
    for (int g = 0; g < 16; ++g) b.scales[g] = static_cast<uint8_t>(s.sc[g] | (s.m[g] << 4));
    PackQ2Bits(s.q, b.qs);
    b.d = s.d;
    b.dmin = s.dmin;
    StoreBlock(out, i, b);
  }
}

void QuantizeQ4_K(const float* x, void* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
    const ScaleMinBlock s =
        QuantizeScaleMin(x, 32, 15, 63, -1.0f, 0.1f, 20, false, RmsPlusAbsWeights);
    BlockQ4_K b;
    b.d = s.d;
    b.dmin = s.dmin;
    std::memset(b.scales, 0, sizeof(b.scales));
    for (int g = 0; g < 8; ++g) PackScaleMinK4(g, s.sc[g], s.m[g], b.scales);
    PackQ4Nibbles(s.q, b.qs);
    StoreBlock(out, i, b);
  }
}

void QuantizeQ5_K(const float* x, void* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
    const ScaleMinBlock s =
        QuantizeScaleMin(x, 32, 31, 63, -0.5f, 0.1f, 15, false, RmsPlusAbsWeights);
    BlockQ5_K b;
    b.d = s.d;
    b.dmin = s.dmin;
    std::memset(b.scales, 0, sizeof(b.scales));
    for (int g = 0; g < 8; ++g) PackScaleMinK4(g, s.sc[g], s.m[g], b.scales);
    PackBitPlane(s.q, 4, b.qh);
    PackQ4Nibbles(s.q, b.qs);
    StoreBlock(out, i, b);
  }
}

// ---- Q3_K: 16 groups of 16, x = d * (scale - 32) * (q - 4) with q in 0..7

void QuantizeQ3_K(const float* x, void* out, int64_t n) {
  uint8_t q[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
    float scales[16];
    float max_scale = 0, amax = 0;  // the group scale of largest magnitude, sign included
    for (int g = 0; g < 16; ++g) {
      scales[g] = FitQ3Scale(16, 4, x + 16 * g, q + 16 * g);
      if (std::fabs(scales[g]) > amax) {
        amax = std::fabs(scales[g]);
        max_scale = scales[g];
      }
    }
    BlockQ3_K b;
    std::memset(b.scales, 0, sizeof(b.scales));
    b.d = 0;
    if (max_scale != 0) {
      // The largest scale maps to -32, the most negative 6-bit signed scale.
      const float iscale = -32.0f / max_scale;
      for (int g = 0; g < 16; ++g) PackQ3KScale(g, RoundClamp(iscale * scales[g], -32, 31) + 32, b.scales);
      b.d = F32ToF16(1 / iscale);
    }
    for (int g = 0; g < 16; ++g) {
      const float d = F16ToF32(b.d) * static_cast<float>(UnpackQ3KScale(g, b.scales));
      if (d == 0) continue;
      for (int l = 16 * g; l < 16 * g + 16; ++l) {
        q[l] = static_cast<uint8_t>(RoundClamp(x[l] / d, -4, 3) + 4);
      }
    }
    // The dequantizer subtracts 4 where the high bit is clear: high bit = bit 2 of q.
    PackBitPlane(q, 2, b.hmask);
    PackQ2Bits(q, b.qs);
    StoreBlock(out, i, b);
  }
}

// ---- Q6_K: 16 groups of 16, x = d * scale * (q - 32) with int8 scales

void QuantizeQ6_K(const float* x, void* out, int64_t n) {
  uint8_t q[kQK_K];
  for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
    float scales[16];
    float max_scale = 0, amax = 0;
    for (int g = 0; g < 16; ++g) {
      scales[g] = FitSymmetricScale(16, 32, x + 16 * g, q + 16 * g);
      if (std::fabs(scales[g]) > amax) {
        amax = std::fabs(scales[g]);
        max_scale = scales[g];
      }
    }
    BlockQ6_K b;
    if (amax < kGroupMaxEps) {
      std::memset(&b, 0, sizeof(b));
      StoreBlock(out, i, b);
      continue;
    }
    // The largest scale maps to -128, the most negative int8.
    const float iscale = -128.0f / max_scale;
    b.d = F32ToF16(1 / iscale);
    for (int g = 0; g < 16; ++g) b.scales[g] = static_cast<int8_t>(RoundClamp(iscale * scales[g], -128, 127));
    for (int g = 0; g < 16; ++g) {
      const float d = F16ToF32(b.d) * static_cast<float>(b.scales[g]);
      if (d == 0) continue;
      for (int l = 16 * g; l < 16 * g + 16; ++l) {
        q[l] = static_cast<uint8_t>(RoundClamp(x[l] / d, -32, 31) + 32);
      }
    }
    // Value 128h + 32k + l: low nibble in ql[64h + l + 32(k % 2)] (high nibble for k >= 2),
    // top 2 bits at bit 2k of qh[32h + l].
    std::memset(b.ql, 0, sizeof(b.ql));
    std::memset(b.qh, 0, sizeof(b.qh));
    for (int v = 0; v < kQK_K; ++v) {
      const int h = v / 128, k = (v % 128) / 32, l = v % 32;
      uint8_t& low = b.ql[64 * h + l + 32 * (k % 2)];
      low = static_cast<uint8_t>(low | ((q[v] & 0xF) << (k < 2 ? 0 : 4)));
      uint8_t& high = b.qh[32 * h + l];
      high = static_cast<uint8_t>(high | ((q[v] >> 4) << (2 * k)));
    }
    StoreBlock(out, i, b);
  }
}

}  // namespace sizer::kernels::internal

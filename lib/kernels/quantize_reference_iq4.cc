// Weight quantizers of the non-linear 4-bit formats IQ4_NL (blocks of 32, f16 scale) and
// IQ4_XS (super-blocks of 256: f16 d and a signed 6-bit scale per 32), with the semantics of
// ggml's quantize_row_iq4_nl_impl without an importance matrix (what llama-quantize writes
// when it is given none): every value becomes the nearest of the 16 kValuesIq4Nl levels.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant_reference_internal.h"
#include "kernels/quantize_reference_internal.h"

namespace sizer::kernels::internal {
namespace {

// kLevelAtOrBelow[k + 128], k an integer in -128..127: the index of the largest
// kValuesIq4Nl level <= k (0 below the first level).
constexpr auto kLevelAtOrBelow = [] {
  std::array<uint8_t, 256> table{};
  for (int k = -128; k < 128; ++k) {
    int index = 0;
    for (int j = 1; j < 16; ++j) {
      if (kValuesIq4Nl[j] <= k) index = j;
    }
    table[static_cast<size_t>(k + 128)] = static_cast<uint8_t>(index);
  }
  return table;
}();

// Index of the kValuesIq4Nl level nearest to `v` (ties to the upper level, as ggml's
// best_index_int8); values beyond the ends take the end levels. The levels are integers, so
// the bracketing pair comes from a table indexed by floor(v) (no search: this runs 16 times
// per value), then the same float comparison as ggml picks one of the two.
int NearestLevel(float v) {
  constexpr int kLast = 15;
  if (!(v > kValuesIq4Nl[0])) return 0;  // also NaN
  if (v >= kValuesIq4Nl[kLast]) return kLast;
  // -127 < v < 113, so v + 128 > 0 and the conversion truncates to floor(v) + 128, or to one
  // more where v + 128 rounded up to an integer: then the level found may exceed v by the
  // rounding, and the one below it is the right one (levels are at least 9 apart).
  int lo = kLevelAtOrBelow[static_cast<size_t>(v + 128.0f)];
  if (kValuesIq4Nl[lo] > v) --lo;
  const int hi = lo + 1;  // kValuesIq4Nl[lo] <= v < kValuesIq4Nl[hi]
  return v - kValuesIq4Nl[lo] < kValuesIq4Nl[hi] - v ? lo : hi;
}

// The x^2-weighted sums of one group of 32 against the levels nearest x * id: the
// least-squares scale of that assignment is sumqx / sumq2, and it explains
// sumqx^2 / sumq2 of the weighted energy.
struct LevelSums {
  float sumqx = 0, sumq2 = 0;
};
LevelSums SumLevels(const float* x, float id) {
  LevelSums s;
  for (int j = 0; j < kQK; ++j) {
    const float q = kValuesIq4Nl[NearestLevel(id * x[j])];
    const float w = x[j] * x[j];
    s.sumqx += w * q * x[j];
    s.sumq2 += w * q * q;
  }
  return s;
}

// The scale of one group of 32: the least-squares scale for the grid that puts the value of
// largest magnitude on level -127 (kValuesIq4Nl[0]), then the 15 grids with -127 + k in
// place of -127, k in -7..7, keeping the fit that explains the most energy (compared as
// sumqx^2 > best * sumq2, ggml's float arithmetic). 0 for a group below kGroupMaxEps.
float FitGroupScale(const float* x) {
  float amax = 0, max = 0;
  for (int j = 0; j < kQK; ++j) {
    if (std::fabs(x[j]) > amax) {
      amax = std::fabs(x[j]);
      max = x[j];
    }
  }
  if (amax < kGroupMaxEps) return 0;
  const float level0 = kValuesIq4Nl[0];
  const LevelSums first = SumLevels(x, 1 / (-max / level0));
  if (first.sumq2 <= 0) return 0;  // only when x^2 underflows
  float d = first.sumqx / first.sumq2;
  float best = d * first.sumqx;
  for (int k = -7; k <= 7; ++k) {
    const LevelSums s = SumLevels(x, (static_cast<float>(k) + level0) / max);
    if (s.sumq2 > 0 && s.sumqx * s.sumqx > best * s.sumq2) {
      d = s.sumqx / s.sumq2;
      best = d * s.sumqx;
    }
  }
  return d;
}

// 32 values against scale d (levels of x / d; a zero scale gives the level nearest 0),
// packed as value j in the low and j + 16 in the high nibble of byte j.
void PackGroup(const float* x, float d, uint8_t qs[kQK / 2]) {
  const float id = d != 0 ? 1 / d : 0.0f;
  for (int j = 0; j < kQK / 2; ++j) {
    const int lo = NearestLevel(id * x[j]);
    const int hi = NearestLevel(id * x[j + kQK / 2]);
    qs[j] = static_cast<uint8_t>(lo | (hi << 4));
  }
}

}  // namespace

void QuantizeIq4Nl(const float* x, void* out, int64_t n) {
  for (int64_t i = 0; i < n / kQK; ++i, x += kQK) {
    const float d = FitGroupScale(x);
    BlockIq4Nl b;
    b.d = F32ToF16(d);
    PackGroup(x, d, b.qs);  // against the unrounded d, as ggml does
    StoreBlock(out, i, b);
  }
}

void QuantizeIq4Xs(const float* x, void* out, int64_t n) {
  constexpr int kGroups = kQK_K / kQK;
  for (int64_t i = 0; i < n / kQK_K; ++i, x += kQK_K) {
    float scales[kGroups];
    float max_scale = 0, amax = 0;  // the group scale of largest magnitude, sign included
    for (int g = 0; g < kGroups; ++g) {
      scales[g] = FitGroupScale(x + kQK * g);
      if (std::fabs(scales[g]) > amax) {
        amax = std::fabs(scales[g]);
        max_scale = scales[g];
      }
    }
    // The largest group scale maps to -32, the most negative 6-bit signed scale. An all-zero
    // super-block gets d = -0.0 (f16 0x8000) as ggml writes it: it dequantizes to zeros.
    const float d = -max_scale / 32;
    const float id = d != 0 ? 1 / d : 0.0f;
    BlockIq4Xs b;
    b.d = F32ToF16(d);
    b.scales_h = 0;
    std::memset(b.scales_l, 0, sizeof(b.scales_l));
    for (int g = 0; g < kGroups; ++g) {
      const int ls = RoundClamp(id * scales[g], -32, 31);
      const int biased = ls + 32;
      b.scales_l[g / 2] = static_cast<uint8_t>(b.scales_l[g / 2] | ((biased & 0xF) << (4 * (g % 2))));
      b.scales_h = static_cast<uint16_t>(b.scales_h | ((biased >> 4) << (2 * g)));
      PackGroup(x + kQK * g, d * static_cast<float>(ls), b.qs + 16 * g);
    }
    StoreBlock(out, i, b);
  }
}

}  // namespace sizer::kernels::internal

// kernels/vec_dot_simd.h: every SIMD kernel, on every compiled Highway target this CPU
// supports, against the scalar VecDotReference: random valid rows of 1, 2, 7 and many blocks,
// rows of extreme quants, and every f16 / bf16 bit pattern. The end-to-end check (the runner's
// greedy stories260K continuation, now computed by these kernels) is tests/runner/runner_test.cc.
#include "kernels/vec_dot_simd.h"

#include <gtest/gtest.h>

#include "testing/quant_rows.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gguf/ggml_types.h"
#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant.h"

namespace sizer::kernels {
namespace {

// ggml type ids.
constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ4_1 = 3, kQ5_0 = 6, kQ5_1 = 7, kQ8_0 = 8,
                   kQ4_K = 12, kQ5_K = 13, kQ6_K = 14, kBf16 = 30, kIq2Xxs = 16, kIq2Xs = 17,
                   kIq3Xxs = 18, kIq3S = 21, kIq2S = 22;
const uint32_t kLatticeTypes[] = {kIq2Xxs, kIq2Xs, kIq2S, kIq3Xxs, kIq3S};

std::string TypeName(uint32_t type) {
  const auto info = gguf::FindGgmlType(type);
  return info ? std::string(info->name) : "type " + std::to_string(type);
}

int64_t BlockElements(uint32_t type) { return gguf::FindGgmlType(type)->block_elements; }

// Tolerances, as |VecDot - VecDotReference| / sum_i |w_i a_i| (w, a: the dequantized row and
// activation). Relative to the result itself the error is unbounded under cancellation; against
// sum |w_i a_i| both kernels have textbook bounds, since both compute the same exact integer
// sums and differ only in float rounding. With u = 2^-24 (float unit roundoff), the limit is
// (per_block x blocks + fixed) x u:
// - F32, F16, BF16: both sides add exact products in double and round once to float, so they
//   differ by at most 1 ulp of the result (2u x sum) plus n x 2^-53 for the order of the double
//   sums: fixed 4, nothing per block.
// - Q8_0, Q4_0, Q5_0, Q6_K: the reference rounds each block term twice (int -> float exactly,
//   x d_x d_a) and adds B terms in sequence (B - 1 roundings); the SIMD kernel scales exact
//   per-lane integer partials with one FMA per block into 2 x 8..16 float lanes (B / 2
//   roundings per chain, plus 1 for an int32 lane above 2^24 in k-quants) and sums the lanes in
//   a tree (<= 6 roundings). First order, the two differ by <= (1.5 B + 10) u x sum: per block
//   2, fixed 16.
// - Q4_1, Q5_1, Q4_K, Q5_K: as above plus a min term per block (m x s, or dmin x sum_mins) that
//   the SIMD kernel adds in a separate float: per block 3, fixed 16.
// - IQ2_XXS, IQ2_XS, IQ2_S, IQ3_XXS, IQ3_S: the SIMD kernel sums each super-block exactly in
//   int32 and scales it in the reference's float order, so the two are bit-identical
//   (LatticeIquantsAreBitIdenticalToTheReference); the bound here is 1 u for the shared test.
// A wrong quant, nibble, scale or pairing moves the result by a sizeable fraction of the sum
// (quant_reference_test.cc's CheckDetectsAWrongPairing): orders of magnitude above these.
constexpr double kUnitRoundoff = 0x1p-24;

struct Tolerance {
  uint32_t type;
  double per_block;  // roundings per block (super-block for the k-quants)
  double fixed;
};

constexpr Tolerance kTolerances[] = {
    {kF32, 0, 4},   {kF16, 0, 4},   {kBf16, 0, 4},  {kQ8_0, 2, 16}, {kQ4_0, 2, 16}, {kQ5_0, 2, 16},
    {kQ6_K, 2, 16}, {kQ4_1, 3, 16}, {kQ5_1, 3, 16}, {kQ4_K, 3, 16}, {kQ5_K, 3, 16},
    {kIq2Xxs, 0, 1}, {kIq2Xs, 0, 1}, {kIq2S, 0, 1}, {kIq3Xxs, 0, 1}, {kIq3S, 0, 1},
};

double ToleranceFor(uint32_t type, int64_t n) {
  for (const Tolerance& t : kTolerances) {
    if (t.type == type) {
      const double blocks = static_cast<double>(n / BlockElements(type));
      return (t.per_block * blocks + t.fixed) * kUnitRoundoff;
    }
  }
  ADD_FAILURE() << "no tolerance for " << TypeName(type);
  return 0;
}

// For RecordProperty and the summary: 3 significant digits.
std::string Sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

// Runs `body(target_name)` once per compiled target this CPU supports, with VecDot
// dispatching to it, then restores the normal choice.
template <typename Body>
void ForEachTarget(Body body) {
  const std::vector<int64_t> targets = CompiledSimdTargets();
  ASSERT_FALSE(targets.empty());
  for (int64_t target : targets) {
    const std::string name = SimdTargetName(target);
    SCOPED_TRACE("target " + name);
    SetSimdTargetForTest(target);
    EXPECT_EQ(ActiveSimdTarget(), name);
    body(name);
  }
  SetSimdTargetForTest(0);
}

// ---- Rows and activations

// Random rows: tests/testing/quant_rows.h.
using sizer::testing::FixBlocks;

template <typename Fill>
std::vector<uint8_t> MakeRow(uint32_t type, int64_t n, std::mt19937& rng, Fill fill) {
  return sizer::testing::RandomWeightRow(type, n, rng, fill);
}

std::vector<uint8_t> RandomRow(uint32_t type, int64_t n, std::mt19937& rng) {
  return sizer::testing::RandomWeightRow(type, n, rng);
}

std::vector<uint8_t> Quantize(uint32_t type, const std::vector<float>& x) {
  const int64_t n = static_cast<int64_t>(x.size());
  const ActivationFormat format = ActivationFormatFor(type);
  std::vector<uint8_t> a(ActivationBytes(format, n));
  QuantizeActivationReference(format, x.data(), a.data(), n);
  return a;
}

template <typename Block>
Block BlockAt(const uint8_t* base, int64_t i) {
  Block b;
  std::memcpy(&b, base + i * static_cast<int64_t>(sizeof(Block)), sizeof(Block));
  return b;
}

// The activation as floats: d * q per block (kF32: the floats).
std::vector<float> DequantizeActivation(uint32_t type, const std::vector<uint8_t>& a, int64_t n) {
  std::vector<float> out(static_cast<size_t>(n));
  switch (ActivationFormatFor(type)) {
    case ActivationFormat::kF32:
      std::memcpy(out.data(), a.data(), static_cast<size_t>(n) * 4);
      break;
    case ActivationFormat::kQ8_0:
      for (int64_t i = 0; i < n / 32; ++i) {
        const auto b = BlockAt<BlockQ8_0>(a.data(), i);
        for (int j = 0; j < 32; ++j) out[32 * i + j] = F16ToF32(b.d) * b.qs[j];
      }
      break;
    case ActivationFormat::kQ8_1:
      for (int64_t i = 0; i < n / 32; ++i) {
        const auto b = BlockAt<BlockQ8_1>(a.data(), i);
        for (int j = 0; j < 32; ++j) out[32 * i + j] = F16ToF32(b.d) * b.qs[j];
      }
      break;
    case ActivationFormat::kQ8_K:
      for (int64_t i = 0; i < n / 256; ++i) {
        const auto b = BlockAt<BlockQ8_K>(a.data(), i);
        for (int j = 0; j < 256; ++j) out[256 * i + j] = b.d * b.qs[j];
      }
      break;
  }
  return out;
}

// sum_i |w_i a_i|: the scale the errors are measured against.
double Magnitude(uint32_t type, const std::vector<uint8_t>& row, const std::vector<uint8_t>& a,
                 int64_t n) {
  std::vector<float> w(static_cast<size_t>(n));
  DequantizeRowReference(type, row.data(), w.data(), n);
  const std::vector<float> xa = DequantizeActivation(type, a, n);
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += std::fabs(static_cast<double>(w[i]) * xa[i]);
  return sum;
}

// The relative error of VecDot against VecDotReference on one row (-1 if not finite).
double RelativeError(uint32_t type, const std::vector<uint8_t>& row, const std::vector<uint8_t>& a,
                     int64_t n) {
  const float got = VecDot(type, row.data(), a.data(), n);
  const float want = VecDotReference(type, row.data(), a.data(), n);
  if (!std::isfinite(got) || !std::isfinite(want)) return -1;
  const double magnitude = Magnitude(type, row, a, n);
  if (magnitude == 0) return got == want ? 0 : -1;
  return std::fabs(static_cast<double>(got) - want) / magnitude;
}

// Row lengths: 1, 2 and 7 blocks and a large row (4096 values: 128 blocks of 32 or 16
// super-blocks); float rows also get lengths that leave a tail after the vector loop.
std::vector<int64_t> Lengths(uint32_t type) {
  const int64_t block = BlockElements(type);
  std::vector<int64_t> lengths = {block, 2 * block, 7 * block, 4096};
  if (block == 1) {
    for (int64_t n : {3, 33, 100, 4099}) lengths.push_back(n);
  }
  return lengths;
}

// ---- Tests

TEST(SimdTargets, CompiledTargetsIncludeTheBestThisCpuRuns) {
  const std::vector<int64_t> targets = CompiledSimdTargets();
  ASSERT_FALSE(targets.empty());
  std::string names;
  for (int64_t t : targets) names += (names.empty() ? "" : " ") + SimdTargetName(t);
  RecordProperty("targets", names);
  std::printf("[ targets  ] compiled and supported here: %s; VecDot uses %s\n", names.c_str(),
              ActiveSimdTarget().c_str());
  // CompiledSimdTargets() is best first; without a test override that is the one dispatched.
  EXPECT_EQ(ActiveSimdTarget(), SimdTargetName(targets.front()));
}

TEST(SimdTargets, EveryTypeWithAKernelIsSupportedAndHasATolerance) {
  const std::vector<uint32_t> types = SimdVecDotTypes();
  EXPECT_EQ(types.size(), std::size(kTolerances));
  for (uint32_t type : types) {
    EXPECT_TRUE(IsSupportedWeightType(type)) << type;
    EXPECT_TRUE(HasSimdVecDot(type));
    EXPECT_GT(ToleranceFor(type, BlockElements(type)), 0) << TypeName(type);
  }
  EXPECT_FALSE(HasSimdVecDot(23));  // IQ4_XS: reference only
}

TEST(SimdVecDot, LatticeIquantsAreBitIdenticalToTheReference) {
  ForEachTarget([&](const std::string&) {
    std::mt19937 rng(77);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    for (uint32_t type : kLatticeTypes) {
      EXPECT_TRUE(HasSimdVecDot(type)) << TypeName(type);
      for (int64_t n : {256, 2048}) {
        for (int trial = 0; trial < 8; ++trial) {
          const std::vector<uint8_t> row = RandomRow(type, n, rng);
          std::vector<float> x(static_cast<size_t>(n));
          for (float& v : x) v = gauss(rng) * (trial % 2 ? 0.01f : 3.0f);
          const std::vector<uint8_t> a = Quantize(type, x);
          EXPECT_EQ(VecDot(type, row.data(), a.data(), n),
                    VecDotReference(type, row.data(), a.data(), n))
              << TypeName(type) << " n=" << n << " trial " << trial;
        }
      }
    }
  });
}

TEST(SimdVecDot, RandomRowsMatchTheReferenceOnEveryTarget) {
  std::map<std::string, std::string> worst_by_type;  // "Q4_0" -> "AVX3 1.2e-07, AVX2 ..."
  ForEachTarget([&](const std::string& target) {
    std::mt19937 rng(2024);  // the same rows on every target
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    for (uint32_t type : SimdVecDotTypes()) {
      double worst = 0;
      for (int64_t n : Lengths(type)) {
        const double tolerance = ToleranceFor(type, n);
        for (int trial = 0; trial < 12; ++trial) {
          const std::vector<uint8_t> row = RandomRow(type, n, rng);
          std::vector<float> x(static_cast<size_t>(n));
          for (float& v : x) v = gauss(rng) * (trial % 2 ? 0.01f : 3.0f);
          const double error = RelativeError(type, row, Quantize(type, x), n);
          ASSERT_GE(error, 0) << TypeName(type) << " n=" << n << ": not finite";
          EXPECT_LE(error, tolerance) << TypeName(type) << " n=" << n << " trial " << trial;
          worst = std::max(worst, error);
        }
      }
      std::string& line = worst_by_type[TypeName(type)];
      line += (line.empty() ? "" : ", ") + target + " " + Sci(worst);
      RecordProperty("error_" + target + "_" + TypeName(type), Sci(worst));
    }
  });
  for (const auto& [type, line] : worst_by_type) {
    std::printf("[ max err  ] %-5s %s\n", type.c_str(), line.c_str());
  }
}

// All-equal quant bytes (0x00, 0xFF, 0x80, 0x7F) against activation quants of +127 or -128
// everywhere: the largest products the 16-bit and 32-bit lanes must hold without overflow.
TEST(SimdVecDot, ExtremeQuantsMatchTheReferenceOnEveryTarget) {
  ForEachTarget([&](const std::string&) {
    std::mt19937 rng(7);
    for (uint32_t type : SimdVecDotTypes()) {
      if (BlockElements(type) == 1) continue;
      const int64_t n = 7 * BlockElements(type);
      for (uint8_t byte : {uint8_t{0x00}, uint8_t{0xFF}, uint8_t{0x80}, uint8_t{0x7F}}) {
        const std::vector<uint8_t> row = MakeRow(type, n, rng, [&] { return byte; });
        for (int8_t q : {int8_t{127}, int8_t{-128}}) {
          // An activation of quants q with d = 1 (Q8_K: bsums consistent with the quants).
          std::vector<float> ones(static_cast<size_t>(n), 1.0f);
          std::vector<uint8_t> a = Quantize(type, ones);
          switch (ActivationFormatFor(type)) {
            case ActivationFormat::kQ8_0:
              FixBlocks<BlockQ8_0>(a, [&](BlockQ8_0& b) {
                b.d = F32ToF16(1.0f);
                std::fill(std::begin(b.qs), std::end(b.qs), q);
              });
              break;
            case ActivationFormat::kQ8_1:
              FixBlocks<BlockQ8_1>(a, [&](BlockQ8_1& b) {
                b.d = F32ToF16(1.0f);
                b.s = F32ToF16(32.0f * q);
                std::fill(std::begin(b.qs), std::end(b.qs), q);
              });
              break;
            case ActivationFormat::kQ8_K:
              FixBlocks<BlockQ8_K>(a, [&](BlockQ8_K& b) {
                b.d = 1.0f;
                std::fill(std::begin(b.qs), std::end(b.qs), q);
                std::fill(std::begin(b.bsums), std::end(b.bsums), static_cast<int16_t>(16 * q));
              });
              break;
            case ActivationFormat::kF32:
              break;
          }
          const double error = RelativeError(type, row, a, n);
          ASSERT_GE(error, 0) << TypeName(type) << " byte " << int{byte} << " q " << int{q};
          EXPECT_LE(error, ToleranceFor(type, n))
              << TypeName(type) << " byte " << int{byte} << " q " << int{q};
        }
      }
    }
  });
}

// Every f16 and bf16 bit pattern, 64 to a row: subnormals, infinities and NaN included.
// Finite results agree within the float tolerance; infinite and NaN results are the same.
TEST(SimdVecDot, EveryHalfAndBf16BitPatternMatchesTheReferenceOnEveryTarget) {
  ForEachTarget([&](const std::string&) {
    std::mt19937 rng(3);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    const int64_t n = 64;
    std::vector<float> x(n);
    for (float& v : x) v = gauss(rng);
    std::vector<uint8_t> a(n * 4);
    std::memcpy(a.data(), x.data(), a.size());
    for (uint32_t type : {kF16, kBf16}) {
      for (uint32_t first = 0; first < 0x10000; first += n) {
        std::vector<uint8_t> row(n * 2);
        for (int64_t i = 0; i < n; ++i) {
          const uint16_t bits = static_cast<uint16_t>(first + i);
          std::memcpy(row.data() + 2 * i, &bits, 2);
        }
        const float got = VecDot(type, row.data(), a.data(), n);
        const float want = VecDotReference(type, row.data(), a.data(), n);
        if (std::isnan(want)) {
          EXPECT_TRUE(std::isnan(got)) << TypeName(type) << " from " << first;
        } else if (std::isinf(want)) {
          EXPECT_EQ(got, want) << TypeName(type) << " from " << first;
        } else {
          const double error = std::fabs(static_cast<double>(got) - want) /
                               std::max(Magnitude(type, row, a, n), 1e-300);
          EXPECT_LE(error, ToleranceFor(type, n)) << TypeName(type) << " from " << first;
        }
      }
    }
  });
}

TEST(SimdVecDot, ForceScalarGivesTheReferenceBitForBit) {
  const bool was = ForceScalarVecDot();
  SetForceScalarVecDot(true);
  std::mt19937 rng(11);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  for (uint32_t type : SimdVecDotTypes()) {
    const int64_t n = 1024;
    const std::vector<uint8_t> row = RandomRow(type, n, rng);
    std::vector<float> x(n);
    for (float& v : x) v = gauss(rng);
    const std::vector<uint8_t> a = Quantize(type, x);
    EXPECT_EQ(VecDot(type, row.data(), a.data(), n), VecDotReference(type, row.data(), a.data(), n))
        << TypeName(type);
  }
  SetForceScalarVecDot(was);
}

// Types without a kernel go to the reference on every target.
TEST(SimdVecDot, TypesWithoutAKernelUseTheReference) {
  ForEachTarget([&](const std::string&) {
    std::mt19937 rng(5);
    for (uint32_t type : {10u, 11u, 20u, 23u}) {  // Q2_K, Q3_K, IQ4_NL, IQ4_XS
      ASSERT_FALSE(HasSimdVecDot(type));
      const auto info = gguf::FindGgmlType(type);
      const int64_t n = 256;
      std::vector<uint8_t> row(static_cast<size_t>(n / info->block_elements) * info->block_bytes);
      for (uint8_t& b : row) b = static_cast<uint8_t>(rng() & 0x3F);  // small finite f16 scales
      std::vector<float> x(n);
      for (float& v : x) v = static_cast<float>(rng() % 7) - 3.0f;
      const std::vector<uint8_t> a = Quantize(type, x);
      const float want = VecDotReference(type, row.data(), a.data(), n);
      const float got = VecDot(type, row.data(), a.data(), n);
      EXPECT_TRUE((std::isnan(want) && std::isnan(got)) || got == want) << TypeName(type);
    }
  });
}

}  // namespace
}  // namespace sizer::kernels

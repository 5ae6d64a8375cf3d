// The weight quantizers of kernels/quantize.h, checked through the dequantizers (the ground
// truth for the layouts): round-trip error per format, exact round trips where the format
// allows them, zero and constant blocks, dot products, and byte-for-byte agreement with the
// files llama.cpp's own quantizer wrote from the same F32 weights.
#include "kernels/quantize.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "gguf/artifact.h"
#include "gguf/ggml_types.h"
#include "kernels/blocks.h"
#include "kernels/fp16.h"
#include "kernels/quant.h"
#include "testing/test_env.h"

namespace sizer::kernels {
namespace {

// ggml type ids.
constexpr uint32_t kF32 = 0, kF16 = 1, kQ4_0 = 2, kQ4_1 = 3, kQ5_0 = 6, kQ5_1 = 7, kQ8_0 = 8,
                   kQ2_K = 10, kQ3_K = 11, kQ4_K = 12, kQ5_K = 13, kQ6_K = 14, kIq4Nl = 20,
                   kIq4Xs = 23, kBf16 = 30, kMxfp4 = 39;

// Per format: the bound on RMS(dequantized - x) / RMS(x) for N(0, 1) rows, and for the same
// rows with rare outliers (OutlierRow: every 64th value +-10, which stretches its block's
// scale).
// Each bound is the figure measured on these rows (this quantizer, seed 1, 64 super-blocks;
// noted beside it) plus about 10%. The figures follow the bit counts: one more bit halves
// the error (Q8_0 0.0054, Q6_K 0.018, Q5_x ~0.04, Q4_x ~0.08, Q3_K 0.15, Q2_K 0.30), and
// within a bit count the fitted scales and mins of the k-quants and the non-linear IQ4 levels
// beat the plain max-based Q4_0 / Q5_0. A wrong layout would give ~1.4 (uncorrelated values).
struct Bounds {
  uint32_t type;
  double gaussian;
  double outliers;
};
constexpr Bounds kBounds[] = {
    // type     gaussian outliers    measured: gaussian outliers
    {kF32, 0.0, 0.0},           // exact
    {kF16, 2.3e-4, 1.5e-4},     // 2.07e-4  1.29e-4  (11-bit significand)
    {kBf16, 1.9e-3, 1.2e-3},    // 1.67e-3  1.04e-3  (8-bit significand)
    {kQ8_0, 0.006, 0.0112},     // 0.00541  0.0102
    {kQ6_K, 0.020, 0.032},      // 0.0179   0.0291
    {kQ5_0, 0.048, 0.089},      // 0.0433   0.0808
    {kQ5_1, 0.042, 0.056},      // 0.0381   0.0510
    {kQ5_K, 0.040, 0.055},      // 0.0361   0.0498
    {kQ4_0, 0.095, 0.177},      // 0.0867   0.161
    {kQ4_1, 0.087, 0.118},      // 0.0785   0.107
    {kQ4_K, 0.079, 0.108},      // 0.0715   0.0985
    {kMxfp4, 0.125, 0.227},     // 0.114    0.206
    {kIq4Nl, 0.085, 0.133},     // 0.0765   0.120
    {kIq4Xs, 0.085, 0.133},     // 0.0771   0.121
    {kQ3_K, 0.167, 0.249},      // 0.152    0.226
    {kQ2_K, 0.327, 0.432},      // 0.297    0.393
};

bool IsFloatType(uint32_t type) { return type == kF32 || type == kF16 || type == kBf16; }

std::string TypeName(uint32_t type) {
  const auto info = gguf::FindGgmlType(type);
  return info ? std::string(info->name) : "type " + std::to_string(type);
}

// For RecordProperty: 3 significant digits.
std::string Sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

std::vector<uint8_t> Quantize(uint32_t type, const std::vector<float>& x) {
  const int64_t n = static_cast<int64_t>(x.size());
  std::vector<uint8_t> q(QuantizedRowBytes(type, n));
  QuantizeRowReference(type, x.data(), q.data(), n);
  return q;
}

std::vector<float> Dequantize(uint32_t type, const std::vector<uint8_t>& q, size_t n) {
  std::vector<float> y(n);
  DequantizeRowReference(type, q.data(), y.data(), static_cast<int64_t>(n));
  return y;
}

std::vector<float> RoundTrip(uint32_t type, const std::vector<float>& x) {
  return Dequantize(type, Quantize(type, x), x.size());
}

double RelativeRmse(const std::vector<float>& x, const std::vector<float>& y) {
  double err = 0, ref = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double diff = static_cast<double>(y[i]) - x[i];
    err += diff * diff;
    ref += static_cast<double>(x[i]) * x[i];
  }
  return ref > 0 ? std::sqrt(err / ref) : std::sqrt(err);
}

std::vector<float> GaussianRow(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> gauss(0.0f, 1.0f);
  std::vector<float> x(n);
  for (float& v : x) v = gauss(rng);
  return x;
}

constexpr size_t kRowValues = 64 * kQK_K;

// Gaussian values with every 64th set to +-10 (10 sigma, alternating sign).
std::vector<float> OutlierRow() {
  std::vector<float> x = GaussianRow(kRowValues, 1);
  for (size_t i = 0; i < x.size(); i += 64) x[i] = (i / 64) % 2 ? -10.0f : 10.0f;
  return x;
}

// =========================================================================================

TEST(QuantizeReference, RowBytesFollowTheGgmlTypeTable) {
  for (const Bounds& b : kBounds) {
    const auto info = gguf::FindGgmlType(b.type);
    ASSERT_TRUE(info.has_value());
    const int64_t n = 4 * kQK_K;
    EXPECT_EQ(QuantizedRowBytes(b.type, n), n / info->block_elements * info->block_bytes)
        << TypeName(b.type);
    EXPECT_EQ(QuantizedRowBytes(b.type, 0), 0u);
  }
  // The block structs' sizes, independently of the table.
  EXPECT_EQ(QuantizedRowBytes(kF32, 3), 12u);
  EXPECT_EQ(QuantizedRowBytes(kBf16, 3), 6u);
  EXPECT_EQ(QuantizedRowBytes(kQ4_0, 64), 2 * sizeof(BlockQ4_0));
  EXPECT_EQ(QuantizedRowBytes(kQ5_1, 64), 2 * sizeof(BlockQ5_1));
  EXPECT_EQ(QuantizedRowBytes(kIq4Nl, 32), sizeof(BlockIq4Nl));
  EXPECT_EQ(QuantizedRowBytes(kQ2_K, 512), 2 * sizeof(BlockQ2_K));
  EXPECT_EQ(QuantizedRowBytes(kQ3_K, 256), sizeof(BlockQ3_K));
  EXPECT_EQ(QuantizedRowBytes(kQ6_K, 256), sizeof(BlockQ6_K));
  EXPECT_EQ(QuantizedRowBytes(kIq4Xs, 256), sizeof(BlockIq4Xs));
}

// Every type with a quantizer has a bound here, and every one the runner executes has a
// quantizer except the lattice I-quants and ternary types (kernels/quantize.h says why).
TEST(QuantizeReference, CoversEveryQuantizableWeightType) {
  int supported = 0;
  for (const gguf::GgmlTypeInfo& t : gguf::AllGgmlTypes()) {
    const bool lattice_or_ternary = t.name.substr(0, 3) == "IQ1" ||
                                    t.name.substr(0, 3) == "IQ2" ||
                                    t.name.substr(0, 3) == "IQ3" || t.name.substr(0, 2) == "TQ";
    if (IsSupportedWeightType(t.id)) {
      EXPECT_EQ(HasReferenceQuantizer(t.id), !lattice_or_ternary) << t.name;
    } else {
      EXPECT_FALSE(HasReferenceQuantizer(t.id)) << t.name;
    }
    if (!HasReferenceQuantizer(t.id)) continue;
    ++supported;
    bool has_bounds = false;
    for (const Bounds& b : kBounds) has_bounds = has_bounds || b.type == t.id;
    EXPECT_TRUE(has_bounds) << t.name;
  }
  EXPECT_EQ(supported, static_cast<int>(std::size(kBounds)));
}

TEST(QuantizeReference, GaussianRowsRoundTripWithinTheFormatsError) {
  const std::vector<float> x = GaussianRow(kRowValues, 1);
  for (const Bounds& b : kBounds) {
    const double rel = RelativeRmse(x, RoundTrip(b.type, x));
    EXPECT_LE(rel, b.gaussian) << TypeName(b.type);
    if (b.type != kF32) {
      EXPECT_GT(rel, 0) << TypeName(b.type);  // it did quantize
    }
    RecordProperty("rel_rmse_" + TypeName(b.type), Sci(rel));
  }
}

TEST(QuantizeReference, RowsWithOutliersRoundTripWithinTheFormatsError) {
  std::vector<float> x = OutlierRow();
  for (const Bounds& b : kBounds) {
    const std::vector<float> y = RoundTrip(b.type, x);
    EXPECT_LE(RelativeRmse(x, y), b.outliers) << TypeName(b.type);
    // The outliers themselves come back closely: they set their block's scale (worst
    // measured 6.8%, Q2_K; 0 for Q4_0 / Q5_0, which put the extreme on an end level). MXFP4's
    // power-of-two scale puts 10 halfway between its levels 8 and 12 (ggml keeps the first):
    // 20%, the format's bound for a block maximum is 25% (see ConstantBlocksComeBack...).
    const double outlier_tolerance = b.type == kMxfp4 ? 0.25 : 0.1;
    for (size_t i = 0; i < x.size(); i += 64) {
      ASSERT_NEAR(y[i], x[i], outlier_tolerance * std::fabs(x[i]))
          << TypeName(b.type) << " value " << i;
    }
  }
}

// Blocks are independent: a zero block among gaussian ones, and a whole zero row, come back
// as exact zeros (d = 0 and, where there is one, min = 0), never NaN or infinity.
TEST(QuantizeReference, ZeroBlocksAndZeroRowsAreExactlyZero) {
  for (const Bounds& b : kBounds) {
    SCOPED_TRACE(TypeName(b.type));
    std::vector<float> x = GaussianRow(4 * kQK_K, 5);
    std::fill(x.begin() + kQK_K, x.begin() + 2 * kQK_K, 0.0f);         // a super-block
    std::fill(x.begin() + 2 * kQK_K + 64, x.begin() + 2 * kQK_K + 96, 0.0f);  // a group of 32
    const std::vector<float> y = RoundTrip(b.type, x);
    for (size_t i = 0; i < y.size(); ++i) {
      ASSERT_TRUE(std::isfinite(y[i])) << i;
      if (x[i] == 0) {
        ASSERT_EQ(y[i], 0.0f) << i;
      }
    }
    const std::vector<float> zeros(2 * kQK_K, 0.0f);
    for (float v : RoundTrip(b.type, zeros)) ASSERT_EQ(v, 0.0f);
  }
}

// A constant block is one level times a scale in every format: it comes back up to the
// rounding of the f16 scale (2^-11 relative, twice: d and the value) or of the value itself
// in F16 / BF16 (2^-11 / 2^-8). Magnitudes keep the formats' f16 d in the normal range
// (Q6_K's d is max / 4096: below ~0.25 it goes subnormal and coarser). MXFP4's scale is a
// power of two, 2^(floor(log2 |c|) - 2): a constant in [1, 2) x 2^k lands on e2m1's level
// 1, 1.5 x 2^k (6 x 2^(k-2), the top level, so [1.5, 2) clips to it): under 1/4 relative.
TEST(QuantizeReference, ConstantBlocksComeBackToTheirValue) {
  for (const Bounds& b : kBounds) {
    const double tolerance = b.type == kBf16   ? 0x1p-8
                             : b.type == kF16  ? 0x1p-11
                             : b.type == kMxfp4 ? 0.25
                                                : 1e-3;
    for (float c : {0.37f, -1.9f, 250.0f, -0.5f}) {
      std::vector<float> x = GaussianRow(2 * kQK_K, 6);
      std::fill(x.begin(), x.begin() + kQK_K, c);
      const std::vector<float> y = RoundTrip(b.type, x);
      for (int i = 0; i < kQK_K; ++i) {
        ASSERT_NEAR(y[i], c, tolerance * std::fabs(c)) << TypeName(b.type) << " c = " << c;
      }
    }
  }
}

// F32 is a copy; F16 / BF16 keep every value they can represent, bit for bit.
TEST(QuantizeReference, FloatFormatsAreExactWhereTheyCanBe) {
  std::vector<float> x = GaussianRow(1024, 7);
  x[3] = -0.0f;
  x[4] = 65504.0f;
  EXPECT_EQ(RoundTrip(kF32, x), x);
  for (uint32_t type : {kF16, kBf16}) {
    std::vector<float> representable(x.size());
    for (size_t i = 0; i < x.size(); ++i) {
      representable[i] = type == kF16 ? F16ToF32(F32ToF16(x[i])) : Bf16ToF32(F32ToBf16(x[i]));
    }
    const std::vector<uint8_t> q = Quantize(type, representable);
    for (size_t i = 0; i < x.size(); ++i) {
      uint16_t h;
      std::memcpy(&h, q.data() + 2 * i, 2);
      ASSERT_EQ(h, type == kF16 ? F32ToF16(x[i]) : F32ToBf16(x[i])) << TypeName(type) << i;
    }
    EXPECT_EQ(RoundTrip(type, representable), representable) << TypeName(type);
  }
}

// The max-based 32-element formats map their block's extreme value onto an end level, so a
// dequantized row has the same extreme and scale: quantizing it again gives the same bytes.
// (MXFP4 too: the extreme lands on level 4 or 6 x 2^(e-129), whose floor(log2) gives e back.)
// (The k-quants and IQ4 re-fit their scales by search and need not be idempotent.)
TEST(QuantizeReference, RequantizingADequantizedRowGivesTheSameBytes) {
  const std::vector<float> x = GaussianRow(kRowValues, 2);
  for (uint32_t type : {kQ8_0, kQ4_0, kQ4_1, kQ5_0, kQ5_1, kMxfp4}) {
    const std::vector<uint8_t> q = Quantize(type, x);
    EXPECT_EQ(Quantize(type, Dequantize(type, q, x.size())), q) << TypeName(type);
  }
}

// A non-finite input value must not crash or leak into other blocks: every block without one
// quantizes exactly as it would alone.
TEST(QuantizeReference, NonFiniteValuesStayInTheirBlock) {
  for (const Bounds& b : kBounds) {
    if (IsFloatType(b.type)) continue;
    std::vector<float> x = GaussianRow(3 * kQK_K, 8);
    const std::vector<uint8_t> clean = Quantize(b.type, x);
    x[5] = std::numeric_limits<float>::quiet_NaN();
    x[2 * kQK_K + 7] = std::numeric_limits<float>::infinity();
    const std::vector<uint8_t> q = Quantize(b.type, x);
    const size_t block_bytes = QuantizedRowBytes(b.type, kQK_K);  // per 256 values
    EXPECT_TRUE(std::equal(q.begin() + block_bytes, q.begin() + 2 * block_bytes,
                           clean.begin() + block_bytes))
        << TypeName(b.type);
  }
}

// The runner's dot product of a quantized row with quantized activations. With the row's
// own values as activations the exact answer is |x|^2, and by Cauchy-Schwarz the error is at
// most (e_w + e_a (1 + e_w)) |x|^2 for weight and activation relative errors e_w, e_a
// (e_a < 0.01: 8 bits per activation). A wrong layout gives an error near |x|^2.
// For independent activations a the same bound holds with |x| |a|.
TEST(QuantizeReference, VecDotOfAQuantizedRowMatchesTheFloatDot) {
  constexpr double kActivationError = 0.01;
  const std::vector<float> x = GaussianRow(16 * kQK_K, 9);
  const std::vector<float> a = GaussianRow(16 * kQK_K, 10);
  const int64_t n = static_cast<int64_t>(x.size());
  double xx = 0, xa = 0, aa = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    xx += static_cast<double>(x[i]) * x[i];
    xa += static_cast<double>(x[i]) * a[i];
    aa += static_cast<double>(a[i]) * a[i];
  }
  for (const Bounds& b : kBounds) {
    SCOPED_TRACE(TypeName(b.type));
    const std::vector<uint8_t> row = Quantize(b.type, x);
    const ActivationFormat format = ActivationFormatFor(b.type);
    const double e_a = format == ActivationFormat::kF32 ? 0.0 : kActivationError;
    // Plus 1e-6 for the float the dot product returns.
    const double bound = b.gaussian + e_a * (1 + b.gaussian) + 1e-6;
    std::vector<uint8_t> act(ActivationBytes(format, n));
    QuantizeActivationReference(format, x.data(), act.data(), n);
    const double self = VecDotReference(b.type, row.data(), act.data(), n);
    EXPECT_LE(std::fabs(self - xx), bound * xx);
    QuantizeActivationReference(format, a.data(), act.data(), n);
    const double cross = VecDotReference(b.type, row.data(), act.data(), n);
    EXPECT_LE(std::fabs(cross - xa), bound * std::sqrt(xx * aa));
    RecordProperty("self_dot_rel_error_" + TypeName(b.type), Sci(std::fabs(self - xx) / xx));
  }
}

// =========================================================================================
// Against llama.cpp: tests/data/models/wide holds the same F32 weights quantized by
// llama-quantize (b4748, no importance matrix), which uses ggml's reference quantizers.
// Quantizing the F32 file's rows here must give those files' bytes, block for block.
// (No file holds IQ4_NL; it shares its scale search and packing with IQ4_XS.)

std::string WidePath(const std::string& suffix) {
  return testing::TestDataDir() + "/models/wide/stories260K-wide-" + suffix + ".gguf";
}

TEST(QuantizeReference, ReproducesLlamaQuantizeBytes) {
  StatusOr<gguf::Artifact> f32 = gguf::Artifact::Open(WidePath("F32"));
  ASSERT_TRUE(f32.ok()) << f32.status().message();
  std::map<uint32_t, int64_t> blocks_checked;
  for (const char* suffix : {"F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K_M",
                             "Q5_K_M", "Q6_K", "Q3_K_M", "Q2_K", "IQ4_XS"}) {
    SCOPED_TRACE(suffix);
    StatusOr<gguf::Artifact> file = gguf::Artifact::Open(WidePath(suffix));
    ASSERT_TRUE(file.ok()) << file.status().message();
    for (const gguf::TensorInfo* t : file->tensors()) {
      if (t->type.id == kF32) continue;  // norms stay F32 in every file
      const gguf::TensorInfo* ref = f32->FindTensor(t->name);
      ASSERT_NE(ref, nullptr) << t->name;
      ASSERT_EQ(ref->type.id, kF32) << t->name;
      const int64_t cols = static_cast<int64_t>(t->shape[0]);
      const int64_t rows = static_cast<int64_t>(t->n_elements) / cols;
      const size_t row_bytes = QuantizedRowBytes(t->type.id, cols);
      ASSERT_EQ(row_bytes * static_cast<size_t>(rows), t->n_bytes) << t->name;
      std::vector<uint8_t> mine(row_bytes);
      int64_t differing = 0;
      for (int64_t r = 0; r < rows; ++r) {
        QuantizeRowReference(t->type.id, reinterpret_cast<const float*>(ref->data) + r * cols,
                             mine.data(), cols);
        const uint8_t* theirs = t->data + r * row_bytes;
        for (size_t off = 0; off < row_bytes; off += t->type.block_bytes) {
          differing += std::memcmp(mine.data() + off, theirs + off, t->type.block_bytes) != 0;
        }
      }
      EXPECT_EQ(differing, 0) << t->name << " (" << t->type.name << ")";
      blocks_checked[t->type.id] += static_cast<int64_t>(t->n_bytes / t->type.block_bytes);
    }
  }
  for (uint32_t type : {kF16, kBf16, kQ8_0, kQ4_0, kQ4_1, kQ5_0, kQ5_1, kQ2_K, kQ3_K, kQ4_K,
                        kQ5_K, kQ6_K, kIq4Xs}) {
    EXPECT_GE(blocks_checked[type], 256) << TypeName(type);
    RecordProperty("blocks_" + TypeName(type), std::to_string(blocks_checked[type]));
  }
}

// No llama.cpp file of this model holds MXFP4 (llama-quantize writes it only into MoE experts),
// so the MXFP4 quantizer is checked against ggml's quantize_row_mxfp4_ref itself: ggml-org/ggml
// at commit d99724f2, run over every matrix of the F32 file in file order, gave bytes with
// this SHA-256.
TEST(QuantizeReference, Mxfp4ReproducesGgmlsReferenceQuantizerBytes) {
  StatusOr<gguf::Artifact> f32 = gguf::Artifact::Open(WidePath("F32"));
  ASSERT_TRUE(f32.ok()) << f32.status().message();
  std::string bytes;
  for (const gguf::TensorInfo* t : f32->tensors()) {
    if (t->shape.size() != 2) continue;
    const int64_t n = static_cast<int64_t>(t->n_elements);
    std::vector<uint8_t> q(QuantizedRowBytes(kMxfp4, n));
    QuantizeRowReference(kMxfp4, reinterpret_cast<const float*>(t->data), q.data(), n);
    bytes.append(reinterpret_cast<const char*>(q.data()), q.size());
  }
  EXPECT_EQ(bytes.size(), 1183744u);
  EXPECT_EQ(Sha256Hex(bytes), "da4e59e3fef8194cf6b3e6a38640da97b1ea40a62783dc631cb89976de271c01");
}

}  // namespace
}  // namespace sizer::kernels

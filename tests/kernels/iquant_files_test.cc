// The reference kernels on the I-quant, ternary and small k-quant preset files of
// tests/data/models/wide (written by llama-quantize b4748 with an importance matrix): bit for
// bit what ggml's own dequantization and vec_dot give, and within each format's measured
// error of the F32 weights they were quantized from.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/sha256.h"
#include "gguf/artifact.h"
#include "gguf/ggml_types.h"
#include "kernels/quant.h"
#include "testing/test_env.h"

namespace sizer::kernels {
namespace {

constexpr uint32_t kF32 = 0, kQ2_K = 10, kQ3_K = 11, kQ4_K = 12, kQ5_K = 13, kQ6_K = 14,
                   kIq2Xxs = 16, kIq2Xs = 17, kIq3Xxs = 18, kIq1S = 19, kIq4Nl = 20, kIq3S = 21,
                   kIq2S = 22, kIq1M = 29, kTq1_0 = 34, kTq2_0 = 35;

std::string WidePath(const std::string& suffix) {
  return testing::TestDataDir() + "/models/wide/stories260K-wide-" + suffix + ".gguf";
}

std::string Sci(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3g", v);
  return buf;
}

// The fixed activation row of the digests: x[j] = ((7919 j + 13) mod 2001 - 1000) / 1000,
// exact decimal steps in [-1, 1], the same on every machine.
std::vector<float> DigestActivation(int64_t n) {
  std::vector<float> x(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) {
    x[static_cast<size_t>(j)] = static_cast<float>((j * 7919 + 13) % 2001 - 1000) / 1000.0f;
  }
  return x;
}

// The types whose dot products are compared bit for bit: the ones ggml computes with one
// float accumulator in block order, as the reference does. (ggml's generic k-quant dots add
// into 8 float lanes, a different rounding order; tests/kernels/quant_reference_test.cc covers
// the k-quants.)
bool DotIsBitExact(std::string_view type) {
  for (std::string_view t : {"IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ3_XXS", "IQ3_S",
                             "IQ4_NL", "TQ1_0", "TQ2_0"}) {
    if (t == type) return true;
  }
  return false;
}

struct FileDigests {
  std::string dequantized;  // sha256 of every matrix's dequantized floats, in file order
  std::string dots;         // sha256 of VecDotReference(row, quantized DigestActivation) over
                            // the rows of the matrices with DotIsBitExact types
};

FileDigests DigestsOf(const gguf::Artifact& file) {
  std::string dequantized, dots;
  for (const gguf::TensorInfo* t : file.tensors()) {
    if (t->shape.size() != 2) continue;
    const int64_t cols = static_cast<int64_t>(t->shape[0]);
    const int64_t rows = static_cast<int64_t>(t->n_elements) / cols;
    const size_t row_bytes = t->n_bytes / static_cast<size_t>(rows);
    const ActivationFormat format = ActivationFormatFor(t->type.id);
    const std::vector<float> x = DigestActivation(cols);
    std::vector<uint8_t> a(ActivationBytes(format, cols));
    QuantizeActivationReference(format, x.data(), a.data(), cols);
    std::vector<float> out(static_cast<size_t>(cols));
    for (int64_t r = 0; r < rows; ++r) {
      const uint8_t* row = t->data + r * static_cast<int64_t>(row_bytes);
      DequantizeRowReference(t->type.id, row, out.data(), cols);
      dequantized.append(reinterpret_cast<const char*>(out.data()), out.size() * sizeof(float));
      if (!DotIsBitExact(t->type.name)) continue;
      const float dot = VecDotReference(t->type.id, row, a.data(), cols);
      dots.append(reinterpret_cast<const char*>(&dot), sizeof(dot));
    }
  }
  return {Sha256Hex(dequantized), Sha256Hex(dots)};
}

// What ggml computes on these files: ggml-org/ggml at commit d99724f2 built for the CPU without
// SIMD (its *_generic kernels: dequantize_row_* as type_traits.to_float, and
// type_traits_cpu.vec_dot after from_float into vec_dot_type), over the same tensors and
// activation row, hashed the same way. Equal digests mean every float is bit-identical.
struct GgmlDigest {
  const char* file;
  const char* dequantized;
  const char* dots;  // nullptr: the file has no matrix of a DotIsBitExact type
};
constexpr GgmlDigest kGgmlDigests[] = {
    {"IQ1_S", "867a2b729c0c14bd91c970b52c72a9e0b200819d58eaf0fa20f0c2bc3d7f7c78",
     "74377e0c0877e57b613209303f2169f3d6b6a65a40e54ae87aad1e641506b5cc"},
    {"IQ1_M", "d234972b2742d5eb3b42a95f72e9048bd7de9d845e01c889f0345338dd4f02f1",
     "674a407b831f50b232f7872565fdcf0529bf35c2bbcf1ec43ca532784104bd44"},
    {"IQ2_XXS", "c31507c7da4e7b4273773e78a19c45b7fa86e7f5332668edca98d3c9d9115a07",
     "7e42eae2b571f77f0c9b0584672d5f3ead0da731683412a365e70e97f16034b2"},
    {"IQ2_XS", "e240ff98f2583c40933391684ef81d4c5ace6e3b50bb37c9e7489eeb4606e634",
     "01d0117bdf6d59ed2151d55e6915c0aed731a398ac763221b1a32c355e5cf776"},
    {"IQ2_S", "1457c9894c4bfad3d9b4f42587780a6573fb92ae3ee2cf1f8baa18f0e1722cb7",
     "b175060f833be73a61e66de843d91c813fc515b6d2cbeba9cc1ace2023d15574"},
    {"IQ2_M", "b05416ebb1d35284adbf07ff782ac1c92478bba41d90a4da77f6f21bfb533d10",
     "bb8c9f5bb9fafc3377d8ae5a0cb705632133c8f5f09553422e416f9efffd11bd"},
    {"IQ3_XXS", "1ba97410eb4cbffe80170af8009cf7aa03b26b2c5464c6e5acc831fc299fc820",
     "20462289ec67b47a09275ca98e139a2fd8657feee54a108c0eed34fbb13a4a28"},
    {"IQ3_S", "15c576dada88fa81bc6ddaa5a9c68663278b7df98c9c021ecb8a95f40dba7a1a",
     "3c26c675288cc568eaad6825a6e0fd6c0a562ce9a9be0c61253f970a21b2a125"},
    {"IQ3_M", "e162259a5ec602fc795a8786c43584bad479828d3e8629c0ef5aba91b14c35fe",
     "afec1149ad7b6cc80c80ee89f3ff4bc3dc26cc8bbd147f26230d001b93cce12c"},
    {"IQ4_NL", "b38578bca91d0b36cda76eb78aaa79e2196fe5372f78f371581887efd7bad42e",
     "3045fa1ba0eb76adcfc99a4ba87a987591bcc9d89a176a7faf84075744b7d2b1"},
    {"TQ1_0", "c9e479fc46b22129c007e298794e180c7970c9d8360e13f5b9b7add4cd4b13c3",
     "20703dc37071e04c711f03cc256b35c5061e78f2868eadaa42004710a4af791b"},
    {"TQ2_0", "c9e479fc46b22129c007e298794e180c7970c9d8360e13f5b9b7add4cd4b13c3",
     "20703dc37071e04c711f03cc256b35c5061e78f2868eadaa42004710a4af791b"},
    {"Q3_K_S", "c1ef97d73e1cb63bbf5fb29b3617d98e864aa9af9dc67742b262a5b6f27bbc3f",
     nullptr},
    {"Q4_K_S", "9fd877c6555ecd9b3e76c79ff9a9e92de69f53f32623088d6fbc625f35c1ae98",
     nullptr},
    {"Q5_K_S", "241d242ebf6eea9e571ad44e07af86c7bc2a841ed5c740fd845332faf74698cf",
     nullptr},
};

TEST(IquantFiles, DequantizationAndDotsAreGgmlsBitForBit) {
  for (const GgmlDigest& want : kGgmlDigests) {
    SCOPED_TRACE(want.file);
    StatusOr<gguf::Artifact> file = gguf::Artifact::Open(WidePath(want.file));
    ASSERT_TRUE(file.ok()) << file.status().message();
    const FileDigests got = DigestsOf(*file);
    EXPECT_EQ(got.dequantized, want.dequantized);
    if (want.dots != nullptr) {
      EXPECT_EQ(got.dots, want.dots);
    }
  }
}

// RMS(dequantized - F32) / RMS(F32) over a whole tensor, by tensor type: about 1.3x the worst
// tensor measured on these files (1.1x for the ternary types), noted beside each limit. A
// 260K-parameter model's weights are far from ternary or 1-bit lattices, hence the large
// errors at 1-2 bits; a wrong layout or table scrambles values and gives ~1.4 (uncorrelated)
// or worse. Bit-exactness against ggml is the test above; this one ties the files to F32.
struct RmsLimit {
  uint32_t type;
  double limit;
};
constexpr RmsLimit kRelativeRmsLimits[] = {
    {kIq1S, 0.74},    // 0.567   IQ1_S   blk.4.attn_k.weight
    {kIq1M, 0.70},    // 0.535   IQ1_M   blk.4.attn_q.weight
    {kIq2Xxs, 0.51},  // 0.391   IQ2_XXS blk.0.ffn_down.weight
    {kIq2Xs, 0.44},   // 0.342   IQ2_XS  blk.0.attn_k.weight
    {kIq2S, 0.36},    // 0.274   IQ2_M   blk.0.ffn_down.weight
    {kIq3Xxs, 0.26},  // 0.200   IQ3_XXS blk.0.ffn_down.weight
    {kIq3S, 0.21},    // 0.161   IQ2_S   token_embd.weight
    {kIq4Nl, 0.11},   // 0.0825  IQ4_NL  blk.0.attn_v.weight
    {kTq1_0, 0.90},   // 0.806   TQ1_0   blk.3.ffn_down.weight (ternary: x = d * {-1, 0, 1})
    {kTq2_0, 0.90},   // 0.806   TQ2_0   blk.3.ffn_down.weight (the same values as TQ1_0)
    {kQ2_K, 0.44},    // 0.339   IQ1_S   token_embd.weight
    {kQ3_K, 0.21},    // 0.159   Q3_K_S  blk.0.attn_v.weight
    {kQ4_K, 0.10},    // 0.0788  IQ3_M   blk.0.attn_v.weight
    {kQ5_K, 0.051},   // 0.0390  Q4_K_S  blk.0.attn_v.weight
    {kQ6_K, 0.023},   // 0.0174  IQ3_S   output.weight
};

double RelativeRmsLimit(uint32_t type) {
  for (const RmsLimit& l : kRelativeRmsLimits) {
    if (l.type == type) return l.limit;
  }
  ADD_FAILURE() << "no measured limit for type " << type;
  return 0;
}

double RelativeRms(const gguf::TensorInfo& t, const gguf::TensorInfo& ref) {
  const int64_t cols = static_cast<int64_t>(t.shape[0]);
  const int64_t rows = static_cast<int64_t>(t.n_elements) / cols;
  const size_t row_bytes = t.n_bytes / static_cast<size_t>(rows);
  std::vector<float> out(static_cast<size_t>(cols)), want(static_cast<size_t>(cols));
  double sum_sq_error = 0, sum_sq_ref = 0;
  for (int64_t r = 0; r < rows; ++r) {
    DequantizeRowReference(t.type.id, t.data + r * static_cast<int64_t>(row_bytes), out.data(),
                           cols);
    std::memcpy(want.data(), ref.data + r * cols * 4, static_cast<size_t>(cols) * 4);
    for (int64_t c = 0; c < cols; ++c) {
      const double diff = static_cast<double>(out[c]) - want[c];
      sum_sq_error += diff * diff;
      sum_sq_ref += static_cast<double>(want[c]) * want[c];
    }
  }
  return sum_sq_ref > 0 ? std::sqrt(sum_sq_error / sum_sq_ref) : 0;
}

TEST(IquantFiles, DequantizedTensorsAreNearTheF32File) {
  StatusOr<gguf::Artifact> f32 = gguf::Artifact::Open(WidePath("F32"));
  ASSERT_TRUE(f32.ok()) << f32.status().message();
  std::map<std::string, std::pair<double, std::string>> worst;  // type -> (rel, where)
  for (const GgmlDigest& d : kGgmlDigests) {
    StatusOr<gguf::Artifact> file = gguf::Artifact::Open(WidePath(d.file));
    ASSERT_TRUE(file.ok()) << file.status().message();
    for (const gguf::TensorInfo* t : file->tensors()) {
      if (t->shape.size() != 2) continue;
      const gguf::TensorInfo* ref = f32->FindTensor(t->name);
      ASSERT_NE(ref, nullptr) << t->name;
      ASSERT_EQ(ref->type.id, kF32);
      const double rel = RelativeRms(*t, *ref);
      EXPECT_LE(rel, RelativeRmsLimit(t->type.id))
          << d.file << " " << t->name << " (" << t->type.name << ")";
      auto& w = worst[std::string(t->type.name)];
      if (rel > w.first) w = {rel, std::string(d.file) + " " + std::string(t->name)};
    }
  }
  for (const auto& [type, w] : worst) {
    RecordProperty("rel_rms_" + type, Sci(w.first));
    std::printf("[ rel rms  ] %-8s %s  %s\n", type.c_str(), Sci(w.first).c_str(), w.second.c_str());
  }
}

}  // namespace
}  // namespace sizer::kernels

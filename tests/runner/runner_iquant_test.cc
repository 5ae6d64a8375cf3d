// The micro-runner on the I-quant, ternary and small k-quant preset files of the wide model
// (llama-quantize b4748 with an importance matrix; tests/data/README.md): each decodes, the
// 3-bit-and-up ones to TinyStories text, the 1-2-bit ones to garbled but deterministic text,
// and every forward pass is within its format's measured error of the float reference.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runner/float_reference.h"
#include "runner/logit_difference.h"
#include "runner/session.h"
#include "testing/test_env.h"

namespace sizer::runner {
namespace {

using sizer::testing::TestDataDir;

std::string Wide(const std::string& type) {
  return TestDataDir() + "/models/wide/stories260K-wide-" + type + ".gguf";
}

std::string Generate(const std::string& path, int64_t n = 40) {
  SessionOptions options;
  options.threads = 2;
  StatusOr<std::unique_ptr<Session>> s = Session::Open(path, options);
  EXPECT_TRUE(s.ok()) << s.status().message();
  if (!s.ok()) return "";
  Sampler greedy(0.0f, 1.0f, 0);
  std::string text;
  StatusOr<GenerationStats> stats = (*s)->Generate("Once upon a time", n, greedy,
                                                   [&](std::string_view p) { text += p; });
  EXPECT_TRUE(stats.ok()) << stats.status().message();
  return text;
}

// Valid UTF-8 with no control character but newline: what a vocabulary of text pieces and
// byte tokens decodes to (the garbled files also emit curly quotes and dashes).
bool Printable(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c < 32 && c != '\n') return false;
      if (c == 127) return false;
      ++i;
      continue;
    }
    const size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || i + len > text.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

// The presets that still tell the TinyStories story (the models README: IQ3 and up).
TEST(RunnerIquant, ThreeBitAndUpPresetsWriteTinyStoriesText) {
  for (const char* type : {"IQ3_XXS", "IQ3_S", "IQ3_M", "IQ4_NL", "Q3_K_S", "Q4_K_S", "Q5_K_S"}) {
    const std::string text = Generate(Wide(type));
    std::printf("[ text     ] %-8s %s\n", type, text.c_str());
    EXPECT_GE(text.size(), 60u) << type << ": " << text;
    EXPECT_EQ(text.rfind(", there was", 0), 0u) << type << ": " << text;
    EXPECT_TRUE(Printable(text)) << type << ": " << text;
  }
}

// Below 3 bits a 260K-parameter model no longer writes sense, but the text is the same on
// every run and still made of the vocabulary's printable pieces.
TEST(RunnerIquant, OneAndTwoBitPresetsWriteDeterministicText) {
  for (const char* type : {"IQ1_S", "IQ1_M", "IQ2_XXS", "IQ2_XS", "IQ2_S", "IQ2_M", "TQ1_0",
                           "TQ2_0"}) {
    const std::string first = Generate(Wide(type));
    std::printf("[ text     ] %-8s %s\n", type, first.c_str());
    EXPECT_GE(first.size(), 40u) << type << ": " << first;
    EXPECT_TRUE(Printable(first)) << type << ": " << first;
    EXPECT_EQ(Generate(Wide(type)), first) << type;
  }
}

// Forward pass against the plain float reference (tests/runner/float_reference.h: every
// weight dequantized by the reference kernels, activations never quantized, double sums), 16
// teacher-forced positions, with an F32 KV cache. The difference is the 8-bit activation
// quantization of the dot products (Q8_K blocks of 256 for these formats) plus the runner's
// llama.cpp-style arithmetic (RoPE, attention). Worst relative logit difference measured per
// file (max |diff| / max |logit|) beside each limit, which leaves ~1.3x. The 1-2-bit and
// ternary files err most: their weights are so far from the F32 model's that its logits are
// flatter and more sensitive to the activations' rounding.
struct FormatTolerance {
  const char* file;
  double tolerance;
};
constexpr FormatTolerance kLogitTolerances[] = {
    {"IQ1_S", 0.13},       // 0.101
    {"IQ1_M", 0.11},       // 0.0832
    {"IQ2_XXS", 0.064},    // 0.049
    {"IQ2_XS", 0.059},     // 0.0453
    {"IQ2_S", 0.046},      // 0.035
    {"IQ2_M", 0.041},      // 0.0311
    {"IQ3_XXS", 0.045},    // 0.0342
    {"IQ3_S", 0.036},      // 0.0277
    {"IQ3_M", 0.053},      // 0.0405
    {"IQ4_NL", 0.021},     // 0.016
    {"TQ1_0", 0.19},       // 0.144
    {"TQ2_0", 0.19},       // 0.144
    {"Q3_K_S", 0.034},     // 0.0262
    {"Q4_K_S", 0.032},     // 0.0242
    {"Q5_K_S", 0.027},     // 0.0203
};

TEST(RunnerIquant, ForwardPassAgreesWithTheFloatReference) {
  for (const FormatTolerance& f : kLogitTolerances) {
    SCOPED_TRACE(f.file);
    const std::string file = Wide(f.file);
    SessionOptions options;
    options.threads = 2;
    // An F32 KV cache, so the difference is the format's and the activations' alone (with F16
    // the runner also rounds K, V, Q and the attention weights to F16 as llama.cpp does).
    options.kv_type = KvCacheType::kF32;
    StatusOr<std::unique_ptr<Session>> s = Session::Open(file, options);
    ASSERT_TRUE(s.ok()) << s.status().message();
    StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(file);
    ASSERT_TRUE(artifact.ok());
    sizer::testing::FloatReference reference(*artifact, (*s)->config());
    const std::vector<int32_t> tokens = (*s)->tokenizer().Encode(
        "Once upon a time, there was a little girl named Lily.", true);
    double worst = 0;
    for (size_t pos = 0; pos < tokens.size(); ++pos) {
      const std::vector<float>& got =
          (*s)->transformer().Forward(tokens[pos], static_cast<int64_t>(pos));
      const std::vector<float> want = reference.Forward(tokens[pos], static_cast<int64_t>(pos));
      ASSERT_EQ(got.size(), want.size());
      const auto [max_abs, max_diff] = sizer::testing::CompareLogits(got, want);
      worst = std::max(worst, max_diff / max_abs);
      EXPECT_LT(max_diff / max_abs, f.tolerance) << "position " << pos;
      // Greedy tokens agree unless the reference's top two logits are within the error.
      std::vector<float> sorted = want;
      std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<float>());
      if (sorted[0] - sorted[1] >= 2 * f.tolerance * max_abs) {
        EXPECT_EQ(std::max_element(got.begin(), got.end()) - got.begin(),
                  std::max_element(want.begin(), want.end()) - want.begin())
            << "position " << pos;
      }
    }
    std::printf("[ logits   ] %-8s worst relative difference %.3g\n", f.file, worst);
  }
}

}  // namespace
}  // namespace sizer::runner

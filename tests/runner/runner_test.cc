// The micro-runner end to end: llama.cpp's continuation on stories260K, every weight format of
// the wide model, the forward pass against a plain float reference, and inputs it must refuse.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <cstring>
#include <map>
#include <random>

#include <gtest/gtest.h>

#include "runner/logit_difference.h"
#include "runner/session.h"
#include "testing/gguf_builder.h"
#include "testing/test_env.h"
#include "runner/float_reference.h"

namespace sizer::runner {
namespace {

using sizer::testing::TestDataDir;

// What llama.cpp (b4748, CPU) printed for stories260K, prompt "Once upon a time" with BOS,
// greedy, 40 tokens (tests/data/README.md).
constexpr char kLlamaCppContinuation[] =
    ", there was a little girl named Lily. She loved to play outside in the park. One day, she "
    "saw a big, red ball.";

std::string Wide(const std::string& type) {
  return TestDataDir() + "/models/wide/stories260K-wide-" + type + ".gguf";
}

std::string Generate(const std::string& path, int64_t n = 40, KvCacheType kv = KvCacheType::kF16) {
  SessionOptions options;
  options.threads = 2;
  options.kv_type = kv;
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

TEST(Runner, Stories260KGivesLlamaCppsGreedyContinuation) {
  EXPECT_EQ(Generate(TestDataDir() + "/models/stories260K.gguf"), kLlamaCppContinuation);
  EXPECT_EQ(Generate(TestDataDir() + "/models/stories260K.gguf", 40, KvCacheType::kF32),
            kLlamaCppContinuation);
}

TEST(Runner, WideModelInLosslessAndNearLosslessFormatsMatchesF32Exactly) {
  const std::string f32 = Generate(Wide("F32"));
  EXPECT_EQ(f32, kLlamaCppContinuation);
  for (const char* type : {"F16", "BF16", "Q8_0", "Q5_0"}) {
    EXPECT_EQ(Generate(Wide(type)), f32) << type;
  }
}

TEST(Runner, EveryOtherWeightFormatLoadsAndWritesText) {
  for (const char* type : {"Q4_0", "Q4_1", "Q5_1", "Q4_K_M", "Q5_K_M", "Q6_K", "Q3_K_M", "Q2_K",
                           "IQ4_XS"}) {
    std::string text = Generate(Wide(type));
    EXPECT_GE(text.size(), 60u) << type << ": " << text;
    EXPECT_EQ(text.rfind(", there was", 0), 0u) << type << ": " << text;
    EXPECT_TRUE(std::all_of(text.begin(), text.end(),
                            [](char ch) { return ch == '\n' || (ch >= 32 && ch < 127); }))
        << type << ": " << text;
  }
}

// Forward pass against the plain float reference (every weight dequantized, activations never
// quantized, double accumulation). Measured worst relative logit differences over 16
// teacher-forced positions: F32 0.0008, F16 0.0005, BF16 0.0007 (the f16 KV cache), and for the
// quantized formats 0.015 (Q5_0, Q8_0) to 0.035 (Q2_K), from quantizing activations to 8 bits
// per block as llama.cpp does.
constexpr double kFloatFormatLogitTolerance = 0.002;
constexpr double kQuantizedFormatLogitTolerance = 0.05;

TEST(Runner, ForwardPassAgreesWithAFloatReferenceForEveryFormat) {
  std::vector<std::string> files = {TestDataDir() + "/models/stories260K.gguf"};
  // The I-quant, ternary and small k-quant preset files of the same folder have per-format
  // tolerances of their own (runner_iquant_test.cc).
  for (const char* type : {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
                           "Q4_K_M", "Q5_K_M", "Q6_K", "Q3_K_M", "Q2_K", "IQ4_XS"}) {
    files.push_back(Wide(type));
  }
  ASSERT_EQ(files.size(), 15u);
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    SessionOptions options;
    options.threads = 2;
    StatusOr<std::unique_ptr<Session>> s = Session::Open(file, options);
    ASSERT_TRUE(s.ok()) << s.status().message();
    StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(file);
    ASSERT_TRUE(artifact.ok());
    sizer::testing::FloatReference reference(*artifact, (*s)->config());
    const bool float_format = file.find("F32") != std::string::npos ||
                              file.find("F16") != std::string::npos ||
                              file.find("BF16") != std::string::npos ||
                              file.find("stories260K.gguf") != std::string::npos;
    const double tolerance = float_format ? kFloatFormatLogitTolerance : kQuantizedFormatLogitTolerance;
    std::vector<int32_t> tokens = (*s)->tokenizer().Encode(
        "Once upon a time, there was a little girl named Lily.", true);
    for (size_t pos = 0; pos < tokens.size(); ++pos) {
      const std::vector<float>& got = (*s)->transformer().Forward(tokens[pos], static_cast<int64_t>(pos));
      std::vector<float> want = reference.Forward(tokens[pos], static_cast<int64_t>(pos));
      ASSERT_EQ(got.size(), want.size());
      const auto [max_abs, max_diff] = sizer::testing::CompareLogits(got, want);
      EXPECT_LT(max_diff / max_abs, tolerance) << "position " << pos;
      // Greedy tokens agree unless the reference's top two logits are closer than the error
      // the tolerance allows (a near-tie that 8-bit activations may flip).
      std::vector<float> sorted = want;
      std::partial_sort(sorted.begin(), sorted.begin() + 2, sorted.end(), std::greater<float>());
      const bool near_tie = sorted[0] - sorted[1] < 2 * tolerance * max_abs;
      if (!near_tie) {
        EXPECT_EQ(std::max_element(got.begin(), got.end()) - got.begin(),
                  std::max_element(want.begin(), want.end()) - want.begin())
            << "position " << pos;
      }
    }
  }
}

std::string TempFile(const std::string& name, const sizer::testing::Bytes& bytes);

// A tiny Qwen-style model with random F32 weights: qwen2 adds Q/K/V biases, qwen3 per-head
// Q/K RMSNorm, qwen3moe that plus a mixture of 4 experts (2 used); all use the NeoX RoPE layout.
sizer::testing::Bytes RandomQwenModel(const std::string& arch) {
  using sizer::testing::GgufValue;
  const uint64_t d = 64, heads = 4, kv_heads = 2, hd = 16, ff = 96, vocab = 32;
  const uint64_t experts = 4, expert_ff = 32;  // qwen3moe: 4 experts of FFN 32, 2 used
  sizer::testing::GgufBuilder b;
  b.AddString("general.architecture", arch);
  b.Add(arch + ".block_count", GgufValue::U32(2));
  b.Add(arch + ".context_length", GgufValue::U32(64));
  b.Add(arch + ".embedding_length", GgufValue::U32(d));
  b.Add(arch + ".feed_forward_length", GgufValue::U32(ff));
  b.Add(arch + ".attention.head_count", GgufValue::U32(heads));
  b.Add(arch + ".attention.head_count_kv", GgufValue::U32(kv_heads));
  b.Add(arch + ".attention.key_length", GgufValue::U32(hd));
  b.Add(arch + ".rope.freq_base", GgufValue::F32(1000000.0f));
  b.Add(arch + ".attention.layer_norm_rms_epsilon", GgufValue::F32(1e-6f));
  if (arch == "qwen3moe") {
    b.Add(arch + ".expert_count", GgufValue::U32(static_cast<uint32_t>(experts)));
    b.Add(arch + ".expert_used_count", GgufValue::U32(2));
    b.Add(arch + ".expert_feed_forward_length", GgufValue::U32(static_cast<uint32_t>(expert_ff)));
  }
  b.AddString("tokenizer.ggml.model", "llama");
  std::vector<std::string> tokens;
  std::vector<float> scores;
  for (uint64_t i = 0; i < vocab; ++i) {
    tokens.push_back(i == 0 ? "<unk>" : i == 1 ? "<s>" : i == 2 ? "</s>" : "t" + std::to_string(i));
    scores.push_back(-static_cast<float>(i));
  }
  b.Add("tokenizer.ggml.tokens", GgufValue::StrArray(tokens));
  b.Add("tokenizer.ggml.scores", GgufValue::F32Array(scores));
  b.AddTensor("token_embd.weight", {d, vocab});
  for (int l = 0; l < 2; ++l) {
    const std::string p = "blk." + std::to_string(l) + ".";
    b.AddTensor(p + "attn_norm.weight", {d});
    b.AddTensor(p + "attn_q.weight", {d, heads * hd});
    b.AddTensor(p + "attn_k.weight", {d, kv_heads * hd});
    b.AddTensor(p + "attn_v.weight", {d, kv_heads * hd});
    if (arch == "qwen2") {
      b.AddTensor(p + "attn_q.bias", {heads * hd});
      b.AddTensor(p + "attn_k.bias", {kv_heads * hd});
      b.AddTensor(p + "attn_v.bias", {kv_heads * hd});
    } else {
      b.AddTensor(p + "attn_q_norm.weight", {hd});
      b.AddTensor(p + "attn_k_norm.weight", {hd});
    }
    b.AddTensor(p + "attn_output.weight", {heads * hd, d});
    b.AddTensor(p + "ffn_norm.weight", {d});
    if (arch == "qwen3moe") {
      b.AddTensor(p + "ffn_gate_inp.weight", {d, experts});
      b.AddTensor(p + "ffn_gate_exps.weight", {d, expert_ff, experts});
      b.AddTensor(p + "ffn_up_exps.weight", {d, expert_ff, experts});
      b.AddTensor(p + "ffn_down_exps.weight", {expert_ff, d, experts});
    } else {
      b.AddTensor(p + "ffn_gate.weight", {d, ff});
      b.AddTensor(p + "ffn_up.weight", {d, ff});
      b.AddTensor(p + "ffn_down.weight", {ff, d});
    }
  }
  b.AddTensor("output_norm.weight", {d});
  b.AddTensor("output.weight", {d, vocab});
  sizer::testing::GgufLayout layout;
  sizer::testing::Bytes bytes = b.Build(&layout);
  // Fill the whole data section (norm weights and biases included) with seeded random floats
  // in [-0.5, 0.5): the runner and the reference read the same values.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-0.5f, 0.5f);
  for (size_t at = layout.data_offset; at + 4 <= bytes.size(); at += 4) {
    float v = dist(rng);
    std::memcpy(bytes.data() + at, &v, 4);
  }
  return bytes;
}

TEST(Runner, QwenArchitecturesAgreeWithTheFloatReference) {
  for (const std::string arch : {"qwen2", "qwen3", "qwen3moe"}) {
    SCOPED_TRACE(arch);
    std::string path = TempFile(arch + ".gguf", RandomQwenModel(arch));
    SessionOptions options;
    options.threads = 2;
    StatusOr<std::unique_ptr<Session>> s = Session::Open(path, options);
    ASSERT_TRUE(s.ok()) << s.status().message();
    const RunnerConfig& c = (*s)->config();
    EXPECT_EQ(c.rope_style, RopeStyle::kNeox);
    EXPECT_EQ(c.qkv_bias, arch == "qwen2");
    EXPECT_EQ(c.qk_norm, arch != "qwen2");
    EXPECT_EQ(c.moe.n_experts, arch == "qwen3moe" ? 4 : 0);
    StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
    ASSERT_TRUE(artifact.ok());
    sizer::testing::FloatReference reference(*artifact, c);
    for (int64_t pos = 0; pos < 12; ++pos) {
      const int32_t token = static_cast<int32_t>(3 + (pos * 7) % 29);
      const std::vector<float>& got = (*s)->transformer().Forward(token, pos);
      std::vector<float> want = reference.Forward(token, pos);
      const auto [max_abs, max_diff] = sizer::testing::CompareLogits(got, want);
      EXPECT_LT(max_diff / max_abs, kFloatFormatLogitTolerance) << "position " << pos;
    }
    std::filesystem::remove(path);
  }
}

std::string TempFile(const std::string& name, const sizer::testing::Bytes& bytes) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("sizer_runner_" + std::to_string(::getpid()) + "_" + name)).string();
  EXPECT_TRUE(sizer::testing::WriteBytesToFile(path, bytes));
  return path;
}

Status OpenStatus(const std::string& path) {
  StatusOr<std::unique_ptr<Session>> s = Session::Open(path, SessionOptions());
  return s.ok() ? Status() : s.status();
}

TEST(RunnerRefuses, AnArchitectureItDoesNotRunNamingWhatItRuns) {
  sizer::testing::GgufBuilder b;
  b.AddString("general.architecture", "mamba");
  std::string path = TempFile("mamba.gguf", b.Build());
  Status s = OpenStatus(path);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("'mamba'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("llama, qwen2, qwen2moe, qwen3"), std::string::npos) << s.message();
  std::filesystem::remove(path);
}

TEST(RunnerRefuses, ATensorTypeItDoesNotRunNamingTheTensor) {
  sizer::testing::LlamaLikeOptions options;
  options.tensor_type = 40;  // NVFP4: not executed by the runner
  sizer::testing::GgufBuilder b = sizer::testing::LlamaLikeBuilder(options);
  std::string path = TempFile("nvfp4.gguf", b.Build());
  Status s = OpenStatus(path);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("tensor token_embd.weight is NVFP4"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("Q4_K"), std::string::npos) << s.message();
  std::filesystem::remove(path);
}

TEST(RunnerRefuses, ATokenizerItDoesNotRun) {
  sizer::testing::GgufBuilder b = sizer::testing::LlamaLikeBuilder();
  sizer::testing::Bytes bytes = b.Build();
  // Rewrite the tokenizer model "llama" into "gpt2_" (same length) in place.
  std::string text(bytes.begin(), bytes.end());
  size_t at = text.find("tokenizer.ggml.model");
  ASSERT_NE(at, std::string::npos);
  size_t value = text.find("llama", at);
  ASSERT_NE(value, std::string::npos);
  std::copy_n("gpt2_", 5, bytes.begin() + static_cast<std::ptrdiff_t>(value));
  std::string path = TempFile("gpt2.gguf", bytes);
  Status s = OpenStatus(path);
  EXPECT_EQ(s.code(), StatusCode::kUnsupported) << s.message();
  EXPECT_NE(s.message().find("gpt2_"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("supported: 'llama' (SentencePiece BPE), 'gpt2'"), std::string::npos)
      << s.message();
  std::filesystem::remove(path);
}

TEST(RunnerRefuses, ATensorOfTheWrongShapeNamingIt) {
  sizer::testing::LlamaLikeOptions options;
  options.n_ff = 512;  // the metadata will say 256 below
  sizer::testing::GgufBuilder b = sizer::testing::LlamaLikeBuilder(options);
  sizer::testing::Bytes bytes = b.Build();
  // Patch llama.feed_forward_length (512 -> 256): the ffn tensors no longer match it.
  std::string text(bytes.begin(), bytes.end());
  size_t key = text.find("llama.feed_forward_length");
  ASSERT_NE(key, std::string::npos);
  size_t value = key + std::string("llama.feed_forward_length").size() + 4;  // after the type tag
  sizer::testing::PatchU32(bytes, value, 256);
  std::string path = TempFile("shape.gguf", bytes);
  Status s = OpenStatus(path);
  EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.message();
  EXPECT_NE(s.message().find("tensor blk.0.ffn_gate.weight: expected 256x256, got 256x512"),
            std::string::npos) << s.message();
  std::filesystem::remove(path);
}

TEST(RunnerRefuses, APromptLongerThanTheContext) {
  SessionOptions options;
  options.context_tokens = 8;
  StatusOr<std::unique_ptr<Session>> s = Session::Open(TestDataDir() + "/models/stories260K.gguf", options);
  ASSERT_TRUE(s.ok());
  Sampler greedy(0, 1, 0);
  StatusOr<GenerationStats> stats = (*s)->Generate(
      "Once upon a time there was a little girl who lived in a village", 4, greedy,
      [](std::string_view) {});
  ASSERT_FALSE(stats.ok());
  EXPECT_EQ(stats.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(stats.status().message().find("does not fit the context of 8"), std::string::npos);
}

TEST(RunnerCli, RunStreamsTheContinuationAndAFiguresLine) {
  sizer::testing::CliResult r = sizer::testing::RunCli(
      "run '" + TestDataDir() + "/models/stories260K.gguf' --prompt 'Once upon a time' -n 40");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(std::string("Once upon a time") + kLlamaCppContinuation), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("prompt tokens 5, prefill "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("generated tokens 40, decode "), std::string::npos) << r.out;
  sizer::testing::CliResult bad = sizer::testing::RunCli("run README.md --prompt x");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("byte 0: magic"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace sizer::runner

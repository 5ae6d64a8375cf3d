// Every architecture the micro-runner runs against llama.cpp: the random-weight files of
// tests/data/models/arch/ (tests/data/README.md) must give llama.cpp's greedy token ids, up to
// the prefix where llama.cpp's own output depends on its KV cache type. Also: the
// hyper-parameters each architecture reads, the MoE router reading only the chosen experts,
// RoPE scaling, and the refusals by name.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "runner/rope.h"
#include "runner/session.h"
#include "testing/gguf_builder.h"
#include "testing/test_env.h"

namespace sizer::runner {
namespace {

namespace fs = std::filesystem;
using sizer::testing::TestDataDir;

std::string Arch(const std::string& file) { return TestDataDir() + "/models/arch/" + file; }

// llama.cpp build 4748 (CPU, 2 threads, F16 KV cache), prompt "Once upon a time" with BOS,
// greedy, 32 tokens; `prefix`: the leading tokens on which llama.cpp agrees with itself under
// an F32 KV cache (the rest hangs on near-ties; tests/data/README.md).
struct ArchCase {
  const char* file;
  int prefix;
  const char* ids;
};
const ArchCase kCases[] = {
    {"llama-moe-Q8_0.gguf", 32,
     "412 463 425 353 293 280 277 324 469 280 439 324 469 503 469 503 "
     "300 438 503 300 472 439 463 423 508 307 472 439 463 423 508 307"},
    {"llama-moe-Q4_K_M.gguf", 32,
     "412 463 425 353 293 280 277 324 280 277 324 469 503 300 287 280 "
     "497 438 273 479 280 402 412 486 469 280 277 324 378 469 503 300"},
    {"qwen2-Q8_0.gguf", 32,
     "412 336 374 469 280 423 324 469 347 469 347 469 280 423 348 347 "
     "469 280 423 348 347 469 280 277 463 423 324 316 463 274 277 463"},
    {"qwen2-Q4_K_M.gguf", 32,
     "412 336 374 469 280 423 324 469 347 469 347 469 280 423 348 347 "
     "469 280 423 324 318 274 277 463 425 347 292 348 347 469 280 277"},
    {"qwen2moe-Q8_0.gguf", 32,
     "275 273 497 277 343 467 320 289 275 468 370 421 487 270 441 289 "
     "487 408 289 275 309 434 304 270 441 289 324 413 289 286 276 343"},
    {"qwen2moe-Q4_K_M.gguf", 32,
     "275 273 497 320 289 275 468 270 441 289 324 465 370 421 487 408 "
     "289 324 465 370 421 487 408 270 441 285 343 312 434 370 421 487"},
    {"phi3-Q8_0.gguf", 9,
     "333 426 333 426 333 426 333 426 333 301 368 416 363 313 313 313 "
     "313 313 313 457 308 351 259 359 292 338 423 464 313 359 359 359"},
    {"phi3-Q4_K_M.gguf", 32,
     "333 426 454 357 408 333 448 448 448 448 448 332 324 332 320 497 "
     "505 259 259 448 285 332 265 262 408 397 332 498 265 259 259 259"},
    {"gemma-Q8_0.gguf", 8,
     "445 408 408 266 344 338 406 288 346 280 405 405 405 346 405 449 "
     "270 355 426 346 355 280 405 346 346 346 346 440 287 405 346 440"},
    {"gemma-Q4_K_M.gguf", 7,
     "445 408 408 408 266 344 338 382 346 405 449 270 426 344 430 507 "
     "287 346 405 473 285 344 270 301 507 426 488 287 405 405 344 348"},
    {"gemma2-Q8_0.gguf", 4,
     "435 469 406 406 278 287 287 493 476 310 449 295 295 409 278 458 "
     "458 458 438 384 355 355 355 382 435 384 384 481 505 382 384 382"},
    {"gemma2-Q4_K_M.gguf", 1,
     "435 469 438 359 359 359 359 359 359 438 476 476 476 311 311 311 "
     "311 311 311 311 311 287 311 323 310 384 384 384 384 449 449 311"},
};

std::vector<int32_t> Ids(const std::string& text) {
  std::istringstream in(text);
  return {std::istream_iterator<int32_t>(in), std::istream_iterator<int32_t>()};
}

StatusOr<std::unique_ptr<Session>> Open(const std::string& path) {
  SessionOptions options;
  options.threads = 2;
  options.context_tokens = 64;
  return Session::Open(path, options);
}

// Feeds `prompt`, then `n` greedy tokens (argmax, the first on a tie).
std::vector<int32_t> Greedy(Session& s, const std::vector<int32_t>& prompt, int n) {
  std::vector<float> logits;
  int64_t pos = 0;
  for (int32_t t : prompt) logits = s.transformer().Forward(t, pos++);
  std::vector<int32_t> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(
        static_cast<int32_t>(std::max_element(logits.begin(), logits.end()) - logits.begin()));
    logits = s.transformer().Forward(out.back(), pos++);
  }
  return out;
}

TEST(ArchRunner, EveryArchitectureFileGivesLlamaCppsGreedyIds) {
  const std::vector<int32_t> prompt = {1, 403, 407, 261, 378};
  for (const ArchCase& c : kCases) {
    SCOPED_TRACE(c.file);
    StatusOr<std::unique_ptr<Session>> s = Open(Arch(c.file));
    ASSERT_TRUE(s.ok()) << s.status().message();
    // The files carry stories260K's SentencePiece vocabulary: the prompt's ids as llama.cpp's.
    EXPECT_EQ((*s)->tokenizer().Encode("Once upon a time", true), prompt);
    std::vector<int32_t> want = Ids(c.ids);
    ASSERT_EQ(want.size(), 32u);
    want.resize(static_cast<size_t>(c.prefix));
    EXPECT_EQ(Greedy(**s, prompt, c.prefix), want);
  }
}

TEST(ArchRunner, ReadsEachArchitecturesHyperParametersFromTheMetadata) {
  StatusOr<std::unique_ptr<Session>> moe = Open(Arch("llama-moe-Q8_0.gguf"));
  ASSERT_TRUE(moe.ok()) << moe.status().message();
  const RunnerConfig& m = (*moe)->config();
  EXPECT_EQ(m.moe.n_experts, 4);
  EXPECT_EQ(m.moe.n_experts_used, 2);
  EXPECT_EQ(m.moe.expert_d_ff, 256);
  EXPECT_EQ(m.moe.shared_d_ff, 0);
  EXPECT_TRUE(m.traits.renormalize_expert_weights);
  EXPECT_EQ(m.rope_style, RopeStyle::kNormal);

  StatusOr<std::unique_ptr<Session>> qmoe = Open(Arch("qwen2moe-Q8_0.gguf"));
  ASSERT_TRUE(qmoe.ok()) << qmoe.status().message();
  EXPECT_EQ((*qmoe)->config().moe.shared_d_ff, 256);
  EXPECT_FALSE((*qmoe)->config().traits.renormalize_expert_weights);
  EXPECT_TRUE((*qmoe)->config().qkv_bias);

  StatusOr<std::unique_ptr<Session>> phi3 = Open(Arch("phi3-Q8_0.gguf"));
  ASSERT_TRUE(phi3.ok()) << phi3.status().message();
  EXPECT_EQ((*phi3)->config().sliding_window_tokens, 16);
  EXPECT_TRUE((*phi3)->config().IsSlidingLayer(0));
  EXPECT_FLOAT_EQ((*phi3)->config().query_scale, 1.0f / std::sqrt(32.0f));
  EXPECT_FLOAT_EQ((*phi3)->config().score_scale, 1.0f);

  StatusOr<std::unique_ptr<Session>> g2 = Open(Arch("gemma2-Q8_0.gguf"));
  ASSERT_TRUE(g2.ok()) << g2.status().message();
  const RunnerConfig& g = (*g2)->config();
  EXPECT_EQ(g.n_layers, 26);
  EXPECT_EQ(g.sliding_window_tokens, 8);
  EXPECT_TRUE(g.IsSlidingLayer(0));
  EXPECT_FALSE(g.IsSlidingLayer(1));
  EXPECT_FLOAT_EQ(g.attn_softcap, 20.0f);
  EXPECT_FLOAT_EQ(g.final_softcap, 15.0f);
  EXPECT_FLOAT_EQ(g.query_scale, 0.25f);  // 1/sqrt(head_dim 16)
  EXPECT_EQ(g.rope_style, RopeStyle::kNeox);
}

// Copies `file` into a temporary file and returns its path.
std::string TempCopy(const std::string& file, const std::string& name) {
  const std::string path =
      (fs::temp_directory_path() / ("sizer_arch_" + std::to_string(::getpid()) + "_" + name))
          .string();
  fs::copy_file(Arch(file), path, fs::copy_options::overwrite_existing);
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  return path;
}

// Overwrites bytes [at, at + n) of `path` with 0xff (an F16 NaN in every Q8_0 scale).
void Spoil(const std::string& path, uint64_t at, uint64_t n) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(at));
  const std::string junk(n, '\xff');
  f.write(junk.data(), static_cast<std::streamsize>(n));
}

TEST(ArchRunner, MoeDecodeReadsOnlyTheChosenExpertsRows) {
  const std::string path = TempCopy("llama-moe-Q8_0.gguf", "moe.gguf");
  std::vector<float> clean;
  std::vector<int64_t> chosen;
  {
    StatusOr<std::unique_ptr<Session>> s = Open(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    clean = (*s)->transformer().Forward(1, 0);
    chosen = (*s)->transformer().moe()->chosen();
  }
  ASSERT_EQ(chosen.size(), 2u);
  // Ruin every expert the token did not choose, in all three expert tensors.
  StatusOr<gguf::Artifact> a = gguf::Artifact::Open(path);
  ASSERT_TRUE(a.ok());
  const uint64_t data_offset = a->metadata().data_offset;
  std::vector<std::pair<uint64_t, uint64_t>> spans;  // file offset, bytes of one expert
  for (const char* name :
       {"blk.0.ffn_gate_exps.weight", "blk.0.ffn_up_exps.weight", "blk.0.ffn_down_exps.weight"}) {
    const gguf::TensorInfo* t = a->FindTensor(name);
    ASSERT_NE(t, nullptr) << name;
    spans.emplace_back(data_offset + t->offset, t->n_bytes / 4);
  }
  auto spoil_experts = [&](bool chosen_ones) {
    for (int64_t e = 0; e < 4; ++e) {
      const bool is_chosen = std::find(chosen.begin(), chosen.end(), e) != chosen.end();
      if (is_chosen != chosen_ones) continue;
      for (auto [at, n] : spans) Spoil(path, at + static_cast<uint64_t>(e) * n, n);
    }
  };
  spoil_experts(false);
  {
    StatusOr<std::unique_ptr<Session>> s = Open(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ((*s)->transformer().Forward(1, 0), clean);  // bit for bit: never read
  }
  spoil_experts(true);  // the control: the chosen experts' bytes are read
  {
    StatusOr<std::unique_ptr<Session>> s = Open(path);
    ASSERT_TRUE(s.ok()) << s.status().message();
    // (NaN scales; quantizing the NaN activations for the next matrix turns them into zeros.)
    EXPECT_NE((*s)->transformer().Forward(1, 0), clean);
  }
  fs::remove(path);
}

// A copy of `file` with the first occurrence of `from` in its header renamed to `to` (same
// length), so the tensor the runner needs is missing.
std::string Renamed(const std::string& file, const std::string& from, const std::string& to) {
  const std::string path = TempCopy(file, "renamed.gguf");
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t at = bytes.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  EXPECT_EQ(from.size(), to.size());
  std::fstream out(path, std::ios::in | std::ios::out | std::ios::binary);
  out.seekp(static_cast<std::streamoff>(at));
  out.write(to.data(), static_cast<std::streamsize>(to.size()));
  return path;
}

TEST(ArchRunnerRefuses, AMissingTensorOfEachArchitectureByName) {
  struct Missing {
    const char* file;
    const char* from;
    const char* to;
  };
  for (const Missing& m :
       {Missing{"llama-moe-Q8_0.gguf", "blk.0.ffn_up_exps", "blk.0.ffn_up_expz"},
        Missing{"llama-moe-Q8_0.gguf", "blk.0.ffn_gate_inp", "blk.0.ffn_gate_inq"},
        Missing{"qwen2moe-Q8_0.gguf", "blk.0.ffn_gate_inp_shexp", "blk.0.ffn_gate_inp_shexq"},
        Missing{"phi3-Q8_0.gguf", "blk.0.attn_qkv", "blk.0.attn_qkw"},
        Missing{"gemma2-Q8_0.gguf", "blk.0.post_ffw_norm", "blk.0.post_ffx_norm"}}) {
    SCOPED_TRACE(m.from);
    const std::string path = Renamed(m.file, m.from, m.to);
    StatusOr<std::unique_ptr<Session>> s = Open(path);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kCorruption);
    EXPECT_NE(s.status().message().find(std::string("tensor ") + m.from + ".weight is missing"),
              std::string::npos)
        << s.status().message();
    sizer::testing::CliResult r = sizer::testing::RunCli("run '" + path + "' --prompt x -n 1");
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(std::string("tensor ") + m.from + ".weight is missing"), std::string::npos)
        << r.err;
    fs::remove(path);
  }
}

// A llama-like file with extra metadata, opened: the refusal.
Status OpenWith(const std::function<void(sizer::testing::GgufBuilder&)>& add) {
  sizer::testing::GgufBuilder b = sizer::testing::LlamaLikeBuilder();
  add(b);
  const std::string path =
      (fs::temp_directory_path() / ("sizer_arch_" + std::to_string(::getpid()) + "_meta.gguf"))
          .string();
  EXPECT_TRUE(sizer::testing::WriteBytesToFile(path, b.Build()));
  StatusOr<std::unique_ptr<Session>> s = Open(path);
  fs::remove(path);
  return s.ok() ? Status() : s.status();
}

TEST(ArchRunnerRefuses, BadMixtureOfExpertsAndRopeScalingMetadata) {
  using sizer::testing::GgufValue;
  Status used = OpenWith([](sizer::testing::GgufBuilder& b) {
    b.Add("llama.expert_count", GgufValue::U32(2));
    b.Add("llama.expert_used_count", GgufValue::U32(3));
  });
  EXPECT_EQ(used.code(), StatusCode::kCorruption);
  EXPECT_NE(used.message().find("'llama.expert_used_count' = 3 exceeds expert_count 2"),
            std::string::npos)
      << used.message();
  Status experts = OpenWith([](sizer::testing::GgufBuilder& b) {
    b.Add("llama.expert_count", GgufValue::U32(4));
    b.Add("llama.expert_used_count", GgufValue::U32(2));
  });
  EXPECT_EQ(experts.code(), StatusCode::kCorruption);
  EXPECT_NE(experts.message().find("tensor blk.0.ffn_gate_inp.weight is missing"),
            std::string::npos)
      << experts.message();
  Status rope = OpenWith(
      [](sizer::testing::GgufBuilder& b) { b.AddString("llama.rope.scaling.type", "su"); });
  EXPECT_EQ(rope.code(), StatusCode::kUnsupported);
  EXPECT_NE(
      rope.message().find("'su' is not a RoPE scaling the micro-runner knows (none, linear, yarn"),
      std::string::npos)
      << rope.message();
}

TEST(ArchRunnerRefuses, AnArchitectureItDoesNotRunNamingEveryOneItRuns) {
  sizer::testing::GgufBuilder b;
  b.AddString("general.architecture", "deepseek2");
  const std::string path =
      (fs::temp_directory_path() / ("sizer_arch_" + std::to_string(::getpid()) + "_ds.gguf"))
          .string();
  ASSERT_TRUE(sizer::testing::WriteBytesToFile(path, b.Build()));
  StatusOr<std::unique_ptr<Session>> s = Open(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kUnsupported);
  EXPECT_NE(s.status().message().find("architecture 'deepseek2' (it runs llama, qwen2, qwen2moe, "
                                      "qwen3, qwen3moe, phi3, gemma, gemma2, gemma3)"),
            std::string::npos)
      << s.status().message();
  sizer::testing::CliResult r = sizer::testing::RunCli("run '" + path + "' --prompt x");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("does not run architecture 'deepseek2'"), std::string::npos) << r.err;
  fs::remove(path);
}

// RoPE scaling against the definitions: linear scaling divides the position by the factor,
// a frequency factor divides one pair's angle, YaRN keeps the high-frequency pairs unscaled,
// interpolates the low-frequency ones and scales the magnitude by 1 + 0.1 ln(factor).
TEST(ArchRunner, RopeScalingFollowsItsDefinitions) {
  RunnerConfig c;
  c.head_dim = c.rope_dims = 8;
  c.rope_base = 10000.0f;
  c.rope_style = RopeStyle::kNormal;
  c.rope_scaling.original_context_tokens = 4096;
  auto rotate = [](const RunnerConfig& config, std::vector<float> factors, int64_t pos) {
    RotaryEmbedding rope(config, std::move(factors));
    rope.SetPosition(pos);
    std::vector<float> x = {1, 0, 1, 0, 1, 0, 1, 0};
    rope.Apply(x.data());
    return x;
  };
  auto angle = [](const std::vector<float>& x, int pair) {
    return std::atan2(x[static_cast<size_t>(2 * pair + 1)], x[static_cast<size_t>(2 * pair)]);
  };
  RunnerConfig linear = c;
  linear.rope_scaling.freq_scale = 0.25f;
  std::vector<float> a = rotate(linear, {}, 8), b = rotate(c, {}, 2);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-6) << i;
  std::vector<float> f = rotate(c, {1, 1, 4, 1}, 100), g = rotate(c, {}, 25);
  EXPECT_NEAR(std::cos(angle(f, 2)), std::cos(angle(g, 2)), 1e-5);
  EXPECT_NEAR(std::sin(angle(f, 2)), std::sin(angle(g, 2)), 1e-5);
  EXPECT_NEAR(angle(f, 0), angle(rotate(c, {}, 100), 0), 1e-6);
  RunnerConfig yarn = c;
  yarn.rope_scaling.freq_scale = 0.25f;
  yarn.rope_scaling.ext_factor = 1.0f;
  std::vector<float> y = rotate(yarn, {}, 3), plain = rotate(c, {}, 3);
  const float mscale = 1.0f + 0.1f * std::log(4.0f);
  EXPECT_NEAR(std::hypot(y[0], y[1]), mscale, 1e-5);
  EXPECT_NEAR(angle(y, 0), angle(plain, 0), 1e-6);  // pair 0 is below the correction range
}

}  // namespace
}  // namespace sizer::runner

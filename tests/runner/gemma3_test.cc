// gemma3 in the micro-runner: a tiny random-weight gemma3 GGUF run against a plain float
// reference written here from llama.cpp's build_gemma3 (llm_build_gemma3_iswa) and
// load_hparams: embeddings times sqrt(d_model), per-head Q/K RMSNorm, sandwich norms, GELU
// gated FFN, no soft-caps, sliding window on five layers of six, RoPE base 10000 without
// scaling on sliding layers and the file's base and linear scaling on global ones.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "gguf/artifact.h"
#include "gguf/reader.h"
#include "kernels/quant.h"
#include "runner/config.h"
#include "runner/logit_difference.h"
#include "runner/session.h"
#include "testing/gguf_builder.h"

namespace sizer::runner {
namespace {

namespace fs = std::filesystem;
using sizer::testing::GgufValue;

// The tiny model: head_dim 32 differs from d_model / n_heads = 16, so RoPE must default to
// key_length dimensions; 7 layers: 0-4 sliding, 5 global, 6 sliding.
constexpr uint64_t kD = 64, kHeads = 4, kKvHeads = 2, kHeadDim = 32, kFf = 96, kVocab = 32;
constexpr int kLayers = 7;
constexpr int64_t kWindow = 4;        // gemma3.attention.sliding_window
constexpr double kGlobalBase = 1e6;   // gemma3.rope.freq_base
constexpr double kLocalBase = 10000;  // llama.cpp rope_freq_base_train_swa
constexpr double kScalingFactor = 8;  // gemma3.rope.scaling.factor (linear)
constexpr double kRmsEps = 1e-6;
constexpr double kPi = 3.14159265358979323846;
constexpr int64_t kPositions = 24;         // longer than the window, so keys slide out
constexpr double kLogitTolerance = 0.002;  // max |diff| / max |logit| (as runner_test)

const char* const kLayerTensors[] = {
    "attn_norm",    "attn_q",      "attn_k",      "attn_v",
    "attn_q_norm",  "attn_k_norm", "attn_output", "post_attention_norm",
    "ffn_norm",     "ffn_gate",    "ffn_up",      "ffn_down",
    "post_ffw_norm"};

void AddMetadata(sizer::testing::GgufBuilder& b, uint32_t layers) {
  const std::string a = "gemma3.";
  b.AddString("general.architecture", "gemma3");
  b.Add(a + "block_count", GgufValue::U32(layers));
  b.Add(a + "context_length", GgufValue::U32(64));
  b.Add(a + "embedding_length", GgufValue::U32(kD));
  b.Add(a + "feed_forward_length", GgufValue::U32(kFf));
  b.Add(a + "attention.head_count", GgufValue::U32(kHeads));
  b.Add(a + "attention.head_count_kv", GgufValue::U32(kKvHeads));
  b.Add(a + "attention.key_length", GgufValue::U32(kHeadDim));
  b.Add(a + "attention.value_length", GgufValue::U32(kHeadDim));
  b.Add(a + "attention.sliding_window", GgufValue::U32(kWindow));
  b.Add(a + "attention.layer_norm_rms_epsilon", GgufValue::F32(static_cast<float>(kRmsEps)));
  b.Add(a + "rope.freq_base", GgufValue::F32(static_cast<float>(kGlobalBase)));
  b.AddString(a + "rope.scaling.type", "linear");
  b.Add(a + "rope.scaling.factor", GgufValue::F32(static_cast<float>(kScalingFactor)));
  b.AddString("tokenizer.ggml.model", "llama");
  std::vector<std::string> tokens;
  std::vector<float> scores;
  for (uint64_t i = 0; i < kVocab; ++i) {
    tokens.push_back(i == 0 ? "<unk>" : i == 1 ? "<s>" : i == 2 ? "</s>" : "t" + std::to_string(i));
    scores.push_back(-static_cast<float>(i));
  }
  b.Add("tokenizer.ggml.tokens", GgufValue::StrArray(tokens));
  b.Add("tokenizer.ggml.scores", GgufValue::F32Array(scores));
}

std::vector<uint64_t> LayerTensorShape(const std::string& n) {
  if (n == "attn_q") return {kD, kHeads * kHeadDim};
  if (n == "attn_k" || n == "attn_v") return {kD, kKvHeads * kHeadDim};
  if (n == "attn_q_norm" || n == "attn_k_norm") return {kHeadDim};
  if (n == "attn_output") return {kHeads * kHeadDim, kD};
  if (n == "ffn_gate" || n == "ffn_up") return {kD, kFf};
  if (n == "ffn_down") return {kFf, kD};
  return {kD};  // the norms
}

// A gemma3 file with seeded random F32 weights (tied output, as gemma3 ships), without the
// tensor named `omit` when one is given.
sizer::testing::Bytes RandomGemma3Model(const std::string& omit = "") {
  sizer::testing::GgufBuilder b;
  AddMetadata(b, kLayers);
  b.AddTensor("token_embd.weight", {kD, kVocab});
  for (int l = 0; l < kLayers; ++l) {
    for (const char* n : kLayerTensors) {
      const std::string name = "blk." + std::to_string(l) + "." + n + ".weight";
      if (name != omit) b.AddTensor(name, LayerTensorShape(n));
    }
  }
  b.AddTensor("output_norm.weight", {kD});
  sizer::testing::GgufLayout layout;
  sizer::testing::Bytes bytes = b.Build(&layout);
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> dist(-0.5f, 0.5f);
  for (size_t at = layout.data_offset; at + 4 <= bytes.size(); at += 4) {
    const float v = dist(rng);
    std::memcpy(bytes.data() + at, &v, 4);
  }
  return bytes;
}

std::string TempFile(const std::string& name, const sizer::testing::Bytes& bytes) {
  const std::string path =
      (fs::temp_directory_path() / ("sizer_gemma3_" + std::to_string(::getpid()) + "_" + name))
          .string();
  EXPECT_TRUE(sizer::testing::WriteBytesToFile(path, bytes));
  return path;
}

// Which parts of gemma3 the reference honours: the test also runs it with one part wrong to
// show that the comparison notices that part.
struct Variant {
  bool sliding_window = true;
  bool local_rope = true;  // base 10000 and no scaling on sliding layers
};

// Every weight as float, doubles for the sums, the KV cache in float.
class Gemma3Reference {
 public:
  Gemma3Reference(const gguf::Artifact& a, Variant v) : v_(v) {
    embd_ = Load(a, "token_embd.weight");
    out_norm_ = Load(a, "output_norm.weight");
    for (int l = 0; l < kLayers; ++l) {
      std::map<std::string, std::vector<float>> t;
      for (const char* n : kLayerTensors) {
        t[n] = Load(a, "blk." + std::to_string(l) + "." + n + ".weight");
      }
      layers_.push_back(std::move(t));
    }
    keys_.resize(kLayers);
    values_.resize(kLayers);
  }

  std::vector<float> Forward(int32_t token, int64_t pos) {
    std::vector<float> x(embd_.begin() + token * kD, embd_.begin() + (token + 1) * kD);
    for (float& e : x) e *= std::sqrt(static_cast<float>(kD));
    for (int l = 0; l < kLayers; ++l) {
      auto& t = layers_[static_cast<size_t>(l)];
      std::vector<float> attn =
          Norm(Attention(l, Norm(x, t["attn_norm"]), pos), t["post_attention_norm"]);
      for (size_t i = 0; i < x.size(); ++i) x[i] += attn[i];
      std::vector<float> ffn = Norm(Ffn(l, Norm(x, t["ffn_norm"])), t["post_ffw_norm"]);
      for (size_t i = 0; i < x.size(); ++i) x[i] += ffn[i];
    }
    return Mul(embd_, Norm(x, out_norm_));  // tied output
  }

 private:
  static bool Sliding(int layer) { return (layer + 1) % 6 != 0; }

  std::vector<float> Attention(int l, const std::vector<float>& xb, int64_t pos) {
    auto& t = layers_[static_cast<size_t>(l)];
    std::vector<float> q = Mul(t["attn_q"], xb), k = Mul(t["attn_k"], xb), v = Mul(t["attn_v"], xb);
    const bool local = v_.local_rope && Sliding(l);
    const double base = local ? kLocalBase : kGlobalBase;
    const double scale = local ? 1.0 : 1.0 / kScalingFactor;
    for (uint64_t h = 0; h < kHeads; ++h) {
      float* head = q.data() + h * kHeadDim;
      NormHead(head, t["attn_q_norm"]);
      Rope(head, pos, base, scale);
      for (uint64_t i = 0; i < kHeadDim; ++i) head[i] /= std::sqrt(static_cast<float>(kHeadDim));
    }
    for (uint64_t h = 0; h < kKvHeads; ++h) {
      NormHead(k.data() + h * kHeadDim, t["attn_k_norm"]);
      Rope(k.data() + h * kHeadDim, pos, base, scale);
    }
    keys_[static_cast<size_t>(l)].push_back(k);
    values_[static_cast<size_t>(l)].push_back(v);
    const int64_t first =
        v_.sliding_window && Sliding(l) ? std::max<int64_t>(0, pos - kWindow + 1) : 0;
    std::vector<float> out(kHeads * kHeadDim, 0.0f);
    for (uint64_t h = 0; h < kHeads; ++h) {
      const uint64_t kv = (h / (kHeads / kKvHeads)) * kHeadDim;
      std::vector<double> p;
      for (int64_t s = first; s <= pos; ++s) {
        double dot = 0;
        for (uint64_t i = 0; i < kHeadDim; ++i) {
          dot +=
              static_cast<double>(q[h * kHeadDim + i]) * keys_[static_cast<size_t>(l)][s][kv + i];
        }
        p.push_back(dot);  // Q carries the scale: softmax(QK^T) with kq_scale 1
      }
      const double max = *std::max_element(p.begin(), p.end());
      double sum = 0;
      for (double& e : p) sum += (e = std::exp(e - max));
      for (int64_t s = first; s <= pos; ++s) {
        for (uint64_t i = 0; i < kHeadDim; ++i) {
          out[h * kHeadDim + i] += static_cast<float>(p[static_cast<size_t>(s - first)] / sum *
                                                      values_[static_cast<size_t>(l)][s][kv + i]);
        }
      }
    }
    return Mul(t["attn_output"], out);
  }

  // down(gelu_tanh(gate(x)) * up(x)).
  std::vector<float> Ffn(int l, const std::vector<float>& xb) {
    auto& t = layers_[static_cast<size_t>(l)];
    std::vector<float> g = Mul(t["ffn_gate"], xb), u = Mul(t["ffn_up"], xb);
    for (size_t i = 0; i < g.size(); ++i) {
      const double x = g[i];
      const double gelu =
          0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / kPi) * (x + 0.044715 * x * x * x)));
      g[i] = static_cast<float>(gelu * u[i]);
    }
    return Mul(t["ffn_down"], g);
  }

  // NeoX RoPE over all head_dim values: pair (i, i + 16), angle pos * scale * base^(-2i/32).
  static void Rope(float* v, int64_t pos, double base, double scale) {
    const uint64_t half = kHeadDim / 2;
    for (uint64_t i = 0; i < half; ++i) {
      const double theta = static_cast<double>(pos) * scale *
                           std::pow(base, -2.0 * static_cast<double>(i) / kHeadDim);
      const double a = v[i], b = v[i + half];
      v[i] = static_cast<float>(a * std::cos(theta) - b * std::sin(theta));
      v[i + half] = static_cast<float>(a * std::sin(theta) + b * std::cos(theta));
    }
  }

  static void NormHead(float* v, const std::vector<float>& w) {
    std::vector<float> normed = Norm(std::vector<float>(v, v + kHeadDim), w);
    std::copy(normed.begin(), normed.end(), v);
  }

  // RMSNorm with the weight as stored (llama.cpp's converter already added gemma's 1).
  static std::vector<float> Norm(const std::vector<float>& x, const std::vector<float>& w) {
    double ss = 0;
    for (float e : x) ss += static_cast<double>(e) * e;
    const double r = 1.0 / std::sqrt(ss / static_cast<double>(x.size()) + kRmsEps);
    std::vector<float> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = static_cast<float>(x[i] * r * w[i]);
    return y;
  }

  static std::vector<float> Mul(const std::vector<float>& w, const std::vector<float>& x) {
    std::vector<float> y(w.size() / x.size());
    for (size_t r = 0; r < y.size(); ++r) {
      double acc = 0;
      for (size_t i = 0; i < x.size(); ++i) acc += static_cast<double>(w[r * x.size() + i]) * x[i];
      y[r] = static_cast<float>(acc);
    }
    return y;
  }

  static std::vector<float> Load(const gguf::Artifact& a, const std::string& name) {
    const gguf::TensorInfo* t = a.FindTensor(name);
    std::vector<float> out(static_cast<size_t>(t->n_elements));
    kernels::DequantizeRowReference(t->type.id, t->data, out.data(),
                                    static_cast<int64_t>(t->n_elements));
    return out;
  }

  Variant v_;
  std::vector<float> embd_, out_norm_;
  std::vector<std::map<std::string, std::vector<float>>> layers_;
  std::vector<std::vector<std::vector<float>>> keys_, values_;  // [layer][pos][kv_width]
};

// max |got - want| / max |want| over every position of the prompt.
double WorstRelativeError(Session& s, Gemma3Reference& reference) {
  double worst = 0;
  for (int64_t pos = 0; pos < kPositions; ++pos) {
    const int32_t token = static_cast<int32_t>(3 + (pos * 7) % 29);
    const std::vector<float>& got = s.transformer().Forward(token, pos);
    const std::vector<float> want = reference.Forward(token, pos);
    const auto [max_abs, max_diff] = sizer::testing::CompareLogits(got, want);
    worst = std::max(worst, max_diff / max_abs);
  }
  return worst;
}

// Opens the model afresh (empty KV cache) and compares it with the reference `v`.
double ErrorAgainst(const std::string& path, Variant v) {
  SessionOptions options;
  options.threads = 2;
  options.kv_type = KvCacheType::kF32;
  StatusOr<std::unique_ptr<Session>> s = Session::Open(path, options);
  EXPECT_TRUE(s.ok()) << s.status().message();
  StatusOr<gguf::Artifact> artifact = gguf::Artifact::Open(path);
  EXPECT_TRUE(artifact.ok());
  if (!s.ok() || !artifact.ok()) return 1e9;
  Gemma3Reference reference(*artifact, v);
  return WorstRelativeError(**s, reference);
}

TEST(Gemma3, ReadsTheHyperParametersAsLlamaCpp) {
  const std::string path = TempFile("config.gguf", RandomGemma3Model());
  SessionOptions options;
  options.threads = 1;
  StatusOr<std::unique_ptr<Session>> s = Session::Open(path, options);
  ASSERT_TRUE(s.ok()) << s.status().message();
  const RunnerConfig& c = (*s)->config();
  EXPECT_EQ(c.rope_style, RopeStyle::kNeox);
  EXPECT_TRUE(c.qk_norm);
  EXPECT_EQ(c.head_dim, 32);
  EXPECT_EQ(c.rope_dims, 32);  // key_length, not d_model / n_heads = 16
  EXPECT_EQ(c.sliding_window_tokens, kWindow);
  EXPECT_FLOAT_EQ(c.rope_base, 1e6f);
  EXPECT_FLOAT_EQ(c.sliding_rope_base, 10000.0f);
  EXPECT_FLOAT_EQ(c.rope_scaling.freq_scale, 0.125f);
  EXPECT_FLOAT_EQ(c.query_scale, 1.0f / std::sqrt(32.0f));
  EXPECT_FLOAT_EQ(c.score_scale, 1.0f);
  EXPECT_EQ(c.attn_softcap, 0.0f);
  EXPECT_EQ(c.final_softcap, 0.0f);
  for (int64_t l = 0; l < 13; ++l) {
    EXPECT_EQ(c.IsSlidingLayer(l), l != 5 && l != 11) << "layer " << l;
    EXPECT_EQ(c.UsesSlidingRope(l), l != 5 && l != 11) << "layer " << l;
  }
  fs::remove(path);
}

TEST(Gemma3, TheTwentySevenBScalesQueriesByTheModelWidthPerHead) {
  // llama.cpp f_attention_scale: 62 layers (27B) -> 1/sqrt(n_embd / n_head).
  sizer::testing::GgufBuilder b;
  AddMetadata(b, 62);
  sizer::testing::Bytes bytes = b.Build();
  StatusOr<gguf::GgufFile> f = gguf::ParseGguf(bytes.data(), bytes.size());
  ASSERT_TRUE(f.ok()) << f.status().message();
  StatusOr<RunnerConfig> c = ReadRunnerConfig(*f);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_FLOAT_EQ(c->query_scale, 1.0f / std::sqrt(16.0f));
}

TEST(Gemma3, LogitsAgreeWithTheFloatReference) {
  const std::string path = TempFile("ref.gguf", RandomGemma3Model());
  const double error = ErrorAgainst(path, Variant());
  EXPECT_LT(error, kLogitTolerance);
  // The comparison sees the window and the sliding layers' RoPE: a reference without either
  // is several times the tolerance off (measured: 0.515 and 0.019, against 0.00018).
  Variant no_window;
  no_window.sliding_window = false;
  const double no_window_error = ErrorAgainst(path, no_window);
  EXPECT_GT(no_window_error, 5 * kLogitTolerance);
  Variant one_rope;
  one_rope.local_rope = false;
  const double one_rope_error = ErrorAgainst(path, one_rope);
  EXPECT_GT(one_rope_error, 5 * kLogitTolerance);
  std::printf(
      "[ logits   ] worst relative difference %.3g; against a reference without the "
      "window %.3g, with one RoPE for all layers %.3g\n",
      error, no_window_error, one_rope_error);
  fs::remove(path);
}

TEST(Gemma3Refuses, AFileWithoutTheQueryNormNamingIt) {
  const std::string path = TempFile("noqnorm.gguf", RandomGemma3Model("blk.0.attn_q_norm.weight"));
  StatusOr<std::unique_ptr<Session>> s = Session::Open(path, SessionOptions());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption);
  EXPECT_NE(s.status().message().find("tensor blk.0.attn_q_norm.weight is missing"),
            std::string::npos)
      << s.status().message();
  fs::remove(path);
}

}  // namespace
}  // namespace sizer::runner

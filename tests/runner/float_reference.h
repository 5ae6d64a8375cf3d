// A plain float reference decoder for tests: every weight dequantized to float up front,
// activations never quantized, naive loops, KV cache in float. Written separately from
// lib/runner so the two can be checked against each other.
#ifndef SIZER_TESTS_RUNNER_FLOAT_REFERENCE_H_
#define SIZER_TESTS_RUNNER_FLOAT_REFERENCE_H_

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "gguf/artifact.h"
#include "kernels/quant.h"
#include "runner/config.h"

namespace sizer::testing {

class FloatReference {
 public:
  FloatReference(const gguf::Artifact& a, const runner::RunnerConfig& c) : c_(c) {
    embd_ = Load(a, "token_embd.weight");
    out_norm_ = Load(a, "output_norm.weight");
    out_ = a.FindTensor("output.weight") ? Load(a, "output.weight") : embd_;
    for (int64_t l = 0; l < c.n_layers; ++l) {
      const std::string p = "blk." + std::to_string(l) + ".";
      Layer L;
      for (const char* n : {"attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm"}) {
        L.t.push_back(Load(a, p + n + ".weight"));
      }
      // A dense FFN: ffn_gate, ffn_up, ffn_down; a mixture of experts: the router and the
      // stacked experts (each expert a contiguous slice).
      const bool moe = c.moe.n_experts > 0;
      for (const char* n : {"ffn_gate", "ffn_up", "ffn_down"}) {
        L.t.push_back(Load(a, p + n + (moe ? "_exps.weight" : ".weight")));
      }
      if (moe) L.router = Load(a, p + "ffn_gate_inp.weight");
      if (c.qkv_bias) {
        for (const char* n : {"attn_q", "attn_k", "attn_v"}) L.bias.push_back(Load(a, p + n + ".bias"));
      }
      if (c.qk_norm) {
        L.q_norm = Load(a, p + "attn_q_norm.weight");
        L.k_norm = Load(a, p + "attn_k_norm.weight");
      }
      layers_.push_back(std::move(L));
    }
    const size_t kv = static_cast<size_t>(c.n_kv_heads * c.head_dim);
    keys_.assign(static_cast<size_t>(c.n_layers), {});
    values_.assign(static_cast<size_t>(c.n_layers), {});
    (void)kv;
  }

  std::vector<float> Forward(int32_t token, int64_t pos) {
    const int64_t d = c_.d_model, hd = c_.head_dim;
    std::vector<float> x(embd_.begin() + token * d, embd_.begin() + (token + 1) * d);
    for (int64_t l = 0; l < c_.n_layers; ++l) {
      Layer& L = layers_[static_cast<size_t>(l)];
      std::vector<float> xb = Norm(x, L.t[0]);
      std::vector<float> q = Mul(L.t[1], xb), k = Mul(L.t[2], xb), v = Mul(L.t[3], xb);
      if (c_.qkv_bias) {
        for (size_t i = 0; i < q.size(); ++i) q[i] += L.bias[0][i];
        for (size_t i = 0; i < k.size(); ++i) k[i] += L.bias[1][i];
        for (size_t i = 0; i < v.size(); ++i) v[i] += L.bias[2][i];
      }
      for (int64_t h = 0; h < c_.n_heads; ++h) {
        if (c_.qk_norm) NormHead(q.data() + h * hd, L.q_norm);
        Rope(q.data() + h * hd, pos);
      }
      for (int64_t h = 0; h < c_.n_kv_heads; ++h) {
        if (c_.qk_norm) NormHead(k.data() + h * hd, L.k_norm);
        Rope(k.data() + h * hd, pos);
      }
      keys_[static_cast<size_t>(l)].push_back(k);
      values_[static_cast<size_t>(l)].push_back(v);
      std::vector<float> att(static_cast<size_t>(c_.n_heads * hd), 0.0f);
      const int64_t group = c_.n_heads / c_.n_kv_heads;
      for (int64_t h = 0; h < c_.n_heads; ++h) {
        std::vector<double> s;
        double max = -1e300;
        for (int64_t t = 0; t <= pos; ++t) {
          double dot = 0;
          for (int64_t i = 0; i < hd; ++i) {
            dot += static_cast<double>(q[static_cast<size_t>(h * hd + i)]) *
                   keys_[static_cast<size_t>(l)][static_cast<size_t>(t)][static_cast<size_t>((h / group) * hd + i)];
          }
          s.push_back(dot / std::sqrt(static_cast<double>(hd)));
          max = std::max(max, s.back());
        }
        double sum = 0;
        for (double& e : s) sum += (e = std::exp(e - max));
        for (int64_t t = 0; t <= pos; ++t) {
          for (int64_t i = 0; i < hd; ++i) {
            att[static_cast<size_t>(h * hd + i)] += static_cast<float>(
                s[static_cast<size_t>(t)] / sum *
                values_[static_cast<size_t>(l)][static_cast<size_t>(t)][static_cast<size_t>((h / group) * hd + i)]);
          }
        }
      }
      std::vector<float> o = Mul(L.t[4], att);
      for (int64_t i = 0; i < d; ++i) x[static_cast<size_t>(i)] += o[static_cast<size_t>(i)];
      xb = Norm(x, L.t[5]);
      std::vector<float> f = c_.moe.n_experts > 0 ? Moe(L, xb) : Ffn(L, xb, 0, 1);
      for (int64_t i = 0; i < d; ++i) x[static_cast<size_t>(i)] += f[static_cast<size_t>(i)];
    }
    return Mul(out_, Norm(x, out_norm_));
  }

 private:
  struct Layer {
    std::vector<std::vector<float>> t;
    std::vector<float> router;             // (n_experts, d_model) for a mixture of experts
    std::vector<std::vector<float>> bias;  // q, k, v (qwen2)
    std::vector<float> q_norm, k_norm;     // (head_dim) (qwen3)
  };

  // SwiGLU of expert `e` of `count` stacked in t[6..8] (count 1: the dense FFN).
  std::vector<float> Ffn(const Layer& L, const std::vector<float>& xb, size_t e, size_t count) const {
    auto slice = [&](const std::vector<float>& stack) {
      const size_t n = stack.size() / count;
      return std::vector<float>(stack.begin() + static_cast<std::ptrdiff_t>(e * n),
                                stack.begin() + static_cast<std::ptrdiff_t>((e + 1) * n));
    };
    std::vector<float> g = Mul(slice(L.t[6]), xb), u = Mul(slice(L.t[7]), xb);
    for (size_t i = 0; i < g.size(); ++i) g[i] = g[i] / (1.0f + std::exp(-g[i])) * u[i];
    return Mul(slice(L.t[8]), g);
  }

  // Softmax over the router, the top-k experts, weights renormalised when the architecture
  // says so, their outputs mixed.
  std::vector<float> Moe(const Layer& L, const std::vector<float>& xb) const {
    const size_t n = static_cast<size_t>(c_.moe.n_experts);
    std::vector<float> logits = Mul(L.router, xb);
    const double max = *std::max_element(logits.begin(), logits.end());
    std::vector<double> p(n);
    double sum = 0;
    for (size_t e = 0; e < n; ++e) sum += (p[e] = std::exp(logits[e] - max));
    for (double& v : p) v /= sum;
    std::vector<size_t> order(n);
    for (size_t e = 0; e < n; ++e) order[e] = e;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
    order.resize(static_cast<size_t>(c_.moe.n_experts_used));
    double chosen = 0;
    for (size_t e : order) chosen += p[e];
    std::vector<float> out(xb.size(), 0.0f);
    for (size_t e : order) {
      const double w = c_.traits.renormalize_expert_weights ? p[e] / chosen : p[e];
      std::vector<float> y = Ffn(L, xb, e, n);
      for (size_t i = 0; i < out.size(); ++i) out[i] += static_cast<float>(w * y[i]);
    }
    return out;
  }

  void NormHead(float* v, const std::vector<float>& w) const {
    std::vector<float> head(v, v + c_.head_dim);
    std::vector<float> normed = Norm(head, w);
    std::copy(normed.begin(), normed.end(), v);
  }

  static std::vector<float> Load(const gguf::Artifact& a, const std::string& name) {
    const gguf::TensorInfo* t = a.FindTensor(name);
    std::vector<float> out(static_cast<size_t>(t->n_elements));
    const int64_t cols = static_cast<int64_t>(t->shape[0]);
    const int64_t rows = static_cast<int64_t>(t->n_elements) / cols;
    const uint64_t row_bytes = t->n_bytes / static_cast<uint64_t>(rows);
    for (int64_t r = 0; r < rows; ++r) {
      kernels::DequantizeRowReference(t->type.id, t->data + r * row_bytes,
                                      out.data() + r * cols, cols);
    }
    return out;
  }

  // w is (rows, cols) row-major with cols = x.size().
  static std::vector<float> Mul(const std::vector<float>& w, const std::vector<float>& x) {
    const size_t cols = x.size(), rows = w.size() / cols;
    std::vector<float> y(rows);
    for (size_t r = 0; r < rows; ++r) {
      double acc = 0;
      for (size_t i = 0; i < cols; ++i) acc += static_cast<double>(w[r * cols + i]) * x[i];
      y[r] = static_cast<float>(acc);
    }
    return y;
  }

  std::vector<float> Norm(const std::vector<float>& x, const std::vector<float>& w) const {
    double ss = 0;
    for (float v : x) ss += static_cast<double>(v) * v;
    const double scale = 1.0 / std::sqrt(ss / static_cast<double>(x.size()) + c_.rms_eps);
    std::vector<float> y(x.size());
    for (size_t i = 0; i < x.size(); ++i) y[i] = static_cast<float>(x[i] * scale * w[i]);
    return y;
  }

  // RoPE over the first rope_dims dimensions: pairs (2i, 2i+1) for llama, (i, i + dims/2)
  // for the NeoX layout Qwen uses.
  void Rope(float* v, int64_t pos) const {
    const int64_t half = c_.rope_dims / 2;
    const bool neox = c_.rope_style == runner::RopeStyle::kNeox;
    for (int64_t i = 0; i < half; ++i) {
      const double theta = static_cast<double>(pos) *
                           std::pow(static_cast<double>(c_.rope_base),
                                    -2.0 * static_cast<double>(i) / static_cast<double>(c_.rope_dims));
      const int64_t ia = neox ? i : 2 * i, ib = neox ? i + half : 2 * i + 1;
      const double a = v[ia], b = v[ib];
      v[ia] = static_cast<float>(a * std::cos(theta) - b * std::sin(theta));
      v[ib] = static_cast<float>(a * std::sin(theta) + b * std::cos(theta));
    }
  }

  const runner::RunnerConfig& c_;
  std::vector<float> embd_, out_norm_, out_;
  std::vector<Layer> layers_;
  std::vector<std::vector<std::vector<float>>> keys_, values_;
};

}  // namespace sizer::testing

#endif  // SIZER_TESTS_RUNNER_FLOAT_REFERENCE_H_

#include "runner/moe.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kernels/ops.h"

namespace sizer::runner {

StatusOr<MoeWeights> BindMoeWeights(const TensorBinder& b, const std::string& p,
                                    const RunnerConfig& c) {
  // Shapes as llama-model.cpp load_tensors creates them: ffn_gate_inp {n_embd, n_expert},
  // ffn_{gate,up}_exps {n_embd, n_ff_exp, n_expert}, ffn_down_exps {n_ff_exp, n_embd, n_expert}.
  const MoeConfig& m = c.moe;
  MoeWeights w;
  SIZER_ASSIGN_OR_RETURN(w.router, b.Matrix(p + "ffn_gate_inp.weight", c.d_model, m.n_experts));
  SIZER_ASSIGN_OR_RETURN(
      w.gate, b.Stack(p + "ffn_gate_exps.weight", c.d_model, m.expert_d_ff, m.n_experts));
  SIZER_ASSIGN_OR_RETURN(w.up,
                         b.Stack(p + "ffn_up_exps.weight", c.d_model, m.expert_d_ff, m.n_experts));
  SIZER_ASSIGN_OR_RETURN(
      w.down, b.Stack(p + "ffn_down_exps.weight", m.expert_d_ff, c.d_model, m.n_experts));
  if (c.traits.shared_expert) {
    SIZER_ASSIGN_OR_RETURN(w.shared_gate, b.Vector(p + "ffn_gate_inp_shexp.weight", c.d_model));
    SIZER_ASSIGN_OR_RETURN(w.shared_gate_proj,
                           b.Matrix(p + "ffn_gate_shexp.weight", c.d_model, m.shared_d_ff));
    SIZER_ASSIGN_OR_RETURN(w.shared_up,
                           b.Matrix(p + "ffn_up_shexp.weight", c.d_model, m.shared_d_ff));
    SIZER_ASSIGN_OR_RETURN(w.shared_down,
                           b.Matrix(p + "ffn_down_shexp.weight", m.shared_d_ff, c.d_model));
  }
  return w;
}

MoeFeedForward::MoeFeedForward(const RunnerConfig& c, ThreadPool& pool)
    : c_(c),
      pool_(pool),
      probs_(static_cast<size_t>(c.moe.n_experts)),
      chosen_(static_cast<size_t>(c.moe.n_experts_used)),
      weights_(static_cast<size_t>(c.moe.n_experts_used)),
      hb_(static_cast<size_t>(std::max(c.moe.expert_d_ff, c.moe.shared_d_ff))),
      hb2_(hb_.size()),
      expert_out_(static_cast<size_t>(c.d_model)) {}

void MoeFeedForward::Forward(const MoeWeights& w, const float* x, float* out,
                             std::vector<uint8_t>& scratch) {
  kernels::MatVec(w.router, x, probs_.data(), pool_, scratch);
  kernels::Softmax(probs_.data(), c_.moe.n_experts);
  Route();
  // llama.cpp multiplies each expert's output by its weight, then adds them in the order
  // chosen (ggml_add of the per-expert views).
  const int64_t d = c_.d_model;
  for (size_t k = 0; k < chosen_.size(); ++k) {
    const size_t e = static_cast<size_t>(chosen_[k]);
    Expert(w.gate[e], w.up[e], w.down[e], x, expert_out_.data(), scratch);
    for (int64_t i = 0; i < d; ++i) {
      const float v = expert_out_[static_cast<size_t>(i)] * weights_[k];
      out[i] = k == 0 ? v : out[i] + v;
    }
  }
  if (!w.shared_gate.empty()) {
    // build_qwen2moe: shared expert output times sigmoid(ffn_gate_inp_shexp . x).
    float logit = 0;
    for (int64_t i = 0; i < d; ++i) logit += w.shared_gate[static_cast<size_t>(i)] * x[i];
    const float gate = 1.0f / (1.0f + std::exp(-logit));
    Expert(w.shared_gate_proj, w.shared_up, w.shared_down, x, expert_out_.data(), scratch);
    for (int64_t i = 0; i < d; ++i) out[i] += expert_out_[static_cast<size_t>(i)] * gate;
  }
}

void MoeFeedForward::Route() {
  // ggml_top_k: the indices of the k largest probabilities, largest first.
  std::vector<int64_t> order(probs_.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t k = chosen_.size();
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                    [&](int64_t a, int64_t b) {
                      return probs_[static_cast<size_t>(a)] > probs_[static_cast<size_t>(b)];
                    });
  float sum = 0;
  for (size_t i = 0; i < k; ++i) {
    chosen_[i] = order[i];
    weights_[i] = probs_[static_cast<size_t>(order[i])];
    sum += weights_[i];
  }
  if (c_.traits.renormalize_expert_weights) {
    for (float& wgt : weights_) wgt /= sum;  // ggml_div by ggml_sum_rows
  }
}

void MoeFeedForward::Expert(const kernels::MatrixView& gate, const kernels::MatrixView& up,
                            const kernels::MatrixView& down, const float* x, float* out,
                            std::vector<uint8_t>& scratch) {
  kernels::MatVec(gate, x, hb_.data(), pool_, scratch);
  kernels::MatVec(up, x, hb2_.data(), pool_, scratch);
  kernels::SwiGlu(hb_.data(), hb2_.data(), gate.rows);
  kernels::MatVec(down, hb_.data(), out, pool_, scratch);
}

}  // namespace sizer::runner

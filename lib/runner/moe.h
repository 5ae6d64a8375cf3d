// The mixture-of-experts FFN (Mixtral inside llama, qwen2moe, qwen3moe), as llama.cpp's
// build_moe_ffn computes it: router logits -> softmax -> top-k experts -> their weights
// (renormalised to sum 1 where the architecture says so) -> sum of the chosen experts' SwiGLU
// outputs times their weights, plus qwen2moe's shared expert times sigmoid(its gate . x).
// Only the chosen experts' matrices are read: that is what makes MoE decode cheap.
#ifndef SIZER_RUNNER_MOE_H_
#define SIZER_RUNNER_MOE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "kernels/matvec.h"
#include "runner/config.h"
#include "runner/tensor_binder.h"

namespace sizer::runner {

struct MoeWeights {
  kernels::MatrixView router;                       // (n_experts, d_model) ffn_gate_inp
  std::vector<kernels::MatrixView> gate, up, down;  // per expert: ffn_{gate,up,down}_exps
  std::vector<float> shared_gate;                   // (d_model) ffn_gate_inp_shexp; empty: none
  kernels::MatrixView shared_gate_proj, shared_up, shared_down;  // ffn_{gate,up,down}_shexp
};

// Binds layer `prefix` ("blk.3.")'s expert tensors, refusing a missing or mis-shaped one by name.
StatusOr<MoeWeights> BindMoeWeights(const TensorBinder& binder, const std::string& prefix,
                                    const RunnerConfig& config);

class MoeFeedForward {
 public:
  MoeFeedForward(const RunnerConfig& config, ThreadPool& pool);

  // out = MoE(x) for one token (d_model each).
  void Forward(const MoeWeights& w, const float* x, float* out, std::vector<uint8_t>& scratch);

  // The experts the last Forward chose, best first (for tests).
  const std::vector<int64_t>& chosen() const { return chosen_; }

 private:
  // Picks the top-k experts from the router's probabilities and their mixing weights.
  void Route();
  // out = down(silu(gate(x)) * up(x)) of one expert (or the shared one).
  void Expert(const kernels::MatrixView& gate, const kernels::MatrixView& up,
              const kernels::MatrixView& down, const float* x, float* out,
              std::vector<uint8_t>& scratch);

  const RunnerConfig& c_;
  ThreadPool& pool_;
  std::vector<float> probs_;       // (n_experts) router softmax
  std::vector<int64_t> chosen_;    // (n_experts_used)
  std::vector<float> weights_;     // (n_experts_used)
  std::vector<float> hb_, hb2_;    // (max expert width)
  std::vector<float> expert_out_;  // (d_model)
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_MOE_H_

// The model's tensors bound to the runner's structure: zero-copy matrix views into the memory
// map for the big matrices, small owned float copies of norms and biases. Every shape and type
// is checked here once, so the forward pass carries no checks.
#ifndef SIZER_RUNNER_WEIGHTS_H_
#define SIZER_RUNNER_WEIGHTS_H_

#include <vector>

#include "base/status.h"
#include "gguf/artifact.h"
#include "kernels/matvec.h"
#include "runner/config.h"

namespace sizer::runner {

struct LayerWeights {
  std::vector<float> attn_norm;  // (d_model)
  kernels::MatrixView wq;        // (n_heads * head_dim, d_model)
  kernels::MatrixView wk;        // (n_kv_heads * head_dim, d_model)
  kernels::MatrixView wv;        // (n_kv_heads * head_dim, d_model)
  kernels::MatrixView wo;        // (d_model, n_heads * head_dim)
  std::vector<float> bq, bk, bv; // qwen2 biases, empty otherwise
  std::vector<float> q_norm, k_norm;  // qwen3 per-head norms (head_dim), empty otherwise
  std::vector<float> ffn_norm;   // (d_model)
  kernels::MatrixView w_gate;    // (d_ff, d_model)
  kernels::MatrixView w_up;      // (d_ff, d_model)
  kernels::MatrixView w_down;    // (d_model, d_ff)
};

struct ModelWeights {
  kernels::MatrixView token_embd;  // (vocab, d_model)
  std::vector<float> output_norm;  // (d_model)
  kernels::MatrixView output;      // (vocab, d_model); the embedding when tied
  std::vector<LayerWeights> layers;
};

// Binds every tensor the architecture needs. kUnsupported names a tensor whose type the
// runner cannot execute (and the types it can); kCorruption names a missing tensor or one of
// the wrong shape ("tensor blk.3.attn_q.weight: expected 4096x4096, got 4096x1024").
// The views point into `artifact`, which must outlive the result.
StatusOr<ModelWeights> BindWeights(const gguf::Artifact& artifact, const RunnerConfig& config);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_WEIGHTS_H_

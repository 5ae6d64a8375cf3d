// The model's tensors bound to the runner's structure: zero-copy matrix views into the memory
// map for the big matrices, small owned float copies of norms and biases. Every shape and type
// is checked here once, before any weight is read, so the forward pass carries no checks.
#ifndef SIZER_RUNNER_WEIGHTS_H_
#define SIZER_RUNNER_WEIGHTS_H_

#include <vector>

#include "base/status.h"
#include "gguf/artifact.h"
#include "kernels/matvec.h"
#include "runner/config.h"
#include "runner/moe.h"

namespace sizer::runner {

struct LayerWeights {
  std::vector<float> attn_norm;   // (d_model)
  kernels::MatrixView wqkv;       // phi3: (q_width + 2 * kv_width, d_model) = [Q|K|V]; else empty
  kernels::MatrixView wq;         // (n_heads * head_dim, d_model)
  kernels::MatrixView wk;         // (n_kv_heads * head_dim, d_model)
  kernels::MatrixView wv;         // (n_kv_heads * head_dim, d_model)
  kernels::MatrixView wo;         // (d_model, n_heads * head_dim)
  std::vector<float> bq, bk, bv;  // qwen2 biases, empty otherwise
  std::vector<float> q_norm, k_norm;  // qwen3, gemma3 per-head norms (head_dim), else empty
  std::vector<float> attn_post_norm;  // gemma2, gemma3 (d_model), empty otherwise
  std::vector<float> ffn_norm;        // (d_model)
  kernels::MatrixView w_gate;         // (d_ff, d_model); empty when fused into w_up
  kernels::MatrixView w_up;           // (d_ff, d_model); phi3: (2 * d_ff, d_model) = [gate|up]
  kernels::MatrixView w_down;         // (d_model, d_ff)
  std::vector<float> ffn_post_norm;   // gemma2, gemma3 (d_model), empty otherwise
  MoeWeights moe;  // when config.moe.n_experts > 0 (then w_gate/up/down are empty)
};

struct ModelWeights {
  kernels::MatrixView token_embd;  // (vocab, d_model)
  std::vector<float> output_norm;  // (d_model)
  kernels::MatrixView output;      // (vocab, d_model); the embedding when tied
  // RoPE frequency factors (rope_dims / 2 each), empty when the file has none: Llama 3's
  // rope_freqs, Phi-3's long and short factors (llama.cpp picks long past the original context).
  std::vector<float> rope_freqs, rope_factors_long, rope_factors_short;
  std::vector<LayerWeights> layers;
};

// Binds every tensor the architecture needs. kUnsupported names a tensor whose type the
// runner cannot execute (and the types it can); kCorruption names a missing tensor or one of
// the wrong shape ("tensor blk.3.attn_q.weight: expected 4096x4096, got 4096x1024").
// The views point into `artifact`, which must outlive the result.
StatusOr<ModelWeights> BindWeights(const gguf::Artifact& artifact, const RunnerConfig& config);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_WEIGHTS_H_

// RunnerConfig: the hyper-parameters of a decoder the micro-runner can execute, read from GGUF
// metadata once, the way llama.cpp reads them (src/llama-model.cpp load_hparams, b4748), and
// validated, so the forward pass can trust them.
#ifndef SIZER_RUNNER_CONFIG_H_
#define SIZER_RUNNER_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "gguf/reader.h"
#include "runner/architecture.h"

namespace sizer::runner {

// RoPE frequency scaling (llama.cpp llama_cparams after llama_init_from_model): linear scaling
// divides positions by the factor; YaRN blends interpolated and extrapolated frequencies
// between the correction dimensions and scales the magnitude.
struct RopeScaling {
  float freq_scale = 1.0f;   // 1 / rope.scaling.factor
  float ext_factor = 0.0f;   // 1 for yarn, else 0
  float attn_factor = 1.0f;  // rope.scaling.attn_factor
  float beta_fast = 32.0f;   // llama.cpp's defaults (common_params yarn_beta_fast/slow)
  float beta_slow = 1.0f;
  int64_t original_context_tokens = 0;  // rope.scaling.original_context_length, else the context
};

// A mixture-of-experts FFN (Mixtral inside llama, qwen2moe, qwen3moe).
struct MoeConfig {
  int64_t n_experts = 0;       // 0: a dense FFN
  int64_t n_experts_used = 0;  // top-k
  int64_t expert_d_ff = 0;
  int64_t shared_d_ff = 0;  // qwen2moe's shared expert, 0 when none
};

struct RunnerConfig {
  std::string architecture;  // one of RunnableArchitectures()
  ArchitectureTraits traits;
  int64_t n_layers = 0;
  int64_t d_model = 0;
  int64_t n_heads = 0;
  int64_t n_kv_heads = 0;
  int64_t head_dim = 0;
  int64_t d_ff = 0;
  int64_t vocab_size = 0;
  int64_t context_tokens = 0;  // the model's training context
  int64_t rope_dims = 0;
  float rope_base = 10000.0f;
  float sliding_rope_base = 0;  // gemma3: sliding layers' base (freq scale 1); 0: rope_base
  float rms_eps = 1e-5f;
  RopeStyle rope_style = RopeStyle::kNormal;
  RopeScaling rope_scaling;
  bool qkv_bias = false;  // traits.qkv_bias
  bool qk_norm = false;   // traits.qk_norm
  MoeConfig moe;
  int64_t sliding_window_tokens = 0;  // 0: every layer attends to all positions
  float attn_softcap = 0;             // gemma2: 0 = none
  float final_softcap = 0;            // gemma2: 0 = none
  float query_scale = 1.0f;           // multiplies Q before QK^T (prescale_query traits)
  float score_scale = 1.0f;           // multiplies QK^T inside the softmax

  bool IsSlidingLayer(int64_t layer) const;
  // Whether `layer` rotates with sliding_rope_base (a sliding layer of gemma3).
  bool UsesSlidingRope(int64_t layer) const;
};

// kUnsupported for another architecture or RoPE scaling type (naming the supported ones),
// kCorruption for missing or impossible hyper-parameters.
StatusOr<RunnerConfig> ReadRunnerConfig(const gguf::GgufFile& file);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_CONFIG_H_

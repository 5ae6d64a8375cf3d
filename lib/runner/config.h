// RunnerConfig: the hyper-parameters of a decoder the micro-runner can execute, read from GGUF
// metadata once and validated, so the forward pass can trust them.
#ifndef SIZER_RUNNER_CONFIG_H_
#define SIZER_RUNNER_CONFIG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "gguf/reader.h"

namespace sizer::runner {

enum class RopeStyle { kNormal, kNeox };

struct RunnerConfig {
  std::string architecture;  // llama, qwen2, qwen3
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
  float rms_eps = 1e-5f;
  RopeStyle rope_style = RopeStyle::kNormal;
  bool qkv_bias = false;  // qwen2
  bool qk_norm = false;   // qwen3
};

// The architectures the runner executes.
const std::vector<std::string>& RunnableArchitectures();

// kUnsupported for another architecture (naming the supported ones), kCorruption for missing or
// impossible hyper-parameters.
StatusOr<RunnerConfig> ReadRunnerConfig(const gguf::GgufFile& file);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_CONFIG_H_

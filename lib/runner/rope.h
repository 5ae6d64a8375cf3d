// Rotary position embedding with llama.cpp's frequency scaling: per-pair frequency factors
// (Llama 3's rope_freqs, Phi-3's long/short factors), linear scaling and YaRN. The angles are
// computed the way ggml's CPU rope does (ggml-cpu.c ggml_rope_cache_init and rope_yarn), so a
// long context rotates exactly as in llama.cpp.
#ifndef SIZER_RUNNER_ROPE_H_
#define SIZER_RUNNER_ROPE_H_

#include <cstdint>
#include <vector>

#include "runner/config.h"

namespace sizer::runner {

class RotaryEmbedding {
 public:
  // `freq_factors`: rope_dims / 2 divisors of the angles, or empty for none.
  RotaryEmbedding(const RunnerConfig& config, std::vector<float> freq_factors);

  // Computes the cos/sin of every rotated pair at `pos` (once per token, shared by all layers).
  void SetPosition(int64_t pos);
  // Rotates one head vector of head_dim values in place at the position last set.
  void Apply(float* head) const;

 private:
  const int64_t rope_dims_;
  const RopeStyle style_;
  const float theta_scale_;  // base^(-2 / rope_dims)
  const RopeScaling scaling_;
  float corr_dims_[2] = {0, 0};  // YaRN correction range (ggml_rope_yarn_corr_dims)
  std::vector<float> freq_factors_;
  std::vector<float> cos_, sin_;  // (rope_dims / 2)
};

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_ROPE_H_

#include "runner/rope.h"

#include <algorithm>
#include <cmath>

namespace sizer::runner {
namespace {

constexpr float kPi = 3.14159265358979323846f;

// ggml.c ggml_rope_yarn_corr_dim: the dimension whose wavelength fits n_rot turns into the
// original context.
float CorrectionDim(int64_t n_dims, int64_t n_ctx_orig, float n_rot, float base) {
  return static_cast<float>(n_dims) * std::log(static_cast<float>(n_ctx_orig) / (n_rot * 2 * kPi)) /
         (2 * std::log(base));
}

// ggml-cpu.c rope_yarn_ramp: 1 below `low`, 0 above `high`, linear between (over pair i0/2).
float YarnRamp(float low, float high, int64_t i0) {
  const float y = (static_cast<float>(i0 / 2) - low) / std::max(0.001f, high - low);
  return 1 - std::min(1.0f, std::max(0.0f, y));
}

}  // namespace

RotaryEmbedding::RotaryEmbedding(const RunnerConfig& c, std::vector<float> freq_factors)
    : rope_dims_(c.rope_dims),
      style_(c.rope_style),
      theta_scale_(std::pow(c.rope_base, -2.0f / static_cast<float>(c.rope_dims))),
      scaling_(c.rope_scaling),
      freq_factors_(std::move(freq_factors)),
      cos_(static_cast<size_t>(c.rope_dims / 2)),
      sin_(static_cast<size_t>(c.rope_dims / 2)) {
  // ggml.c ggml_rope_yarn_corr_dims.
  const int64_t n_ctx_orig = scaling_.original_context_tokens;
  const float start =
      std::floor(CorrectionDim(rope_dims_, n_ctx_orig, scaling_.beta_fast, c.rope_base));
  const float end =
      std::ceil(CorrectionDim(rope_dims_, n_ctx_orig, scaling_.beta_slow, c.rope_base));
  corr_dims_[0] = std::max(0.0f, start);
  corr_dims_[1] = std::min(static_cast<float>(rope_dims_ - 1), end);
}

void RotaryEmbedding::SetPosition(int64_t pos) {
  // ggml-cpu.c ggml_rope_cache_init + rope_yarn: theta_i = pos * theta_scale^i / factor_i,
  // interpolated by freq_scale and blended back towards extrapolation by the YaRN ramp.
  float theta = static_cast<float>(pos);
  for (int64_t i0 = 0; i0 < rope_dims_; i0 += 2) {
    const float factor = freq_factors_.empty() ? 1.0f : freq_factors_[static_cast<size_t>(i0 / 2)];
    const float theta_extrap = theta / factor;
    const float theta_interp = scaling_.freq_scale * theta_extrap;
    float angle = theta_interp;
    float mscale = scaling_.attn_factor;
    if (scaling_.ext_factor != 0.0f) {
      const float ramp_mix = YarnRamp(corr_dims_[0], corr_dims_[1], i0) * scaling_.ext_factor;
      angle = theta_interp * (1 - ramp_mix) + theta_extrap * ramp_mix;
      mscale *= 1.0f + 0.1f * std::log(1.0f / scaling_.freq_scale);
    }
    cos_[static_cast<size_t>(i0 / 2)] = std::cos(angle) * mscale;
    sin_[static_cast<size_t>(i0 / 2)] = std::sin(angle) * mscale;
    theta *= theta_scale_;
  }
}

void RotaryEmbedding::Apply(float* x) const {
  // Normal rotates (x[2i], x[2i+1]); NeoX rotates (x[i], x[i + rope_dims/2]). Dimensions past
  // rope_dims pass through.
  const int64_t half = rope_dims_ / 2;
  for (int64_t i = 0; i < half; ++i) {
    const float c = cos_[static_cast<size_t>(i)], s = sin_[static_cast<size_t>(i)];
    const int64_t a = style_ == RopeStyle::kNormal ? 2 * i : i;
    const int64_t b = style_ == RopeStyle::kNormal ? 2 * i + 1 : i + half;
    const float x0 = x[a], x1 = x[b];
    x[a] = x0 * c - x1 * s;
    x[b] = x0 * s + x1 * c;
  }
}

}  // namespace sizer::runner

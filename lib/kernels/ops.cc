#include "kernels/ops.h"

#include <algorithm>
#include <cmath>

namespace sizer::kernels {

void RmsNorm(float* out, const float* x, const float* weight, int64_t n, float eps) {
  double sum = 0;  // double: the mean of squares of thousands of values
  for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
  const float scale = static_cast<float>(1.0 / std::sqrt(sum / static_cast<double>(n) + eps));
  for (int64_t i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

void Softmax(float* x, int64_t n) {
  if (n <= 0) return;
  const float max = *std::max_element(x, x + n);
  double sum = 0;
  for (int64_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max);
    sum += x[i];
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (int64_t i = 0; i < n; ++i) x[i] *= inv;
}

namespace {

// The angle of rotation pair `i` (0 <= i < rope_dims / 2) at `pos`, computed as llama.cpp
// does: theta = pos * base^(-2i / rope_dims).
float Theta(int64_t i, int64_t rope_dims, int64_t pos, float base) {
  return static_cast<float>(pos) *
         std::pow(base, -2.0f * static_cast<float>(i) / static_cast<float>(rope_dims));
}

}  // namespace

void RopeNormal(float* x, int64_t head_dim, int64_t rope_dims, int64_t pos, float base) {
  rope_dims = std::min(rope_dims, head_dim);
  for (int64_t i = 0; i < rope_dims / 2; ++i) {
    const float theta = Theta(i, rope_dims, pos, base);
    const float c = std::cos(theta), s = std::sin(theta);
    const float a = x[2 * i], b = x[2 * i + 1];
    x[2 * i] = a * c - b * s;
    x[2 * i + 1] = a * s + b * c;
  }
}

void RopeNeox(float* x, int64_t head_dim, int64_t rope_dims, int64_t pos, float base) {
  rope_dims = std::min(rope_dims, head_dim);
  const int64_t half = rope_dims / 2;
  for (int64_t i = 0; i < half; ++i) {
    const float theta = Theta(i, rope_dims, pos, base);
    const float c = std::cos(theta), s = std::sin(theta);
    const float a = x[i], b = x[i + half];
    x[i] = a * c - b * s;
    x[i + half] = a * s + b * c;
  }
}

void SwiGlu(float* gate, const float* up, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    const float g = gate[i];
    gate[i] = g / (1.0f + std::exp(-g)) * up[i];
  }
}

void AddInPlace(float* y, const float* x, int64_t n) {
  for (int64_t i = 0; i < n; ++i) y[i] += x[i];
}

}  // namespace sizer::kernels

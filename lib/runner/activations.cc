#include "runner/activations.h"

#include <array>
#include <cmath>

#include "kernels/fp16.h"

namespace sizer::runner {
namespace {

// ggml-cpu.c: GELU_COEF_A and SQRT_2_OVER_PI, in float as ggml evaluates them.
constexpr float kGeluCoefA = 0.044715f;
constexpr float kSqrt2OverPi = 0.79788456080286535587989211986876f;

float GeluF32(float x) {
  return 0.5f * x * (1.0f + std::tanh(kSqrt2OverPi * x * (1.0f + kGeluCoefA * x * x)));
}

// ggml_table_gelu_f16: for every FP16 bit pattern, the FP16 of gelu of its value.
const std::array<uint16_t, 65536>& GeluTable() {
  static const std::array<uint16_t, 65536> kTable = [] {
    std::array<uint16_t, 65536> t{};
    for (uint32_t i = 0; i < 65536; ++i) {
      t[i] = kernels::F32ToF16(GeluF32(kernels::F16ToF32(static_cast<uint16_t>(i))));
    }
    return t;
  }();
  return kTable;
}

}  // namespace

void GeluTanhGlu(float* gate, const float* up, int64_t n) {
  const std::array<uint16_t, 65536>& table = GeluTable();
  for (int64_t i = 0; i < n; ++i) {
    const float x = gate[i];
    float g;
    if (x <= -10.0f) {
      g = 0.0f;
    } else if (x >= 10.0f) {
      g = x;
    } else {
      g = kernels::F16ToF32(table[kernels::F32ToF16(x)]);
    }
    gate[i] = g * up[i];
  }
}

void SoftCap(float* x, int64_t n, float cap) {
  const float inv = 1.0f / cap;
  for (int64_t i = 0; i < n; ++i) x[i] = std::tanh(x[i] * inv) * cap;
}

}  // namespace sizer::runner

// Non-linearities the architectures add on top of the kernels' SwiGLU: GELU the way llama.cpp
// evaluates it on the CPU (through an FP16 lookup table) and gemma2's soft-capping.
#ifndef SIZER_RUNNER_ACTIVATIONS_H_
#define SIZER_RUNNER_ACTIVATIONS_H_

#include <cstdint>

namespace sizer::runner {

// gate[i] = gelu(gate[i]) * up[i] (n), with gelu the tanh approximation
// 0.5 x (1 + tanh(sqrt(2/pi) x (1 + 0.044715 x^2))), evaluated as ggml-cpu's
// ggml_vec_gelu_f32 does with GGML_GELU_FP16: 0 below -10, x above 10, otherwise x rounded to
// FP16 and looked up in a table of FP16 results.
void GeluTanhGlu(float* gate, const float* up, int64_t n);

// x[i] = cap * tanh(x[i] / cap) (n), as ggml_scale(1/cap), ggml_tanh, ggml_scale(cap).
void SoftCap(float* x, int64_t n, float cap);

}  // namespace sizer::runner

#endif  // SIZER_RUNNER_ACTIVATIONS_H_

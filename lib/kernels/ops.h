// Element-wise and row operations of the transformer step, scalar: the ground truth that
// SIMD versions are tested against. Shapes are in the comments; all arrays are float.
#ifndef SIZER_KERNELS_OPS_H_
#define SIZER_KERNELS_OPS_H_

#include <cstdint>

namespace sizer::kernels {

// out[i] = x[i] / sqrt(mean(x^2) + eps) * weight[i]   (n)
void RmsNorm(float* out, const float* x, const float* weight, int64_t n, float eps);

// In-place softmax over x[0..n), numerically stable (subtracts the max).
void Softmax(float* x, int64_t n);

// Rotary position embedding on one head vector `x` of `head_dim` at position `pos`; only the
// first `rope_dims` dimensions rotate. Normal (GPT-J/llama.cpp NORM) rotates adjacent pairs
// (2i, 2i+1); NeoX rotates (i, i + rope_dims/2). theta_i = pos * base^(-2i/rope_dims).
void RopeNormal(float* x, int64_t head_dim, int64_t rope_dims, int64_t pos, float base);
void RopeNeox(float* x, int64_t head_dim, int64_t rope_dims, int64_t pos, float base);

// gate[i] = silu(gate[i]) * up[i], silu(v) = v / (1 + exp(-v))   (n)
void SwiGlu(float* gate, const float* up, int64_t n);

// y[i] += x[i]   (n)
void AddInPlace(float* y, const float* x, int64_t n);

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_OPS_H_

// Quantized weight rows: the formats the micro-runner executes directly from their blocks,
// the activation formats their dot products use (the way llama.cpp does it: activations are
// quantized once per row to 8 bits), and the scalar reference kernels that are the ground
// truth for every SIMD version.
#ifndef SIZER_KERNELS_QUANT_H_
#define SIZER_KERNELS_QUANT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sizer::kernels {

// ggml type ids (gguf/ggml_types.h) of the weight formats the runner runs.
bool IsSupportedWeightType(uint32_t ggml_type);
std::vector<std::string> SupportedWeightTypeNames();

// What a weight row is multiplied with.
enum class ActivationFormat {
  kF32,   // F32, F16, BF16 weights: float activations
  kQ8_0,  // Q8_0, Q4_0, Q5_0, IQ4_NL, MXFP4: blocks of 32 int8 with an f16 scale
  kQ8_1,  // Q4_1, Q5_1: Q8_0 plus the f16 of d x sum(qs) (for the weights' min term)
  kQ8_K,  // k-quants, IQ1-IQ3, IQ4_XS, TQ1_0, TQ2_0: blocks of 256 int8, f32 scale, int16
          // sums of each 16
};
ActivationFormat ActivationFormatFor(uint32_t ggml_type);
// Elements per activation block (1, 32 or 256): rows must be a multiple of it.
int64_t ActivationBlockElements(ActivationFormat format);
// Bytes of `n` activations in `format`. REQUIRES: n is a multiple of the block.
size_t ActivationBytes(ActivationFormat format, int64_t n);
// Quantizes `n` floats into `out` (ActivationBytes(format, n) bytes); kF32 copies.
void QuantizeActivationReference(ActivationFormat format, const float* x, void* out, int64_t n);

// Scalar reference kernels (ggml's *_generic semantics).
// `n` values of a row of `ggml_type` -> floats.
void DequantizeRowReference(uint32_t ggml_type, const void* row, float* out, int64_t n);
// Dot product of one weight row (`n` values of `ggml_type`) with activations already in
// ActivationFormatFor(ggml_type).
float VecDotReference(uint32_t ggml_type, const void* row, const void* activation, int64_t n);

}  // namespace sizer::kernels

#endif  // SIZER_KERNELS_QUANT_H_

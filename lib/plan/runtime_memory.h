// Runtime buffers and activations, per runtime profile.
#ifndef SIZER_PLAN_RUNTIME_MEMORY_H_
#define SIZER_PLAN_RUNTIME_MEMORY_H_

#include <cstdint>

#include "plan/plan_inputs.h"
#include "plan/quantity.h"
#include "catalog/hardware.h"

namespace sizer {

// llama.cpp's compute (graph scratch) buffer for one micro-batch of `micro_batch` tokens
// against `kv_cells` cache cells, in bytes. Fitted to what llama.cpp b4748 reported for the
// reference model (tests/data/reference/llama-cpp-reference.yaml): the peak of
//   attention without flash attention: T x n_kv x n_heads x 4 (f32 KQ) + 6 x T x d_model x 4
//   attention with flash attention:    T x n_kv x 2 (f16 mask)         + 6 x T x d_model x 4
//   feed-forward:                      3 x T x d_ff x 4 (gate, up, product)
//   output:                            T x (vocab + d_model) x 4 (logits of the batch)
// plus 0.01 MiB of small tensors. Reproduces 280.01 MiB (no FA) and 48.01 MiB (FA) at
// context 4096, and the 258.50 MiB llama.cpp prints for Llama-3-8B (output term).
double LlamaCppComputeBufferBytes(const ModelSpec& model, int64_t micro_batch, int64_t kv_cells,
                                  bool flash_attention);

// PyTorch-style runtimes: the profile run's activation peak with `tokens` batched tokens,
// in bf16, plus the sampler's float32 logits for `sampler_rows` sequences.
double TorchActivationBytes(const ModelSpec& model, int64_t tokens, int64_t sampler_rows);

struct RuntimeMemory {
  double activation_bytes = 0;  // compute buffer / activation peak on the device
  double runtime_bytes = 0;     // context, fixed reserves, device-side logits
  double host_bytes = 0;        // buffers that live in host RAM (logits, host compute)
  QuantityList rows;
};

// Activations and runtime buffers on one device of `kind`.
RuntimeMemory PlanRuntimeMemory(const PlanInputs& in, HardwareKind kind, int64_t context_tokens,
                                int64_t sequences, int64_t kv_cells);

}  // namespace sizer

#endif  // SIZER_PLAN_RUNTIME_MEMORY_H_

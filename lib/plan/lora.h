// LoRA adapters: each targeted d_in x d_out matrix gains A (r x d_in) and B (d_out x r), so an
// adapter holds r x (d_in + d_out) x bytes per element per targeted matrix per layer (Hu et al.
// 2021, "LoRA", arXiv:2106.09685, section 4). Runtimes differ:
//   llama.cpp (--lora, tools/server README): every listed adapter's tensors are loaded.
//   vLLM (docs features/lora.md; vllm/lora/layers create_lora_weights): with --enable-lora every
//     supported linear layer preallocates lora_a_stacked (max_loras x max_lora_rank x d_in)
//     and lora_b_stacked (max_loras x d_out x max_lora_rank) in the model dtype, whatever the
//     adapters target; --max-lora-rank is one of 1, 8, 16, 32, 64, 128, 256, 320, 512
//     (LoRAConfig).
#ifndef SIZER_PLAN_LORA_H_
#define SIZER_PLAN_LORA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "catalog/model.h"
#include "input/job_extras.h"
#include "plan/plan_inputs.h"
#include "plan/quantity.h"

namespace sizer {

// d_in + d_out of one targeted projection (HF name) of `m`; 0 for an unknown name.
double LoraMatrixSides(const ModelSpec& m, const std::string& module);

// Bytes of one adapter on `m` computed from its rank and targets (ignores file_bytes).
double LoraAdapterBytes(const ModelSpec& m, const AdapterSpec& a);

// vLLM's --max-lora-rank for adapters up to `rank`: the next allowed value.
int64_t VllmMaxLoraRank(int64_t rank);

struct LoraPlan {
  double weights_bytes = 0;   // adapters resident (llama.cpp) / CPU-side copies not counted
  double buffer_bytes = 0;    // vLLM's preallocated stacks on the device
  int64_t max_lora_rank = 0;
  QuantityList rows;
};
LoraPlan PlanLora(const PlanInputs& in);

}  // namespace sizer

#endif  // SIZER_PLAN_LORA_H_

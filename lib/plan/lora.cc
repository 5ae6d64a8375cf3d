#include "plan/lora.h"

#include <algorithm>

#include "base/format.h"

namespace sizer {

double LoraMatrixSides(const ModelSpec& m, const std::string& module) {
  const double d = static_cast<double>(m.d_model);
  const double q = static_cast<double>(m.n_heads * m.head_dim);
  const double kv = static_cast<double>(m.n_kv_heads * m.head_dim);
  const double ff = static_cast<double>(m.d_ff);
  if (module == "q_proj" || module == "o_proj") return d + q;
  if (module == "k_proj" || module == "v_proj") return d + kv;
  if (module == "gate_proj" || module == "up_proj" || module == "down_proj") return d + ff;
  return 0;
}

double LoraAdapterBytes(const ModelSpec& m, const AdapterSpec& a) {
  double sides = 0;
  for (const std::string& module : a.target_modules) sides += LoraMatrixSides(m, module);
  return static_cast<double>(a.rank) * sides * static_cast<double>(m.n_layers) * a.bytes_per_element;
}

int64_t VllmMaxLoraRank(int64_t rank) {
  for (int64_t allowed : {1, 8, 16, 32, 64, 128, 256, 320, 512}) {
    if (rank <= allowed) return allowed;
  }
  return rank;
}

LoraPlan PlanLora(const PlanInputs& in) {
  LoraPlan plan;
  const JobExtras& x = in.job->extras;
  if (x.adapters.empty()) return plan;
  const ModelSpec& m = in.model;
  int64_t max_rank = 0;
  std::vector<std::string> names;
  for (const AdapterSpec& a : x.adapters) {
    max_rank = std::max(max_rank, a.rank);
    const double computed = LoraAdapterBytes(m, a);
    const double bytes = a.file_bytes.value_or(computed);
    plan.weights_bytes += bytes;
    names.push_back(a.name);
    plan.rows.push_back(
        {"lora_adapter_bytes", "LoRA adapter " + a.name, bytes, Unit::kBytes,
         a.file_bytes ? Formula{"the adapter file's " + std::string(a.path.empty() ? "" : "tensor ") +
                                "bytes ({computed} from rank {rank} x (d_in + d_out) over " +
                                Join(a.target_modules, ", ") + ")",
                                {{"computed", computed, Unit::kBytes}, Whole("rank", a.rank)}}
                      : Formula{"rank {rank} x sum of (d_in + d_out) over " + Join(a.target_modules, ", ") +
                                    " x {layers} layers x {bpe} bytes",
                                {Whole("rank", a.rank), Whole("layers", m.n_layers),
                                 {"bpe", a.bytes_per_element, Unit::kNone, 0}}},
         a.path.empty() ? "job adapters (" + a.where + "); Hu et al. 2021 (arXiv:2106.09685)" : a.path});
  }
  if (in.runtime.kv_allocation != KvAllocation::kPagedPool) return plan;
  // vLLM: the adapters themselves stay in host memory (--max-cpu-loras); the device holds the
  // stacks for max_loras adapters at max_lora_rank over every supported projection.
  plan.max_lora_rank = VllmMaxLoraRank(max_rank);
  double sides = 0;
  for (const std::string& module : LoraTargetModules()) sides += LoraMatrixSides(m, module);
  plan.buffer_bytes = static_cast<double>(x.max_loras * plan.max_lora_rank) * sides *
                      static_cast<double>(m.n_layers) * 2.0;
  plan.weights_bytes = 0;
  plan.rows.push_back(
      {"lora_buffer_bytes", "LoRA buffers (vLLM)", plan.buffer_bytes, Unit::kBytes,
       {"max_loras {loras} x max_lora_rank {rank} x sum of (d_in + d_out) over all 7 projections x "
        "{layers} layers x 2 bytes (the adapters above are loaded into it)",
        {Whole("loras", x.max_loras), Whole("rank", plan.max_lora_rank), Whole("layers", m.n_layers)}},
       "vLLM vllm/lora/layers create_lora_weights; docs features/lora.md"});
  return plan;
}

}  // namespace sizer

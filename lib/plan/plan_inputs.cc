#include "plan/plan_inputs.h"


namespace sizer {
namespace {

template <typename T>
void Apply(const std::optional<T>& override_value, T& field) {
  if (override_value) field = *override_value;
}

// One figure per kind of hardware: "gpu {gpu}, unified {unified}, cpu {cpu}".
Formula PerKindFormula(const PerKind& of, Unit unit, int decimals) {
  return {"gpu {gpu}, unified {unified}, cpu {cpu}",
          {{"gpu", of.gpu, unit, decimals},
           {"unified", of.unified, unit, decimals},
           {"cpu", of.cpu, unit, decimals}}};
}

// The assumptions table: each named assumption the plan used, and whether the job set it.
void AddAssumptions(const JobSpec& job, PlanInputs& in) {
  const RuntimeProfile& r = in.runtime;
  const AssumptionOverrides& a = job.assumptions;
  auto add = [&](std::string name, Formula value, std::string why, bool overridden) {
    in.assumptions.push_back({std::move(name), std::move(value), std::move(why), overridden});
  };
  add("runtime profile", {r.id + " (" + r.version + ")"}, r.source, false);
  add("decode_efficiency", PerKindFormula(r.decode_efficiency, Unit::kNone, 2), r.efficiency_source,
      a.decode_efficiency.has_value());
  add("prefill_efficiency", PerKindFormula(r.prefill_efficiency, Unit::kNone, 2), r.efficiency_source,
      a.prefill_efficiency.has_value());
  add("fragmentation_fraction", {"{fraction}", {{"fraction", r.fragmentation_fraction, Unit::kFraction, 3}}},
      "share of KV cache + activations lost to the allocator (" + r.id + ")",
      a.fragmentation_fraction.has_value());
  add("device_context_bytes", PerKindFormula(r.device_context_bytes, Unit::kBytes, Operand::kUnitDefault),
      "driver/runtime context not reported by the runtime itself",
      a.device_context_bytes.has_value());
  add("fixed_runtime_bytes", {"{bytes}", {{"bytes", r.fixed_runtime_bytes_gpu, Unit::kBytes}}},
      "per-GPU fixed reserves (CUDA graphs, NCCL, Ollama's free-memory floor)",
      a.fixed_runtime_bytes.has_value());
  add("micro_batch_tokens", {"{tokens}", {Whole("tokens", r.micro_batch_tokens)}},
      "tokens per prefill step (llama.cpp n_ubatch, vLLM max_num_batched_tokens)",
      a.micro_batch_tokens.has_value());
  add("flash_attention", {in.flash_attention ? "on" : "off"},
      "runtime default unless the job sets flash_attention", job.flash_attention.has_value());
  if (r.kv_allocation == KvAllocation::kPagedPool) {
    add("gpu_memory_utilization", {"{fraction}", {{"fraction", r.default_pool_fraction, Unit::kFraction, 2}}},
        "the pool the runtime pre-allocates; sizer recommends the smallest value that fits",
        a.gpu_memory_utilization.has_value());
  }
}

}  // namespace

StatusOr<PlanInputs> ResolvePlanInputs(const JobSpec& job, const std::string& quant) {
  PlanInputs in;
  in.job = &job;
  in.model = job.model;
  in.quant = quant;
  const WeightFormat* format = FindWeightFormat(quant);
  if (format != nullptr) {
    in.format = *format;
  } else if (job.model_file && job.model_file->file_type == quant) {
    in.format = job.model_file->container == WeightContainer::kGguf ? GgufFileFormat(quant)
                                                                    : SafetensorsFileFormat(quant);
  } else {
    return Status::InvalidArgument("unknown quant '" + quant + "'");
  }
  const KvDtype* kv = FindKvDtype(job.kv_cache_dtype);
  if (kv == nullptr) {
    return Status::InvalidArgument("unknown kv_cache_dtype '" + job.kv_cache_dtype + "'");
  }
  in.kv_dtype = *kv;
  if (job.runtime_info.id.empty()) {
    return Status::InvalidArgument("the job names no runtime_db entry (runtime '" + job.runtime + "')");
  }
  in.runtime = MakeRuntimeProfile(job.runtime_info);

  RuntimeProfile& r = in.runtime;
  const AssumptionOverrides& a = job.assumptions;
  if (a.decode_efficiency) r.decode_efficiency.SetAll(*a.decode_efficiency);
  if (a.prefill_efficiency) r.prefill_efficiency.SetAll(*a.prefill_efficiency);
  Apply(a.fragmentation_fraction, r.fragmentation_fraction);
  if (a.device_context_bytes) r.device_context_bytes.SetAll(*a.device_context_bytes);
  Apply(a.fixed_runtime_bytes, r.fixed_runtime_bytes_gpu);
  Apply(a.micro_batch_tokens, r.micro_batch_tokens);
  Apply(a.kv_page_tokens, r.kv_page_tokens);
  Apply(a.recurrent_state_bytes_per_element, r.recurrent_state_bytes_per_element);
  if (a.gpu_memory_utilization) r.default_pool_fraction = *a.gpu_memory_utilization;
  if (a.allreduce_latency_us) in.allreduce_latency_s = *a.allreduce_latency_us * 1e-6;
  in.keep_full_sliding_cache = a.keep_full_sliding_cache.value_or(false);
  in.flash_attention = job.flash_attention.value_or(r.flash_attention);

  bool quantized_v = in.kv_dtype.id != "f16" && in.kv_dtype.id != "bf16" &&
                     in.kv_dtype.id != "f32" && in.kv_dtype.id != "fp8";
  if (quantized_v && r.quantized_v_needs_flash_attention && !in.flash_attention) {
    in.flash_attention = true;
    in.warnings.push_back({r.id + " needs flash attention for a quantized V cache (" +
                           in.kv_dtype.id + "); planned with flash attention on"});
  }
  AddAssumptions(job, in);
  return in;
}

}  // namespace sizer

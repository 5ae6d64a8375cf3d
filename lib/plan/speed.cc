#include "plan/speed.h"

#include <algorithm>
#include <cmath>

#include "plan/extras.h"
#include "plan/kv_cache.h"

namespace sizer {
namespace {

// All-reduce latency per call when the job does not set allreduce_latency_us: NVLink/Infinity
// Fabric about 10 us, PCIe about 30 us (NCCL small-message latencies; assumption).
double DefaultAllReduceLatencySeconds(const HardwareSpec& hw) {
  const std::string& link = hw.interconnect;
  bool fast = link.rfind("nvlink", 0) == 0 || link == "infinity-fabric";
  return fast ? 10e-6 : 30e-6;
}

// Peak matrix throughput for the weight format on `hw`: FP8 units for FP8 weights where the
// device has them, INT8 for W8A8 and for llama.cpp's quantized GGUF kernels (int8 dot
// products against q8 activations), else FP16/BF16.
double PeakFlopPerSecond(const PlanInputs& in, const HardwareSpec& hw, std::string* which) {
  if (in.format.native_hardware_format == "fp8" && hw.fp8_flop_per_s > 0) {
    *which = "fp8";
    return hw.fp8_flop_per_s;
  }
  bool int8 = in.format.id == "INT8-W8A8" ||
              (in.format.container == WeightContainer::kGguf && in.format.id != "F32" &&
               in.format.id != "F16" && in.format.id != "BF16");
  if (int8 && hw.int8_op_per_s > 0) {
    *which = "int8";
    return hw.int8_op_per_s;
  }
  *which = "fp16";
  return hw.fp16_flop_per_s;
}

// Attention FLOPs of one token at `depth` (QK^T and AV: 4 x heads x head_dim per key).
double AttentionFlopsPerToken(const ModelSpec& m, int64_t depth) {
  double total = 0;
  for (int64_t layer = 0; layer < m.n_layers; ++layer) {
    LayerKind kind = m.KindOfLayer(layer);
    if (kind == LayerKind::kLinear) continue;
    int64_t keys = kind == LayerKind::kSliding ? std::min(depth, m.sliding_window_tokens) : depth;
    // MLA: QK^T runs over qk_nope + qk_rope dims, AV over v_head_dim; average the two.
    double head_dim = m.has_mla ? 0.5 * static_cast<double>(m.mla.qk_nope_head_dim +
                                                            m.mla.qk_rope_head_dim +
                                                            m.mla.v_head_dim)
                                : static_cast<double>(m.HeadDimOf(kind));
    total += 4.0 * static_cast<double>(m.n_heads) * head_dim * static_cast<double>(keys);
  }
  return total;
}

// The share of the dense weight bytes a sparse kernel reads: 2:4 keeps half the values plus a
// 2-bit index each (NVIDIA Ampere sparse tensor cores, 16-bit values). 1 when the runtime has
// no kernel for the job's structure on this hardware: zeros are stored and multiplied.
double SparseReadFraction(const PlanInputs& in, const HardwareSpec& hw) {
  const JobSpec& job = *in.job;
  if (!job.sparsity) return 1.0;
  const Sparsity& s = *job.sparsity;
  const auto& kernels = in.runtime.sparse_structures;
  bool has_kernel = std::find(kernels.begin(), kernels.end(), s.structure) != kernels.end();
  if (!has_kernel || hw.vendor != "nvidia") return 1.0;
  constexpr double kValueBits = 16.0;
  return std::max((1.0 - s.fraction) * (kValueBits + 2.0) / kValueBits, 0.05);
}

double SparsitySpeedup(const PlanInputs& in, const HardwareSpec& hw) {
  return 1.0 / SparseReadFraction(in, hw);
}

// The worksheet's explanation of SparsitySpeedup, built once per candidate.
Formula SparsityExplanation(const PlanInputs& in, const HardwareSpec& hw) {
  const double kept = SparseReadFraction(in, hw);
  if (kept == 1.0) {
    return {in.runtime.id + " has no kernel for " + in.job->sparsity->structure + " sparsity on " +
            hw.id + ": zeros are stored and multiplied like any weight, so time equals dense"};
  }
  return {in.runtime.id + " 2:4 kernel: reads {kept} of the dense weight bytes (kept values + "
          "2-bit indices)",
          {{"kept", kept, Unit::kFraction, 3}}};
}

// Attention FLOPs of prefilling `prompt` tokens: the sum over positions of the per-token
// attention cost, as a 64-point Riemann sum (exact enough, and cheap for long prompts).
double PrefillAttentionFlops(const ModelSpec& m, int64_t prompt) {
  const int64_t step = std::max<int64_t>(1, prompt / 64);
  double total = 0;
  for (int64_t position = step; position <= prompt; position += step) {
    total += AttentionFlopsPerToken(m, position) * static_cast<double>(step);
  }
  return total;
}

// The figures PlanSpeed derived its rows from.
struct SpeedContext {
  int64_t prompt = 0, mid = 0, full = 0, sequences = 0, micro_batch = 0;
  double peak_flop_per_s = 0, prefill_efficiency = 0;
  std::string peak_kind;  // "fp16", "int8", "fp8"
};

// "(GPU and host terms in series)", "(tensor-parallel over 4 devices)", "".
std::string Topology(const PlanInputs& in, const Candidate& c) {
  std::string topology =
      c.offload ? " (GPU and host terms in series)"
      : c.count > 1
          ? " (" + std::string(MultiDeviceName(c.parallelism.value_or(in.runtime.multi_device))) +
                " over " + std::to_string(c.count) + " devices)"
          : "";
  if (c.nodes > 1) {
    topology += " (" + std::to_string(c.nodes) + " pipeline stages over " + c.node_link.name + ")";
  }
  return topology;
}

// The decode ceilings: bandwidth / bytes read per token, at three depths.
void AddCeilingRows(const PlanInputs& in, const Candidate& c, const WeightPlan& w,
                    const SpeedContext& x, SpeedPlan& s) {
  const Operand bw{"bandwidth", c.hardware.memory_bandwidth_bytes_per_s, Unit::kBytesPerS};
  s.rows.push_back({"decode_ceiling_tokens_per_s", "Decode ceiling (empty cache)",
                    s.decode_ceiling_tokens_per_s, Unit::kTokensPerS,
                    {"{bandwidth} / {read} weights read per token" + Topology(in, c),
                     {bw, {"read", w.read_per_token_bytes / s.sparsity_speedup, Unit::kBytes}}},
                    "hardware_db memory_bandwidth (peak)"});
  s.rows.push_back({"decode_ceiling_at_prompt_tokens_per_s", "Decode ceiling at the prompt",
                    s.decode_ceiling_at_prompt_tokens_per_s, Unit::kTokensPerS,
                    {"{bandwidth} / (weights + KV read at depth {depth})",
                     {bw, Whole("depth", x.prompt)}},
                    ""});
  s.rows.push_back({"decode_ceiling_full_context_tokens_per_s", "Decode ceiling at full context",
                    s.decode_ceiling_full_context_tokens_per_s, Unit::kTokensPerS,
                    {"{bandwidth} / (weights + KV read at depth {depth})",
                     {bw, Whole("depth", x.full)}},
                    ""});
}

// Expected decode: the ceiling at the runtime's (or a calibration's) efficiency.
void AddExpectedDecodeRows(const PlanInputs& in, const Candidate& c, const SpeedContext& x,
                           SpeedPlan& s) {
  Formula expected{"ceiling x efficiency {efficiency} with {sequences} sequences at depth {depth}",
                   {{"efficiency", s.decode_efficiency, Unit::kNone, 2},
                    Whole("sequences", x.sequences), Whole("depth", x.mid)}};
  if (c.calibration) {
    expected.Append(" + {overhead_ms} ms per step (calibrated)",
                    {{"overhead_ms", c.calibration->decode_overhead_s * 1000.0, Unit::kMs, 2}});
  }
  expected.Append(s.compute_bound ? "; compute-bound (" + x.peak_kind + " peak x prefill efficiency)"
                                  : "; bandwidth-bound");
  s.rows.push_back({"expected_decode_tokens_per_s", "Expected decode per sequence",
                    s.expected_decode_tokens_per_s, Unit::kTokensPerS, expected,
                    c.calibration ? "calibration " + c.calibration->source
                                  : in.runtime.id + " decode_efficiency (see assumptions)"});
  s.rows.push_back({"expected_decode_full_context_tokens_per_s", "Expected decode at full context",
                    s.expected_decode_full_context_tokens_per_s, Unit::kTokensPerS,
                    {"as above at depth {depth}", {Whole("depth", x.full)}}, ""});
  s.rows.push_back({"aggregate_decode_tokens_per_s", "Aggregate decode (all sequences)",
                    s.aggregate_decode_tokens_per_s, Unit::kTokensPerS,
                    {"{sequences} x expected decode per sequence", {Whole("sequences", x.sequences)}},
                    ""});
}

// Prefill, time to first token and the p95 token latency.
void AddPrefillRows(const PlanInputs& in, const WeightPlan& w, const SpeedContext& x,
                    SpeedPlan& s) {
  s.rows.push_back(
      {"prefill_tokens_per_s", "Prefill", s.prefill_tokens_per_s, Unit::kTokensPerS,
       {"max(2 x {active_params} active params x {prompt} tokens + attention over " + x.peak_kind +
            " peak {peak} x {efficiency}, weights read once per {micro_batch}-token micro-batch)",
        {{"active_params", w.active_params, Unit::kParams},
         Whole("prompt", x.prompt),
         {"peak", x.peak_flop_per_s, Unit::kFlopPerS},
         {"efficiency", x.prefill_efficiency, Unit::kNone, 2},
         Whole("micro_batch", x.micro_batch)}},
       in.runtime.id + " prefill_efficiency (see assumptions)"});
  s.rows.push_back({"ttft_ms", "Time to first token", s.ttft_ms, Unit::kMs,
                    {"prefill of {prompt} tokens + one decode step", {Whole("prompt", x.prompt)}},
                    ""});
  s.rows.push_back({"p95_token_latency_ms", "Token latency (p95 estimate)",
                    s.p95_token_latency_ms, Unit::kMs,
                    {"one decode step at the full context with all {sequences} sequences active",
                     {Whole("sequences", x.sequences)}},
                    ""});
}

void AddSpeedRows(const PlanInputs& in, const Candidate& c, const WeightPlan& w,
                  const SpeedContext& x, SpeedPlan& s) {
  AddCeilingRows(in, c, w, x, s);
  AddExpectedDecodeRows(in, c, x, s);
  AddPrefillRows(in, w, x, s);
  if (in.job->sparsity) {
    s.rows.push_back({"sparsity_speedup", "Sparsity speed-up", s.sparsity_speedup, Unit::kRatio,
                      SparsityExplanation(in, c.hardware), "runtime profile sparse kernels"});
  }
  if (s.measured_decode_tokens_per_s > 0) {
    s.rows.push_back({"measured_decode_tokens_per_s", "Measured decode",
                      s.measured_decode_tokens_per_s, Unit::kTokensPerS,
                      {"given in the job (candidate measured.decode_tokens_per_s)"}, "measurement"});
    s.rows.push_back({"measured_fraction_of_ceiling", "Measured / ceiling",
                      s.measured_fraction_of_ceiling, Unit::kFraction,
                      {"{measured} / {ceiling}",
                       {{"measured", s.measured_decode_tokens_per_s, Unit::kTokensPerS, 1},
                        {"ceiling", s.decode_ceiling_tokens_per_s, Unit::kTokensPerS, 1}}},
                      ""});
  }
}

}  // namespace

double PrefillPeakFlopPerS(const PlanInputs& in, const HardwareSpec& hw, std::string* which) {
  return PeakFlopPerSecond(in, hw, which);
}

double PromptAttentionFlops(const ModelSpec& m, int64_t prompt) {
  return PrefillAttentionFlops(m, prompt);
}

DecodeStep DecodeStepTime(const PlanInputs& in, const Candidate& c, const WeightPlan& w,
                          int64_t sequences, int64_t depth, bool apply_efficiency) {
  const HardwareSpec& hw = c.hardware;
  const ModelSpec& m = in.model;
  // A calibration measured on this machine (input/calibration.h) replaces the runtime's
  // efficiency and adds its fixed per-step overhead.
  const double eff_gpu = !apply_efficiency ? 1.0
                         : c.calibration   ? c.calibration->decode_efficiency
                                           : in.runtime.decode_efficiency.Of(hw.kind);
  const double kv_read = KvReadBytesPerToken(in, depth) * static_cast<double>(sequences);
  const double sparse = SparsitySpeedup(in, hw);
  const double weights_read = w.read_per_token_bytes / sparse;
  double memory_s = 0;
  if (c.offload) {
    // Two serial bandwidth terms: the GPU's layers, then the host's.
    const HardwareSpec& host = c.offload->host;
    const double eff_cpu = apply_efficiency ? in.runtime.decode_efficiency.Of(HardwareKind::kCpu) : 1.0;
    double share = static_cast<double>(std::min(c.offload->gpu_layers, m.n_layers)) /
                   static_cast<double>(m.n_layers);
    double bytes = weights_read + kv_read;
    memory_s = bytes * share / (hw.memory_bandwidth_bytes_per_s * eff_gpu) +
               bytes * (1 - share) / (host.memory_bandwidth_bytes_per_s * eff_cpu);
  } else if (c.count > 1 &&
             c.parallelism.value_or(in.runtime.multi_device) == MultiDevice::kTensorParallel) {
    // Each device reads 1/n of the weights and its share of the cache in parallel, then the
    // layer outputs are all-reduced twice per layer (ring: 2(n-1)/n x message / link).
    const double n = static_cast<double>(c.count);
    const double bytes = (weights_read + kv_read) / n;
    const double message = static_cast<double>(m.d_model * sequences) * 2.0;
    const double link = hw.interconnect_bandwidth_bytes_per_s > 0
                            ? hw.interconnect_bandwidth_bytes_per_s
                            : 32e9;  // PCIe 4 x16 one way when the entry has no figure
    const double latency =
        in.allreduce_latency_s > 0 ? in.allreduce_latency_s : DefaultAllReduceLatencySeconds(hw);
    const double allreduce = 2.0 * static_cast<double>(m.n_layers) *
                             (latency + 2.0 * (n - 1) / n * message / link);
    memory_s = bytes / (hw.memory_bandwidth_bytes_per_s * eff_gpu) + allreduce;
  } else {
    // One device, or a layer split where the devices work in turn (no decode speed-up).
    memory_s = (weights_read + kv_read) / (hw.memory_bandwidth_bytes_per_s * eff_gpu);
  }
  if (c.nodes > 1) {
    // Pipeline stages (one per node) run in turn for a token, so the per-device terms above
    // cover the whole model; each hop between nodes adds one activation transfer
    // (d_model x sequences x 2 bytes) over the node link plus its latency (20 us: an
    // assumption for RDMA/TCP small messages).
    constexpr double kNodeHopLatencyS = 20e-6;
    const double message = static_cast<double>(m.d_model * sequences) * 2.0;
    memory_s += static_cast<double>(c.nodes - 1) *
                (kNodeHopLatencyS + message / c.node_link.bandwidth_bytes_per_s);
  }
  // Batched decode turns compute-bound once the sequences' FLOPs outweigh the shared reads.
  std::string which;
  const double peak = PeakFlopPerSecond(in, hw, &which) * static_cast<double>(c.count) *
                      (apply_efficiency ? in.runtime.prefill_efficiency.Of(hw.kind) : 1.0);
  const double flops = static_cast<double>(sequences) *
                       (2.0 * w.active_params / sparse + AttentionFlopsPerToken(m, depth));
  if (apply_efficiency && c.calibration) memory_s += c.calibration->decode_overhead_s;
  DecodeStep step;
  step.memory_s = memory_s;
  step.compute_s = peak > 0 ? flops / peak : 0;
  return step;
}

SpeedPlan PlanSpeed(const PlanInputs& in, const Candidate& c, const WeightPlan& w) {
  const JobSpec& job = *in.job;
  const HardwareSpec& hw = c.hardware;
  const ModelSpec& m = in.model;
  SpeedPlan s;
  s.bandwidth_bytes_per_s = hw.memory_bandwidth_bytes_per_s;
  s.decode_efficiency = c.calibration ? c.calibration->decode_efficiency
                                      : in.runtime.decode_efficiency.Of(hw.kind);
  s.sparsity_speedup = SparsitySpeedup(in, hw);
  const int64_t seqs = job.concurrency;
  const int64_t full = job.context_tokens;
  const int64_t prompt = std::min(job.prompt_tokens, full);
  const int64_t mid = std::min(full, job.prompt_tokens + job.output_tokens / 2);

  // The ceiling is bandwidth alone: one stream, peak bandwidth, no compute term.
  s.decode_ceiling_tokens_per_s = 1.0 / DecodeStepTime(in, c, w, 1, 0, false).memory_s;
  s.decode_ceiling_at_prompt_tokens_per_s =
      1.0 / DecodeStepTime(in, c, w, 1, prompt, false).memory_s;
  s.decode_ceiling_full_context_tokens_per_s =
      1.0 / DecodeStepTime(in, c, w, 1, full, false).memory_s;
  const DecodeStep step_mid = DecodeStepTime(in, c, w, seqs, mid, true);
  const double step_full = DecodeStepTime(in, c, w, seqs, full, true).seconds();
  s.expected_decode_tokens_per_s = 1.0 / step_mid.seconds();
  s.expected_decode_full_context_tokens_per_s = 1.0 / step_full;
  s.aggregate_decode_tokens_per_s = static_cast<double>(seqs) / step_mid.seconds();
  s.compute_bound = step_mid.compute_bound();
  s.p95_token_latency_ms = step_full * 1000.0;

  // Prefill of one prompt: compute (2 x active params x P + attention) at the runtime's
  // efficiency, but never faster than reading the weights once per micro-batch.
  std::string which;
  const double peak = PeakFlopPerSecond(in, hw, &which) * static_cast<double>(c.count);
  const double prefill_eff = in.runtime.prefill_efficiency.Of(hw.kind);
  const double prefill_flops =
      2.0 * w.active_params * static_cast<double>(prompt) + PrefillAttentionFlops(m, prompt);
  const double compute_s = prefill_flops / (peak * prefill_eff);
  const int64_t micro = std::max<int64_t>(1, in.runtime.micro_batch_tokens);
  const double passes = std::ceil(static_cast<double>(prompt) / static_cast<double>(micro));
  // Prefill batches touch every expert, so MoE models read all weights on each pass.
  const double bandwidth_total =
      hw.memory_bandwidth_bytes_per_s * (c.offload ? 1.0 : static_cast<double>(c.count));
  const double memory_s = passes * w.total_bytes / (bandwidth_total * s.decode_efficiency);
  const double prefill_s = std::max(compute_s, memory_s);
  s.prefill_tokens_per_s = static_cast<double>(prompt) / prefill_s;
  s.ttft_ms = (prefill_s + DecodeStepTime(in, c, w, 1, prompt, true).seconds()) * 1000.0;

  const Measured& measured = c.measured;
  const double measured_decode = measured.decode_tokens_per_s.value_or(0);
  s.measured_decode_tokens_per_s = measured_decode;
  if (measured_decode > 0) {
    s.measured_fraction_of_ceiling = measured_decode / s.decode_ceiling_tokens_per_s;
  }

  AddSpeedRows(in, c, w, {prompt, mid, full, seqs, micro, peak, prefill_eff, which}, s);
  ApplyExtrasSpeed(in, c, w, s);  // vision prefill, speculative decoding, embed/rerank
  return s;
}

}  // namespace sizer

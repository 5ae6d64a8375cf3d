#include "plan/planner.h"

#include <algorithm>
#include <cmath>

#include "base/format.h"
#include "plan/artifact_weights.h"
#include "plan/capacity_search.h"

namespace sizer {
namespace {

// The weights for `quant`, rescaled to a known artifact size or a pinned bucket.
WeightPlan WeightsFor(const PlanInputs& in, const std::optional<double>& file_bytes) {
  const JobSpec& job = *in.job;
  // A GGUF model file: the weights are read, not estimated.
  WeightPlan w = job.model_file && in.quant == job.model_file->file_type
                     ? WeightsFromArtifact(in.model, *job.model_file)
                     : PlanWeights(in.model, in.format);
  if (in.job->memory_overrides.weights_bytes) {
    RescaleWeights(w, *in.job->memory_overrides.weights_bytes,
                   "given (memory_overrides.weights_bytes)");
  } else if (file_bytes) {
    RescaleWeights(w, *file_bytes, "the artifact's file size");
  }
  return w;
}

// Checks that do not depend on sizes: does this runtime run this format on this hardware?
void CheckCompatibility(const PlanInputs& in, const Candidate& c, CandidateWorksheet& ws) {
  const RuntimeProfile& r = in.runtime;
  const HardwareSpec& hw = c.hardware;
  if (!r.Supports(hw.kind)) {
    ws.reasons.push_back("runtime: " + r.id + " does not run on " +
                         std::string(HardwareKindName(hw.kind)) + " hardware (" + hw.id + ")");
  }
  if (!r.SupportsVendor(hw.vendor)) {
    ws.reasons.push_back("runtime: " + r.id + " needs " + Join(r.vendors, " or ") +
                         " hardware; " + hw.id + " is " + hw.vendor);
  }
  if (!r.Supports(in.format.container)) {
    ws.reasons.push_back("format: " + in.format.id + " is a " +
                         std::string(WeightContainerName(in.format.container)) +
                         " format, which " + r.id + " does not load");
  } else if (r.id == "vllm" && in.format.container == WeightContainer::kGguf) {
    ws.warnings.push_back("vllm's GGUF support is experimental and slower than its native formats");
  }
  if (!r.SupportsKvDtype(in.kv_dtype.id)) {
    ws.reasons.push_back("kv_cache_dtype: " + r.id + " does not support " + in.kv_dtype.id +
                         " (supported: " + Join(r.kv_dtypes, ", ") + ")");
  }
  const std::string& native = in.format.native_hardware_format;
  if (!native.empty() && hw.kind == HardwareKind::kGpu && !hw.SupportsFormat(native)) {
    ws.warnings.push_back(in.format.id + " has no native " + native + " units on " + hw.id +
                          "; runtimes fall back to slower weight-only kernels");
  }
  if (c.offload && r.engine.find("llama.cpp") == std::string::npos) {
    ws.reasons.push_back("offload: CPU offload is planned for llama.cpp-based runtimes only, not " +
                         r.id);
  }
  if (c.nodes > 1) {
    if (!r.multi_node) {
      ws.reasons.push_back("multi-node: " + r.id + " does not serve one model across " +
                           std::to_string(c.nodes) + " machines (runtimes that do: vllm, sglang, "
                           "tensorrt-llm)");
    }
    if (hw.kind != HardwareKind::kGpu) {
      ws.reasons.push_back("multi-node: nodes of " + std::string(HardwareKindName(hw.kind)) +
                           " machines are not planned; plan GPU nodes");
    }
    if (c.offload) ws.reasons.push_back("multi-node: CPU offload across nodes is not planned");
  }
  if (c.count > 1 && hw.kind != HardwareKind::kGpu) {
    ws.reasons.push_back("multi-device: count " + std::to_string(c.count) + " of " +
                         std::string(HardwareKindName(hw.kind)) +
                         " machines would be a multi-node deployment; plan one machine or GPUs");
  }
}

void CheckGates(const JobSpec& job, std::optional<double> artifact_quality,
                CandidateWorksheet& ws) {
  const Gates& g = job.gates;
  const Measured& m = ws.candidate.measured;
  const SpeedPlan& s = ws.speed;
  ws.gate_decode_tokens_per_s = s.expected_decode_tokens_per_s;
  if (m.decode_tokens_per_s) {
    ws.gate_decode_tokens_per_s = *m.decode_tokens_per_s * s.sparsity_speedup;
    ws.decode_basis = "measured";
  }
  ws.gate_ttft_ms = m.ttft_ms.value_or(s.ttft_ms);
  if (m.ttft_ms) ws.ttft_basis = "measured";
  ws.gate_p95_token_latency_ms = s.p95_token_latency_ms;
  if (m.p95_token_latency_ms) {
    // Measured figures are the dense model's; a sparse kernel (if any) divides them.
    ws.gate_p95_token_latency_ms = *m.p95_token_latency_ms / s.sparsity_speedup;
    ws.latency_basis = "measured";
  }
  ws.quality = m.quality ? m.quality : artifact_quality ? artifact_quality : job.quality;

  if (g.min_decode_tokens_per_s && ws.gate_decode_tokens_per_s < *g.min_decode_tokens_per_s) {
    ws.reasons.push_back("speed: decode " + FormatFixed(ws.gate_decode_tokens_per_s, 1) +
                         " tokens/s (" + ws.decode_basis + ") is below the gate of " +
                         FormatFixed(*g.min_decode_tokens_per_s, 1));
  }
  if (g.max_ttft_ms && ws.gate_ttft_ms > *g.max_ttft_ms) {
    ws.reasons.push_back("latency: time to first token " + FormatFixed(ws.gate_ttft_ms, 0) +
                         " ms (" + ws.ttft_basis + ") exceeds the gate of " +
                         FormatFixed(*g.max_ttft_ms, 0) + " ms");
  }
  if (g.max_p95_token_latency_ms && ws.gate_p95_token_latency_ms > *g.max_p95_token_latency_ms) {
    ws.reasons.push_back("latency: p95 token latency " +
                         FormatFixed(ws.gate_p95_token_latency_ms, 1) + " ms (" +
                         ws.latency_basis + ") exceeds the gate of " +
                         FormatFixed(*g.max_p95_token_latency_ms, 1) + " ms");
  }
  if (g.min_quality) {
    if (!ws.quality) {
      ws.warnings.push_back("quality gate not evaluated: no quality figure for this artifact");
    } else if (*ws.quality < *g.min_quality) {
      ws.reasons.push_back("quality: " + FormatFixed(*ws.quality, 3) + " is below the gate of " +
                           FormatFixed(*g.min_quality, 3));
    }
  }
}

CandidateWorksheet Evaluate(const PlanInputs& in, const WeightPlan& w, const Candidate& c,
                            std::optional<double> quality, bool search) {
  const JobSpec& job = *in.job;
  CandidateWorksheet ws;
  ws.candidate = c;
  CheckCompatibility(in, c, ws);
  ws.memory = PlanMemory(in, c, w, job.context_tokens, job.concurrency);
  ws.reasons.insert(ws.reasons.end(), ws.memory.reasons.begin(), ws.memory.reasons.end());
  ws.speed = PlanSpeed(in, c, w);
  CheckGates(job, quality, ws);
  ws.admitted = ws.reasons.empty();
  if (!search) return ws;

  ws.cost = PlanCost(job, c, ws.decode_basis == "measured"
                                 ? ws.gate_decode_tokens_per_s * static_cast<double>(job.concurrency)
                                 : ws.speed.aggregate_decode_tokens_per_s);
  if (job.memory_overrides.kv_cache_bytes) {
    // A pinned KV bucket does not grow with context or sequences: a search would be fiction.
    ws.max_context_tokens = ws.max_concurrency = CandidateWorksheet::kNotSearched;
    ws.warnings.push_back("largest context and concurrency not searched: the KV cache is pinned "
                          "by memory_overrides.kv_cache_bytes");
  } else {
    ws.max_context_tokens = MaxContextTokens(in, c, w);
    ws.max_concurrency = MaxConcurrency(in, c, w);
  }
  ws.warnings.insert(ws.warnings.end(), w.warnings.begin(), w.warnings.end());
  if (ws.memory.recommended_pool_fraction) {
    double usable_fraction = 1.0 - job.gates.reserve_fraction;
    if (*ws.memory.recommended_pool_fraction <= usable_fraction) {
      ws.warnings.push_back(in.runtime.id + " pre-allocates its KV pool: set " +
                            (in.runtime.id == "sglang" ? "--mem-fraction-static "
                             : in.runtime.id == "tensorrt-llm" ? "free_gpu_memory_fraction "
                                                               : "--gpu-memory-utilization ") +
                            FormatFixed(*ws.memory.recommended_pool_fraction, 2) +
                            " (the default " + FormatFixed(in.runtime.default_pool_fraction, 2) +
                            " would take " + FormatPercent(in.runtime.default_pool_fraction) +
                            " of the device, beyond the reserve)");
    }
  }
  if (ws.cost.present && ws.cost.capacity_requests_per_month > 0 &&
      job.cost.requests_per_month > ws.cost.capacity_requests_per_month) {
    ws.warnings.push_back("the job's " + FormatCount(job.cost.requests_per_month) +
                          " requests/month exceed this candidate's decode capacity of about " +
                          FormatCount(ws.cost.capacity_requests_per_month));
  }
  return ws;
}

// "Smallest" admitted option: the least memory bought (capacity x devices), then the lowest price.
bool Smaller(const CandidateWorksheet& a, const CandidateWorksheet& b) {
  auto size = [](const CandidateWorksheet& w) {
    double total = w.candidate.hardware.memory_bytes * static_cast<double>(w.candidate.devices());
    if (w.candidate.offload) total += w.candidate.offload->host.memory_bytes;
    return total;
  };
  auto price = [](const CandidateWorksheet& w) {
    return w.candidate.hardware.price_usd * static_cast<double>(w.candidate.devices());
  };
  if (size(a) != size(b)) return size(a) < size(b);
  return price(a) < price(b);
}

}  // namespace

StatusOr<Plan> MakePlan(const JobSpec& job) {
  Plan plan;
  plan.job = &job;
  plan.warnings = job.warnings;
  // Capabilities the job requires of its runtime (runtime_db facts); a missing one warns.
  for (const std::string& cap : job.runtime_requires) {
    if (!job.runtime_info.Has(cap)) {
      plan.warnings.push_back("runtime: " + job.runtime + " lacks the required capability '" + cap +
                              "' (runtime_db/" + job.runtime + ".yaml; see 'sizer runtimes --require " +
                              cap + "')");
    }
  }

  // 1. Artifacts: every artifact on every candidate; pick the smallest that passes.
  for (const Artifact& artifact : job.artifacts) {
    SIZER_ASSIGN_OR_RETURN(PlanInputs in, ResolvePlanInputs(job, artifact.quant));
    WeightPlan w = WeightsFor(in, artifact.file_bytes);
    ArtifactVerdict v;
    v.artifact = artifact;
    v.weights_bytes = w.total_bytes;
    if (job.gates.min_quality && artifact.quality) {
      v.quality_ok = *artifact.quality >= *job.gates.min_quality;
    }
    for (const Candidate& c : job.candidates) {
      // Quality is judged per artifact below, so it is left out of the per-candidate checks.
      CandidateWorksheet ws = Evaluate(in, w, c, std::nullopt, /*search=*/false);
      if (ws.admitted) v.fits_on.push_back(c.label);
    }
    if (!v.quality_ok) {
      v.verdict = "quality " + FormatFixed(*artifact.quality, 3) + " below the gate of " +
                  FormatFixed(*job.gates.min_quality, 3);
    } else if (v.fits_on.empty()) {
      v.verdict = "fits on no candidate";
    } else {
      v.verdict = "pass";
    }
    plan.artifacts.push_back(std::move(v));
  }
  for (size_t i = 0; i < plan.artifacts.size(); ++i) {
    if (plan.artifacts[i].verdict != "pass") continue;
    if (!plan.recommended_artifact ||
        plan.artifacts[i].weights_bytes < plan.artifacts[*plan.recommended_artifact].weights_bytes) {
      plan.recommended_artifact = i;
    }
  }

  // 2. The worksheets use the chosen artifact, else the job's quant, else the best quality.
  std::optional<double> file_bytes;
  std::optional<double> quality = job.quality;
  if (plan.recommended_artifact) {
    const Artifact& a = plan.artifacts[*plan.recommended_artifact].artifact;
    plan.quant = a.quant;
    file_bytes = a.file_bytes;
    quality = a.quality;
  } else if (!job.quant.empty()) {
    plan.quant = job.quant;
  } else {
    const Artifact* best = &job.artifacts.front();
    for (const Artifact& a : job.artifacts) {
      if (a.quality.value_or(0) > best->quality.value_or(0)) best = &a;
    }
    plan.quant = best->quant;
    file_bytes = best->file_bytes;
    quality = best->quality;
  }
  SIZER_ASSIGN_OR_RETURN(PlanInputs in, ResolvePlanInputs(job, plan.quant));
  plan.assumptions = in.assumptions;
  plan.warnings.insert(plan.warnings.end(), in.warnings.begin(), in.warnings.end());
  plan.weights = WeightsFor(in, file_bytes);

  for (const Candidate& c : job.candidates) {
    plan.candidates.push_back(Evaluate(in, plan.weights, c, quality, /*search=*/true));
  }

  // 3. Recommendation.
  for (size_t i = 0; i < plan.candidates.size(); ++i) {
    if (!plan.candidates[i].admitted) continue;
    if (!plan.recommended || Smaller(plan.candidates[i], plan.candidates[*plan.recommended])) {
      plan.recommended = i;
    }
  }
  std::string artifact_text;
  if (!plan.artifacts.empty()) {
    artifact_text = plan.recommended_artifact
                        ? "; smallest artifact that passes the gates: " + plan.quant + " (" +
                              FormatBytes(plan.artifacts[*plan.recommended_artifact].weights_bytes) + ")"
                        : "; no artifact passes both the quality gate and a memory budget";
  }
  if (plan.recommended) {
    const CandidateWorksheet& ws = plan.candidates[*plan.recommended];
    plan.recommendation = ws.candidate.label + " (smallest admitted option: " +
                          FormatBytes(ws.memory.binding_device().planned_bytes) + " planned of " +
                          FormatBytes(ws.memory.binding_device().usable_bytes) + " usable, " +
                          FormatFixed(ws.gate_decode_tokens_per_s, 1) + " tokens/s per sequence)" +
                          artifact_text;
  } else {
    plan.recommendation = "no candidate is admitted" + artifact_text;
  }
  if (job.cost.present && !plan.candidates.empty()) {
    plan.cost = plan.candidates[plan.recommended.value_or(0)].cost;
  }
  return plan;
}

}  // namespace sizer

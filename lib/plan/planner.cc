#include "plan/planner.h"

#include <algorithm>
#include <cmath>

#include "base/format.h"
#include "plan/artifact_weights.h"
#include "plan/capacity_search.h"
#include "plan/plan_options.h"

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
  } else if (const auto& a = in.model.artifact_weights;
             a && !(job.model_file && in.quant == job.model_file->file_type) && in.quant == a->format) {
    // An imported model_db entry (`sizer db import`) knows its file's exact tensor bytes.
    RescaleWeights(w, a->bytes, "the model entry's artifact_weights (the imported file's tensor bytes)");
  }
  return w;
}

Reason Incompatible(Check check, Formula message) {
  return {check, 0, 0, Unit::kNone, Basis::kEstimate, std::move(message)};
}

// Checks that do not depend on sizes: does this runtime run this format on this hardware?
void CheckCompatibility(const PlanInputs& in, const Candidate& c, CandidateWorksheet& ws) {
  const RuntimeProfile& r = in.runtime;
  const HardwareSpec& hw = c.hardware;
  const std::string kind(HardwareKindName(hw.kind));
  auto reject = [&](Check check, Formula message) {
    ws.reasons.push_back(Incompatible(check, std::move(message)));
  };
  if (!r.Supports(hw.kind)) {
    reject(Check::kRuntimeHardwareKind,
           {"runtime: " + r.id + " does not run on " + kind + " hardware (" + hw.id + ")"});
  }
  if (!r.SupportsVendor(hw.vendor)) {
    reject(Check::kRuntimeVendor, {"runtime: " + r.id + " needs " + Join(r.vendors, " or ") +
                                   " hardware; " + hw.id + " is " + hw.vendor});
  }
  if (!r.Supports(in.format.container)) {
    reject(Check::kFormat, {"format: " + in.format.id + " is a " +
                            std::string(WeightContainerName(in.format.container)) +
                            " format, which " + r.id + " does not load"});
  } else if (r.id == "vllm" && in.format.container == WeightContainer::kGguf) {
    ws.warnings.push_back({"vllm's GGUF support is experimental and slower than its native formats"});
  }
  if (!r.SupportsKvDtype(in.kv_dtype.id)) {
    reject(Check::kKvCacheDtype, {"kv_cache_dtype: " + r.id + " does not support " + in.kv_dtype.id +
                                  " (supported: " + Join(r.kv_dtypes, ", ") + ")"});
  }
  const std::string& native = in.format.native_hardware_format;
  if (!native.empty() && hw.kind == HardwareKind::kGpu && !hw.SupportsFormat(native)) {
    ws.warnings.push_back({in.format.id + " has no native " + native + " units on " + hw.id +
                           "; runtimes fall back to slower weight-only kernels"});
  }
  if (c.offload && r.engine.find("llama.cpp") == std::string::npos) {
    reject(Check::kOffload,
           {"offload: CPU offload is planned for llama.cpp-based runtimes only, not " + r.id});
  }
  if (c.nodes > 1) {
    if (!r.multi_node) {
      reject(Check::kMultiNode, {"multi-node: " + r.id + " does not serve one model across {nodes} "
                                 "machines (runtimes that do: vllm, sglang, tensorrt-llm)",
                                 {Whole("nodes", c.nodes)}});
    }
    if (hw.kind != HardwareKind::kGpu) {
      reject(Check::kMultiNode,
             {"multi-node: nodes of " + kind + " machines are not planned; plan GPU nodes"});
    }
    if (c.offload) reject(Check::kMultiNode, {"multi-node: CPU offload across nodes is not planned"});
  }
  if (c.count > 1 && hw.kind != HardwareKind::kGpu) {
    reject(Check::kMultiDevice, {"multi-device: count {count} of " + kind +
                                 " machines would be a multi-node deployment; plan one machine or GPUs",
                                 {Whole("count", c.count)}});
  }
}

// The figures the gates judge: measured ones where the job gives them, else the estimates.
void GateFigures(const JobSpec& job, std::optional<double> artifact_quality, CandidateWorksheet& ws) {
  const Measured& m = ws.candidate.measured;
  const SpeedPlan& s = ws.speed;
  ws.gate_decode_tokens_per_s = s.expected_decode_tokens_per_s;
  if (m.decode_tokens_per_s) {
    ws.gate_decode_tokens_per_s = *m.decode_tokens_per_s * s.sparsity_speedup;
    ws.decode_basis = Basis::kMeasured;
  }
  ws.gate_ttft_ms = m.ttft_ms.value_or(s.ttft_ms);
  if (m.ttft_ms) ws.ttft_basis = Basis::kMeasured;
  ws.gate_p95_token_latency_ms = s.p95_token_latency_ms;
  if (m.p95_token_latency_ms) {
    // Measured figures are the dense model's; a sparse kernel (if any) divides them.
    ws.gate_p95_token_latency_ms = *m.p95_token_latency_ms / s.sparsity_speedup;
    ws.latency_basis = Basis::kMeasured;
  }
  ws.quality = m.quality ? m.quality : artifact_quality ? artifact_quality : job.quality;
}

// A gate that failed: `value` against `limit`, the message naming both ("{value}", "{limit}").
Reason GateFailure(Check check, double value, double limit, Unit unit, int decimals, Basis basis,
                   const std::string& text) {
  return {check, value, limit, unit, basis,
          {text, {{"value", value, unit, decimals}, {"limit", limit, unit, decimals}}}};
}

void CheckGates(const JobSpec& job, std::optional<double> artifact_quality,
                CandidateWorksheet& ws) {
  const Gates& g = job.gates;
  GateFigures(job, artifact_quality, ws);
  if (g.min_decode_tokens_per_s && ws.gate_decode_tokens_per_s < *g.min_decode_tokens_per_s) {
    ws.reasons.push_back(GateFailure(
        Check::kDecodeSpeed, ws.gate_decode_tokens_per_s, *g.min_decode_tokens_per_s,
        Unit::kTokensPerS, 1, ws.decode_basis,
        "speed: decode {value} tokens/s (" + std::string(BasisName(ws.decode_basis)) +
            ") is below the gate of {limit}"));
  }
  if (g.max_ttft_ms && ws.gate_ttft_ms > *g.max_ttft_ms) {
    ws.reasons.push_back(GateFailure(
        Check::kTtft, ws.gate_ttft_ms, *g.max_ttft_ms, Unit::kMs, 0, ws.ttft_basis,
        "latency: time to first token {value} ms (" + std::string(BasisName(ws.ttft_basis)) +
            ") exceeds the gate of {limit} ms"));
  }
  if (g.max_p95_token_latency_ms && ws.gate_p95_token_latency_ms > *g.max_p95_token_latency_ms) {
    ws.reasons.push_back(GateFailure(
        Check::kTokenLatency, ws.gate_p95_token_latency_ms, *g.max_p95_token_latency_ms, Unit::kMs,
        1, ws.latency_basis,
        "latency: p95 token latency {value} ms (" + std::string(BasisName(ws.latency_basis)) +
            ") exceeds the gate of {limit} ms"));
  }
  if (g.min_quality) {
    if (!ws.quality) {
      ws.warnings.push_back({"quality gate not evaluated: no quality figure for this artifact"});
    } else if (*ws.quality < *g.min_quality) {
      ws.reasons.push_back(GateFailure(Check::kQuality, *ws.quality, *g.min_quality, Unit::kNone, 3,
                                       Basis::kEstimate,
                                       "quality: {value} is below the gate of {limit}"));
    }
  }
}

// Warnings of an admitted-or-not worksheet that only the full evaluation can give.
void AddSearchWarnings(const PlanInputs& in, const WeightPlan& w, CandidateWorksheet& ws) {
  const JobSpec& job = *in.job;
  ws.warnings.insert(ws.warnings.end(), w.warnings.begin(), w.warnings.end());
  if (ws.memory.recommended_pool_fraction) {
    double usable_fraction = 1.0 - job.gates.reserve_fraction;
    if (*ws.memory.recommended_pool_fraction <= usable_fraction) {
      ws.warnings.push_back(
          {in.runtime.id + " pre-allocates its KV pool: set " + in.runtime.pool_fraction_flag_text +
               " {recommended} (the default {default} would take {default_share} of the device, "
               "beyond the reserve)",
           {{"recommended", *ws.memory.recommended_pool_fraction, Unit::kFraction, 2},
            {"default", in.runtime.default_pool_fraction, Unit::kFraction, 2},
            {"default_share", in.runtime.default_pool_fraction, Unit::kFraction}}});
    }
  }
  if (ws.cost.present && ws.cost.capacity_requests_per_month > 0 &&
      job.cost.requests_per_month > ws.cost.capacity_requests_per_month) {
    ws.warnings.push_back(
        {"the job's {requests} requests/month exceed this candidate's decode capacity of about "
         "{capacity}",
         {{"requests", job.cost.requests_per_month, Unit::kRequestsPerMonth},
          {"capacity", ws.cost.capacity_requests_per_month, Unit::kRequestsPerMonth}}});
  }
}

CandidateWorksheet Evaluate(const PlanInputs& in, const WeightPlan& w, const Candidate& c,
                            std::optional<double> quality, bool search, bool capacity = true) {
  const JobSpec& job = *in.job;
  CandidateWorksheet ws;
  ws.candidate = c;
  CheckCompatibility(in, c, ws);
  ws.memory = PlanMemory(in, c, w, job.context_tokens, job.concurrency);
  ws.reasons.insert(ws.reasons.end(), ws.memory.reasons.begin(), ws.memory.reasons.end());
  ws.speed = PlanSpeed(in, c, w);
  CheckGates(job, quality, ws);
  ws.verdict = ws.reasons.empty() ? Verdict::kAdmit : Verdict::kReject;
  if (!search) return ws;

  ws.cost = PlanCost(job, c, ws.decode_basis == Basis::kMeasured
                                 ? ws.gate_decode_tokens_per_s * static_cast<double>(job.concurrency)
                                 : ws.speed.aggregate_decode_tokens_per_s);
  if (!capacity) {
    ws.max_context_tokens = ws.max_concurrency = CandidateWorksheet::kNotSearched;
  } else if (job.memory_overrides.kv_cache_bytes) {
    // A pinned KV bucket does not grow with context or sequences: a search would be fiction.
    ws.max_context_tokens = ws.max_concurrency = CandidateWorksheet::kNotSearched;
    ws.warnings.push_back({"largest context and concurrency not searched: the KV cache is pinned "
                           "by memory_overrides.kv_cache_bytes"});
  } else {
    ws.max_context_tokens = MaxContextTokens(in, c, w);
    ws.max_concurrency = MaxConcurrency(in, c, w);
  }
  AddSearchWarnings(in, w, ws);
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

// Capabilities the job requires of its runtime (runtime_db facts); a missing one warns.
void CheckRuntimeRequires(const JobSpec& job, Plan& plan) {
  for (const std::string& cap : job.runtime_requires) {
    if (!job.runtime_info.Has(cap)) {
      plan.warnings.push_back({"runtime: " + job.runtime + " lacks the required capability '" +
                               cap + "' (runtime_db/" + job.runtime +
                               ".yaml; see 'sizer runtimes --require " + cap + "')"});
    }
  }
}

// 1. Artifacts: every artifact on every candidate; the smallest that passes is recommended.
Status JudgeArtifacts(const JobSpec& job, Plan& plan) {
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
      if (ws.admitted()) v.fits_on.push_back(c.label);
    }
    v.outcome = !v.quality_ok        ? ArtifactOutcome::kFailsQuality
                : v.fits_on.empty() ? ArtifactOutcome::kFitsNowhere
                                    : ArtifactOutcome::kPass;
    plan.artifacts.push_back(std::move(v));
  }
  for (size_t i = 0; i < plan.artifacts.size(); ++i) {
    if (plan.artifacts[i].outcome != ArtifactOutcome::kPass) continue;
    if (!plan.recommended_artifact ||
        plan.artifacts[i].weights_bytes < plan.artifacts[*plan.recommended_artifact].weights_bytes) {
      plan.recommended_artifact = i;
    }
  }
  return Status();
}

// 2. The worksheets' weights: the chosen artifact, else the job's quant, else the best quality.
struct WorksheetWeights {
  std::optional<double> file_bytes;
  std::optional<double> quality;
};
WorksheetWeights ChooseQuant(const JobSpec& job, Plan& plan) {
  WorksheetWeights out{std::nullopt, job.quality};
  if (plan.recommended_artifact) {
    const Artifact& a = plan.artifacts[*plan.recommended_artifact].artifact;
    plan.quant = a.quant;
    out = {a.file_bytes, a.quality};
  } else if (!job.quant.empty()) {
    plan.quant = job.quant;
  } else {
    const Artifact* best = &job.artifacts.front();
    for (const Artifact& a : job.artifacts) {
      if (a.quality.value_or(0) > best->quality.value_or(0)) best = &a;
    }
    plan.quant = best->quant;
    out = {best->file_bytes, best->quality};
  }
  return out;
}

// 3. The recommendation: the smallest admitted candidate, and the artifact choice.
void Recommend(Plan& plan) {
  for (size_t i = 0; i < plan.candidates.size(); ++i) {
    if (!plan.candidates[i].admitted()) continue;
    if (!plan.recommended || Smaller(plan.candidates[i], plan.candidates[*plan.recommended])) {
      plan.recommended = i;
    }
  }
  Formula& text = plan.recommendation;
  if (plan.recommended) {
    const CandidateWorksheet& ws = plan.candidates[*plan.recommended];
    text = {ws.candidate.label + " (smallest admitted option: {planned} planned of {usable} usable, "
                                 "{decode} tokens/s per sequence)",
            {{"planned", ws.memory.binding_device().planned_bytes, Unit::kBytes},
             {"usable", ws.memory.binding_device().usable_bytes, Unit::kBytes},
             {"decode", ws.gate_decode_tokens_per_s, Unit::kTokensPerS, 1}}};
  } else {
    text = {"no candidate is admitted"};
  }
  if (plan.artifacts.empty()) return;
  if (plan.recommended_artifact) {
    text.Append("; smallest artifact that passes the gates: " + plan.quant + " ({artifact_bytes})",
                {{"artifact_bytes", plan.artifacts[*plan.recommended_artifact].weights_bytes,
                  Unit::kBytes}});
  } else {
    text.Append("; no artifact passes both the quality gate and a memory budget");
  }
}

}  // namespace

StatusOr<Plan> MakePlan(const JobSpec& job) {
  return MakePlan(std::make_shared<const JobSpec>(job));
}

StatusOr<Plan> MakePlan(std::shared_ptr<const JobSpec> shared_job) {
  return MakePlan(std::move(shared_job), PlanOptions());
}

StatusOr<Plan> MakePlan(std::shared_ptr<const JobSpec> shared_job, const PlanOptions& options) {
  SIZER_CHECK(shared_job != nullptr);
  Plan plan;
  plan.job = std::move(shared_job);
  // Every PlanInputs below points at the plan's own job, never at the caller's.
  const JobSpec& job = *plan.job;
  for (const std::string& w : job.warnings) plan.warnings.push_back({w});
  CheckRuntimeRequires(job, plan);
  SIZER_RETURN_IF_ERROR(JudgeArtifacts(job, plan));

  const WorksheetWeights chosen = ChooseQuant(job, plan);
  SIZER_ASSIGN_OR_RETURN(PlanInputs in, ResolvePlanInputs(job, plan.quant));
  plan.assumptions = in.assumptions;
  plan.warnings.insert(plan.warnings.end(), in.warnings.begin(), in.warnings.end());
  plan.weights = WeightsFor(in, chosen.file_bytes);
  for (const Candidate& c : job.candidates) {
    plan.candidates.push_back(
        Evaluate(in, plan.weights, c, chosen.quality, /*search=*/true, options.capacity_search));
  }
  Recommend(plan);
  if (job.cost.present && !plan.candidates.empty()) {
    plan.cost = plan.candidates[plan.recommended.value_or(0)].cost;
  }
  return plan;
}

}  // namespace sizer

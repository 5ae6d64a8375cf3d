// Copies the typed Plan into the view: the one file of lib/report that reads Plan fields.
// Display decisions that need no Plan field (labels, job-level rows, wording) are in
// plan_view_display.cc.
#include "report/plan_view.h"

#include <cmath>
#include <filesystem>
#include <set>

#include "base/format.h"
#include "catalog/catalog.h"
#include "plan/kv_cache.h"
#include "report/display_format.h"
#include "report/plan_view_display.h"
#include "report/quantity_text.h"

namespace sizer {
namespace {

DeviceView DeviceOf(const DeviceBudget& d) {
  return {d.label,          std::string(HardwareKindName(d.kind)), d.weights_bytes,
          d.kv_cache_bytes, d.runtime_bytes,   d.activation_bytes, d.fragmentation_bytes,
          d.planned_bytes,  d.usable_bytes,    d.capacity_bytes,   d.fits()};
}

SpeedView SpeedOf(const CandidateWorksheet& ws) {
  const SpeedPlan& s = ws.speed;
  SpeedView v;
  v.decode_ceiling_tokens_per_s = s.decode_ceiling_tokens_per_s;
  v.decode_ceiling_at_prompt_tokens_per_s = s.decode_ceiling_at_prompt_tokens_per_s;
  v.decode_ceiling_full_context_tokens_per_s = s.decode_ceiling_full_context_tokens_per_s;
  v.decode_efficiency = s.decode_efficiency;
  v.expected_decode_tokens_per_s = s.expected_decode_tokens_per_s;
  v.expected_decode_full_context_tokens_per_s = s.expected_decode_full_context_tokens_per_s;
  v.aggregate_decode_tokens_per_s = s.aggregate_decode_tokens_per_s;
  v.compute_bound = s.compute_bound;
  v.prefill_tokens_per_s = s.prefill_tokens_per_s;
  v.ttft_ms = s.ttft_ms;
  v.p95_token_latency_ms = s.p95_token_latency_ms;
  v.sparsity_speedup = s.sparsity_speedup;
  v.measured_decode_tokens_per_s = s.measured_decode_tokens_per_s;
  v.measured_fraction_of_ceiling = s.measured_fraction_of_ceiling;
  v.gate_decode_tokens_per_s = ws.gate_decode_tokens_per_s;
  v.gate_ttft_ms = ws.gate_ttft_ms;
  v.gate_p95_token_latency_ms = ws.gate_p95_token_latency_ms;
  v.decode_basis = std::string(BasisName(ws.decode_basis));
  v.ttft_basis = std::string(BasisName(ws.ttft_basis));
  v.latency_basis = std::string(BasisName(ws.latency_basis));
  return v;
}

CostView CostOf(const CostPlan& c) {
  CostView v;
  v.present = c.present;
  v.local_monthly_usd = c.local_monthly_usd;
  v.hosted_monthly_usd = c.hosted_monthly_usd;
  v.break_even_requests_per_month = c.break_even_requests_per_month;
  v.hosted_usd_per_request = c.hosted_usd_per_request;
  v.capacity_requests_per_month = c.capacity_requests_per_month;
  v.cheaper = std::string(CheaperSideName(c.cheaper));
  return v;
}

void AddRows(const QuantityList& rows, const char* section, std::vector<ViewRow>& out) {
  for (const Quantity& q : rows) {
    ViewRow r;
    r.key = q.key;
    r.label = q.label;
    r.section = section;
    r.value = q.value;
    r.unit = std::string(UnitName(q.unit));
    r.formula = DisplayFormula(q.formula);
    r.formula_json = QuantityFormulaText(q);
    r.source = q.source;
    out.push_back(std::move(r));
  }
}

// How a group of devices shares the model, when the plan says (explicitly or by giving
// each device a range of layers): shown to tell apart candidates with the same label.
std::string Placement(const CandidateWorksheet& ws) {
  const Candidate& c = ws.candidate;
  if (c.offload) return "offload, " + std::to_string(c.offload->gpu_layers) + " layers on the GPU";
  if (c.devices() <= 1) return "";
  if (c.parallelism) return std::string(MultiDeviceName(*c.parallelism));
  for (const DeviceBudget& d : ws.memory.devices) {
    if (d.layers > 0) return std::string(MultiDeviceName(MultiDevice::kLayerSplit));
  }
  return std::string(MultiDeviceName(MultiDevice::kTensorParallel));
}

std::optional<int64_t> Searched(int64_t value) {
  if (value == CandidateWorksheet::kNotSearched) return std::nullopt;
  return value;
}

CandidateView CandidateOf(const CandidateWorksheet& ws, size_t index, bool recommended) {
  CandidateView c;
  c.index = index;
  c.label = ws.candidate.label;
  c.placement = Placement(ws);
  c.hardware_id = ws.candidate.hardware.id;
  c.hardware_name = ws.candidate.hardware.name;
  c.hardware_source = ws.candidate.hardware.source;
  c.kind = std::string(HardwareKindName(ws.candidate.hardware.kind));
  c.count = ws.candidate.count;
  c.nodes = ws.candidate.nodes;
  c.admitted = ws.admitted();
  c.recommended = recommended;
  for (const Reason& r : ws.reasons) {
    c.reasons.push_back(DisplayFormula(r.message));
    c.reasons_json.push_back(ReasonText(r));
  }
  c.warnings = DisplayFormulas(ws.warnings);
  c.warnings_json = FormulaTexts(ws.warnings);
  for (const DeviceBudget& d : ws.memory.devices) c.devices.push_back(DeviceOf(d));
  c.binding = ws.memory.binding;
  c.kv_bytes_per_token = ws.memory.kv.bytes_per_token;
  c.kv_bytes = ws.memory.kv.bytes;
  c.recommended_pool_fraction = ws.memory.recommended_pool_fraction;
  c.speed = SpeedOf(ws);
  c.cost = CostOf(ws.cost);
  c.quality = ws.quality;
  c.max_context_tokens = Searched(ws.max_context_tokens);
  c.max_concurrency = Searched(ws.max_concurrency);
  AddRows(ws.memory.rows, "memory", c.rows);
  AddRows(ws.speed.rows, "speed", c.rows);
  AddRows(ws.cost.rows, "cost", c.rows);
  return c;
}

JobView JobOf(const Plan& plan) {
  const JobSpec& job = *plan.job;
  JobView j;
  j.name = job.name;
  j.description = job.description;
  j.file = job.file;
  j.model_id = job.model.id;
  j.model_name = job.model.name;
  j.model_source = job.model.source;
  j.quant = plan.quant;
  j.kv_cache_dtype = job.kv_cache_dtype;
  j.runtime = job.runtime;
  j.context_tokens = job.context_tokens;
  j.concurrency = job.concurrency;
  j.prompt_tokens = job.prompt_tokens;
  j.output_tokens = job.output_tokens;
  j.params_total = job.model.params_total;
  j.weights_bytes = plan.weights.total_bytes;
  j.weights_read_per_token_bytes = plan.weights.read_per_token_bytes;
  j.requests_per_month = job.cost.present ? job.cost.requests_per_month : 0;
  j.kv_pinned = job.memory_overrides.kv_cache_bytes.has_value();
  j.reserve_fraction = job.gates.reserve_fraction;
  j.min_decode_tokens_per_s = job.gates.min_decode_tokens_per_s;
  j.max_ttft_ms = job.gates.max_ttft_ms;
  j.max_p95_token_latency_ms = job.gates.max_p95_token_latency_ms;
  j.min_quality = job.gates.min_quality;
  return j;
}

}  // namespace

PlanView MakePlanView(const Plan& plan) {
  PlanView v;
  v.job = JobOf(plan);
  for (size_t i = 0; i < plan.candidates.size(); ++i) {
    v.candidates.push_back(CandidateOf(plan.candidates[i], i, plan.recommended == i));
  }
  for (const ArtifactVerdict& a : plan.artifacts) {
    ArtifactView view;
    view.quant = a.artifact.quant;
    view.quality = a.artifact.quality;
    view.weights_bytes = a.weights_bytes;
    view.quality_ok = a.quality_ok;
    view.fits_on = a.fits_on;
    view.verdict = ArtifactVerdictText(a, plan.job->gates);
    v.artifacts.push_back(std::move(view));
  }
  v.recommended = plan.recommended;
  v.artifact_recommended = plan.recommended_artifact.has_value();
  v.recommended_artifact_bytes =
      plan.recommended_artifact ? plan.artifacts[*plan.recommended_artifact].weights_bytes : 0;
  v.recommendation_json = FormulaText(plan.recommendation);
  v.cost = CostOf(plan.cost);
  for (const Assumption& a : plan.assumptions) {
    v.assumptions.push_back({a.name, DisplayFormula(a.value), FormulaText(a.value), a.why, a.overridden});
  }
  v.plan_warnings = DisplayFormulas(plan.warnings);
  v.plan_warnings_json = FormulaTexts(plan.warnings);
  std::set<std::string> seen;
  const std::vector<std::string>* lists[] = {&plan.job->warnings, &v.plan_warnings};
  for (const std::vector<std::string>* list : lists) {
    for (const std::string& w : *list) {
      if (seen.insert(w).second) v.warnings.push_back(w);
    }
  }
  v.sources.push_back({"model", plan.job->model.id, plan.job->model.source});
  std::set<std::string> hardware_seen;
  for (const CandidateWorksheet& ws : plan.candidates) {
    const HardwareSpec& hw = ws.candidate.hardware;
    if (hardware_seen.insert(hw.id).second) v.sources.push_back({"hardware", hw.id, hw.source});
  }
  DecideDisplay(v);
  return v;
}

StatusOr<std::vector<KvPoint>> PlanKvCurve(const Plan& plan, int64_t max_context) {
  const JobSpec& job = *plan.job;
  SIZER_ASSIGN_OR_RETURN(PlanInputs in, ResolvePlanInputs(job, plan.quant));
  std::vector<KvPoint> curve;
  constexpr int kSteps = 64;
  for (int i = 0; i <= kSteps; ++i) {
    int64_t ctx = std::max<int64_t>(1, max_context * i / kSteps);
    curve.push_back({static_cast<double>(ctx), PlanKvCache(in, ctx, job.concurrency).bytes});
  }
  // Exact points where the chart puts markers: the job's context and each candidate's limit.
  std::vector<int64_t> marks = {job.context_tokens};
  for (const CandidateWorksheet& ws : plan.candidates) {
    if (ws.max_context_tokens > 0 && ws.max_context_tokens <= max_context) marks.push_back(ws.max_context_tokens);
  }
  for (int64_t ctx : marks) {
    curve.push_back({static_cast<double>(ctx), PlanKvCache(in, ctx, job.concurrency).bytes});
  }
  return curve;
}

std::vector<ReportInput> PlanInputFiles(const Plan& plan, const std::string& job_display,
                                        const std::string& db_root) {
  namespace fs = std::filesystem;
  const JobSpec& job = *plan.job;
  std::vector<ReportInput> out = {{job_display, job.file}};
  if (job.model_ref == job.model.id && !job.model.source.empty()) {
    std::string rel = "model_db/" + job.model.id + ".yaml";
    if (fs::exists(db_root + "/" + rel)) out.push_back({rel, db_root + "/" + rel});
  }
  std::set<std::string> seen;
  auto add_hardware = [&](const HardwareSpec& hw) {
    if (hw.source.empty() || !seen.insert(hw.id).second) return;
    std::string rel = "hardware_db/" + hw.id + ".yaml";
    if (fs::exists(db_root + "/" + rel)) {
      out.push_back({rel, db_root + "/" + rel});
    } else if (hw.id == kThisMachineId && fs::exists(ThisMachinePath())) {
      out.push_back({ThisMachinePath(), ThisMachinePath()});
    }
  };
  for (const Candidate& c : job.candidates) {
    add_hardware(c.hardware);
    if (c.offload) add_hardware(c.offload->host);
  }
  return out;
}

}  // namespace sizer

#include "report/json_report.h"

#include <cmath>

#include "report/quantity_text.h"
#include "version.h"

namespace sizer {
namespace {

using nlohmann::json;

// JSON has no infinity or NaN: they become null.
json Number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

json Searched(int64_t value) {
  if (value == CandidateWorksheet::kNotSearched) return nullptr;
  return value;
}

// `section` (memory, speed, cost) says which worksheet table a row belongs to.
json Rows(const QuantityList& rows, const char* section) {
  json out = json::array();
  for (const Quantity& q : rows) {
    out.push_back({{"key", q.key}, {"label", q.label}, {"value", Number(q.value)},
                   {"unit", UnitName(q.unit)}, {"formula", QuantityFormulaText(q)},
                   {"source", q.source},
                   {"section", section}});
  }
  return out;
}

json Cost(const CostPlan& c) {
  if (!c.present) return nullptr;
  return {{"local_monthly_usd", Number(c.local_monthly_usd)},
          {"hosted_monthly_usd", Number(c.hosted_monthly_usd)},
          {"break_even_requests_per_month", Number(c.break_even_requests_per_month)},
          {"cheaper", c.cheaper},
          {"hosted_usd_per_request", Number(c.hosted_usd_per_request)},
          {"capacity_requests_per_month", Number(c.capacity_requests_per_month)},
          {"note", "cost only: privacy, quality and operations remain separate gates"}};
}

json Device(const DeviceBudget& d) {
  return {{"device", d.label},
          {"kind", std::string(HardwareKindName(d.kind))},
          {"weights_bytes", d.weights_bytes},
          {"kv_cache_bytes", d.kv_cache_bytes},
          {"runtime_bytes", d.runtime_bytes},
          {"activation_bytes", d.activation_bytes},
          {"fragmentation_bytes", d.fragmentation_bytes},
          {"planned_bytes", d.planned_bytes},
          {"usable_bytes", d.usable_bytes},
          {"capacity_bytes", d.capacity_bytes},
          {"fits", d.fits()}};
}

json CandidateJson(const CandidateWorksheet& ws) {
  const DeviceBudget& d = ws.memory.binding_device();
  const SpeedPlan& s = ws.speed;
  // The binding (most loaded) device's buckets, plus every device in `devices`.
  json memory = Device(d);
  memory.erase("device");
  memory["headroom_bytes"] = d.usable_bytes - d.planned_bytes;
  memory["binding_device"] = d.label;
  memory["kv_bytes_per_token"] = ws.memory.kv.bytes_per_token;
  memory["devices"] = json::array();
  for (const DeviceBudget& device : ws.memory.devices) memory["devices"].push_back(Device(device));
  if (ws.memory.recommended_pool_fraction) {
    memory["recommended_gpu_memory_utilization"] = *ws.memory.recommended_pool_fraction;
  }
  json speed = {{"decode_ceiling_tokens_per_s", Number(s.decode_ceiling_tokens_per_s)},
                {"decode_ceiling_at_prompt_tokens_per_s", Number(s.decode_ceiling_at_prompt_tokens_per_s)},
                {"decode_ceiling_full_context_tokens_per_s",
                 Number(s.decode_ceiling_full_context_tokens_per_s)},
                {"decode_efficiency", s.decode_efficiency},
                {"expected_decode_tokens_per_s", Number(s.expected_decode_tokens_per_s)},
                {"expected_decode_full_context_tokens_per_s",
                 Number(s.expected_decode_full_context_tokens_per_s)},
                {"aggregate_decode_tokens_per_s", Number(s.aggregate_decode_tokens_per_s)},
                {"compute_bound", s.compute_bound},
                {"prefill_tokens_per_s", Number(s.prefill_tokens_per_s)},
                {"ttft_ms", Number(s.ttft_ms)},
                {"p95_token_latency_ms", Number(s.p95_token_latency_ms)},
                {"sparsity_speedup", s.sparsity_speedup},
                {"gate_decode_tokens_per_s", Number(ws.gate_decode_tokens_per_s)},
                {"gate_ttft_ms", Number(ws.gate_ttft_ms)},
                {"gate_p95_token_latency_ms", Number(ws.gate_p95_token_latency_ms)},
                {"decode_basis", BasisName(ws.decode_basis)},
                {"ttft_basis", BasisName(ws.ttft_basis)},
                {"latency_basis", BasisName(ws.latency_basis)}};
  if (s.measured_decode_tokens_per_s > 0) {
    speed["measured_decode_tokens_per_s"] = s.measured_decode_tokens_per_s;
    speed["measured_fraction_of_ceiling"] = s.measured_fraction_of_ceiling;
  }
  json rows = Rows(ws.memory.rows, "memory");
  for (const json& r : Rows(s.rows, "speed")) rows.push_back(r);
  for (const json& r : Rows(ws.cost.rows, "cost")) rows.push_back(r);
  return {{"hardware", ws.candidate.label},
          {"hardware_id", ws.candidate.hardware.id},
          {"hardware_name", ws.candidate.hardware.name},
          {"kind", std::string(HardwareKindName(ws.candidate.hardware.kind))},
          {"count", ws.candidate.count},
          {"nodes", ws.candidate.nodes},
          {"verdict", VerdictName(ws.verdict)},
          {"reasons", ReasonTexts(ws.reasons)},
          {"warnings", FormulaTexts(ws.warnings)},
          {"memory", memory},
          {"speed", speed},
          {"max_context_tokens", Searched(ws.max_context_tokens)},
          {"max_concurrency", Searched(ws.max_concurrency)},
          {"quality", ws.quality ? json(*ws.quality) : json(nullptr)},
          {"cost", Cost(ws.cost)},
          {"rows", rows},
          {"sources", {{"hardware", ws.candidate.hardware.source}}}};
}

}  // namespace

nlohmann::json PlanToJson(const Plan& plan) {
  const JobSpec& job = *plan.job;
  json gates = {{"reserve_fraction", job.gates.reserve_fraction}};
  if (job.gates.min_decode_tokens_per_s) gates["min_decode_tokens_per_s"] = *job.gates.min_decode_tokens_per_s;
  if (job.gates.max_ttft_ms) gates["max_ttft_ms"] = *job.gates.max_ttft_ms;
  if (job.gates.max_p95_token_latency_ms) gates["max_p95_token_latency_ms"] = *job.gates.max_p95_token_latency_ms;
  if (job.gates.min_quality) gates["min_quality"] = *job.gates.min_quality;
  json out;
  out["tool"] = {{"name", "sizer"}, {"version", SIZER_VERSION_STRING}};
  out["job"] = {{"name", job.name},
                {"description", job.description},
                {"file", job.file},
                {"model", job.model.id},
                {"model_name", job.model.name},
                {"model_source", job.model.source},
                {"quant", plan.quant},
                {"kv_cache_dtype", job.kv_cache_dtype},
                {"context_tokens", job.context_tokens},
                {"concurrency", job.concurrency},
                {"runtime", job.runtime},
                {"prompt_tokens", job.prompt_tokens},
                {"output_tokens", job.output_tokens},
                {"gates", gates},
                {"weights_bytes", plan.weights.total_bytes},
                {"weights_read_per_token_bytes", plan.weights.read_per_token_bytes},
                {"params_total", job.model.params_total}};
  out["candidates"] = json::array();
  for (const CandidateWorksheet& ws : plan.candidates) out["candidates"].push_back(CandidateJson(ws));
  out["artifacts"] = json::array();
  for (const ArtifactVerdict& a : plan.artifacts) {
    out["artifacts"].push_back({{"quant", a.artifact.quant},
                                {"quality", a.artifact.quality ? json(*a.artifact.quality) : json(nullptr)},
                                {"weights_bytes", a.weights_bytes},
                                {"quality_ok", a.quality_ok},
                                {"fits_on", a.fits_on},
                                {"verdict", ArtifactVerdictText(a, job.gates)}});
  }
  out["recommendation"] = {
      {"candidate", plan.recommended ? json(plan.candidates[*plan.recommended].candidate.label)
                                     : json(nullptr)},
      {"artifact", plan.recommended_artifact ? json(plan.quant) : json(nullptr)},
      {"text", FormulaText(plan.recommendation)}};
  out["cost"] = Cost(plan.cost);
  out["assumptions"] = json::array();
  for (const Assumption& a : plan.assumptions) {
    out["assumptions"].push_back({{"name", a.name}, {"value", FormulaText(a.value)}, {"why", a.why},
                                  {"overridden", a.overridden}});
  }
  out["warnings"] = FormulaTexts(plan.warnings);
  return out;
}

}  // namespace sizer

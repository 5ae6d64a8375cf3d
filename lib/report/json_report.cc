#include "report/json_report.h"

#include <cmath>

#include "version.h"

namespace sizer {
namespace {

using nlohmann::json;

// JSON has no infinity or NaN: they become null.
json Number(double value) {
  if (!std::isfinite(value)) return nullptr;
  return value;
}

json Searched(const std::optional<int64_t>& value) {
  if (!value) return nullptr;
  return *value;
}

// `section` (memory, speed, cost) says which worksheet table a row belongs to.
json Rows(const std::vector<ViewRow>& rows) {
  json out = json::array();
  for (const ViewRow& q : rows) {
    out.push_back({{"key", q.key}, {"label", q.label}, {"value", Number(q.value)},
                   {"unit", q.unit}, {"formula", q.formula_json}, {"source", q.source},
                   {"section", q.section}});
  }
  return out;
}

json Cost(const CostView& c) {
  if (!c.present) return nullptr;
  return {{"local_monthly_usd", Number(c.local_monthly_usd)},
          {"hosted_monthly_usd", Number(c.hosted_monthly_usd)},
          {"break_even_requests_per_month", Number(c.break_even_requests_per_month)},
          {"cheaper", c.cheaper},
          {"hosted_usd_per_request", Number(c.hosted_usd_per_request)},
          {"capacity_requests_per_month", Number(c.capacity_requests_per_month)},
          {"note", "cost only: privacy, quality and operations remain separate gates"}};
}

json Device(const DeviceView& d) {
  return {{"device", d.label},
          {"kind", d.kind},
          {"weights_bytes", d.weights_bytes},
          {"kv_cache_bytes", d.kv_cache_bytes},
          {"runtime_bytes", d.runtime_bytes},
          {"activation_bytes", d.activation_bytes},
          {"fragmentation_bytes", d.fragmentation_bytes},
          {"planned_bytes", d.planned_bytes},
          {"usable_bytes", d.usable_bytes},
          {"capacity_bytes", d.capacity_bytes},
          {"fits", d.fits}};
}

json SpeedJson(const SpeedView& s) {
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
                {"gate_decode_tokens_per_s", Number(s.gate_decode_tokens_per_s)},
                {"gate_ttft_ms", Number(s.gate_ttft_ms)},
                {"gate_p95_token_latency_ms", Number(s.gate_p95_token_latency_ms)},
                {"decode_basis", s.decode_basis},
                {"ttft_basis", s.ttft_basis},
                {"latency_basis", s.latency_basis}};
  if (s.measured_decode_tokens_per_s > 0) {
    speed["measured_decode_tokens_per_s"] = s.measured_decode_tokens_per_s;
    speed["measured_fraction_of_ceiling"] = s.measured_fraction_of_ceiling;
  }
  return speed;
}

json CandidateJson(const CandidateView& c) {
  const DeviceView& d = c.binding_device();
  // The binding (most loaded) device's buckets, plus every device in `devices`.
  json memory = Device(d);
  memory.erase("device");
  memory["headroom_bytes"] = d.usable_bytes - d.planned_bytes;
  memory["binding_device"] = d.label;
  memory["kv_bytes_per_token"] = c.kv_bytes_per_token;
  memory["devices"] = json::array();
  for (const DeviceView& device : c.devices) memory["devices"].push_back(Device(device));
  if (c.recommended_pool_fraction) {
    memory["recommended_gpu_memory_utilization"] = *c.recommended_pool_fraction;
  }
  return {{"hardware", c.label},
          {"hardware_id", c.hardware_id},
          {"hardware_name", c.hardware_name},
          {"kind", c.kind},
          {"count", c.count},
          {"nodes", c.nodes},
          {"verdict", c.admitted ? "admit" : "reject"},
          {"reasons", c.reasons_json},
          {"warnings", c.warnings_json},
          {"memory", memory},
          {"speed", SpeedJson(c.speed)},
          {"max_context_tokens", Searched(c.max_context_tokens)},
          {"max_concurrency", Searched(c.max_concurrency)},
          {"quality", c.quality ? json(*c.quality) : json(nullptr)},
          {"cost", Cost(c.cost)},
          {"rows", Rows(c.rows)},
          {"sources", {{"hardware", c.hardware_source}}}};
}

json JobJson(const JobView& job) {
  json gates = {{"reserve_fraction", job.reserve_fraction}};
  if (job.min_decode_tokens_per_s) gates["min_decode_tokens_per_s"] = *job.min_decode_tokens_per_s;
  if (job.max_ttft_ms) gates["max_ttft_ms"] = *job.max_ttft_ms;
  if (job.max_p95_token_latency_ms) gates["max_p95_token_latency_ms"] = *job.max_p95_token_latency_ms;
  if (job.min_quality) gates["min_quality"] = *job.min_quality;
  return {{"name", job.name},
          {"description", job.description},
          {"file", job.file},
          {"model", job.model_id},
          {"model_name", job.model_name},
          {"model_source", job.model_source},
          {"quant", job.quant},
          {"kv_cache_dtype", job.kv_cache_dtype},
          {"context_tokens", job.context_tokens},
          {"concurrency", job.concurrency},
          {"runtime", job.runtime},
          {"prompt_tokens", job.prompt_tokens},
          {"output_tokens", job.output_tokens},
          {"gates", gates},
          {"weights_bytes", job.weights_bytes},
          {"weights_read_per_token_bytes", job.weights_read_per_token_bytes},
          {"params_total", job.params_total}};
}

}  // namespace

nlohmann::json PlanToJson(const Plan& plan) { return PlanViewToJson(MakePlanView(plan)); }

nlohmann::json PlanViewToJson(const PlanView& view) {
  json out;
  out["tool"] = {{"name", "sizer"}, {"version", SIZER_VERSION_STRING}};
  out["job"] = JobJson(view.job);
  out["candidates"] = json::array();
  for (const CandidateView& c : view.candidates) out["candidates"].push_back(CandidateJson(c));
  out["artifacts"] = json::array();
  for (const ArtifactView& a : view.artifacts) {
    out["artifacts"].push_back({{"quant", a.quant},
                                {"quality", a.quality ? json(*a.quality) : json(nullptr)},
                                {"weights_bytes", a.weights_bytes},
                                {"quality_ok", a.quality_ok},
                                {"fits_on", a.fits_on},
                                {"verdict", a.verdict}});
  }
  out["recommendation"] = {
      {"candidate", view.recommended ? json(view.candidates[*view.recommended].label) : json(nullptr)},
      {"artifact", view.artifact_recommended ? json(view.job.quant) : json(nullptr)},
      {"text", view.recommendation_json}};
  out["cost"] = Cost(view.cost);
  out["assumptions"] = json::array();
  for (const AssumptionView& a : view.assumptions) {
    out["assumptions"].push_back({{"name", a.name}, {"value", a.value_json}, {"why", a.why},
                                  {"overridden", a.overridden}});
  }
  out["warnings"] = view.plan_warnings_json;
  return out;
}

}  // namespace sizer

#include "report/report_model.h"

#include <cctype>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <limits>
#include <set>

#include "base/format.h"
#include "base/sha256.h"
#include "plan/kv_cache.h"
#include "report/json_report.h"
#include "report/quantity_text.h"
#include "report/report_charts.h"
#include "report/table.h"
#include "catalog/catalog.h"
#include "version.h"

namespace sizer {
namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A number from the plan JSON; null (JSON's stand-in for infinity/NaN) reads as +infinity,
// an absent key as NaN.
double Get(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return kNaN;
  if (it->is_null()) return std::numeric_limits<double>::infinity();
  return it->is_number() ? it->get<double>() : kNaN;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Tps(double v) { return std::isfinite(v) ? FormatFixed(v, 1) + " tokens/s" : "n/a"; }
std::string Ms(double v) { return std::isfinite(v) ? FormatCount(v) + " ms" : "n/a"; }
std::string Usd(double v) { return std::isfinite(v) ? FormatUsd(v) : "n/a"; }
std::string Bytes(double v) { return std::isfinite(v) ? FormatBytes(v) : "n/a"; }

// One worksheet row from the JSON, with its value formatted by its unit.
json Row(const json& r) {
  const double v = Get(r, "value");
  const Unit unit = UnitFromName(Str(r, "unit")).value_or(Unit::kNone);
  std::string value = std::isfinite(v) ? QuantityValueText(v, unit) : "n/a (unbounded)";
  return {{"key", Str(r, "key")}, {"label", Str(r, "label")}, {"value", value},
          {"formula", Str(r, "formula")}, {"source", Str(r, "source")}};
}

json RowsOf(const json& candidate, const std::string& section) {
  json out = json::array();
  for (const json& r : candidate["rows"]) {
    if (Str(r, "section") == section) out.push_back(Row(r));
  }
  return out;
}

json LabelValue(const std::string& label, const std::string& value) {
  return {{"label", label}, {"value", value}};
}

std::string Searched(const json& v, const std::string& unit) {
  if (v.is_null()) return "not searched (a pinned KV bucket)";
  return FormatCount(v.get<double>()) + " " + unit;
}

json JobRows(const json& j, const JobSpec& job, const json& plan_cost) {
  const json& jj = j["job"];
  json rows = json::array();
  std::string model = Str(jj, "model_name");
  if (model.empty()) model = Str(jj, "model");
  if (Str(jj, "model") != model) model += " (" + Str(jj, "model") + ")";
  rows.push_back(LabelValue("Model", model + ", " + FormatFixed(Get(jj, "params_total") / 1e9, 2) +
                                         "B parameters"));
  rows.push_back(LabelValue("Weight format", Str(jj, "quant") + " (weights " +
                                                 Bytes(Get(jj, "weights_bytes")) + ")"));
  rows.push_back(LabelValue("KV cache type", Str(jj, "kv_cache_dtype")));
  rows.push_back(LabelValue("Context", FormatCount(Get(jj, "context_tokens")) + " tokens per sequence"));
  const double sequences = Get(jj, "concurrency");
  rows.push_back(LabelValue("Concurrency", sequences == 1 ? "1 sequence at a time"
                                                          : FormatCount(sequences) + " sequences decoded at once"));
  rows.push_back(LabelValue("Runtime", Str(jj, "runtime")));
  rows.push_back(LabelValue("Typical request", "prompt " + FormatCount(Get(jj, "prompt_tokens")) +
                                                   " tokens, output " +
                                                   FormatCount(Get(jj, "output_tokens")) + " tokens"));
  if (job.cost.present && !plan_cost.is_null()) {
    rows.push_back(LabelValue("Volume", FormatCount(job.cost.requests_per_month) + " requests/month"));
  }
  const size_t machines = j["candidates"].size();
  rows.push_back(LabelValue("Candidates", std::to_string(machines) + (machines == 1 ? " machine" : " machines")));
  return rows;
}

json GateRows(const json& gates) {
  json rows = json::array();
  rows.push_back(LabelValue("Memory reserve", FormatPercent(Get(gates, "reserve_fraction")) +
                                                  " of capacity kept free (usable = capacity x (1 - reserve))"));
  if (gates.contains("min_decode_tokens_per_s")) {
    rows.push_back(LabelValue("Decode speed", "at least " + Tps(Get(gates, "min_decode_tokens_per_s")) +
                                                  " per sequence"));
  }
  if (gates.contains("max_ttft_ms")) {
    rows.push_back(LabelValue("Time to first token", "at most " + Ms(Get(gates, "max_ttft_ms"))));
  }
  if (gates.contains("max_p95_token_latency_ms")) {
    rows.push_back(LabelValue("Token latency (p95)",
                              "at most " + FormatFixed(Get(gates, "max_p95_token_latency_ms"), 1) + " ms"));
  }
  if (gates.contains("min_quality")) {
    rows.push_back(LabelValue("Quality", "at least " + FormatFixed(Get(gates, "min_quality"), 3)));
  }
  return rows;
}

std::string Basis(const std::string& basis) { return basis == "measured" ? " (measured)" : ""; }

json VerdictView(const json& c, size_t index, bool recommended) {
  const json& m = c["memory"];
  const json& s = c["speed"];
  bool admit = Str(c, "verdict") == "admit";
  return {{"candidate", Str(c, "hardware")},
          {"anchor", "candidate-" + std::to_string(index + 1)},
          {"hardware_name", Str(c, "hardware_name")},
          {"verdict", admit ? "admit" : "reject"},
          {"admit", admit},
          {"recommended", recommended},
          {"first_reason", c["reasons"].empty() ? "-" : c["reasons"][0].get<std::string>()},
          {"planned", Bytes(Get(m, "planned_bytes"))},
          {"usable", Bytes(Get(m, "usable_bytes"))},
          {"decode", Tps(Get(s, "gate_decode_tokens_per_s")) + Basis(Str(s, "decode_basis"))},
          {"ttft", Ms(Get(s, "gate_ttft_ms")) + Basis(Str(s, "ttft_basis"))},
          {"monthly_cost", c["cost"].is_null() ? "-" : Usd(Get(c["cost"], "local_monthly_usd"))}};
}

std::string SpeedLead(const json& c) {
  const json& s = c["speed"];
  std::string out = "Ceiling " + Tps(Get(s, "decode_ceiling_tokens_per_s")) +
                    " for one stream on an empty cache, " + Tps(Get(s, "decode_ceiling_at_prompt_tokens_per_s")) +
                    " at the prompt's depth and " + Tps(Get(s, "decode_ceiling_full_context_tokens_per_s")) +
                    " at the full context (memory bandwidth / bytes read per token). Expected " +
                    Tps(Get(s, "expected_decode_tokens_per_s")) + " per sequence at efficiency " +
                    FormatFixed(Get(s, "decode_efficiency"), 2) + " with every sequence active";
  out += s.value("compute_bound", false) ? " (compute-bound)." : " (bandwidth-bound).";
  if (s.contains("measured_decode_tokens_per_s")) {
    out += " Measured " + Tps(Get(s, "measured_decode_tokens_per_s")) + " (" +
           FormatPercent(Get(s, "measured_fraction_of_ceiling")) + " of the ceiling) replaces the estimate in the gates.";
  }
  return out;
}

json Devices(const json& m) {
  json out = json::array();
  for (const json& d : m["devices"]) {
    out.push_back({{"device", Str(d, "device")},
                   {"weights", Bytes(Get(d, "weights_bytes"))},
                   {"kv_cache", Bytes(Get(d, "kv_cache_bytes"))},
                   {"runtime", Bytes(Get(d, "runtime_bytes"))},
                   {"activations", Bytes(Get(d, "activation_bytes"))},
                   {"fragmentation", Bytes(Get(d, "fragmentation_bytes"))},
                   {"planned", Bytes(Get(d, "planned_bytes"))},
                   {"usable", Bytes(Get(d, "usable_bytes"))},
                   {"fits", d.value("fits", false) ? "yes" : "no"}});
  }
  return out;
}

std::string Ratio(const std::optional<double>& measured, const std::optional<double>& predicted) {
  if (!measured || !predicted || *predicted <= 0) return "-";
  return FormatPercent(*measured / *predicted);
}

std::string Opt(const std::optional<double>& v, std::string (*format)(double)) {
  return v ? format(*v) : "-";
}

json ValidationView(const ValidationRecord& v) {
  json rows = json::array();
  auto add = [&](const std::string& what, const std::optional<double>& predicted,
                 const std::optional<double>& measured, std::string (*format)(double)) {
    if (!predicted && !measured) return;
    rows.push_back({{"quantity", what},
                    {"predicted", Opt(predicted, format)},
                    {"measured", Opt(measured, format)},
                    {"ratio", Ratio(measured, predicted)}});
  };
  add("Decode", v.decode_predicted_tokens_per_s, v.decode_measured_tokens_per_s, Tps);
  if (v.decode_ceiling_tokens_per_s) {
    rows.push_back({{"quantity", "Decode ceiling"},
                    {"predicted", Tps(*v.decode_ceiling_tokens_per_s)},
                    {"measured", "-"},
                    {"ratio", Ratio(v.decode_measured_tokens_per_s, v.decode_ceiling_tokens_per_s)}});
  }
  add("Prefill", v.prefill_predicted_tokens_per_s, v.prefill_measured_tokens_per_s, Tps);
  add("Memory (planned total vs peak RSS)", v.planned_total_bytes, v.peak_rss_bytes, Bytes);
  add("KV cache", v.planned_kv_bytes, v.measured_kv_bytes, Bytes);
  return {{"file", v.file}, {"model_file", v.model_file}, {"has_model_file", !v.model_file.empty()}, {"hardware_id", v.hardware_id}, {"rows", rows}};
}

// Which candidates a validation file belongs to: the one whose label is its hardware id
// (a plain `- rtx-4090` entry), else every candidate on that hardware.
StatusOr<std::vector<size_t>> ValidationTargets(const json& candidates, const ValidationRecord& v) {
  std::vector<size_t> exact, same_hardware;
  std::string ids;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (Str(candidates[i], "hardware") == v.hardware_id) exact.push_back(i);
    if (Str(candidates[i], "hardware_id") == v.hardware_id) same_hardware.push_back(i);
    ids += (i ? ", " : "") + Str(candidates[i], "hardware");
  }
  if (!exact.empty()) return exact;
  if (!same_hardware.empty()) return same_hardware;
  return Status::InvalidArgument(v.file + ": hardware_id '" + v.hardware_id +
                                 "' is not a candidate of this job (candidates: " + ids + ")");
}

json CandidateView(const json& c, size_t index, bool recommended) {
  json view = VerdictView(c, index, recommended);
  const json& m = c["memory"];
  view["memory_rows"] = RowsOf(c, "memory");
  view["speed_rows"] = RowsOf(c, "speed");
  view["cost_rows"] = RowsOf(c, "cost");
  view["has_cost"] = !view["cost_rows"].empty();
  view["devices"] = Devices(m);
  view["has_devices"] = m["devices"].size() > 1;
  view["binding_device"] = Str(m, "binding_device");
  view["memory_lead"] = "Planned " + Bytes(Get(m, "planned_bytes")) + " of " + Bytes(Get(m, "usable_bytes")) +
                        " usable on " + Str(m, "binding_device") + " (capacity " +
                        Bytes(Get(m, "capacity_bytes")) + ", headroom " + Bytes(Get(m, "headroom_bytes")) + ").";
  view["speed_lead"] = SpeedLead(c);
  view["max_context"] = Searched(c["max_context_tokens"], "tokens");
  view["max_concurrency"] = Searched(c["max_concurrency"], "sequences");
  view["reasons"] = c["reasons"];
  view["has_reasons"] = !c["reasons"].empty();
  view["warnings"] = c["warnings"];
  view["has_warnings"] = !c["warnings"].empty();
  view["validations"] = json::array();
  view["has_validation"] = false;
  return view;
}

json CostView(const json& j, const JobSpec& job) {
  const json& c = j["cost"];
  if (c.is_null()) return {{"present", false}};
  std::string candidate = j["recommendation"]["candidate"].is_string()
                              ? j["recommendation"]["candidate"].get<std::string>()
                              : Str(j["candidates"][0], "hardware");
  double break_even = Get(c, "break_even_requests_per_month");
  json view = {{"present", true},
               {"candidate", candidate},
               {"requests", FormatCount(job.cost.requests_per_month) + " requests/month"},
               {"local_monthly", Usd(Get(c, "local_monthly_usd"))},
               {"hosted_monthly", Usd(Get(c, "hosted_monthly_usd"))},
               {"hosted_per_request", Usd(Get(c, "hosted_usd_per_request"))},
               {"break_even", std::isfinite(break_even) ? FormatCount(break_even) + " requests/month"
                                                        : "never (the hosted price is zero)"},
               {"cheaper", Str(c, "cheaper")},
               {"note", Str(c, "note")}};
  json table = json::array();
  for (const json& cand : j["candidates"]) {
    if (cand["cost"].is_null()) continue;
    const json& cc = cand["cost"];
    double be = Get(cc, "break_even_requests_per_month");
    table.push_back({{"candidate", Str(cand, "hardware")},
                     {"verdict", Str(cand, "verdict")},
                     {"local_monthly", Usd(Get(cc, "local_monthly_usd"))},
                     {"hosted_monthly", Usd(Get(cc, "hosted_monthly_usd"))},
                     {"break_even", std::isfinite(be) ? FormatCount(be) : "never"},
                     {"capacity", FormatCount(Get(cc, "capacity_requests_per_month"))},
                     {"cheaper", Str(cc, "cheaper")}});
  }
  view["candidates"] = table;
  return view;
}

json Artifacts(const json& j) {
  json out = json::array();
  for (const json& a : j["artifacts"]) {
    std::string fits;
    for (const json& f : a["fits_on"]) fits += (fits.empty() ? "" : ", ") + f.get<std::string>();
    out.push_back({{"quant", Str(a, "quant")},
                   {"weights", Bytes(Get(a, "weights_bytes"))},
                   {"quality", a["quality"].is_number() ? FormatFixed(a["quality"].get<double>(), 3) : "-"},
                   {"fits_on", fits.empty() ? "-" : fits},
                   {"verdict", Str(a, "verdict")}});
  }
  return out;
}

json Sources(const json& j) {
  json out = json::array();
  std::string model_source = Str(j["job"], "model_source");
  out.push_back({{"what", "model"}, {"id", Str(j["job"], "model")},
                 {"source", model_source.empty() ? "given inline in the job" : model_source}});
  std::set<std::string> seen;
  for (const json& c : j["candidates"]) {
    std::string id = Str(c, "hardware_id");
    if (!seen.insert(id).second) continue;
    std::string source = c["sources"].is_object() ? Str(c["sources"], "hardware") : "";
    out.push_back({{"what", "hardware"}, {"id", id},
                   {"source", source.empty() ? "given inline in the job" : source}});
  }
  return out;
}

// KV cache for the whole job (all sequences, every device together) against the context,
// from the planner's own KV model (kv_cache.h), so runtime padding, sliding windows and
// recurrent state are the ones the worksheets use.
StatusOr<std::vector<KvPoint>> KvCurve(const Plan& plan, int64_t max_context) {
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

}  // namespace

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

StatusOr<std::string> ReportDate(const std::string& flag) {
  if (!flag.empty()) {
    int y = 0, m = 0, d = 0;
    char extra = 0;
    if (flag.size() != 10 || std::sscanf(flag.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
        m < 1 || m > 12 || d < 1 || d > 31) {
      return Status::InvalidArgument("--date: expected YYYY-MM-DD, got '" + flag + "'");
    }
    return flag;
  }
  std::time_t t = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch != '\0') {
    char* end = nullptr;
    long long v = std::strtoll(epoch, &end, 10);
    if (*end != '\0' || v < 0) {
      return Status::InvalidArgument("SOURCE_DATE_EPOCH: expected seconds since 1970, got '" +
                                     std::string(epoch) + "'");
    }
    t = static_cast<std::time_t>(v);
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
  return std::string(buf);
}

StatusOr<nlohmann::json> BuildReportModel(const Plan& plan, const ReportOptions& options) {
  const JobSpec& job = *plan.job;
  json j = PlanToJson(plan);
  json model;
  const std::string recommended = j["recommendation"]["candidate"].is_string()
                                      ? j["recommendation"]["candidate"].get<std::string>()
                                      : "";
  model["title"] = "Sizing report: " + job.name;
  model["job_name"] = job.name;
  model["description"] = job.description;
  model["has_description"] = !job.description.empty();
  model["job_rows"] = JobRows(j, job, j["cost"]);
  model["gate_rows"] = GateRows(j["job"]["gates"]);

  json verdicts = json::array();
  json candidates = json::array();
  size_t admitted = 0;
  for (size_t i = 0; i < j["candidates"].size(); ++i) {
    const json& c = j["candidates"][i];
    bool is_recommended = plan.recommended && *plan.recommended == i;
    verdicts.push_back(VerdictView(c, i, is_recommended));
    candidates.push_back(CandidateView(c, i, is_recommended));
    admitted += Str(c, "verdict") == "admit";
  }
  // Validation measurements, beside the candidate they were taken on.
  std::vector<std::optional<double>> measured_decode(candidates.size());
  for (const ValidationRecord& v : options.validations) {
    SIZER_ASSIGN_OR_RETURN(std::vector<size_t> targets, ValidationTargets(j["candidates"], v));
    for (size_t i : targets) {
      candidates[i]["validations"].push_back(ValidationView(v));
      candidates[i]["has_validation"] = true;
      if (v.decode_measured_tokens_per_s) measured_decode[i] = v.decode_measured_tokens_per_s;
    }
  }
  model["verdicts"] = verdicts;
  model["candidates"] = candidates;
  model["verdict_summary"] =
      candidates.size() == 1
          ? std::string(admitted ? "The one candidate passes every gate." : "The one candidate fails a gate.")
          : std::to_string(admitted) + " of " + std::to_string(candidates.size()) + " candidates pass every gate.";
  // The plan's text starts with the candidate's name; "why" is the rest, for templates that
  // print the name as a heading.
  std::string rec_text = Str(j["recommendation"], "text");
  std::string why = rec_text;
  if (!recommended.empty() && rec_text.rfind(recommended + " (", 0) == 0 && rec_text.back() == ')') {
    why = rec_text.substr(recommended.size() + 2, rec_text.size() - recommended.size() - 3);
    if (!why.empty()) why[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(why[0])));
  }
  model["recommendation"] = {{"text", rec_text},
                             {"why", why},
                             {"candidate", recommended},
                             {"has_candidate", !recommended.empty()},
                             {"anchor", plan.recommended ? "candidate-" + std::to_string(*plan.recommended + 1)
                                                         : ""}};
  model["cost"] = CostView(j, job);
  model["artifacts"] = Artifacts(j);
  model["has_artifacts"] = !model["artifacts"].empty();

  json warnings = json::array();
  std::set<std::string> seen;
  for (const std::string& w : job.warnings) {
    if (seen.insert(w).second) warnings.push_back(w);
  }
  for (const json& w : j["warnings"]) {
    if (seen.insert(w.get<std::string>()).second) warnings.push_back(w);
  }
  model["warnings"] = warnings;
  model["has_warnings"] = !warnings.empty();
  json assumptions = json::array();
  for (const json& a : j["assumptions"]) {
    assumptions.push_back({{"name", Str(a, "name")}, {"value", Str(a, "value")}, {"why", Str(a, "why")},
                           {"overridden", a.value("overridden", false) ? "yes" : "no"}});
  }
  model["assumptions"] = assumptions;
  model["sources"] = Sources(j);

  json inputs = json::array();
  for (const ReportInput& in : options.inputs) {
    StatusOr<std::string> digest = Sha256File(in.path);
    if (!digest.ok()) return digest.status();
    inputs.push_back({{"file", in.display}, {"sha256", *digest}});
  }
  for (const ValidationRecord& v : options.validations) {
    inputs.push_back({{"file", v.file}, {"sha256", v.sha256}});
  }
  model["provenance"] = {{"tool", "sizer"}, {"version", SIZER_VERSION_STRING}, {"date", options.date},
                         {"inputs", inputs}};

  // Charts, drawn from the same JSON.
  ChartData data;
  data.plan = &j;
  data.requests_per_month = job.cost.present ? job.cost.requests_per_month : 0;
  data.measured_decode_tokens_per_s = measured_decode;
  data.kv_pinned = job.memory_overrides.kv_cache_bytes.has_value();
  if (!data.kv_pinned) {
    SIZER_ASSIGN_OR_RETURN(data.kv_curve, KvCurve(plan, KvChartMaxContext(j)));
  }
  json charts = json::object();
  for (const Chart& chart : MakeCharts(data)) {
    json view = {{"id", chart.id}, {"title", chart.title}, {"caption", chart.caption},
                 {"present", chart.present}};
    if (chart.present) {
      view["svg"] = chart.svg;
      if (options.charts == ChartOutput::kFiles) view["file"] = "chart-" + chart.id + ".svg";
    }
    charts[chart.id] = view;
  }
  model["charts"] = charts;
  model["charts_as_files"] = options.charts == ChartOutput::kFiles;
  model["charts_omitted"] = options.charts == ChartOutput::kNone;
  model["plan"] = j;
  return model;
}

std::vector<ChartFile> ChartFiles(const nlohmann::json& model) {
  std::vector<ChartFile> out;
  for (const char* id : kChartIds) {
    auto charts = model.find("charts");
    if (charts == model.end() || !charts->contains(id)) continue;
    const json& c = (*charts)[id];
    if (c.contains("file") && c.contains("svg")) {
      out.push_back({c["file"].get<std::string>(), c["svg"].get<std::string>()});
    }
  }
  return out;
}

}  // namespace sizer

#include "report/report_model.h"

#include <ctime>

#include "base/format.h"
#include "base/sha256.h"
#include "report/display_format.h"
#include "report/json_report.h"
#include "report/report_charts.h"
#include "version.h"

namespace sizer {
namespace {

using nlohmann::json;

json LabelValues(const std::vector<LabelValue>& rows) {
  json out = json::array();
  for (const LabelValue& r : rows) out.push_back({{"label", r.label}, {"value", r.value}});
  return out;
}

json Rows(const CandidateView& c, const std::string& section) {
  json out = json::array();
  for (const ViewRow& r : c.rows) {
    if (r.section != section) continue;
    out.push_back({{"key", r.key}, {"label", r.label}, {"value", r.display},
                   {"formula", r.formula}, {"short_formula", r.short_formula},
                   {"source", r.source}, {"job_level", r.job_level}});
  }
  return out;
}

json VerdictView(const CandidateView& c) {
  return {{"candidate", c.display_label},
          {"anchor", c.anchor},
          {"hardware_name", c.hardware_name},
          {"verdict", c.verdict},
          {"admit", c.admitted},
          {"recommended", c.recommended},
          {"first_reason", c.reasons.empty() ? "-" : c.reasons.front()},
          {"planned", c.planned},
          {"usable", c.usable},
          {"decode", c.decode},
          {"ttft", c.ttft},
          {"monthly_cost", c.monthly}};
}

std::string SpeedLead(const SpeedView& s) {
  std::string out = "Ceiling " + FormatTokensPerSecond(s.decode_ceiling_tokens_per_s) +
                    " for one stream on an empty cache, " +
                    FormatTokensPerSecond(s.decode_ceiling_at_prompt_tokens_per_s) +
                    " at the prompt's depth and " +
                    FormatTokensPerSecond(s.decode_ceiling_full_context_tokens_per_s) +
                    " at the full context (memory bandwidth / bytes read per token). Expected " +
                    FormatTokensPerSecond(s.expected_decode_tokens_per_s) + " per sequence at efficiency " +
                    FormatFixed(s.decode_efficiency, 2) + " with every sequence active";
  out += s.compute_bound ? " (compute-bound)." : " (bandwidth-bound).";
  if (s.measured_decode_tokens_per_s > 0) {
    out += " Measured " + FormatTokensPerSecond(s.measured_decode_tokens_per_s) + " (" +
           FormatPercent(s.measured_fraction_of_ceiling) + " of the ceiling) replaces the estimate in the gates.";
  }
  return out;
}

json Devices(const CandidateView& c) {
  json out = json::array();
  for (const DeviceView& d : c.devices) {
    out.push_back({{"device", d.label},
                   {"weights", FormatMemory(d.weights_bytes)},
                   {"kv_cache", FormatMemory(d.kv_cache_bytes)},
                   {"runtime", FormatMemory(d.runtime_bytes)},
                   {"activations", FormatMemory(d.activation_bytes)},
                   {"fragmentation", FormatMemory(d.fragmentation_bytes)},
                   {"planned", FormatMemory(d.planned_bytes)},
                   {"usable", FormatMemory(d.usable_bytes)},
                   {"fits", d.fits ? "yes" : "no"}});
  }
  return out;
}

json CandidateJson(const CandidateView& c) {
  json view = VerdictView(c);
  const DeviceView& d = c.binding_device();
  view["memory_rows"] = Rows(c, "memory");
  view["speed_rows"] = Rows(c, "speed");
  view["cost_rows"] = Rows(c, "cost");
  view["has_cost"] = !view["cost_rows"].empty();
  view["devices"] = Devices(c);
  view["has_devices"] = c.devices.size() > 1;
  view["binding_device"] = d.label;
  view["placement"] = c.placement;
  view["memory_lead"] = "Planned " + c.planned + " of " + c.usable + " usable on " + d.label +
                        " (capacity " + FormatMemory(d.capacity_bytes) + ", headroom " +
                        FormatMemory(d.usable_bytes - d.planned_bytes) + ").";
  view["speed_lead"] = SpeedLead(c.speed);
  view["max_context"] = c.max_context_tokens ? c.max_context : "not searched (a pinned KV bucket)";
  view["max_concurrency"] = c.max_concurrency ? c.max_concurrency_text : "not searched (a pinned KV bucket)";
  view["reasons"] = c.reasons;
  view["has_reasons"] = !c.reasons.empty();
  view["warnings"] = c.warnings;
  view["has_warnings"] = !c.warnings.empty();
  view["validations"] = json::array();
  view["has_validation"] = false;
  return view;
}

json CostJson(const PlanView& v) {
  if (!v.cost.present) return {{"present", false}};
  const CostView& c = v.cost;
  const double be = c.break_even_requests_per_month;
  json view = {{"present", true},
               {"candidate", v.cost_candidate},
               {"requests", FormatCount(v.job.requests_per_month) + " requests/month"},
               {"local_monthly", FormatUsd(c.local_monthly_usd)},
               {"hosted_monthly", FormatUsd(c.hosted_monthly_usd)},
               {"hosted_per_request", FormatUsd(c.hosted_usd_per_request)},
               {"break_even", std::isfinite(be) ? FormatCount(be) + " requests/month"
                                                : "never (the hosted price is zero)"},
               {"cheaper", c.cheaper},
               {"note", "cost only: privacy, quality and operations remain separate gates"}};
  json table = json::array();
  for (const CandidateView& cand : v.candidates) {
    if (!cand.cost.present) continue;
    const CostView& cc = cand.cost;
    table.push_back({{"candidate", cand.display_label},
                     {"verdict", cand.verdict},
                     {"local_monthly", FormatUsd(cc.local_monthly_usd)},
                     {"hosted_monthly", FormatUsd(cc.hosted_monthly_usd)},
                     {"break_even", std::isfinite(cc.break_even_requests_per_month)
                                        ? FormatCount(cc.break_even_requests_per_month)
                                        : "never"},
                     {"capacity", FormatCount(cc.capacity_requests_per_month)},
                     {"cheaper", cc.cheaper}});
  }
  view["candidates"] = table;
  return view;
}

json Artifacts(const PlanView& v) {
  json out = json::array();
  for (const ArtifactView& a : v.artifacts) {
    out.push_back({{"quant", a.quant}, {"weights", a.weights}, {"quality", a.quality_text},
                   {"fits_on", a.fits_on_text}, {"verdict", a.verdict}});
  }
  return out;
}

json Notes(const PlanView& v) {
  json assumptions = json::array();
  for (const AssumptionView& a : v.assumptions) {
    assumptions.push_back({{"name", a.name}, {"value", a.value}, {"why", a.why},
                           {"overridden", a.overridden ? "yes" : "no"}});
  }
  json sources = json::array();
  for (const SourceView& s : v.sources) {
    sources.push_back({{"what", s.what}, {"id", s.id}, {"source", s.source}});
  }
  return {{"warnings", v.warnings}, {"has_warnings", !v.warnings.empty()},
          {"assumptions", assumptions}, {"sources", sources}};
}

std::string VerdictSummary(const PlanView& v) {
  size_t admitted = 0;
  for (const CandidateView& c : v.candidates) admitted += c.admitted ? 1 : 0;
  if (v.candidates.size() == 1) {
    return admitted ? "The one candidate passes every gate." : "The one candidate fails a gate.";
  }
  return std::to_string(admitted) + " of " + std::to_string(v.candidates.size()) +
         " candidates pass every gate.";
}

json RecommendationJson(const PlanView& v) {
  const CandidateView* rec = v.recommended ? &v.candidates[*v.recommended] : nullptr;
  return {{"text", v.recommendation},
          {"why", v.recommendation_why},
          {"candidate", rec ? rec->display_label : ""},
          {"has_candidate", rec != nullptr},
          {"anchor", rec ? rec->anchor : ""}};
}

std::string Ratio(const std::optional<double>& measured, const std::optional<double>& predicted) {
  if (!measured || !predicted || *predicted <= 0) return "-";
  return FormatPercent(*measured / *predicted);
}

std::string Opt(const std::optional<double>& v, std::string (*format)(double)) {
  return v ? format(*v) : "-";
}

json ValidationJson(const ValidationRecord& v) {
  json rows = json::array();
  auto add = [&](const std::string& what, const std::optional<double>& predicted,
                 const std::optional<double>& measured, std::string (*format)(double)) {
    if (!predicted && !measured) return;
    rows.push_back({{"quantity", what},
                    {"predicted", Opt(predicted, format)},
                    {"measured", Opt(measured, format)},
                    {"ratio", Ratio(measured, predicted)}});
  };
  add("Decode", v.decode_predicted_tokens_per_s, v.decode_measured_tokens_per_s, FormatTokensPerSecond);
  if (v.decode_ceiling_tokens_per_s) {
    rows.push_back({{"quantity", "Decode ceiling"},
                    {"predicted", FormatTokensPerSecond(*v.decode_ceiling_tokens_per_s)},
                    {"measured", "-"},
                    {"ratio", Ratio(v.decode_measured_tokens_per_s, v.decode_ceiling_tokens_per_s)}});
  }
  add("Prefill", v.prefill_predicted_tokens_per_s, v.prefill_measured_tokens_per_s, FormatTokensPerSecond);
  add("Memory (planned total vs peak RSS)", v.planned_total_bytes, v.peak_rss_bytes, FormatMemory);
  add("KV cache", v.planned_kv_bytes, v.measured_kv_bytes, FormatMemory);
  return {{"file", v.file}, {"model_file", v.model_file}, {"has_model_file", !v.model_file.empty()},
          {"hardware_id", v.hardware_id}, {"rows", rows}};
}

// Which candidates a validation file belongs to: the one whose label is its hardware id
// (a plain `- rtx-4090` entry), else every candidate on that hardware.
StatusOr<std::vector<size_t>> ValidationTargets(const PlanView& view, const ValidationRecord& v) {
  std::vector<size_t> exact, same_hardware;
  std::vector<std::string> labels;
  for (const CandidateView& c : view.candidates) {
    if (c.label == v.hardware_id) exact.push_back(c.index);
    if (c.hardware_id == v.hardware_id) same_hardware.push_back(c.index);
    labels.push_back(c.label);
  }
  if (!exact.empty()) return exact;
  if (!same_hardware.empty()) return same_hardware;
  return Status::InvalidArgument(v.file + ": hardware_id '" + v.hardware_id +
                                 "' is not a candidate of this job (candidates: " + Join(labels) + ")");
}

StatusOr<json> Provenance(const ReportOptions& options) {
  json inputs = json::array();
  for (const ReportInput& in : options.inputs) {
    StatusOr<std::string> digest = Sha256File(in.path);
    if (!digest.ok()) return digest.status();
    inputs.push_back({{"file", in.display}, {"sha256", *digest}});
  }
  for (const ValidationRecord& v : options.validations) {
    inputs.push_back({{"file", v.file}, {"sha256", v.sha256}});
  }
  return json{{"tool", "sizer"}, {"version", SIZER_VERSION_STRING}, {"date", options.date},
              {"inputs", inputs}};
}

json Charts(const ChartData& data, ChartOutput output) {
  json charts = json::object();
  for (const Chart& chart : MakeCharts(data)) {
    json view = {{"id", chart.id}, {"title", chart.title}, {"caption", chart.caption},
                 {"present", chart.present}};
    if (chart.present) {
      view["svg"] = chart.svg;
      if (output == ChartOutput::kFiles) view["file"] = "chart-" + chart.id + ".svg";
    }
    charts[chart.id] = view;
  }
  return charts;
}

}  // namespace

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
  const PlanView v = MakePlanView(plan);
  json model;
  model["title"] = "Sizing report: " + v.job.name;
  model["job_name"] = v.job.name;
  model["description"] = v.job.description;
  model["has_description"] = !v.job.description.empty();
  model["job_rows"] = LabelValues(v.job.facts);
  model["gate_rows"] = LabelValues(v.job.gates);
  model["summary_only"] = options.summary_only;
  json verdicts = json::array();
  json candidates = json::array();
  for (const CandidateView& c : v.candidates) {
    verdicts.push_back(VerdictView(c));
    candidates.push_back(CandidateJson(c));
  }
  // Validation measurements, beside the candidate they were taken on.
  ChartData charts;
  charts.view = &v;
  charts.measured_decode_tokens_per_s.resize(v.candidates.size());
  for (const ValidationRecord& record : options.validations) {
    SIZER_ASSIGN_OR_RETURN(std::vector<size_t> targets, ValidationTargets(v, record));
    for (size_t i : targets) {
      candidates[i]["validations"].push_back(ValidationJson(record));
      candidates[i]["has_validation"] = true;
      if (record.decode_measured_tokens_per_s) {
        charts.measured_decode_tokens_per_s[i] = record.decode_measured_tokens_per_s;
      }
    }
  }
  model["verdicts"] = verdicts;
  model["candidates"] = candidates;
  model["verdict_summary"] = VerdictSummary(v);
  model["recommendation"] = RecommendationJson(v);
  model["cost"] = CostJson(v);
  model["artifacts"] = Artifacts(v);
  model["has_artifacts"] = !v.artifacts.empty();
  model.update(Notes(v));
  SIZER_ASSIGN_OR_RETURN(model["provenance"], Provenance(options));
  if (!v.job.kv_pinned) {
    SIZER_ASSIGN_OR_RETURN(charts.kv_curve, PlanKvCurve(plan, KvChartMaxContext(v)));
  }
  model["charts"] = Charts(charts, options.charts);
  model["charts_as_files"] = options.charts == ChartOutput::kFiles;
  model["charts_omitted"] = options.charts == ChartOutput::kNone;
  model["plan"] = PlanViewToJson(v);
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

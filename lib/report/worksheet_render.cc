#include "report/worksheet_render.h"

#include "base/format.h"
#include "report/quantity_text.h"
#include "report/table.h"

namespace sizer {
namespace {

enum class Style { kText, kMarkdown };

std::string Searched(int64_t value, const std::string& unit = "") {
  if (value == CandidateWorksheet::kNotSearched) return "n/a";
  return FormatCount(static_cast<double>(value)) + unit;
}

std::string Render(const Table& t, Style style, int indent = 2) {
  return style == Style::kText ? t.RenderText(indent) : t.RenderMarkdown();
}

std::string Heading(const std::string& text, int level, Style style) {
  if (style == Style::kMarkdown) return std::string(static_cast<size_t>(level), '#') + " " + text + "\n\n";
  if (level <= 2) return text + "\n" + std::string(text.size(), level == 1 ? '=' : '-') + "\n";
  return text + "\n";
}

std::string Bullets(const std::vector<std::string>& items, Style style) {
  std::string out;
  for (const std::string& item : items) out += (style == Style::kText ? "  - " : "- ") + item + "\n";
  return out;
}

std::string JobLine(const Plan& plan) {
  const JobSpec& job = *plan.job;
  std::string line = job.model.name + " (" + job.model_ref + "), " + plan.quant + ", KV " +
                     job.kv_cache_dtype + ", context " + FormatCount(static_cast<double>(job.context_tokens)) +
                     " x " + std::to_string(job.concurrency) + " sequences, " + job.runtime +
                     ", prompt " + std::to_string(job.prompt_tokens) + " + output " +
                     std::to_string(job.output_tokens) + " tokens";
  return line;
}

std::string GatesLine(const Gates& g) {
  std::string out = "reserve " + FormatPercent(g.reserve_fraction);
  if (g.min_decode_tokens_per_s) out += ", decode >= " + FormatFixed(*g.min_decode_tokens_per_s, 1) + " tokens/s";
  if (g.max_ttft_ms) out += ", TTFT <= " + FormatFixed(*g.max_ttft_ms, 0) + " ms";
  if (g.max_p95_token_latency_ms) out += ", p95 token latency <= " + FormatFixed(*g.max_p95_token_latency_ms, 1) + " ms";
  if (g.min_quality) out += ", quality >= " + FormatFixed(*g.min_quality, 3);
  return out;
}

Table SummaryTable(const Plan& plan) {
  Table t({"candidate", "verdict", "planned", "usable", "decode t/s", "TTFT ms", "max context",
           "max seqs", "local $/mo", "first reason"});
  for (const CandidateWorksheet& ws : plan.candidates) {
    const DeviceBudget& d = ws.memory.binding_device();
    t.AddRow({ws.candidate.label, ws.admitted() ? "admit" : "reject", FormatBytes(d.planned_bytes),
              FormatBytes(d.usable_bytes),
              FormatFixed(ws.gate_decode_tokens_per_s, 1) + (ws.decode_basis == Basis::kMeasured ? " (m)" : ""),
              FormatFixed(ws.gate_ttft_ms, 0), Searched(ws.max_context_tokens),
              Searched(ws.max_concurrency),
              ws.cost.present ? FormatUsd(ws.cost.local_monthly_usd) : "-",
              ws.reasons.empty() ? "-" : ReasonText(ws.reasons.front())});
  }
  return t;
}

Table QuantityTable(const QuantityList& rows) {
  Table t({"", "value", "formula", "source"});
  for (const Quantity& q : rows) t.AddRow({q.label, FormatQuantityValue(q), QuantityFormulaText(q), q.source});
  return t;
}

std::string CandidateSection(const CandidateWorksheet& ws, Style style) {
  std::string out = Heading(ws.candidate.label + ": " + (ws.admitted() ? "ADMIT" : "REJECT") + " (" +
                                ws.candidate.hardware.name + ")",
                            style == Style::kText ? 2 : 3, style);
  if (style == Style::kMarkdown) out += "\n";
  out += Heading("Memory", 4, style) + (style == Style::kMarkdown ? "" : "");
  out += Render(QuantityTable(ws.memory.rows), style);
  if (ws.memory.devices.size() > 1) {
    Table devices({"device", "weights", "KV", "runtime", "activations", "fragmentation", "planned",
                   "usable", "fits"});
    for (const DeviceBudget& d : ws.memory.devices) {
      devices.AddRow({d.label, FormatBytes(d.weights_bytes), FormatBytes(d.kv_cache_bytes),
                      FormatBytes(d.runtime_bytes), FormatBytes(d.activation_bytes),
                      FormatBytes(d.fragmentation_bytes), FormatBytes(d.planned_bytes),
                      FormatBytes(d.usable_bytes), d.fits() ? "yes" : "no"});
    }
    out += (style == Style::kMarkdown ? "\n" : "") + Render(devices, style);
  }
  out += (style == Style::kMarkdown ? "\n" : "") + Heading("Speed", 4, style);
  out += Render(QuantityTable(ws.speed.rows), style);
  Table limits({"", "value", "how"});
  limits.AddRow({"Largest context", Searched(ws.max_context_tokens, " tokens"),
                 "binary search over the memory model at the job's concurrency"});
  limits.AddRow({"Largest concurrency", Searched(ws.max_concurrency, " sequences"),
                 "binary search over the memory model at the job's context"});
  out += (style == Style::kMarkdown ? "\n" : "") + Heading("Limits", 4, style) + Render(limits, style);
  if (ws.cost.present) {
    out += (style == Style::kMarkdown ? "\n" : "") + Heading("Cost", 4, style);
    out += Render(QuantityTable(ws.cost.rows), style);
  }
  if (!ws.reasons.empty()) {
    out += (style == Style::kMarkdown ? "\n" : "") + Heading("Rejected because", 4, style) +
           (style == Style::kMarkdown ? "\n" : "") + Bullets(ReasonTexts(ws.reasons), style);
  }
  if (!ws.warnings.empty()) {
    out += (style == Style::kMarkdown ? "\n" : "") + Heading("Warnings", 4, style) +
           (style == Style::kMarkdown ? "\n" : "") + Bullets(FormulaTexts(ws.warnings), style);
  }
  return out + "\n";
}

std::string RenderPlan(const Plan& plan, const RenderOptions& options, Style style) {
  const JobSpec& job = *plan.job;
  std::string out = Heading("sizer plan: " + job.name, 1, style);
  if (style == Style::kMarkdown) {
    out += "- **Job:** " + JobLine(plan) + "\n- **Gates:** " + GatesLine(job.gates) + "\n\n";
  } else {
    out += "job:   " + JobLine(plan) + "\ngates: " + GatesLine(job.gates) + "\n\n";
  }
  out += Render(SummaryTable(plan), style, 0) + "\n";
  std::string rec = "Recommendation: " + FormulaText(plan.recommendation) + "\n";
  out += style == Style::kMarkdown ? "**" + rec.substr(0, 15) + "**" + rec.substr(15) + "\n" : rec;
  if (plan.cost.present) {
    const CostPlan& c = plan.cost;
    out += (style == Style::kMarkdown ? "\n**Cost:** " : "Cost:           ") + std::string("local ") +
           FormatUsd(c.local_monthly_usd) + "/month vs hosted " + FormatUsd(c.hosted_monthly_usd) +
           "/month at " + FormatCount(job.cost.requests_per_month) +
           " requests; break-even at " + FormatCount(c.break_even_requests_per_month) +
           " requests/month; cheaper on cost alone: " + c.cheaper +
           " (privacy, quality and operations remain separate gates)\n";
  }
  if (!plan.artifacts.empty()) {
    Table t({"artifact", "weights", "quality", "fits on (all but quality)", "verdict"});
    for (const ArtifactVerdict& a : plan.artifacts) {
      std::string admitted;
      for (size_t i = 0; i < a.fits_on.size(); ++i) admitted += (i ? ", " : "") + a.fits_on[i];
      t.AddRow({a.artifact.quant, FormatBytes(a.weights_bytes),
                a.artifact.quality ? FormatFixed(*a.artifact.quality, 3) : "-",
                admitted.empty() ? "-" : admitted, ArtifactVerdictText(a, plan.job->gates)});
    }
    out += "\n" + Heading("Artifacts", style == Style::kText ? 2 : 2, style) + Render(t, style);
  }
  if (!plan.warnings.empty()) {
    out += "\n" + Heading("Warnings", 2, style) + Bullets(FormulaTexts(plan.warnings), style);
  }
  if (!options.details) return out;
  out += "\n";
  for (const CandidateWorksheet& ws : plan.candidates) out += CandidateSection(ws, style);
  Table assumptions({"assumption", "value", "why", "overridden"});
  for (const Assumption& a : plan.assumptions) {
    assumptions.AddRow({a.name, FormulaText(a.value), a.why, a.overridden ? "yes" : "no"});
  }
  out += Heading("Assumptions (override in the job's assumptions: mapping)", 2, style) +
         Render(assumptions, style);
  out += "\n" + Heading("Sources", 2, style);
  std::vector<std::string> sources = {"model " + job.model.id + ": " +
                                      (job.model.source.empty() ? "inline in the job" : job.model.source)};
  for (const CandidateWorksheet& ws : plan.candidates) {
    const HardwareSpec& hw = ws.candidate.hardware;
    sources.push_back("hardware " + hw.id + ": " + (hw.source.empty() ? "inline in the job" : hw.source));
  }
  out += Bullets(sources, style);
  return out;
}

}  // namespace

std::string RenderPlanText(const Plan& plan, const RenderOptions& options) {
  return RenderPlan(plan, options, Style::kText);
}

std::string RenderPlanMarkdown(const Plan& plan, const RenderOptions& options) {
  return RenderPlan(plan, options, Style::kMarkdown);
}

}  // namespace sizer

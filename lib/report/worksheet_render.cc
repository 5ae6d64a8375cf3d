#include "report/worksheet_render.h"

#include <cstdlib>

#include "base/format.h"
#include "report/display_format.h"
#include "report/table.h"

namespace sizer {
namespace {

constexpr size_t kMinColumns = 40;

std::string Heading(const std::string& text, char underline) {
  return text + "\n" + std::string(DisplayWidth(text), underline) + "\n";
}

// `text` as "  - text" with continuation lines under the text.
std::string Bullet(const std::string& text, const RenderOptions& o, const std::string& indent = "  ") {
  return Wrap(text, o.columns, indent + "- ", indent + "  ");
}

// The verdict table, with its least needed columns dropped until it fits: the limits and the
// cost are repeated in each candidate's section and in the cost line.
std::string VerdictTable(const PlanView& v, const RenderOptions& o) {
  Table t({"#", "candidate", "verdict", "planned", "usable", "decode t/s", "TTFT ms",
           "max context", "max seqs", "local/month"});
  for (const CandidateView& c : v.candidates) {
    const SpeedView& s = c.speed;
    t.AddRow({std::to_string(c.index + 1), c.display_label,
              c.admitted ? (c.recommended ? "ADMIT *" : "admit") : "reject", c.planned, c.usable,
              FormatNumber(s.gate_decode_tokens_per_s, 1) + (s.decode_basis == "measured" ? " (m)" : ""),
              FormatNumber(s.gate_ttft_ms, 0) + (s.ttft_basis == "measured" ? " (m)" : ""),
              c.max_context_tokens ? FormatCount(static_cast<double>(*c.max_context_tokens)) : "n/a",
              c.max_concurrency ? FormatCount(static_cast<double>(*c.max_concurrency)) : "n/a",
              c.monthly});
  }
  // Indices as they are after each drop: max seqs (8), max context (7), local/month (then
  // 7), TTFT (6).
  for (size_t drop : {8u, 7u, 7u, 6u}) {
    if (t.TextWidth() <= o.columns) break;
    t = t.WithoutColumn(drop);
  }
  std::string notes = "* recommended";
  bool measured = false;
  for (const CandidateView& c : v.candidates) {
    measured = measured || c.speed.decode_basis == "measured" || c.speed.ttft_basis == "measured";
  }
  if (measured) notes += "; (m) measured, not estimated";
  return t.RenderText() + Wrap(notes, o.columns, "  ", "  ");
}

std::string JobAndGates(const PlanView& v, const RenderOptions& o) {
  const JobView& j = v.job;
  std::string job = (j.model_name.empty() ? j.model_id : j.model_name + " (" + j.model_id + ")") +
                    ", " + j.quant + ", KV " + j.kv_cache_dtype + ", context " +
                    FormatCount(static_cast<double>(j.context_tokens)) + " x " +
                    FormatCount(static_cast<double>(j.concurrency)) + " sequences, " + j.runtime +
                    ", prompt " + FormatCount(static_cast<double>(j.prompt_tokens)) + " + output " +
                    FormatCount(static_cast<double>(j.output_tokens)) + " tokens";
  std::string gates = "reserve " + FormatPercent(j.reserve_fraction);
  if (j.min_decode_tokens_per_s) gates += ", decode >= " + FormatTokensPerSecond(*j.min_decode_tokens_per_s);
  if (j.max_ttft_ms) gates += ", TTFT <= " + FormatMs(*j.max_ttft_ms);
  if (j.max_p95_token_latency_ms) {
    gates += ", p95 token latency <= " + FormatNumber(*j.max_p95_token_latency_ms, 1) + " ms";
  }
  if (j.min_quality) gates += ", quality >= " + FormatFixed(*j.min_quality, 3);
  return Wrap(job, o.columns, "job:   ", "       ") + Wrap(gates, o.columns, "gates: ", "       ");
}

// Every rejection's reasons, below the table rather than in it.
std::string Rejections(const PlanView& v, const RenderOptions& o) {
  std::string out;
  for (const CandidateView& c : v.candidates) {
    if (c.reasons.empty()) continue;
    out += "#" + std::to_string(c.index + 1) + " " + c.display_label + ":\n";
    for (const std::string& r : c.reasons) out += Bullet(r, o);
  }
  return out.empty() ? "" : "\nRejected because\n" + out;
}

std::string Artifacts(const PlanView& v, const RenderOptions& o) {
  if (v.artifacts.empty()) return "";
  Table t({"artifact", "weights", "quality", "verdict", "fits on (all but quality)"});
  for (const ArtifactView& a : v.artifacts) {
    t.AddRow({a.quant, a.weights, a.quality_text, a.verdict, a.fits_on_text});
  }
  return "\n" + Heading("Artifacts", '-') + t.RenderText(2, o.columns);
}

std::string Summary(const PlanView& v, const RenderOptions& o) {
  std::string out = Heading("sizer plan: " + v.job.name, '=') + JobAndGates(v, o) + "\n";
  out += VerdictTable(v, o) + "\n";
  out += Wrap(v.recommendation, o.columns, "Recommendation: ", "  ");
  if (!v.cost_line.empty()) out += Wrap(v.cost_line, o.columns, "Cost: ", "  ");
  out += Rejections(v, o) + Artifacts(v, o);
  if (!v.plan_warnings.empty()) {
    out += "\n" + Heading("Warnings", '-');
    for (const std::string& w : v.plan_warnings) out += Bullet(w, o);
  }
  return out;
}

// Label, value and formula, the formula wrapped; --verbose gives the whole formula and the
// source under it.
std::string Rows(const std::vector<ViewRow>& rows, bool job_level, const RenderOptions& o) {
  Table t({"", "value", o.verbose ? "formula; source" : "formula"});
  for (const ViewRow& r : rows) {
    if (r.job_level != job_level) continue;
    std::string formula = o.verbose ? r.formula : r.short_formula;
    if (o.verbose && !r.source.empty()) formula += "; source: " + r.source;
    t.AddRow({r.label, r.display, formula});
  }
  return t.empty() ? "" : t.RenderText(4, o.columns);
}

std::string Section(const CandidateView& c, const char* section, const char* title,
                    bool job_level, const RenderOptions& o) {
  std::vector<ViewRow> rows;
  for (const ViewRow& r : c.rows) {
    if (r.section == section) rows.push_back(r);
  }
  std::string table = Rows(rows, job_level, o);
  return table.empty() ? "" : std::string("  ") + title + "\n" + table;
}

std::string Devices(const CandidateView& c, const RenderOptions& o) {
  if (c.devices.size() <= 1) return "";
  Table t({"device", "weights", "KV", "runtime etc.", "planned", "usable", "fits"});
  for (const DeviceView& d : c.devices) {
    t.AddRow({d.label, FormatMemory(d.weights_bytes), FormatMemory(d.kv_cache_bytes),
              FormatMemory(d.runtime_bytes + d.activation_bytes + d.fragmentation_bytes),
              FormatMemory(d.planned_bytes), FormatMemory(d.usable_bytes), d.fits ? "yes" : "no"});
  }
  if (t.TextWidth(4) > o.columns) t = t.WithoutColumn(3);
  return "  Per device (runtime etc. = runtime + activations + fragmentation)\n" + t.RenderText(4);
}

std::string CandidateSection(const CandidateView& c, const RenderOptions& o) {
  std::string out = "\n" + Heading("#" + std::to_string(c.index + 1) + " " + c.display_label + ": " +
                                       (c.admitted ? "ADMIT" : "REJECT") + " (" + c.hardware_name + ")",
                                   '-');
  out += Section(c, "memory", "Memory", false, o) + Devices(c, o);
  out += Section(c, "speed", "Speed", false, o) + Section(c, "cost", "Cost", false, o);
  out += Wrap("largest context " + c.max_context + " at this concurrency; largest concurrency " +
                  c.max_concurrency_text + " at this context",
              o.columns, "  Limits: ", "    ");
  if (!c.reasons.empty()) {
    out += "  Rejected because\n";
    for (const std::string& r : c.reasons) out += Bullet(r, o, "    ");
  }
  if (!c.warnings.empty()) {
    out += "  Warnings\n";
    for (const std::string& w : c.warnings) out += Bullet(w, o, "    ");
  }
  return out;
}

// Rows that are the same on every candidate (the weights, the KV per token...), once.
std::string JobLevelRows(const PlanView& v, const RenderOptions& o) {
  if (v.candidates.size() < 2) return "";
  const CandidateView& c = v.candidates.front();
  std::string out = Section(c, "memory", "Memory", true, o) + Section(c, "speed", "Speed", true, o) +
                    Section(c, "cost", "Cost", true, o);
  return out.empty() ? "" : "\n" + Heading("Same for every candidate", '-') + out;
}

std::string Assumptions(const PlanView& v, const RenderOptions& o) {
  std::string out = "\n" + Heading("Assumptions (override in the job's assumptions: mapping)", '-');
  // Without --verbose the value is the last column, so a long one wraps.
  Table t = o.verbose ? Table({"assumption", "value", "why"}) : Table({"assumption", "value"});
  for (const AssumptionView& a : v.assumptions) {
    const std::string overridden = a.overridden ? "(overridden) " : "";
    if (o.verbose) {
      t.AddRow({a.name, a.value, overridden + a.why});
    } else {
      t.AddRow({a.name, overridden + a.value});
    }
  }
  out += t.RenderText(2, o.columns);
  if (!o.verbose) out += Wrap("The reason for each value: --verbose, or --format md.", o.columns, "  ", "  ");
  return out;
}

std::string Sources(const PlanView& v, const RenderOptions& o) {
  std::string out = "\n" + Heading("Sources", '-');
  for (const SourceView& s : v.sources) out += Bullet(s.what + " " + s.id + ": " + s.source, o);
  return out;
}

}  // namespace

size_t TerminalColumns() {
  const char* env = std::getenv("COLUMNS");
  if (env == nullptr || *env == '\0') return 100;
  char* end = nullptr;
  long n = std::strtol(env, &end, 10);
  if (*end != '\0' || n < static_cast<long>(kMinColumns) || n > 1000) return 100;
  return static_cast<size_t>(n);
}

std::string RenderPlanText(const PlanView& view, const RenderOptions& options) {
  RenderOptions o = options;
  if (o.columns < kMinColumns) o.columns = kMinColumns;
  std::string out = Summary(view, o);
  if (!o.details) return out;
  out += JobLevelRows(view, o);
  for (const CandidateView& c : view.candidates) out += CandidateSection(c, o);
  return out + Assumptions(view, o) + Sources(view, o);
}

}  // namespace sizer

#include "report/plan_view_display.h"

#include <cctype>
#include <cmath>
#include <map>

#include "base/format.h"
#include "report/display_format.h"

namespace sizer {
namespace {

// Labels repeat when a job lists the same hardware twice (layer split vs tensor parallel);
// the placement tells them apart, and the candidate's number when even that repeats.
void DistinctLabels(std::vector<CandidateView>& candidates) {
  std::map<std::string, int> uses;
  for (CandidateView& c : candidates) {
    c.display_label = c.label;
    ++uses[c.label];
  }
  for (CandidateView& c : candidates) {
    if (uses[c.label] > 1 && !c.placement.empty() && c.label.find("offload") == std::string::npos) {
      c.display_label = c.label + " (" + c.placement + ")";
    }
  }
  uses.clear();
  for (const CandidateView& c : candidates) ++uses[c.display_label];
  for (CandidateView& c : candidates) {
    if (uses[c.display_label] > 1) c.display_label += " #" + std::to_string(c.index + 1);
  }
}

// A row is job-level when every candidate has it with the same value and derivation.
void MarkJobLevel(std::vector<CandidateView>& candidates) {
  if (candidates.size() < 2) return;
  std::map<std::string, int> same;
  const CandidateView& first = candidates.front();
  for (const ViewRow& r : first.rows) {
    int n = 0;
    for (const CandidateView& c : candidates) {
      for (const ViewRow& o : c.rows) {
        if (o.key == r.key && o.display == r.display && o.formula == r.formula) {
          ++n;
          break;
        }
      }
    }
    same[r.key] = n;
  }
  for (CandidateView& c : candidates) {
    for (ViewRow& r : c.rows) {
      auto it = same.find(r.key);
      r.job_level = it != same.end() && it->second == static_cast<int>(candidates.size());
    }
  }
}

std::string Searched(const std::optional<int64_t>& v, const std::string& unit) {
  return v ? FormatCount(static_cast<double>(*v)) + " " + unit : "n/a";
}

void CandidateDisplay(CandidateView& c) {
  for (ViewRow& r : c.rows) {
    r.display = std::isfinite(r.value) ? FormatByUnit(r.value, r.unit) : "n/a (unbounded)";
    r.short_formula = ShortFormula(r.formula);
  }
  c.anchor = "candidate-" + std::to_string(c.index + 1);
  c.verdict = c.admitted ? "admit" : "reject";
  c.planned = FormatMemory(c.binding_device().planned_bytes);
  c.usable = FormatMemory(c.binding_device().usable_bytes);
  const SpeedView& s = c.speed;
  c.decode = FormatTokensPerSecond(s.gate_decode_tokens_per_s) +
             (s.decode_basis == "measured" ? " (measured)" : "");
  c.ttft = FormatMs(s.gate_ttft_ms) + (s.ttft_basis == "measured" ? " (measured)" : "");
  c.monthly = c.cost.present ? FormatUsd(c.cost.local_monthly_usd) : "-";
  c.max_context = Searched(c.max_context_tokens, "tokens");
  c.max_concurrency_text = Searched(c.max_concurrency, "sequences");
}

std::vector<LabelValue> JobFacts(const PlanView& v) {
  const JobView& j = v.job;
  std::vector<LabelValue> rows;
  std::string model = j.model_name.empty() ? j.model_id : j.model_name;
  if (j.model_id != model) model += " (" + j.model_id + ")";
  rows.push_back({"Model", model + ", " + FormatFixed(j.params_total / 1e9, 2) + "B parameters"});
  rows.push_back({"Weight format", j.quant + " (weights " + FormatMemory(j.weights_bytes) + ")"});
  rows.push_back({"KV cache type", j.kv_cache_dtype});
  rows.push_back({"Context", FormatCount(static_cast<double>(j.context_tokens)) + " tokens per sequence"});
  rows.push_back({"Concurrency", j.concurrency == 1 ? "1 sequence at a time"
                                                    : FormatCount(static_cast<double>(j.concurrency)) +
                                                          " sequences decoded at once"});
  rows.push_back({"Runtime", j.runtime});
  rows.push_back({"Typical request", "prompt " + FormatCount(static_cast<double>(j.prompt_tokens)) +
                                         " tokens, output " +
                                         FormatCount(static_cast<double>(j.output_tokens)) + " tokens"});
  if (j.requests_per_month > 0 && v.cost.present) {
    rows.push_back({"Volume", FormatCount(j.requests_per_month) + " requests/month"});
  }
  const size_t n = v.candidates.size();
  rows.push_back({"Candidates", std::to_string(n) + (n == 1 ? " machine" : " machines")});
  return rows;
}

std::vector<LabelValue> GateFacts(const JobView& j) {
  std::vector<LabelValue> rows;
  rows.push_back({"Memory reserve", FormatPercent(j.reserve_fraction) +
                                        " of capacity kept free (usable = capacity x (1 - reserve))"});
  if (j.min_decode_tokens_per_s) {
    rows.push_back({"Decode speed", "at least " + FormatTokensPerSecond(*j.min_decode_tokens_per_s) +
                                        " per sequence"});
  }
  if (j.max_ttft_ms) rows.push_back({"Time to first token", "at most " + FormatMs(*j.max_ttft_ms)});
  if (j.max_p95_token_latency_ms) {
    rows.push_back({"Token latency (p95)",
                    "at most " + FormatNumber(*j.max_p95_token_latency_ms, 1) + " ms"});
  }
  if (j.min_quality) rows.push_back({"Quality", "at least " + FormatFixed(*j.min_quality, 3)});
  return rows;
}

void Recommendation(PlanView& v) {
  std::string artifact;
  if (!v.artifacts.empty()) {
    artifact = v.artifact_recommended
                   ? "; smallest artifact that passes the gates: " + v.job.quant + " (" +
                         FormatMemory(v.recommended_artifact_bytes) + ")"
                   : "; no artifact passes both the quality gate and a memory budget";
  }
  if (!v.recommended) {
    v.recommendation = "no candidate is admitted" + artifact;
    v.recommendation_why = v.recommendation;
    return;
  }
  const CandidateView& c = v.candidates[*v.recommended];
  v.recommendation_why = "Smallest admitted option: " + c.planned + " planned of " + c.usable +
                         " usable, " + FormatTokensPerSecond(c.speed.gate_decode_tokens_per_s) +
                         " per sequence" + artifact;
  std::string why = v.recommendation_why;
  why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
  v.recommendation = c.display_label + " (" + why + ")";
}

void CostLine(PlanView& v) {
  if (!v.cost.present || v.candidates.empty()) return;
  v.cost_candidate = v.candidates[v.recommended.value_or(0)].display_label;
  const CostView& c = v.cost;
  v.cost_line = "local " + FormatUsd(c.local_monthly_usd) + "/month vs hosted " +
                FormatUsd(c.hosted_monthly_usd) + "/month at " + FormatCount(v.job.requests_per_month) +
                " requests; break-even at " + FormatCount(c.break_even_requests_per_month) +
                " requests/month; cheaper on cost alone: " + c.cheaper +
                " (privacy, quality and operations remain separate gates)";
}

}  // namespace

// The planner's formulas read "derivation; detail (annotation)". The short form keeps the
// derivation: it drops a last top-level "; ..." clause and a closing parenthetical that is
// an annotation (not an operand: "capacity x (1 - reserve)" keeps its parentheses), and for a
// long "name: expression" keeps the name.
std::string ShortFormula(const std::string& formula) {
  std::string out = formula;
  for (bool changed = true; changed;) {
    changed = false;
    int depth = 0;
    size_t last_clause = std::string::npos, last_open = std::string::npos;
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i] == '(' && depth++ == 0) last_open = i;
      if (out[i] == ')') --depth;
      if (depth == 0 && out.compare(i, 2, "; ") == 0) last_clause = i;
    }
    if (last_clause != std::string::npos) {
      out.erase(last_clause);
      changed = true;
    } else if (!out.empty() && out.back() == ')' && last_open != std::string::npos && last_open > 0 &&
               out[last_open - 1] == ' ') {
      std::string before = out.substr(0, last_open - 1);
      const char end = before.empty() ? 'x' : before.back();
      if (std::string("x*/+-=,:").find(end) == std::string::npos) {
        out = before;
        changed = true;
      }
    }
  }
  const size_t colon = out.find(": ");
  if (out.size() > 60 && colon != std::string::npos && colon < 40) out.erase(colon);
  return out;
}

void DecideDisplay(PlanView& v) {
  DistinctLabels(v.candidates);
  for (CandidateView& c : v.candidates) CandidateDisplay(c);
  MarkJobLevel(v.candidates);
  std::map<std::string, std::string> display_of;
  for (const CandidateView& c : v.candidates) display_of.emplace(c.label, c.display_label);
  for (ArtifactView& a : v.artifacts) {
    a.weights = FormatMemory(a.weights_bytes);
    a.quality_text = a.quality ? FormatFixed(*a.quality, 3) : "-";
    std::vector<std::string> fits;
    for (const std::string& label : a.fits_on) fits.push_back(display_of.count(label) ? display_of[label] : label);
    a.fits_on_text = fits.empty() ? "-" : Join(fits);
  }
  for (SourceView& s : v.sources) {
    if (s.source.empty()) s.source = "given inline in the job";
  }
  v.job.facts = JobFacts(v);
  v.job.gates = GateFacts(v.job);
  Recommendation(v);
  CostLine(v);
}

}  // namespace sizer

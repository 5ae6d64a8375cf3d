#include "search/recommend_render.h"

#include <algorithm>

#include "base/format.h"
#include "report/display_format.h"
#include "report/quantity_text.h"
#include "report/table.h"

namespace sizer {
namespace {

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string CountsText(const std::vector<int64_t>& counts) {
  std::vector<std::string> parts;
  for (int64_t c : counts) parts.push_back(std::to_string(c));
  return Join(parts, "/");
}

std::string ContextText(int64_t tokens) {
  return tokens < 0 ? "-" : FormatNumber(static_cast<double>(tokens), 0);
}

std::string Headline(const SearchResult& r) {
  const JobSpec& job = *r.job;
  std::string line = job.model_ref + ", " + FormatNumber(static_cast<double>(job.context_tokens), 0) +
                     "-token context, " + Plural(static_cast<size_t>(job.concurrency), "sequence", "sequences");
  std::vector<std::string> gates = {"reserve " + FormatPercent(job.gates.reserve_fraction)};
  if (job.gates.min_decode_tokens_per_s) {
    gates.push_back("decode >= " + FormatTokensPerSecond(*job.gates.min_decode_tokens_per_s) +
                    " per sequence");
  }
  if (job.gates.max_ttft_ms) gates.push_back("TTFT <= " + FormatMs(*job.gates.max_ttft_ms));
  if (job.gates.max_p95_token_latency_ms) {
    gates.push_back("p95 token latency <= " + FormatMs(*job.gates.max_p95_token_latency_ms));
  }
  if (job.gates.min_quality) gates.push_back("quality >= " + FormatFixed(*job.gates.min_quality, 3));
  return line + "\nGates: " + Join(gates, ", ") + "\nSearched: hardware_db x " +
         CountsText(r.counts) + " devices x " + Join(r.quants, ", ") + " x KV " +
         Join(r.kv_dtypes, ", ") + " x " + Join(r.runtimes, ", ") + ": " +
         FormatCount(static_cast<double>(r.plans)) + " plans, " +
         FormatCount(static_cast<double>(r.admitted.size())) + " admitted\n";
}

std::string RankingTitle(RankBy by) {
  switch (by) {
    case RankBy::kCost:
      return "Ranked by monthly cost (the hardware amortized over the job's months, 36 by default, + power + operations)";
    case RankBy::kSpeed: return "Ranked by decode speed per sequence";
    case RankBy::kCostPerMillionTokens:
      return "Ranked by cost per million generated tokens (every sequence busy all month)";
    case RankBy::kHeadroom: return "Ranked by memory headroom (usable memory left free)";
  }
  return "";
}

Table RankingTable(const SearchResult& r, const Ranking& ranking) {
  const bool formats = r.quants.size() > 1;
  const bool kvs = r.kv_dtypes.size() > 1;
  const bool runtimes = r.runtimes.size() > 1;
  std::vector<std::string> header = {"#", "machine"};
  if (formats) header.push_back("format");
  if (kvs) header.push_back("KV");
  if (runtimes) header.push_back("runtime");
  for (const char* h : {"per month", "$/M tokens", "decode/seq", "memory used", "max ctx"}) {
    header.push_back(h);
  }
  Table table(header);
  for (size_t i = 0; i < ranking.top.size(); ++i) {
    const SearchPoint& p = ranking.top[i].point;
    std::vector<std::string> row = {std::to_string(i + 1), p.label};
    if (formats) row.push_back(p.quant);
    if (kvs) row.push_back(p.kv_dtype);
    if (runtimes) row.push_back(p.runtime);
    row.push_back(FormatUsd(p.monthly_usd));
    row.push_back(FormatUsd(p.usd_per_million_tokens()));
    row.push_back(FormatTokensPerSecond(p.decode_tokens_per_s));
    row.push_back(FormatPercent(p.usable_bytes > 0 ? p.planned_bytes / p.usable_bytes : 0) + " of " +
                  FormatMemory(p.usable_bytes));
    row.push_back(ContextText(p.max_context_tokens));
    table.AddRow(std::move(row));
  }
  return table;
}

std::string HostedLine(const SearchResult& r, const Ranking& ranking, size_t columns) {
  if (!r.hosted_known) {
    return Wrap("Hosted API: the job has no cost section (cost.requests_per_month and "
                "cost.hosted, or --set cost...), so no comparison.", columns);
  }
  std::string out = Wrap("Hosted API at " + FormatCount(r.requests_per_month) + " requests/month: " +
                         FormatUsd(r.hosted_monthly_usd) + "/month (" +
                         FormatUsd(r.hosted_usd_per_request * 1000) + " per 1k requests).", columns);
  for (size_t i = 0; i < ranking.top.size(); ++i) {
    const SearchPoint& p = ranking.top[i].point;
    const bool local = p.monthly_usd < r.hosted_monthly_usd;
    out += Wrap(std::to_string(i + 1) + ". " + p.label + ": " + (local ? "local" : "hosted") +
                    " is cheaper; break-even at " + FormatCount(p.break_even_requests_per_month) +
                    " requests/month (decode capacity about " +
                    FormatCount(p.capacity_requests_per_month) + ")",
                columns, "  ", "     ");
  }
  return out;
}

std::string ParetoText(const Ranking& ranking, size_t columns) {
  std::vector<std::string> items;
  for (const SearchPoint& p : ranking.pareto) {
    items.push_back(p.label + " " + FormatUsd(p.monthly_usd) + " " +
                    FormatTokensPerSecond(p.decode_tokens_per_s) + " (" + p.quant + ")");
  }
  return Wrap("Pareto front, monthly cost vs decode per sequence (each machine's fastest "
              "configuration, cheapest first): " + Join(items, "; "), columns);
}

}  // namespace

std::string RenderRecommendation(const SearchResult& r, const Ranking& ranking,
                                 const RecommendRenderOptions& options) {
  const size_t columns = std::max<size_t>(options.columns, 60);
  std::string out = "Recommendation: " + Headline(r) + "\n";
  out += Wrap(RankingTitle(ranking.by) + "; the best configuration of each of " +
                  Plural(ranking.machines, "admitted machine", "admitted machines") + ":", columns);
  const Table table = RankingTable(r, ranking);
  out += table.RenderText(2, table.TextWidth(2) <= columns ? 0 : columns);
  out += "\nWhy:\n";
  for (size_t i = 0; i < ranking.top.size(); ++i) {
    const RankedChoice& c = ranking.top[i];
    const std::string what = c.point.label + " (" + c.point.quant + ", " + c.point.kv_dtype +
                             " KV, " + c.point.runtime + "; " +
                             Plural(c.configurations, "admitted configuration", "admitted configurations") +
                             "): " + c.why;
    out += Wrap(what, columns, "  " + std::to_string(i + 1) + ". ", "     ");
  }
  out += "\n" + ParetoText(ranking, columns) + "\n" + HostedLine(r, ranking, columns);
  std::vector<std::string> warnings = PriceWarnings(ranking, options.today);
  warnings.insert(warnings.end(), r.notes.begin(), r.notes.end());
  if (!warnings.empty()) {
    out += "\nNotes:\n";
    for (const std::string& w : warnings) out += Wrap(w, columns, "  - ", "    ");
  }
  return out;
}

std::string RenderNoAdmission(const SearchResult& r) {
  std::vector<std::pair<Check, RejectionTally>> checks(r.rejected.begin(), r.rejected.end());
  std::stable_sort(checks.begin(), checks.end(), [](const auto& a, const auto& b) {
    return a.second.plans > b.second.plans;
  });
  std::string out = "No configuration is admitted (" + FormatCount(static_cast<double>(r.plans)) +
                    " plans). Checks by the plans they rejected:\n";
  for (const auto& [check, t] : checks) {
    out += "  " + std::string(CheckName(check)) + ": " + FormatCount(static_cast<double>(t.plans)) +
           " of " + FormatCount(static_cast<double>(r.plans));
    if (t.smallest_shortfall >= 0) {
      const std::string miss = t.unit == Unit::kBytes ? FormatMemory(t.smallest_shortfall)
                                                      : QuantityValueText(t.smallest_shortfall, t.unit);
      out += "; the smallest shortfall is " + miss +
             " on " + t.nearest;
    }
    out += "\n";
  }
  return out;
}

std::string RenderHardwareFit(const HardwareFitResult& result, size_t columns) {
  const int64_t context = result.fits.empty() ? 0 : result.fits.front().context_tokens;
  bool same = true;
  for (const ModelFit& f : result.fits) same = same && f.context_tokens == context;
  const std::string at = same ? " at a " + FormatNumber(static_cast<double>(context), 0) + "-token context"
                              : " at each model's context (its maximum, capped)";
  std::string out = Wrap("Models that fit " + result.machine + at + " (" +
                             FormatCount(static_cast<double>(result.plans)) +
                             " plans), largest first; each with its largest admitted format:",
                         std::max<size_t>(columns, 60));
  Table table({"model", "params", "format", "weights", "decode/seq", "max context", "formats"});
  for (const ModelFit& f : result.fits) {
    table.AddRow({f.model_id, FormatFixed(f.params_total / 1e9, 1) + " B", f.best.quant,
                  FormatMemory(f.best.weights_bytes), FormatTokensPerSecond(f.best.decode_tokens_per_s),
                  ContextText(f.best.max_context_tokens),
                  std::to_string(f.formats.size())});
  }
  out += table.RenderText(2, table.TextWidth(2) <= columns ? 0 : std::max<size_t>(columns, 60));
  if (!result.no_fit.empty()) {
    out += Wrap("Does not fit in any searched format: " + Join(result.no_fit, ", "),
                std::max<size_t>(columns, 60));
  }
  return out;
}

}  // namespace sizer

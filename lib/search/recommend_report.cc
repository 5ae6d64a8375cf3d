#include "search/recommend_report.h"

#include <algorithm>
#include <sstream>

#include "base/format.h"
#include "report/display_format.h"
#include "search/recommend_charts.h"
#include "search/recommend_render.h"

namespace sizer {
namespace {

using nlohmann::json;

std::string ContextText(int64_t tokens) {
  return tokens < 0 ? "-" : FormatNumber(static_cast<double>(tokens), 0);
}

std::string JoinCounts(const std::vector<int64_t>& counts) {
  std::vector<std::string> parts;
  for (int64_t c : counts) parts.push_back(std::to_string(c));
  return Join(parts, ", ");
}

// What was asked (the job) and what was searched, as label/value rows.
json AskedRows(const SearchResult& r) {
  const JobSpec& job = *r.job;
  json rows = json::array();
  auto add = [&rows](const std::string& label, const std::string& value) {
    rows.push_back({{"label", label}, {"value", value}});
  };
  add("Model", job.model_ref);
  add("Context", FormatNumber(static_cast<double>(job.context_tokens), 0) + " tokens");
  add("Concurrency", FormatNumber(static_cast<double>(job.concurrency), 0) + " sequences");
  add("Memory reserve", FormatPercent(job.gates.reserve_fraction));
  if (job.gates.min_decode_tokens_per_s) {
    add("Decode gate", ">= " + FormatTokensPerSecond(*job.gates.min_decode_tokens_per_s) + " per sequence");
  }
  if (job.gates.max_ttft_ms) add("TTFT gate", "<= " + FormatMs(*job.gates.max_ttft_ms));
  if (job.gates.min_quality) add("Quality gate", ">= " + FormatFixed(*job.gates.min_quality, 3));
  add("Devices per machine", JoinCounts(r.counts));
  add("Weight formats", Join(r.quants, ", "));
  add("KV dtypes", Join(r.kv_dtypes, ", "));
  add("Runtimes", Join(r.runtimes, ", "));
  add("Plans", FormatCount(static_cast<double>(r.plans)) + " planned, " +
                   FormatCount(static_cast<double>(r.admitted.size())) + " admitted");
  return rows;
}

std::string RankedByText(RankBy by) {
  switch (by) {
    case RankBy::kCost: return "monthly cost (hardware amortized + power + operations)";
    case RankBy::kSpeed: return "decode speed per sequence";
    case RankBy::kCostPerMillionTokens: return "cost per million generated tokens";
    case RankBy::kHeadroom: return "memory headroom";
  }
  return "";
}

json RankingRows(const Ranking& ranking) {
  json rows = json::array();
  for (size_t i = 0; i < ranking.top.size(); ++i) {
    const RankedChoice& c = ranking.top[i];
    const SearchPoint& p = c.point;
    rows.push_back({{"rank", std::to_string(i + 1)},
                    {"machine", p.label},
                    {"format", p.quant},
                    {"kv", p.kv_dtype},
                    {"runtime", p.runtime},
                    {"monthly", FormatUsd(p.monthly_usd)},
                    {"price", FormatUsd(p.price_usd)},
                    {"per_million", FormatUsd(p.usd_per_million_tokens())},
                    {"decode", FormatTokensPerSecond(p.decode_tokens_per_s)},
                    {"memory_used", FormatPercent(p.usable_bytes > 0 ? p.planned_bytes / p.usable_bytes : 0) +
                                        " of " + FormatMemory(p.usable_bytes)},
                    {"max_context", ContextText(p.max_context_tokens)},
                    {"configurations", std::to_string(c.configurations) + " admitted configuration" +
                                           (c.configurations == 1 ? "" : "s")},
                    {"pareto", c.pareto},
                    {"why", c.why}});
  }
  return rows;
}

json ParetoRows(const Ranking& ranking) {
  json rows = json::array();
  for (const SearchPoint& p : ranking.pareto) {
    rows.push_back({{"machine", p.label}, {"format", p.quant}, {"kv", p.kv_dtype},
                    {"runtime", p.runtime}, {"monthly", FormatUsd(p.monthly_usd)},
                    {"decode", FormatTokensPerSecond(p.decode_tokens_per_s)}});
  }
  return rows;
}

// The hosted API at the job's volume against each ranked machine.
void AddHosted(const SearchResult& r, const Ranking& ranking, json& model) {
  model["has_hosted"] = r.hosted_known;
  if (!r.hosted_known) return;
  model["hosted_summary"] = "Hosted API at " + FormatCount(r.requests_per_month) + " requests/month: " +
                            FormatUsd(r.hosted_monthly_usd) + "/month (" +
                            FormatUsd(r.hosted_usd_per_request * 1000) + " per 1k requests).";
  json rows = json::array();
  for (size_t i = 0; i < ranking.top.size(); ++i) {
    const SearchPoint& p = ranking.top[i].point;
    rows.push_back({{"rank", std::to_string(i + 1)},
                    {"machine", p.label},
                    {"local", FormatUsd(p.monthly_usd)},
                    {"cheaper", p.monthly_usd < r.hosted_monthly_usd ? "local" : "hosted"},
                    {"break_even", FormatCount(p.break_even_requests_per_month)},
                    {"capacity", FormatCount(p.capacity_requests_per_month)}});
  }
  model["hosted_rows"] = rows;
}

json StackRows(const Ranking& ranking) {
  json rows = json::array();
  for (size_t i = 0; i < std::min(ranking.top.size(), kMemoryStackMachines); ++i) {
    const SearchPoint& p = ranking.top[i].point;
    rows.push_back({{"rank", std::to_string(i + 1)},
                    {"machine", p.label},
                    {"weights", FormatMemory(p.weights_device_bytes)},
                    {"kv", FormatMemory(p.kv_device_bytes)},
                    {"other", FormatMemory(p.other_device_bytes)},
                    {"planned", FormatMemory(p.planned_bytes)},
                    {"usable", FormatMemory(p.usable_bytes)},
                    {"capacity", FormatMemory(p.capacity_bytes)},
                    {"headroom", FormatPercent(p.headroom_fraction())}});
  }
  return rows;
}

json Lines(const std::string& text) {
  json lines = json::array();
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

std::string RecommendTemplateFileName(ReportFormat format) {
  return format == ReportFormat::kHtml ? "recommend.html.mustache" : "recommend.md.mustache";
}

json RecommendationReportModel(const SearchResult& result, const Ranking& ranking,
                               const std::string& today, ReportFormat format) {
  json model;
  model["title"] = "Hardware recommendation: " + result.job->model_ref;
  model["date"] = today;
  model["version"] = SIZER_VERSION;
  model["asked"] = AskedRows(result);
  model["admitted"] = !result.admitted.empty();
  model["no_admission"] = result.admitted.empty() ? Lines(RenderNoAdmission(result)) : json::array();
  model["ranked_by"] = RankedByText(ranking.by);
  model["machines"] = FormatCount(static_cast<double>(ranking.machines));
  model["rows"] = RankingRows(ranking);
  model["pareto_rows"] = ParetoRows(ranking);
  model["stacks"] = StackRows(ranking);
  AddHosted(result, ranking, model);
  std::vector<std::string> notes = PriceWarnings(ranking, today);
  notes.insert(notes.end(), result.notes.begin(), result.notes.end());
  model["notes"] = notes;
  model["has_notes"] = !notes.empty();
  if (format == ReportFormat::kHtml && !result.admitted.empty()) {
    model["pareto_svg"] = ParetoChartSvg(result, ranking);
    model["stack_svg"] = MemoryStackSvg(ranking);
  }
  return model;
}

StatusOr<std::string> RenderRecommendationReport(const SearchResult& result, const Ranking& ranking,
                                                 const std::string& today, ReportFormat format,
                                                 const std::string& template_dir) {
  return RenderTemplateFile(template_dir, RecommendTemplateFileName(format), format,
                            RecommendationReportModel(result, ranking, today, format));
}

}  // namespace sizer

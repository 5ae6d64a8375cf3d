// The --json contracts of `sizer recommend` (format "sizer-recommend/1") and of
// `sizer recommend --hardware` ("sizer-hardware-fit/1"): raw numbers in base units.
#include <nlohmann/json.hpp>

#include "search/recommend_render.h"
#include "version.h"

namespace sizer {
namespace {

using json = nlohmann::json;

json PointJson(const SearchPoint& p) {
  return {{"machine", p.label},
          {"hardware", p.hardware_id},
          {"count", p.count},
          {"runtime", p.runtime},
          {"quant", p.quant},
          {"kv_cache_dtype", p.kv_dtype},
          {"weights_bytes", p.weights_bytes},
          {"monthly_usd", p.monthly_usd},
          {"price_usd", p.price_usd},
          {"price_date", p.price_date},
          {"usd_per_million_tokens", p.usd_per_million_tokens()},
          {"decode_tokens_per_s", p.decode_tokens_per_s},
          {"aggregate_decode_tokens_per_s", p.aggregate_tokens_per_s},
          {"ttft_ms", p.ttft_ms},
          {"planned_bytes", p.planned_bytes},
          {"usable_bytes", p.usable_bytes},
          {"capacity_bytes", p.capacity_bytes},
          {"headroom_fraction", p.headroom_fraction()},
          {"max_context_tokens", p.max_context_tokens}};
}

json SearchJson(const SearchResult& r) {
  const JobSpec& job = *r.job;
  return {{"model", job.model_ref},
          {"context_tokens", job.context_tokens},
          {"concurrency", job.concurrency},
          {"counts", r.counts},
          {"quants", r.quants},
          {"kv_cache_dtypes", r.kv_dtypes},
          {"runtimes", r.runtimes},
          {"plans", r.plans},
          {"admitted", r.admitted.size()},
          {"notes", r.notes}};
}

json RejectedJson(const SearchResult& r) {
  json out = json::array();
  for (const auto& [check, t] : r.rejected) {
    json item = {{"check", std::string(CheckName(check))}, {"plans", t.plans}};
    if (t.smallest_shortfall >= 0) {
      item["smallest_shortfall"] = t.smallest_shortfall;
      item["unit"] = std::string(UnitName(t.unit));
      item["nearest"] = t.nearest;
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

nlohmann::json RecommendationToJson(const SearchResult& r, const Ranking& ranking,
                                    const std::string& today) {
  json out;
  out["format"] = "sizer-recommend/1";
  out["tool"] = {{"name", "sizer"}, {"version", SIZER_VERSION_STRING}};
  out["search"] = SearchJson(r);
  out["rank_by"] = std::string(RankByName(ranking.by));
  out["top"] = json::array();
  for (size_t i = 0; i < ranking.top.size(); ++i) {
    const RankedChoice& c = ranking.top[i];
    json item = PointJson(c.point);
    item["rank"] = i + 1;
    item["pareto"] = c.pareto;
    item["configurations"] = c.configurations;
    item["why"] = c.why;
    if (r.hosted_known) {
      item["break_even_requests_per_month"] = c.point.break_even_requests_per_month;
      item["cheaper"] = c.point.monthly_usd < r.hosted_monthly_usd ? "local" : "hosted";
    }
    out["top"].push_back(std::move(item));
  }
  out["pareto"] = json::array();
  for (const SearchPoint& p : ranking.pareto) out["pareto"].push_back(PointJson(p));
  out["hosted"] = r.hosted_known ? json{{"requests_per_month", r.requests_per_month},
                                        {"monthly_usd", r.hosted_monthly_usd},
                                        {"usd_per_request", r.hosted_usd_per_request}}
                                 : json(nullptr);
  out["rejected"] = RejectedJson(r);
  out["warnings"] = PriceWarnings(ranking, today);
  return out;
}

nlohmann::json HardwareFitToJson(const HardwareFitResult& result) {
  json out;
  out["format"] = "sizer-hardware-fit/1";
  out["machine"] = result.machine;
  out["plans"] = result.plans;
  out["fits"] = json::array();
  for (const ModelFit& f : result.fits) {
    out["fits"].push_back({{"model", f.model_id},
                           {"params_total", f.params_total},
                           {"context_tokens", f.context_tokens},
                           {"formats", f.formats},
                           {"best", PointJson(f.best)}});
  }
  out["no_fit"] = result.no_fit;
  return out;
}

}  // namespace sizer

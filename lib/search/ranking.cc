#include "search/ranking.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

#include "base/format.h"

namespace sizer {

StatusOr<RankBy> ParseRankBy(std::string_view text) {
  for (RankBy by : {RankBy::kCost, RankBy::kSpeed, RankBy::kCostPerMillionTokens, RankBy::kHeadroom}) {
    if (text == RankByName(by)) return by;
  }
  return Status::InvalidArgument("--rank: expected cost, speed, cost-per-million-tokens or "
                                 "headroom, got '" + std::string(text) + "'");
}

std::string_view RankByName(RankBy by) {
  switch (by) {
    case RankBy::kCost: return "cost";
    case RankBy::kSpeed: return "speed";
    case RankBy::kCostPerMillionTokens: return "cost-per-million-tokens";
    case RankBy::kHeadroom: return "headroom";
  }
  return "cost";
}

namespace {

// The ranking key, smaller is better.
double Key(const SearchPoint& p, RankBy by) {
  switch (by) {
    case RankBy::kCost: return p.monthly_usd;
    case RankBy::kSpeed: return -p.decode_tokens_per_s;
    case RankBy::kCostPerMillionTokens: return p.usd_per_million_tokens();
    case RankBy::kHeadroom: return -p.headroom_fraction();
  }
  return 0;
}

bool Better(const SearchPoint& a, const SearchPoint& b, RankBy by) {
  if (Key(a, by) != Key(b, by)) return Key(a, by) < Key(b, by);
  // Equal speed or headroom (a layer split adds no decode speed): the cheaper machine.
  if (by != RankBy::kCost && a.monthly_usd != b.monthly_usd) return a.monthly_usd < b.monthly_usd;
  if (a.weights_bytes != b.weights_bytes) return a.weights_bytes > b.weights_bytes;
  if (a.kv_bytes_per_element != b.kv_bytes_per_element) {
    return a.kv_bytes_per_element > b.kv_bytes_per_element;
  }
  if (a.decode_tokens_per_s != b.decode_tokens_per_s) {
    return a.decode_tokens_per_s > b.decode_tokens_per_s;
  }
  if (a.label != b.label) return a.label < b.label;
  if (a.runtime != b.runtime) return a.runtime < b.runtime;
  if (a.quant != b.quant) return a.quant < b.quant;
  return a.kv_dtype < b.kv_dtype;
}

bool Dominates(const SearchPoint& a, const SearchPoint& b) {
  return a.monthly_usd <= b.monthly_usd && a.decode_tokens_per_s >= b.decode_tokens_per_s &&
         (a.monthly_usd < b.monthly_usd || a.decode_tokens_per_s > b.decode_tokens_per_s);
}

// Per machine: the best configuration under `by`, the fastest one, and how many were admitted.
struct Machine {
  const SearchPoint* best = nullptr;
  const SearchPoint* fastest = nullptr;
  size_t configurations = 0;
};

std::vector<Machine> Machines(const SearchResult& result, RankBy by) {
  std::map<std::string, Machine> by_label;
  for (const SearchPoint& p : result.admitted) {
    Machine& m = by_label[p.label];
    ++m.configurations;
    if (m.best == nullptr || Better(p, *m.best, by)) m.best = &p;
    if (m.fastest == nullptr || Better(p, *m.fastest, RankBy::kSpeed)) m.fastest = &p;
  }
  std::vector<Machine> out;
  for (const auto& [label, m] : by_label) out.push_back(m);
  std::sort(out.begin(), out.end(),
            [by](const Machine& a, const Machine& b) { return Better(*a.best, *b.best, by); });
  return out;
}

std::vector<SearchPoint> ParetoFront(const std::vector<Machine>& machines) {
  std::vector<SearchPoint> front;
  for (const Machine& m : machines) {
    bool dominated = false;
    for (const Machine& other : machines) dominated = dominated || Dominates(*other.fastest, *m.fastest);
    if (!dominated) front.push_back(*m.fastest);
  }
  std::sort(front.begin(), front.end(), [](const SearchPoint& a, const SearchPoint& b) {
    return Better(a, b, RankBy::kCost);
  });
  return front;
}

std::string Ratio(double a, double b) { return b > 0 ? FormatFixed(a / b, 1) + "x" : "-"; }

std::string Why(const Ranking& r, size_t i, const std::vector<Machine>& machines) {
  const SearchPoint& p = r.top[i].point;
  std::vector<std::string> parts;
  static const char* kFirst[] = {"cheapest admitted machine", "fastest decode per sequence",
                                 "lowest cost per million tokens", "most memory headroom"};
  if (i == 0) parts.push_back(kFirst[static_cast<int>(r.by)]);
  if (i > 0) {
    const SearchPoint& lead = r.top[0].point;
    const double extra = p.monthly_usd - lead.monthly_usd;
    parts.push_back((extra >= 0 ? "+" : "-") + FormatUsd(std::abs(extra)) + "/month vs #1, " +
                    Ratio(p.decode_tokens_per_s, lead.decode_tokens_per_s) + " its decode");
  }
  if (r.top[i].pareto) {
    parts.push_back("on the cost/speed front: nothing cheaper decodes faster");
  } else {
    for (const Machine& m : machines) {
      if (m.fastest->label == p.label || !Dominates(*m.fastest, p)) continue;
      parts.push_back(m.fastest->label + " is as cheap or cheaper and at least as fast");
      break;
    }
  }
  return Join(parts, "; ");
}

}  // namespace

Ranking RankSearch(const SearchResult& result, RankBy by, size_t top_n) {
  Ranking r;
  r.by = by;
  const std::vector<Machine> machines = Machines(result, by);
  r.machines = machines.size();
  r.pareto = ParetoFront(machines);
  for (size_t i = 0; i < machines.size() && i < top_n; ++i) {
    RankedChoice c;
    c.point = *machines[i].best;
    c.configurations = machines[i].configurations;
    for (const SearchPoint& f : r.pareto) c.pareto = c.pareto || f.label == c.point.label;
    r.top.push_back(std::move(c));
  }
  for (size_t i = 0; i < r.top.size(); ++i) r.top[i].why = Why(r, i, machines);
  return r;
}

Status FillMaxContext(const SearchResult& result, const Catalog& catalog, Ranking& ranking) {
  for (RankedChoice& c : ranking.top) SIZER_RETURN_IF_ERROR(FillMaxContext(result, catalog, c.point));
  for (SearchPoint& p : ranking.pareto) SIZER_RETURN_IF_ERROR(FillMaxContext(result, catalog, p));
  return Status();
}

namespace {

// Months since year 0 of "YYYY-MM" or "YYYY-MM-DD" ("YYYY" counts as its January); -1 if not a date.
int MonthIndex(const std::string& date) {
  if (date.size() < 4) return -1;
  const int year = std::atoi(date.substr(0, 4).c_str());
  const int month = date.size() >= 7 && date[4] == '-' ? std::atoi(date.substr(5, 2).c_str()) : 1;
  if (year < 1900 || month < 1 || month > 12) return -1;
  return year * 12 + month - 1;
}

}  // namespace

std::vector<std::string> PriceWarnings(const Ranking& ranking, const std::string& today,
                                       int max_age_months) {
  std::vector<std::string> out;
  std::vector<std::string> seen;
  const int now = MonthIndex(today);
  for (const RankedChoice& c : ranking.top) {
    const SearchPoint& p = c.point;
    if (std::find(seen.begin(), seen.end(), p.hardware_id) != seen.end()) continue;
    seen.push_back(p.hardware_id);
    const int when = MonthIndex(p.price_date);
    if (when < 0) {
      out.push_back("price of " + p.hardware_id + " has no price_date: check it (--prices FILE)");
    } else if (now >= 0 && now - when > max_age_months) {
      out.push_back("price of " + p.hardware_id + " (" + FormatUsd(p.price_usd / static_cast<double>(p.count)) +
                    ") dates from " + p.price_date + ", more than " + std::to_string(max_age_months) +
                    " months before " + today + ": check the street price (--prices FILE)");
    }
  }
  return out;
}

}  // namespace sizer

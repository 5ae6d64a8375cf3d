// Ranking a search (search/search.h): the best configuration per machine (hardware x count),
// ordered by cost, speed, cost per million tokens or memory headroom, with why each one is
// there; the Pareto front of monthly cost against per-sequence decode speed; and warnings on
// hardware prices older than a stated age.
#ifndef SIZER_SEARCH_RANKING_H_
#define SIZER_SEARCH_RANKING_H_

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "search/search.h"

namespace sizer {

enum class RankBy { kCost, kSpeed, kCostPerMillionTokens, kHeadroom };
// "cost", "speed", "cost-per-million-tokens", "headroom"; others are kInvalidArgument.
StatusOr<RankBy> ParseRankBy(std::string_view text);
std::string_view RankByName(RankBy by);

struct RankedChoice {
  SearchPoint point;     // the machine's best admitted configuration under the ranking
  size_t configurations = 0;  // admitted configurations on this machine
  bool pareto = false;   // on the cost / decode-speed front
  std::string why;
};

struct Ranking {
  RankBy by = RankBy::kCost;
  std::vector<RankedChoice> top;     // best first, at most the asked number
  size_t machines = 0;               // machines with an admitted configuration
  std::vector<SearchPoint> pareto;   // cheapest first; each machine's fastest configuration
};

// Ties on the ranking key go to the cheaper machine (speed, headroom, cost per token), then
// (within a machine every format costs the same) to the larger weights (more bits: the
// better quality), then the larger KV dtype, then speed.
Ranking RankSearch(const SearchResult& result, RankBy by, size_t top_n);
// FillMaxContext for every ranked and Pareto point.
Status FillMaxContext(const SearchResult& result, const Catalog& catalog, Ranking& ranking);

// Price warnings for the ranked machines: a price_date more than `max_age_months` before
// `today` ("YYYY-MM-DD"), or no price_date at all.
inline constexpr int kPriceMaxAgeMonths = 24;
std::vector<std::string> PriceWarnings(const Ranking& ranking, const std::string& today,
                                       int max_age_months = kPriceMaxAgeMonths);

}  // namespace sizer

#endif  // SIZER_SEARCH_RANKING_H_

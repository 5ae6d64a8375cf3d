// The recommendation for people (terminal text) and for scripts (--json): the ranking table,
// why each machine is there, the Pareto front, the hosted-API line, price warnings, and,
// when nothing is admitted, the check that rejected most plans and the nearest miss.
#ifndef SIZER_SEARCH_RECOMMEND_RENDER_H_
#define SIZER_SEARCH_RECOMMEND_RENDER_H_

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "search/hardware_fit.h"
#include "search/ranking.h"
#include "search/search.h"

namespace sizer {

struct RecommendRenderOptions {
  size_t columns = 100;
  std::string today;  // "YYYY-MM-DD", for the price-age warnings
};

std::string RenderRecommendation(const SearchResult& result, const Ranking& ranking,
                                 const RecommendRenderOptions& options);
// Nothing admitted: the checks by how many plans they rejected, each with its nearest miss.
std::string RenderNoAdmission(const SearchResult& result);

// The --json contract of `sizer recommend` (format "sizer-recommend/1").
nlohmann::json RecommendationToJson(const SearchResult& result, const Ranking& ranking,
                                    const std::string& today);

std::string RenderHardwareFit(const HardwareFitResult& result, size_t columns);
nlohmann::json HardwareFitToJson(const HardwareFitResult& result);

}  // namespace sizer

#endif  // SIZER_SEARCH_RECOMMEND_RENDER_H_

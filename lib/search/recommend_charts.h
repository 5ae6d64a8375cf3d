// The recommendation report's two charts (sizer recommend --format html), drawn as SVG with
// report's primitives (report/svg_chart.h) from the search's own figures:
//   pareto: every admitted configuration as monthly cost against decode tokens/s per
//           sequence, the Pareto front (each machine's fastest configuration, cheapest first)
//           highlighted and joined, the job's decode gate and, with a hosted price in the
//           job, the hosted API's monthly cost at the job's volume as a vertical line;
//   memory: the top three machines' most loaded device as a stacked bar (weights, KV cache,
//           everything else) over its capacity, with the usable limit dashed.
#ifndef SIZER_SEARCH_RECOMMEND_CHARTS_H_
#define SIZER_SEARCH_RECOMMEND_CHARTS_H_

#include <cstddef>
#include <string>

#include "search/ranking.h"
#include "search/search.h"

namespace sizer {

inline constexpr size_t kMemoryStackMachines = 3;

// Admitted configurations that land on the same pixel are drawn once; the result is one
// self-contained <svg> element (no scripts, no external references).
std::string ParetoChartSvg(const SearchResult& result, const Ranking& ranking);
// The first kMemoryStackMachines of ranking.top; empty when nothing is ranked.
std::string MemoryStackSvg(const Ranking& ranking);

}  // namespace sizer

#endif  // SIZER_SEARCH_RECOMMEND_CHARTS_H_

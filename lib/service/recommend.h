// `sizer recommend`'s answer as a library: the search space its flags ask for, and the
// search, ranking and largest-context fill it prints. The command and RecommendJson use these.
#ifndef SIZER_SERVICE_RECOMMEND_H_
#define SIZER_SERVICE_RECOMMEND_H_

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "catalog/catalog.h"
#include "input/job.h"
#include "search/ranking.h"
#include "search/search.h"

namespace sizer::service {

// "a, b,c" -> {"a", "b", "c"} (blank items dropped).
std::vector<std::string> SplitList(const std::string& text);

// The search flags as given (absent = not given).
struct SearchFlags {
  std::optional<std::string> quants;     // --quants LIST
  std::optional<std::string> kv_dtypes;  // --kv-dtypes LIST
  std::optional<std::string> runtimes;   // --runtimes LIST
  std::optional<std::string> counts;     // --counts LIST
  int threads = 1;
};
// Errors name the flag: "--counts: expected device counts such as 1,2,4,8, got '0'".
StatusOr<SearchSpace> MakeSearchSpace(const SearchFlags& flags);

// --top N: kInvalidArgument "--top: expected 1 or more" below 1.
Status CheckTop(int64_t top);

struct Recommendation {
  SearchResult result;
  Ranking ranking;
};
// Searches `space` for `job`, ranks the admitted machines by `rank`, keeps `top` and fills
// their largest context (what `sizer recommend` prints).
StatusOr<Recommendation> Recommend(const JobSpec& job, const Catalog& catalog, const SearchSpace& space,
                                   RankBy rank, size_t top);

}  // namespace sizer::service

#endif  // SIZER_SERVICE_RECOMMEND_H_

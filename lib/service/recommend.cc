#include "service/recommend.h"

#include <cstdlib>
#include <sstream>
#include <utility>

namespace sizer::service {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const size_t b = item.find_first_not_of(' ');
    const size_t e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

StatusOr<SearchSpace> MakeSearchSpace(const SearchFlags& flags) {
  SearchSpace space;
  if (flags.quants) space.quants = SplitList(*flags.quants);
  if (flags.kv_dtypes) space.kv_dtypes = SplitList(*flags.kv_dtypes);
  if (flags.runtimes) space.runtimes = SplitList(*flags.runtimes);
  if (flags.counts) {
    space.counts.clear();
    for (const std::string& c : SplitList(*flags.counts)) {
      char* end = nullptr;
      const long long n = std::strtoll(c.c_str(), &end, 10);
      if (c.empty() || *end != '\0' || n < 1 || n > 1024) {
        return Status::InvalidArgument("--counts: expected device counts such as 1,2,4,8, got '" +
                                       *flags.counts + "'");
      }
      space.counts.push_back(n);
    }
  }
  space.threads = flags.threads;
  if (space.threads < 1 || space.threads > 256) {
    return Status::InvalidArgument("--threads: expected 1 to 256");
  }
  return space;
}

Status CheckTop(int64_t top) {
  if (top < 1) return Status::InvalidArgument("--top: expected 1 or more");
  return Status();
}

StatusOr<Recommendation> Recommend(const JobSpec& job, const Catalog& catalog, const SearchSpace& space,
                                   RankBy rank, size_t top) {
  Recommendation out;
  SIZER_ASSIGN_OR_RETURN(out.result, SearchHardware(job, catalog, space));
  out.ranking = RankSearch(out.result, rank, top);
  SIZER_RETURN_IF_ERROR(FillMaxContext(out.result, catalog, out.ranking));
  return out;
}

}  // namespace sizer::service

// "Did you mean" suggestions for ids and subcommands (after ninja's edit_distance.cc).
#ifndef SIZER_BASE_EDIT_DISTANCE_H_
#define SIZER_BASE_EDIT_DISTANCE_H_

#include <string>
#include <string_view>
#include <vector>

namespace sizer {

// True when a and b are the same ignoring ASCII case ("vLLM" names the id "vllm").
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Levenshtein distance (insert, delete, substitute each cost 1), case-insensitive.
int EditDistance(std::string_view a, std::string_view b);

// Up to `max_results` candidates closest to `query`, nearest first, keeping only those
// within a distance that still looks like a typo (a third of the longer string, at least 2),
// or that contain the query as a substring.
std::vector<std::string> ClosestMatches(std::string_view query,
                                        const std::vector<std::string>& candidates,
                                        size_t max_results = 3);

// " (did you mean 'a', 'b'?)" or "" when nothing is close.
std::string DidYouMean(std::string_view query, const std::vector<std::string>& candidates);

}  // namespace sizer

#endif  // SIZER_BASE_EDIT_DISTANCE_H_

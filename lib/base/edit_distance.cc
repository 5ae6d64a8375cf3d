#include "base/edit_distance.h"

#include <algorithm>
#include <cctype>

namespace sizer {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int above = row[j];
      int substitute = diagonal + (Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> ClosestMatches(std::string_view query,
                                        const std::vector<std::string>& candidates,
                                        size_t max_results) {
  std::string lowered_query = ToLower(query);
  std::vector<std::pair<int, std::string>> scored;
  for (const std::string& candidate : candidates) {
    int distance = EditDistance(query, candidate);
    int limit = std::max<int>(2, static_cast<int>(std::max(query.size(), candidate.size()) / 3));
    bool contains = lowered_query.size() >= 3 &&
                    ToLower(candidate).find(lowered_query) != std::string::npos;
    if (distance <= limit || contains) scored.emplace_back(contains ? 0 : distance, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& entry : scored) {
    if (out.size() == max_results) break;
    out.push_back(entry.second);
  }
  return out;
}

std::string DidYouMean(std::string_view query, const std::vector<std::string>& candidates) {
  std::vector<std::string> matches = ClosestMatches(query, candidates);
  if (matches.empty()) return "";
  std::string out = " (did you mean ";
  for (size_t i = 0; i < matches.size(); ++i) {
    if (i > 0) out += ", ";
    out += "'" + matches[i] + "'";
  }
  return out + "?)";
}

}  // namespace sizer

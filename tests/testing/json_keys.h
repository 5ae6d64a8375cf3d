// The keys of a JSON object, for tests that pin a --json contract's key set.
#ifndef SIZER_TESTS_TESTING_JSON_KEYS_H_
#define SIZER_TESTS_TESTING_JSON_KEYS_H_

#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace sizer::testing {

inline std::set<std::string> Keys(const nlohmann::json& j) {
  std::set<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
  return keys;
}

}  // namespace sizer::testing

#endif  // SIZER_TESTS_TESTING_JSON_KEYS_H_

// gtest matchers for Status and StatusOr<T> that print the status (code and message) when
// they fail:
//   EXPECT_THAT(LoadJobSpec(path, catalog), IsOk());
//   EXPECT_THAT(MakePlan(job), StatusIs(StatusCode::kInvalidArgument, HasSubstr("quant")));
#ifndef SIZER_TESTS_TESTING_STATUS_MATCHERS_H_
#define SIZER_TESTS_TESTING_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "base/status.h"

namespace sizer {

// gtest prints these when a matcher fails.
inline void PrintTo(const Status& status, std::ostream* os) {
  *os << StatusCodeName(status.code());
  if (!status.message().empty()) *os << ": " << status.message();
}
template <typename T>
void PrintTo(const StatusOr<T>& value, std::ostream* os) {
  PrintTo(value.status(), os);
}

namespace testing {

inline const Status& StatusOf(const Status& status) { return status; }
template <typename T>
const Status& StatusOf(const StatusOr<T>& value) {
  return value.status();
}

MATCHER(IsOk, "is OK") {
  const Status& status = StatusOf(arg);
  if (status.ok()) return true;
  *result_listener << "status is " << StatusCodeName(status.code()) << ": " << status.message();
  return false;
}

MATCHER_P2(StatusIs, code, message_matcher,
           "has code " + std::string(StatusCodeName(code)) + " and a message that " +
               ::testing::DescribeMatcher<std::string>(message_matcher)) {
  const Status& status = StatusOf(arg);
  *result_listener << "status is " << StatusCodeName(status.code()) << ": " << status.message();
  return status.code() == code &&
         ::testing::Matches(::testing::Matcher<std::string>(message_matcher))(status.message());
}

}  // namespace testing
}  // namespace sizer

#endif  // SIZER_TESTS_TESTING_STATUS_MATCHERS_H_

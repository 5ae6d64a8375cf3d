// gtest printers and matchers for the planner's typed results, so tests assert on the check,
// the figures and the basis of a reason, not on its prose.
//   EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kMemory)));
//   EXPECT_THAT(ws.reasons, Contains(IsReason(Check::kDecodeSpeed, 9.0, 10.0, Basis::kMeasured)));
#ifndef SIZER_TESTS_TESTING_PLAN_MATCHERS_H_
#define SIZER_TESTS_TESTING_PLAN_MATCHERS_H_

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>

#include <gmock/gmock.h>

#include "base/formula.h"
#include "plan/verdict.h"

namespace sizer {

inline void PrintTo(const Reason& r, std::ostream* os) {
  *os << CheckName(r.check) << " {value " << r.value << ", limit " << r.limit << " "
      << UnitName(r.unit) << ", " << BasisName(r.basis) << "}: " << RenderFormula(r.message);
}
inline void PrintTo(const Formula& f, std::ostream* os) { *os << RenderFormula(f); }
inline void PrintTo(Verdict v, std::ostream* os) { *os << VerdictName(v); }
inline void PrintTo(Basis b, std::ostream* os) { *os << BasisName(b); }
inline void PrintTo(ArtifactOutcome o, std::ostream* os) { *os << ArtifactOutcomeName(o); }

namespace testing {

MATCHER_P(IsReason, check, "a reason of check " + std::string(CheckName(check))) {
  return arg.check == check;
}

// The check, and the figures it was judged on (to within 1e-9 relative) and their basis.
MATCHER_P4(IsReason, check, value, limit, basis,
           "a " + std::string(BasisName(basis)) + " reason of check " +
               std::string(CheckName(check))) {
  auto near = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); };
  return arg.check == check && near(arg.value, value) && near(arg.limit, limit) &&
         arg.basis == basis;
}

// A formula (a warning, a message) whose rendered text matches `text_matcher`.
MATCHER_P(RendersAs, text_matcher, "renders as text that " +
                                       ::testing::DescribeMatcher<std::string>(text_matcher)) {
  return ::testing::Matches(::testing::Matcher<std::string>(text_matcher))(RenderFormula(arg));
}

}  // namespace testing
}  // namespace sizer

#endif  // SIZER_TESTS_TESTING_PLAN_MATCHERS_H_

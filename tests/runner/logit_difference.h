// How far a runner's logits are from a reference's: the largest absolute difference and the
// largest reference magnitude, whose ratio is the "worst relative logit difference" the
// runner tests hold against each format's tolerance.
#ifndef SIZER_TESTS_RUNNER_LOGIT_DIFFERENCE_H_
#define SIZER_TESTS_RUNNER_LOGIT_DIFFERENCE_H_

#include <algorithm>
#include <cmath>
#include <vector>

namespace sizer::testing {

struct LogitDifference {
  double max_abs = 0;   // max |want_i|
  double max_diff = 0;  // max |want_i - got_i|
};

inline LogitDifference CompareLogits(const std::vector<float>& got, const std::vector<float>& want) {
  LogitDifference d;
  for (size_t i = 0; i < want.size() && i < got.size(); ++i) {
    d.max_abs = std::max(d.max_abs, static_cast<double>(std::fabs(want[i])));
    d.max_diff = std::max(d.max_diff, static_cast<double>(std::fabs(want[i] - got[i])));
  }
  return d;
}

}  // namespace sizer::testing

#endif  // SIZER_TESTS_RUNNER_LOGIT_DIFFERENCE_H_

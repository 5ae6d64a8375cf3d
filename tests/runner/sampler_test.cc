#include "runner/sampler.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace sizer::runner {
namespace {

std::vector<double> Softmax(const std::vector<float>& logits, double temperature) {
  double max = logits[0];
  for (float l : logits) max = std::max(max, static_cast<double>(l));
  std::vector<double> p;
  double sum = 0;
  for (float l : logits) {
    p.push_back(std::exp((l - max) / temperature));
    sum += p.back();
  }
  for (double& x : p) x /= sum;
  return p;
}

// Draw counts of `draws` samples.
std::vector<int> Counts(Sampler& sampler, const std::vector<float>& logits, int draws) {
  std::vector<int> counts(logits.size(), 0);
  for (int i = 0; i < draws; ++i) {
    std::vector<float> scratch = logits;
    const int32_t id = sampler.Sample(scratch);
    EXPECT_GE(id, 0);
    EXPECT_LT(static_cast<size_t>(id), logits.size());
    if (id >= 0 && static_cast<size_t>(id) < logits.size()) ++counts[static_cast<size_t>(id)];
  }
  return counts;
}

// Pearson's chi-square statistic of `counts` against the probabilities `p` (cells with
// p == 0 must have count 0, else the statistic is infinite).
double ChiSquare(const std::vector<int>& counts, const std::vector<double>& p) {
  double total = 0;
  for (int c : counts) total += c;
  double chi = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    const double expected = total * p[i];
    if (expected == 0) {
      if (counts[i] != 0) return std::numeric_limits<double>::infinity();
      continue;
    }
    chi += (counts[i] - expected) * (counts[i] - expected) / expected;
  }
  return chi;
}

TEST(SamplerGreedy, PicksArgmaxAndLowestIndexOnTies) {
  Sampler greedy(0.0f, 0.9f, 123);
  EXPECT_TRUE(greedy.greedy());
  std::vector<float> logits = {0.5f, 3.0f, -1.0f, 2.0f};
  EXPECT_EQ(greedy.Sample(logits), 1);
  EXPECT_EQ(logits, (std::vector<float>{0.5f, 3.0f, -1.0f, 2.0f}));  // untouched

  std::vector<float> ties = {1.0f, 7.0f, 2.0f, 7.0f, 7.0f};
  EXPECT_EQ(greedy.Sample(ties), 1);
  std::vector<float> last = {-5.0f, -4.0f, -3.0f};
  EXPECT_EQ(greedy.Sample(last), 2);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> with_nan = {nan, 1.0f, nan, 2.0f};
  EXPECT_EQ(greedy.Sample(with_nan), 3);
  std::vector<float> empty;
  EXPECT_EQ(greedy.Sample(empty), -1);

  Sampler negative(-1.0f, 1.0f, 0);
  std::vector<float> again = {0.0f, 0.0f, 9.0f, 9.0f};
  EXPECT_EQ(negative.Sample(again), 2);
  EXPECT_EQ(ArgMax({2.0f, 2.0f}), 0);
}

std::vector<int32_t> Sequence(uint64_t seed, int n) {
  Sampler s(1.0f, 1.0f, seed);
  const std::vector<float> logits = {0.0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f};
  std::vector<int32_t> out;
  for (int i = 0; i < n; ++i) {
    std::vector<float> scratch = logits;
    out.push_back(s.Sample(scratch));
  }
  return out;
}

TEST(SamplerSeed, SameSeedSameSequenceDifferentSeedDifferentSequence) {
  const std::vector<int32_t> a = Sequence(42, 500);
  const std::vector<int32_t> b = Sequence(42, 500);
  const std::vector<int32_t> c = Sequence(43, 500);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  // Different seeds do not just differ somewhere: most positions differ (8 near-uniform
  // outcomes agree by chance about 1/8 of the time).
  int same = 0;
  for (size_t i = 0; i < a.size(); ++i) same += a[i] == c[i];
  EXPECT_LT(same, 150);
  // The sequence is not constant.
  int changes = 0;
  for (size_t i = 1; i < a.size(); ++i) changes += a[i] != a[i - 1];
  EXPECT_GT(changes, 300);
}

TEST(SamplerTopP, SmallTopPAlwaysPicksTheTopToken) {
  // Probabilities about 0.42, 0.26, 0.16, 0.1, 0.06: top_p 0.1 keeps only token 2.
  const std::vector<float> logits = {0.5f, 0.0f, 1.5f, 1.0f, -0.5f};
  for (float top_p : {0.0f, 0.1f, 0.4f}) {
    Sampler s(1.0f, top_p, 7);
    std::vector<int> counts = Counts(s, logits, 2000);
    EXPECT_EQ(counts[2], 2000) << "top_p " << top_p;
  }
  // Even at a high temperature, where the distribution is near uniform.
  Sampler hot(100.0f, 0.01f, 7);
  EXPECT_EQ(Counts(hot, logits, 500)[2], 500);
}

TEST(SamplerTopP, NucleusKeepsTheSmallestPrefixAndRenormalizes) {
  // Probabilities 0.5, 0.3, 0.2 (logits are their logs). top_p 0.7: {0, 1} (0.5 < 0.7 <= 0.8),
  // sampled as 0.625 / 0.375.
  const std::vector<float> logits = {std::log(0.5f), std::log(0.3f), std::log(0.2f)};
  Sampler s(1.0f, 0.7f, 2024);
  const int draws = 20000;
  std::vector<int> counts = Counts(s, logits, draws);
  EXPECT_EQ(counts[2], 0);
  EXPECT_GT(counts[1], 0);
  // Chi-square, 1 degree of freedom: 10.83 is the 0.999 quantile.
  EXPECT_LT(ChiSquare(counts, {0.625, 0.375, 0.0}), 10.83);
  // top_p 0.45 keeps just token 0 (0.5 >= 0.45).
  Sampler half(1.0f, 0.45f, 2024);
  EXPECT_EQ(Counts(half, logits, 1000)[0], 1000);
}

TEST(SamplerTemperature, FrequenciesMatchSoftmax) {
  const std::vector<float> logits = {0.0f, 1.0f, 2.0f, -1.0f, 0.5f};
  const double temperature = 0.7;
  const std::vector<double> p = Softmax(logits, temperature);
  const int draws = 50000;
  Sampler s(static_cast<float>(temperature), 1.0f, 99);
  const std::vector<int> counts = Counts(s, logits, draws);
  // 4 degrees of freedom: 18.47 is the 0.999 quantile. With a fixed seed the statistic is a
  // fixed number, so this is deterministic.
  const double chi = ChiSquare(counts, p);
  EXPECT_LT(chi, 18.47);
  // The test can tell temperatures apart: the same counts are far from softmax at T = 1.
  EXPECT_GT(ChiSquare(counts, Softmax(logits, 1.0)), 100.0);
  // top_p = 0.999999 and top_p = 1 sample the same distribution.
  Sampler nucleus(static_cast<float>(temperature), 0.999999f, 99);
  EXPECT_LT(ChiSquare(Counts(nucleus, logits, draws), p), 18.47);
}

TEST(SamplerTemperature, LeavesProbabilitiesInLogits) {
  Sampler s(2.0f, 1.0f, 5);
  std::vector<float> logits = {1.0f, 3.0f, 2.0f};
  const int32_t id = s.Sample(logits);
  EXPECT_GE(id, 0);
  EXPECT_LT(id, 3);
  const std::vector<double> p = Softmax({1.0f, 3.0f, 2.0f}, 2.0);
  double sum = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    EXPECT_NEAR(logits[i], p[i], 1e-6);
    sum += logits[i];
  }
  EXPECT_NEAR(sum, 1.0, 1e-6);
  std::vector<float> empty;
  EXPECT_EQ(s.Sample(empty), -1);
}

}  // namespace
}  // namespace sizer::runner

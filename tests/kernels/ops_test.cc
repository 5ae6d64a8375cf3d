#include "kernels/ops.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace sizer::kernels {
namespace {

// float32 ops against values worked by hand: agree to a few ulps.
constexpr float kOpsTolerance = 1e-6f;

TEST(Ops, RmsNormScalesToUnitRootMeanSquare) {
  std::vector<float> x = {1, 2, 3, 4}, w = {1, 1, 2, 0.5f}, out(4);
  RmsNorm(out.data(), x.data(), w.data(), 4, 0.0f);
  const float rms = std::sqrt((1 + 4 + 9 + 16) / 4.0f);
  EXPECT_NEAR(out[0], 1 / rms, kOpsTolerance);
  EXPECT_NEAR(out[2], 3 / rms * 2, kOpsTolerance);
  EXPECT_NEAR(out[3], 4 / rms * 0.5f, kOpsTolerance);
  RmsNorm(x.data(), x.data(), w.data(), 4, 0.0f);  // in place is allowed
  EXPECT_NEAR(x[1], 2 / rms, kOpsTolerance);
}

TEST(Ops, SoftmaxSumsToOneAndSurvivesLargeLogits) {
  std::vector<float> x = {1000, 1001, 1002};
  Softmax(x.data(), 3);
  EXPECT_NEAR(x[0] + x[1] + x[2], 1.0f, kOpsTolerance);
  EXPECT_NEAR(x[2] / x[1], std::exp(1.0f), 1e-4f);
}

TEST(Ops, RopeNormalRotatesAdjacentPairs) {
  std::vector<float> x = {1, 0, 1, 0};
  RopeNormal(x.data(), 4, 4, 3, 10000.0f);
  // pair 0: theta = 3; pair 1: theta = 3 x 10000^(-2/4) = 0.03.
  EXPECT_NEAR(x[0], std::cos(3.0f), kOpsTolerance);
  EXPECT_NEAR(x[1], std::sin(3.0f), kOpsTolerance);
  EXPECT_NEAR(x[2], std::cos(0.03f), kOpsTolerance);
  EXPECT_NEAR(x[3], std::sin(0.03f), kOpsTolerance);
}

TEST(Ops, RopeNeoxRotatesHalves) {
  std::vector<float> x = {1, 1, 0, 0};
  RopeNeox(x.data(), 4, 4, 3, 10000.0f);
  EXPECT_NEAR(x[0], std::cos(3.0f), kOpsTolerance);
  EXPECT_NEAR(x[2], std::sin(3.0f), kOpsTolerance);
  EXPECT_NEAR(x[1], std::cos(0.03f), kOpsTolerance);
  EXPECT_NEAR(x[3], std::sin(0.03f), kOpsTolerance);
}

TEST(Ops, RopeAtPositionZeroIsIdentityAndOnlyRopeDimsRotate) {
  std::vector<float> x = {0.5f, -2, 3, 4, 7, 8};
  std::vector<float> y = x;
  RopeNormal(y.data(), 6, 6, 0, 10000.0f);
  EXPECT_EQ(x, y);
  RopeNormal(y.data(), 6, 2, 5, 10000.0f);  // only the first pair rotates
  EXPECT_EQ(y[2], 3);
  EXPECT_EQ(y[5], 8);
  EXPECT_NE(y[0], 0.5f);
}

TEST(Ops, SwiGluIsSiluOfGateTimesUp) {
  std::vector<float> gate = {0, 1, -2}, up = {5, 2, 3};
  SwiGlu(gate.data(), up.data(), 3);
  EXPECT_NEAR(gate[0], 0, kOpsTolerance);
  EXPECT_NEAR(gate[1], 1 / (1 + std::exp(-1.0f)) * 2, kOpsTolerance);
  EXPECT_NEAR(gate[2], -2 / (1 + std::exp(2.0f)) * 3, kOpsTolerance);
}

}  // namespace
}  // namespace sizer::kernels

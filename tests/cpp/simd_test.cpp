// The vector exponential and sigmoid (cpp/bnlab/nn/simd.hpp) against double-precision std::exp.
#include "bnlab/nn/simd.hpp"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "test_util.hpp"

namespace bnlab {
namespace {

float exp_of(float x) { return simd::exp_nonpositive(simd::Vec<float>::splat(x))[0]; }

// |got - exact| in units of the last place of the float nearest to exact.
double ulps(float got, double exact) {
  const float nearest = static_cast<float>(exact);
  return std::fabs(got - exact) / (std::nextafter(nearest, 2.0f) - nearest);
}

TEST(Simd, ExpIsWithinOneUlpOnEvery1009thFloatFromZeroToTheSmallestNormalResult) {
  // Measured on every 7th float of the range: at most 0.982 ulp (at x = -81.39).
  double worst = 0;
  long checked = 0;
  // Negative floats grow in magnitude with their bit pattern, from -0.0f = 0x80000000.
  for (std::uint32_t bits = 0x80000000u;; bits += 1009, ++checked) {
    float x;
    std::memcpy(&x, &bits, sizeof x);
    if (!(x > -87.33f)) break;
    worst = std::max(worst, ulps(exp_of(x), std::exp(double(x))));
  }
  EXPECT_GT(checked, 1000000);
  EXPECT_LT(worst, 1.0);
  EXPECT_EQ(exp_of(0.0f), 1.0f);
}

TEST(Simd, ExpBelowTheNormalRangeStaysBetweenZeroAndTheSmallestNormalFloat) {
  for (float x : {-87.34f, -88.0f, -100.0f, -1e30f, -INFINITY}) {
    EXPECT_GE(exp_of(x), 0.0f) << x;
    EXPECT_LE(exp_of(x), 1.2e-38f) << x;
  }
}

TEST(Simd, SigmoidMatchesDoublePrecisionOnEveryRowLengthAndStride) {
  // Rows of 1..23 columns exercise the 16- and 4-lane loops and every tail; a view into a wider
  // buffer has an outer stride larger than its width, as the layers pass them.
  Rng rng(3);
  for (int cols : {1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 23}) {
    const Matrix<double> values = test::random_matrix(5, cols, rng, 20.0);
    Matrix<float> u = Matrix<float>::Constant(5, cols + 3, 7.0f);
    Matrix<float> a = Matrix<float>::Constant(5, cols + 2, -1.0f);
    u.leftCols(cols) = values.cast<float>();
    simd::sigmoid(u.leftCols(cols), a.leftCols(cols));
    for (int i = 0; i < 5; ++i)
      for (int j = 0; j < cols; ++j) {
        const double exact = 1 / (1 + std::exp(-double(u(i, j))));
        EXPECT_LT(std::fabs(a(i, j) - exact), 3e-7 * exact) << "u = " << u(i, j);
      }
    EXPECT_TRUE((a.rightCols(2).array() == -1.0f).all()) << "wrote beside the view";
  }
}

TEST(Simd, SigmoidIsHalfAtZeroSymmetricAndNeverLeavesZeroToOne) {
  Matrix<float> u(1, 9), a(1, 9), b(1, 9);
  u << 0.0f, 1e-8f, 0.5f, 3.0f, 15.0f, 40.0f, 88.0f, 1e30f, INFINITY;
  simd::sigmoid(u, a);
  simd::sigmoid(-u, b);
  EXPECT_EQ(a(0, 0), 0.5f);
  for (int j = 0; j < 9; ++j) {
    EXPECT_NEAR(a(0, j) + b(0, j), 1.0, 1.2e-7) << "u = " << u(0, j);
    EXPECT_GE(b(0, j), 0.0f);
    EXPECT_LE(a(0, j), 1.0f);
    if (j > 0) {
      EXPECT_GE(a(0, j), a(0, j - 1));
    }
  }
}

}  // namespace
}  // namespace bnlab

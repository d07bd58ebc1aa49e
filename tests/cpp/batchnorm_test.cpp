// BatchNorm against its definition and against torch.nn.BatchNorm1d.
#include "bnlab/nn/batchnorm.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace bnlab {
namespace {

TEST(BatchNorm, TrainingOutputHasMeanZeroAndVarianceOneBeforeGammaAndBeta) {
  Rng rng(21);
  BatchNorm<double> bn(3, 0.1, 1e-5);
  Matrix<double> x = test::random_matrix(50, 3, rng);
  x.col(0) = 5.0 * x.col(0).array() + 100.0;  // mean 100, sd 5
  x.col(1) = 0.01 * x.col(1).array() - 3.0;   // mean -3, sd 0.01: eps matters here
  Matrix<double> y(50, 3);
  bn.forward(x, y, true);
  const RowVector<double> mean = y.colwise().mean();
  const RowVector<double> var = (y.rowwise() - mean).colwise().squaredNorm() / 50.0;
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(mean(j), 0.0, 1e-12);
    // Biased variance: 1 exactly, less the share eps takes of var + eps.
    const double batch_var = (x.col(j).array() - x.col(j).mean()).square().mean();
    EXPECT_NEAR(var(j), batch_var / (batch_var + 1e-5), 1e-12);
  }
  EXPECT_NEAR(var(0), 1.0, 1e-6);
}

TEST(BatchNorm, GammaAndBetaScaleAndShiftTheNormalizedValues) {
  Rng rng(22);
  BatchNorm<double> bn(2);
  bn.gamma << 3.0, -0.5;
  bn.beta << 1.0, 7.0;
  const Matrix<double> x = test::random_matrix(20, 2, rng);
  Matrix<double> y(20, 2);
  bn.forward(x, y, true);
  const RowVector<double> mean = y.colwise().mean();
  const RowVector<double> sd = ((y.rowwise() - mean).colwise().squaredNorm() / 20.0).cwiseSqrt();
  EXPECT_NEAR(mean(0), 1.0, 1e-12);
  EXPECT_NEAR(mean(1), 7.0, 1e-12);
  EXPECT_NEAR(sd(0), 3.0, 1e-3);
  EXPECT_NEAR(sd(1), 0.5, 1e-3);
}

TEST(BatchNorm, RunningStatisticsFollowPytorchMomentumWithUnbiasedVariance) {
  BatchNorm<double> bn(1, 0.25, 1e-5);
  Matrix<double> x(4, 1), y(4, 1);
  x << 1, 2, 3, 6;  // mean 3, biased var 3.5, unbiased var 14/3
  bn.forward(x, y, true);
  EXPECT_DOUBLE_EQ(bn.running_mean(0), 0.75 * 0 + 0.25 * 3.0);
  EXPECT_DOUBLE_EQ(bn.running_var(0), 0.75 * 1 + 0.25 * (14.0 / 3.0));
  EXPECT_DOUBLE_EQ(bn.batch_var(0), 3.5);
}

TEST(BatchNorm, InferenceUsesRunningStatisticsNotTheBatch) {
  BatchNorm<double> bn(2, 0.1, 1e-5);
  bn.running_mean << 2.0, -1.0;
  bn.running_var << 4.0, 0.25;
  bn.gamma << 1.5, 2.0;
  bn.beta << 0.5, -0.5;
  Matrix<double> x(3, 2), y(3, 2);
  x << 2, -1, 4, 0, 0, -3;
  bn.forward(x, y, false);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(y(i, 0), 1.5 * (x(i, 0) - 2.0) / std::sqrt(4.0 + 1e-5) + 0.5, 1e-12);
    EXPECT_NEAR(y(i, 1), 2.0 * (x(i, 1) + 1.0) / std::sqrt(0.25 + 1e-5) - 0.5, 1e-12);
  }
  // Inference leaves the running statistics alone.
  EXPECT_EQ(bn.running_mean(0), 2.0);
  EXPECT_EQ(bn.running_var(1), 0.25);
  // A single example is fine in inference mode.
  Matrix<double> one = x.topRows(1), y1(1, 2);
  bn.forward(one, y1, false);
  EXPECT_NEAR(y1(0, 0), 0.5, 1e-12);
}

TEST(BatchNorm, TrainingForwardOnOneRowIsAnErrorAsInPytorch) {
  BatchNorm<float> bn(3);
  Matrix<float> x = Matrix<float>::Ones(1, 3), y(1, 3);
  try {
    bn.forward(x, y, true);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("more than 1 value per feature"), std::string::npos)
        << e.what();
  }
}

TEST(BatchNorm, BackwardBeforeATrainingForwardIsAnError) {
  BatchNorm<float> bn(2);
  Matrix<float> dy = Matrix<float>::Ones(4, 2), dx(4, 2);
  EXPECT_THROW(bn.backward(dy, dx), std::logic_error);
}

TEST(BatchNorm, WrongFeatureCountIsAnError) {
  BatchNorm<float> bn(3);
  Matrix<float> x = Matrix<float>::Ones(4, 2), y(4, 2);
  EXPECT_THROW(bn.forward(x, y, true), std::invalid_argument);
}

// float32 inputs with a mean of 1e4 and a spread of 0.1: E[x^2] - E[x]^2 would cancel to
// noise (float32's spacing at 1e8 is 8). The shifted two-pass variance must match the
// double-precision statistics of the very same float inputs.
TEST(BatchNorm, Float32NormalizesInputsWithMean1e4AndSpread0p1) {
  Rng rng(23);
  const int rows = 256;
  Matrix<float> x(rows, 2), y(rows, 2);
  for (int i = 0; i < rows; ++i) {
    x(i, 0) = float(1e4 + 0.1 * rng.normal());
    x(i, 1) = float(-1e4 + 0.1 * rng.normal());
  }
  BatchNorm<float> bn(2, 0.1f, 1e-5f);
  bn.forward(x, y, true);
  const Matrix<double> xd = x.cast<double>();
  const RowVector<double> mean = xd.colwise().mean();
  const RowVector<double> var = (xd.rowwise() - mean).colwise().squaredNorm() / rows;
  for (int j = 0; j < 2; ++j) {
    EXPECT_NEAR(bn.batch_mean(j), mean(j), 1e-3);  // float32 spacing at 1e4 is 1e-3
    EXPECT_NEAR(bn.batch_var(j) / var(j), 1.0, 1e-4);
    const RowVector<double> yd = y.col(j).cast<double>().transpose();
    EXPECT_NEAR(yd.mean(), 0.0, 1e-4);
    EXPECT_NEAR((yd.array() - yd.mean()).square().mean(), var(j) / (var(j) + 1e-5), 1e-3);
    for (int i = 0; i < rows; ++i)
      ASSERT_NEAR(y(i, j), (xd(i, j) - mean(j)) / std::sqrt(var(j) + 1e-5), 2e-3) << i;
  }
}

// Vectors computed with torch.nn.BatchNorm1d in float64 (tests/fixtures, from
// ../shared/reference): train output, dx, dgamma, dbeta, running statistics after `steps`
// training forwards of the same x, and the eval output of x_eval.
TEST(BatchNorm, MatchesTorchBatchNorm1dReferenceVectors) {
  const Json ref = Json::parse(test::read_file(BNLAB_REFERENCE_DIR "/batchnorm_pytorch.json"));
  ASSERT_GE(ref.find("cases")->items().size(), 3u);
  for (const Json& c : ref.find("cases")->items()) {
    SCOPED_TRACE(c.find("name")->as_string());
    const int rows = int(c.find("rows")->as_number());
    const int features = int(c.find("features")->as_number());
    const int steps = int(c.find("steps")->as_number());
    const auto as_matrix = [&](const char* key, int r) {
      const auto v = test::numbers(*c.find(key));
      EXPECT_EQ(int(v.size()), r * features) << key;
      return Matrix<double>(Eigen::Map<const Matrix<double>>(v.data(), r, features));
    };
    const auto as_row = [&](const char* key) { return as_matrix(key, 1); };

    BatchNorm<double> bn(features, c.find("momentum")->as_number(), c.find("eps")->as_number());
    bn.gamma = as_row("gamma");
    bn.beta = as_row("beta");
    const Matrix<double> x = as_matrix("x", rows), dy = as_matrix("dy", rows);
    Matrix<double> y(rows, features), dx(rows, features);
    for (int s = 0; s < steps; ++s) bn.forward(x, y, true);
    bn.backward(dy, dx);

    const auto expect_close = [](const Matrix<double>& got, const Matrix<double>& want,
                                 const char* what) {
      EXPECT_LT((got - want).cwiseAbs().maxCoeff(), 1e-10) << what;
    };
    expect_close(y, as_matrix("y", rows), "y");
    expect_close(dx, as_matrix("dx", rows), "dx");
    expect_close(bn.grad_gamma, as_row("dgamma"), "dgamma");
    expect_close(bn.grad_beta, as_row("dbeta"), "dbeta");
    expect_close(bn.running_mean, as_row("running_mean"), "running_mean");
    expect_close(bn.running_var, as_row("running_var"), "running_var");

    const int eval_rows = int(c.find("x_eval")->items().size()) / features;
    Matrix<double> y_eval(eval_rows, features);
    bn.forward(as_matrix("x_eval", eval_rows), y_eval, false);
    expect_close(y_eval, as_matrix("y_eval", eval_rows), "y_eval");
  }
}

}  // namespace
}  // namespace bnlab

namespace bnlab {
namespace {

// The vector path (shifted two-pass statistics, row loops in SIMD) against the paper's form,
// forward and backward, on several shapes, in double: they are the same math, so they agree
// to rounding.
class PaperForm : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(PaperForm, TheVectorPathComputesThePapersFormulas) {
  const auto [rows, features] = GetParam();
  Rng rng(60 + rows * 7 + features);
  BatchNorm<double> bn(features, 0.1, 1e-5);
  bn.gamma = (1.0 + 0.5 * test::random_matrix(1, features, rng).array()).matrix();
  bn.beta = test::random_matrix(1, features, rng);
  Matrix<double> x = test::random_matrix(rows, features, rng, 3.0);
  x.rowwise() += RowVector<double>::LinSpaced(features, -20.0, 20.0);
  const Matrix<double> dy = test::random_matrix(rows, features, rng);
  Matrix<double> y(rows, features), dx(rows, features);
  bn.forward(x, y, Mode::Train);
  bn.backward(dy, dx);

  BatchNormReference<double> ref;
  ref.forward(x, bn.gamma, bn.beta, 1e-5);
  Matrix<double> ref_dx;
  RowVector<double> ref_dgamma, ref_dbeta;
  ref.backward(x, dy, bn.gamma, 1e-5, ref_dx, ref_dgamma, ref_dbeta);
  EXPECT_LT((y - ref.y).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((bn.batch_mean - ref.mean).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((bn.batch_var - ref.var).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((dx - ref_dx).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((bn.grad_gamma - ref_dgamma).cwiseAbs().maxCoeff(), 1e-10);
  EXPECT_LT((bn.grad_beta - ref_dbeta).cwiseAbs().maxCoeff(), 1e-12);
}

INSTANTIATE_TEST_SUITE_P(Shapes, PaperForm,
                         ::testing::Values(std::pair{2, 1}, std::pair{3, 5}, std::pair{32, 16},
                                           std::pair{60, 100}, std::pair{7, 33}),
                         [](const auto& info) {
                           return std::to_string(info.param.first) + "x" +
                                  std::to_string(info.param.second);
                         });

}  // namespace
}  // namespace bnlab

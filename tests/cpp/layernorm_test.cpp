// LayerNorm against an independent float64 formula, and what makes it LayerNorm: an example's
// output does not depend on its batch, and training and inference are the same computation.
#include "bnlab/nn/layernorm.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "bnlab/lab/experiment.hpp"
#include "bnlab/nn/mlp.hpp"
#include "test_util.hpp"

namespace bnlab {
namespace {

using test::random_matrix;

// torch.nn.LayerNorm(F, eps)(x) written out in double, loop by loop.
Matrix<double> layer_norm_reference(const Matrix<double>& x, const RowVector<double>& gamma,
                                    const RowVector<double>& beta, double eps) {
  Matrix<double> y(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    double mean = 0;
    for (Eigen::Index j = 0; j < x.cols(); ++j) mean += x(i, j);
    mean /= double(x.cols());
    double var = 0;
    for (Eigen::Index j = 0; j < x.cols(); ++j) var += (x(i, j) - mean) * (x(i, j) - mean);
    var /= double(x.cols());
    for (Eigen::Index j = 0; j < x.cols(); ++j)
      y(i, j) = gamma(j) * (x(i, j) - mean) / std::sqrt(var + eps) + beta(j);
  }
  return y;
}

struct Shape {
  int rows, features;
  double offset;  // added to every value: far from zero, the mean must be taken out exactly
};

class LayerNormShapes : public ::testing::TestWithParam<Shape> {};

TEST_P(LayerNormShapes, Float32MatchesTheFloat64Formula) {
  const Shape s = GetParam();
  Rng rng(41 + s.rows * 131 + s.features);
  const Matrix<double> x =
      (random_matrix(s.rows, s.features, rng, 2.0).array() + s.offset).matrix();
  const RowVector<double> gamma = (1.0 + 0.5 * random_matrix(1, s.features, rng).array()).matrix();
  const RowVector<double> beta = random_matrix(1, s.features, rng);
  const double eps = 1e-5;
  LayerNorm<float> ln(s.features, float(eps));
  ln.gamma = gamma.cast<float>();
  ln.beta = beta.cast<float>();
  const Matrix<float> xf = x.cast<float>();
  Matrix<float> y(s.rows, s.features);
  ln.forward(xf, y);
  // The reference sees the same float32 inputs.
  const Matrix<double> expected =
      layer_norm_reference(xf.cast<double>(), ln.gamma.cast<double>(), ln.beta.cast<double>(), eps);
  const double tolerance = s.offset == 0 ? 2e-6 : 1e-4;  // float32 cancellation of the offset
  EXPECT_LT((y.cast<double>() - expected).cwiseAbs().maxCoeff(),
            tolerance * (1 + expected.cwiseAbs().maxCoeff()));
}

INSTANTIATE_TEST_SUITE_P(All, LayerNormShapes,
                         ::testing::Values(Shape{1, 1, 0}, Shape{1, 7, 0}, Shape{3, 5, 0},
                                           Shape{16, 32, 0}, Shape{5, 128, 0}, Shape{8, 4, 100}),
                         [](const auto& info) {
                           return std::to_string(info.param.rows) + "x" +
                                  std::to_string(info.param.features) +
                                  (info.param.offset ? "_offset" : "");
                         });

TEST(LayerNorm, OneFeatureGivesBeta) {
  LayerNorm<float> ln(1);
  ln.beta(0) = 0.25f;
  Matrix<float> x(3, 1), y(3, 1);
  x << 4, -2, 100;
  ln.forward(x, y);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(y(i, 0), 0.25f);
}

TEST(LayerNorm, AnExamplesOutputDoesNotDependOnItsBatch) {
  Rng rng(42);
  LayerNorm<float> ln(6);
  ln.gamma = (1.0 + 0.5 * random_matrix(1, 6, rng).array()).matrix().cast<float>();
  ln.beta = random_matrix(1, 6, rng).cast<float>();
  const Matrix<float> example = random_matrix(1, 6, rng).cast<float>();
  Matrix<float> alone(1, 6);
  ln.forward(example, alone);
  for (int trial = 0; trial < 5; ++trial) {
    const int rows = 2 + trial * 7;
    Matrix<float> batch = (random_matrix(rows, 6, rng, 5.0).array() + trial).matrix().cast<float>();
    const int at = trial % rows;
    batch.row(at) = example;
    Matrix<float> y(rows, 6);
    ln.forward(batch, y);
    EXPECT_EQ(y.row(at), alone) << "batch of " << rows;  // bit for bit
  }
}

TEST(LayerNorm, ANetworkGivesTheSameOutputInTrainingAndInference) {
  MlpShape shape;
  shape.inputs = 3;
  shape.hidden = {8, 5};
  shape.outputs = 2;
  shape.norm = Norm::LnBefore;
  Mlp<float> net(shape);
  Rng rng(43);
  net.init(Init::Xavier, 0, rng);
  const Matrix<float> x = random_matrix(9, 3, rng).cast<float>();
  const Matrix<float> train = net.forward(x, Mode::Train);
  const Matrix<float> inference = net.forward(x, Mode::Inference);
  EXPECT_EQ(train, inference);
  // And no Dense bias before it: its beta takes the bias's place, as with bn-before.
  EXPECT_FALSE(net.hidden(0).dense.has_bias);
}

TEST(LayerNorm, TheLnArmsTestAccuracyIsTheSameWithBatchStatisticsAndWithout) {
  Config c;
  c.arms = {ArmKind::LnBefore, ArmKind::BnBefore};
  c.batchSize = 4;
  c.hidden = {16, 16};
  Experiment e(c);
  e.step(400);
  const Evaluation inference = e.evaluate(0, Split::Test, Mode::Inference);
  const Evaluation batch = e.evaluate(0, Split::Test, Mode::BatchStats);
  EXPECT_NEAR(inference.loss, batch.loss, 1e-6 * inference.loss);  // summed in other chunks
  EXPECT_EQ(inference.accuracy, batch.accuracy);
  // BN at batch 4 differs (the check has teeth).
  EXPECT_NE(e.evaluate(1, Split::Test, Mode::Inference).loss,
            e.evaluate(1, Split::Test, Mode::BatchStats).loss);
}

}  // namespace
}  // namespace bnlab

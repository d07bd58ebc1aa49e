// Finite-difference checks of every backward pass, in double precision: the analytic
// gradient must agree with central differences to a relative error below 1e-6.
#include <gtest/gtest.h>

#include "bnlab/io/config.hpp"  // the names of the activations and losses, for the test names
#include "bnlab/nn/activation.hpp"
#include "bnlab/nn/batchnorm.hpp"
#include "bnlab/nn/dense.hpp"
#include "bnlab/nn/layernorm.hpp"
#include "bnlab/nn/loss.hpp"
#include "bnlab/nn/mlp.hpp"
#include "test_util.hpp"

namespace bnlab {
namespace {

using test::numeric_gradient;
using test::random_matrix;
using test::relative_error;

constexpr double kTolerance = 1e-6;

// L = sum(R * y): its gradient with respect to y is R, a fixed random matrix.
double weighted_sum(const Matrix<double>& y, const Matrix<double>& r) {
  return (y.array() * r.array()).sum();
}

TEST(GradientCheck, DenseMatchesFiniteDifferencesForInputWeightsAndBias) {
  Rng rng(11);
  Dense<double> dense(5, 4, true);
  dense.W = random_matrix(5, 4, rng);
  dense.b = random_matrix(1, 4, rng);
  Matrix<double> x = random_matrix(7, 5, rng), y(7, 4), dx(7, 5);
  const Matrix<double> r = random_matrix(7, 4, rng);
  const auto loss = [&] {
    dense.forward(x, y);
    return weighted_sum(y, r);
  };
  loss();
  dense.backward(x, r);
  dense.backward_input(r, dx);
  EXPECT_LT(relative_error(numeric_gradient(x.data(), x.size(), loss), dx.data()), kTolerance);
  EXPECT_LT(relative_error(numeric_gradient(dense.W.data(), dense.W.size(), loss), dense.dW.data()),
            kTolerance);
  EXPECT_LT(relative_error(numeric_gradient(dense.b.data(), dense.b.size(), loss), dense.db.data()),
            kTolerance);
}

class ActivationGradient : public ::testing::TestWithParam<Activation> {};

TEST_P(ActivationGradient, MatchesFiniteDifferences) {
  Rng rng(12);
  Matrix<double> u = random_matrix(6, 5, rng, 2.0), a(6, 5), du(6, 5);
  // Keep ReLU's inputs away from its kink, where the derivative is not defined.
  for (Eigen::Index i = 0; i < u.size(); ++i)
    if (std::abs(u.data()[i]) < 0.05) u.data()[i] = 0.5;
  const Matrix<double> r = random_matrix(6, 5, rng);
  const auto loss = [&] {
    activation_forward<double>(GetParam(), u, a);
    return weighted_sum(a, r);
  };
  loss();
  activation_backward<double>(GetParam(), u, a, r, du);
  EXPECT_LT(relative_error(numeric_gradient(u.data(), u.size(), loss), du.data()), kTolerance);
}

const char* name_of(Norm n) {
  return n == Norm::None       ? "plain"
         : n == Norm::BnBefore ? "bnBefore"
         : n == Norm::BnAfter  ? "bnAfter"
                               : "lnBefore";
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGradient,
                         ::testing::Values(Activation::Sigmoid, Activation::Tanh, Activation::Relu,
                                           Activation::Linear),
                         [](const auto& info) { return std::string(name_of(info.param)); });

struct LossCase {
  Loss loss;
  int outputs;
  int classes;
};

class LossGradient : public ::testing::TestWithParam<LossCase> {};

TEST_P(LossGradient, MatchesFiniteDifferences) {
  const LossCase c = GetParam();
  Rng rng(13);
  const int rows = 9;
  Matrix<double> logits = random_matrix(rows, c.outputs, rng, 2.0), dlogits(rows, c.outputs);
  std::vector<std::int32_t> labels(rows);
  for (auto& l : labels) l = static_cast<std::int32_t>(rng.below(c.classes));
  Matrix<double> scratch(rows, c.outputs);
  const auto loss = [&] {
    return loss_forward_backward<double>(c.loss, logits, labels.data(), scratch);
  };
  loss_forward_backward<double>(c.loss, logits, labels.data(), dlogits);
  EXPECT_LT(relative_error(numeric_gradient(logits.data(), logits.size(), loss), dlogits.data()),
            kTolerance);
}

INSTANTIATE_TEST_SUITE_P(All, LossGradient,
                         ::testing::Values(LossCase{Loss::Softmax, 4, 4},
                                           LossCase{Loss::Softmax, 2, 2}, LossCase{Loss::Bce, 1, 2},
                                           LossCase{Loss::Mse, 1, 2}, LossCase{Loss::Mse, 3, 3}),
                         [](const auto& info) {
                           return std::string(name_of(info.param.loss)) +
                                  std::to_string(info.param.outputs) + "outputs";
                         });

TEST(GradientCheck, BatchNormTrainingMatchesFiniteDifferencesForInputGammaAndBeta) {
  Rng rng(14);
  BatchNorm<double> bn(4, 0.1, 1e-5);
  bn.gamma = random_matrix(1, 4, rng);
  bn.beta = random_matrix(1, 4, rng);
  Matrix<double> x = random_matrix(6, 4, rng, 3.0), y(6, 4), dx(6, 4);
  x.rowwise() += RowVector<double>::LinSpaced(4, -5.0, 5.0);
  const Matrix<double> r = random_matrix(6, 4, rng);
  const auto loss = [&] {
    bn.forward(x, y, true);
    return weighted_sum(y, r);
  };
  loss();
  bn.backward(r, dx);
  const RowVector<double> grad_gamma = bn.grad_gamma, grad_beta = bn.grad_beta;
  EXPECT_LT(relative_error(numeric_gradient(x.data(), x.size(), loss), dx.data()), kTolerance);
  EXPECT_LT(relative_error(numeric_gradient(bn.gamma.data(), 4, loss), grad_gamma.data()),
            kTolerance);
  EXPECT_LT(relative_error(numeric_gradient(bn.beta.data(), 4, loss), grad_beta.data()),
            kTolerance);
}

TEST(GradientCheck, LayerNormMatchesFiniteDifferencesForInputGammaAndBeta) {
  Rng rng(16);
  LayerNorm<double> ln(5, 1e-5);
  ln.gamma = random_matrix(1, 5, rng);
  ln.beta = random_matrix(1, 5, rng);
  Matrix<double> x = random_matrix(4, 5, rng, 3.0), y(4, 5), dx(4, 5);
  x.col(2).array() += 7.0;  // features far apart: the per-row mean matters
  const Matrix<double> r = random_matrix(4, 5, rng);
  const auto loss = [&] {
    ln.forward(x, y);
    return weighted_sum(y, r);
  };
  loss();
  ln.backward(r, dx);
  const RowVector<double> grad_gamma = ln.grad_gamma, grad_beta = ln.grad_beta;
  EXPECT_LT(relative_error(numeric_gradient(x.data(), x.size(), loss), dx.data()), kTolerance);
  EXPECT_LT(relative_error(numeric_gradient(ln.gamma.data(), 5, loss), grad_gamma.data()),
            kTolerance);
  EXPECT_LT(relative_error(numeric_gradient(ln.beta.data(), 5, loss), grad_beta.data()),
            kTolerance);
}

// The training noise of a case: none, bn noise after bn-before, or dropout.
enum class CaseNoise { None, Bn, Dropout };

struct NetworkCase {
  Norm norm;
  Activation activation;
  Loss loss;
  std::vector<int> hidden;
  CaseNoise noise = CaseNoise::None;
};

class NetworkGradient : public ::testing::TestWithParam<NetworkCase> {};

TEST_P(NetworkGradient, EveryParameterMatchesFiniteDifferences) {
  const NetworkCase c = GetParam();
  MlpShape shape;
  shape.inputs = 3;
  shape.hidden = c.hidden;
  shape.outputs = loss_outputs(c.loss, 3);
  shape.activation = c.activation;
  shape.norm = c.norm;
  if (c.noise == CaseNoise::Bn) shape.bn_noise = BnNoise{0.8, 0.6};
  if (c.noise == CaseNoise::Dropout) shape.dropout = 0.3;
  Mlp<double> net(shape);
  Rng rng(15);
  net.init(Init::Xavier, 0.0, rng);
  // Non-trivial gamma and beta, so their gradients are tested away from the identity.
  for (int l = 0; l < net.depth(); ++l)
    if (auto& bn = net.hidden(l).bn) {
      bn->gamma = RowVector<double>::Constant(bn->features(), 1.0) +
                  0.3 * random_matrix(1, bn->features(), rng);
      bn->beta = 0.3 * random_matrix(1, bn->features(), rng);
    }
  for (int l = 0; l < net.depth(); ++l)
    if (auto& ln = net.hidden(l).ln) {
      ln->gamma = RowVector<double>::Constant(ln->features(), 1.0) +
                  0.3 * random_matrix(1, ln->features(), rng);
      ln->beta = 0.3 * random_matrix(1, ln->features(), rng);
    }
  const int rows = 8;
  // The noise is drawn once and held fixed: every training forward below applies the same.
  net.draw_noise(rng, rows);
  if (c.noise == CaseNoise::Bn) {
    ASSERT_GT((net.hidden(0).noise_scale.array() - 1.0).abs().minCoeff(), 0.0);
  }
  if (c.noise == CaseNoise::Dropout) {
    const Matrix<double>& mask = net.hidden(0).mask;
    ASSERT_GT((mask.topRows(rows).array() == 0.0).count(), 0);
    ASSERT_GT((mask.topRows(rows).array() != 0.0).count(), 0);
  }
  const Matrix<double> x = random_matrix(rows, 3, rng);
  std::vector<std::int32_t> labels(rows);
  for (auto& l : labels) l = static_cast<std::int32_t>(rng.below(3));
  Matrix<double> dlogits(rows, shape.outputs), scratch(rows, shape.outputs);
  const auto loss = [&] {
    return loss_forward_backward<double>(c.loss, net.forward(x, true), labels.data(), scratch);
  };
  loss_forward_backward<double>(c.loss, net.forward(x, true), labels.data(), dlogits);
  net.backward(dlogits);

  std::vector<std::vector<double>> analytic;
  net.for_each_parameter(
      [&](double*, double* g, Eigen::Index n) { analytic.emplace_back(g, g + n); });
  std::size_t index = 0;
  net.for_each_parameter([&](double* p, double*, Eigen::Index n) {
    const auto numeric = numeric_gradient(p, n, loss);
    EXPECT_LT(relative_error(numeric, analytic[index].data()), kTolerance)
        << "parameter block " << index;
    ++index;
  });
  EXPECT_GT(index, 0u);
}

INSTANTIATE_TEST_SUITE_P(
    All, NetworkGradient,
    ::testing::Values(
        NetworkCase{Norm::None, Activation::Sigmoid, Loss::Softmax, {5, 4}},
        NetworkCase{Norm::BnBefore, Activation::Sigmoid, Loss::Softmax, {5, 4}},
        NetworkCase{Norm::BnAfter, Activation::Sigmoid, Loss::Softmax, {5, 4}},
        NetworkCase{Norm::BnBefore, Activation::Tanh, Loss::Mse, {4, 4, 3}},
        NetworkCase{Norm::BnAfter, Activation::Tanh, Loss::Mse, {4, 4, 3}},
        NetworkCase{Norm::BnBefore, Activation::Linear, Loss::Softmax, {6}},
        NetworkCase{Norm::None, Activation::Tanh, Loss::Softmax, {}},
        NetworkCase{Norm::LnBefore, Activation::Sigmoid, Loss::Softmax, {5, 4}},
        NetworkCase{Norm::LnBefore, Activation::Tanh, Loss::Mse, {4, 4, 3}},
        NetworkCase{Norm::BnBefore, Activation::Sigmoid, Loss::Softmax, {5, 4}, CaseNoise::Bn},
        NetworkCase{Norm::BnBefore, Activation::Tanh, Loss::Mse, {4, 3}, CaseNoise::Bn},
        NetworkCase{Norm::None, Activation::Sigmoid, Loss::Softmax, {5, 4}, CaseNoise::Dropout},
        NetworkCase{Norm::None, Activation::Tanh, Loss::Mse, {4, 4, 3}, CaseNoise::Dropout}),
    [](const auto& info) {
      const CaseNoise n = info.param.noise;
      return std::string(name_of(info.param.norm)) + "_" + name_of(info.param.activation) + "_" +
             name_of(info.param.loss) + "_" + std::to_string(info.param.hidden.size()) + "hidden" +
             (n == CaseNoise::Bn        ? "_bnNoise"
              : n == CaseNoise::Dropout ? "_dropout"
                                        : "");
    });

}  // namespace
}  // namespace bnlab

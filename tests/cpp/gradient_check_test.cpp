// Finite-difference checks of every backward pass, in double precision: the analytic
// gradient must agree with central differences to a relative error below 1e-6.
#include <gtest/gtest.h>

#include "bnlab/activation.hpp"
#include "bnlab/batchnorm.hpp"
#include "bnlab/dense.hpp"
#include "bnlab/loss.hpp"
#include "bnlab/mlp.hpp"
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

const char* name_of(Activation a) {
  return a == Activation::Sigmoid ? "sigmoid" : a == Activation::Tanh ? "tanh"
                                  : a == Activation::Relu              ? "relu"
                                                                       : "linear";
}
const char* name_of(Loss l) { return l == Loss::Softmax ? "softmax" : l == Loss::Bce ? "bce" : "mse"; }
const char* name_of(BnPlacement b) {
  return b == BnPlacement::None ? "plain" : b == BnPlacement::Before ? "bnBefore" : "bnAfter";
}

INSTANTIATE_TEST_SUITE_P(All, ActivationGradient,
                         ::testing::Values(Activation::Sigmoid, Activation::Tanh,
                                           Activation::Relu, Activation::Linear),
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
                                           LossCase{Loss::Softmax, 2, 2},
                                           LossCase{Loss::Bce, 1, 2},
                                           LossCase{Loss::Mse, 1, 2},
                                           LossCase{Loss::Mse, 3, 3}),
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

struct NetworkCase {
  BnPlacement bn;
  Activation activation;
  Loss loss;
  std::vector<int> hidden;
};

class NetworkGradient : public ::testing::TestWithParam<NetworkCase> {};

TEST_P(NetworkGradient, EveryParameterMatchesFiniteDifferences) {
  const NetworkCase c = GetParam();
  MlpShape shape;
  shape.inputs = 3;
  shape.hidden = c.hidden;
  shape.outputs = loss_outputs(c.loss, 3);
  shape.activation = c.activation;
  shape.bn = c.bn;
  Mlp<double> net(shape);
  Rng rng(15);
  net.init(Init::Xavier, 0.0, rng);
  // Non-trivial gamma and beta, so their gradients are tested away from the identity.
  for (int l = 0; l < net.depth(); ++l)
    if (auto& bn = net.hidden(l).bn) {
      bn->gamma = RowVector<double>::Constant(bn->features(), 1.0) + 0.3 * random_matrix(1, bn->features(), rng);
      bn->beta = 0.3 * random_matrix(1, bn->features(), rng);
    }
  const int rows = 8;
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
  net.for_each_parameter([&](double*, double* g, Eigen::Index n) {
    analytic.emplace_back(g, g + n);
  });
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
    ::testing::Values(NetworkCase{BnPlacement::None, Activation::Sigmoid, Loss::Softmax, {5, 4}},
                      NetworkCase{BnPlacement::Before, Activation::Sigmoid, Loss::Softmax, {5, 4}},
                      NetworkCase{BnPlacement::After, Activation::Sigmoid, Loss::Softmax, {5, 4}},
                      NetworkCase{BnPlacement::Before, Activation::Tanh, Loss::Mse, {4, 4, 3}},
                      NetworkCase{BnPlacement::After, Activation::Tanh, Loss::Mse, {4, 4, 3}},
                      NetworkCase{BnPlacement::Before, Activation::Linear, Loss::Softmax, {6}},
                      NetworkCase{BnPlacement::None, Activation::Tanh, Loss::Softmax, {}}),
    [](const auto& info) {
      return std::string(name_of(info.param.bn)) + "_" + name_of(info.param.activation) + "_" +
             name_of(info.param.loss) + "_" + std::to_string(info.param.hidden.size()) + "hidden";
    });

}  // namespace
}  // namespace bnlab

// The loss landscape along the gradient (Santurkar et al. 2018, Fig. 4), against a
// recomputation from a copy of the network taken before the step, and at step sizes near 0.
#include <gtest/gtest.h>

#include <cmath>

#include "bnlab/lab/experiment.hpp"

namespace bnlab {
namespace {

Config landscape_config(const std::string& arm, std::vector<double> steps) {
  Config c;
  c.arms = {value_named<ArmKind>(arm)};
  c.hidden = {16, 16};
  c.recordEvery = 5;
  c.landscape = true;
  c.landscapeSteps = std::move(steps);
  c.learningRate = 0.5;
  return c;
}

float recorded(const Experiment& e, int row, int series) {
  return e.history().at(row, e.arm_column(0, series));
}

// Loss and gradient of `net` on a batch with batch statistics (and the noise it holds).
struct LossAndGradient {
  double loss;
  std::vector<double> gradient;
};
LossAndGradient loss_and_gradient(Mlp<float>& net, Loss loss, const Matrix<float>& x,
                                  const std::vector<std::int32_t>& y) {
  const auto logits = net.forward(x, Mode::BatchStats, true);
  Matrix<float> dlogits(logits.rows(), logits.cols());
  const float l = loss_forward_backward<float>(loss, logits, y.data(), dlogits);
  net.backward(dlogits);
  std::vector<float> g(static_cast<std::size_t>(net.parameter_count()));
  net.get_gradients(g.data());
  return {l, std::vector<double>(g.begin(), g.end())};
}

class LandscapeArms : public ::testing::TestWithParam<const char*> {};

TEST_P(LandscapeArms, AgreesWithARecomputationFromTheWeightsBeforeTheStep) {
  const Config c = landscape_config(GetParam(), {0.25, 1, 4});
  Experiment e(c);
  e.step(9);
  Mlp<float> before = e.network(0);  // W of step 10, and (after step 10's draw) its noise
  e.step(1);
  ASSERT_EQ(e.history().rows(), 3);  // steps 0, 5, 10
  before.copy_noise_from(e.network(0));
  const LossAndGradient at_w = loss_and_gradient(before, c.loss, e.batch_x(), e.batch_y());
  double g_norm = 0;
  for (double g : at_w.gradient) g_norm += g * g;
  g_norm = std::sqrt(g_norm);
  ASSERT_GT(g_norm, 0);
  double loss_min = INFINITY, loss_max = -INFINITY, grad_min = INFINITY, grad_max = -INFINITY,
         beta = 0;
  for (double step : c.landscapeSteps) {
    Mlp<float> moved = before;
    const double eta = step * c.learningRate;
    std::size_t k = 0;
    moved.for_each_parameter([&](float* p, float*, Eigen::Index n) {
      for (Eigen::Index i = 0; i < n; ++i, ++k) p[i] = float(p[i] - eta * at_w.gradient[k]);
    });
    const LossAndGradient there = loss_and_gradient(moved, c.loss, e.batch_x(), e.batch_y());
    double change = 0;
    for (std::size_t i = 0; i < there.gradient.size(); ++i)
      change += (there.gradient[i] - at_w.gradient[i]) * (there.gradient[i] - at_w.gradient[i]);
    change = std::sqrt(change);
    loss_min = std::min(loss_min, there.loss);
    loss_max = std::max(loss_max, there.loss);
    grad_min = std::min(grad_min, change);
    grad_max = std::max(grad_max, change);
    beta = std::max(beta, change / (eta * g_norm));
  }
  const auto near = [](double measured, double expected) {
    return std::abs(measured - expected) <= 1e-4 * std::max(1.0, std::abs(expected));
  };
  EXPECT_PRED2(near, recorded(e, 2, Experiment::LandscapeLossMin), loss_min);
  EXPECT_PRED2(near, recorded(e, 2, Experiment::LandscapeLossMax), loss_max);
  EXPECT_PRED2(near, recorded(e, 2, Experiment::LandscapeGradMin), grad_min);
  EXPECT_PRED2(near, recorded(e, 2, Experiment::LandscapeGradMax), grad_max);
  EXPECT_PRED2(near, recorded(e, 2, Experiment::LandscapeBeta), beta);
  EXPECT_LT(loss_min, loss_max);  // the band is not degenerate
  // Only the recorded steps are measured; the initial record has none.
  EXPECT_TRUE(std::isnan(recorded(e, 0, Experiment::LandscapeLossMin)));
}

TEST_P(LandscapeArms, NearStepSizeZeroTheBandsCloseOnTheStepsBatchLoss) {
  // Grids [c/4, c/2, c]: as c -> 0 the loss band and the gradient-change band shrink to 0,
  // and the loss is the step's own batch loss.
  double previous_loss_width = INFINITY, previous_grad = INFINITY;
  for (double c : {1e-1, 1e-2, 1e-3}) {
    SCOPED_TRACE(c);
    Config config = landscape_config(GetParam(), {c / 4, c / 2, c});
    config.recordEvery = 1;  // batchLoss is then the loss of the recorded step alone
    Experiment e(config);
    e.step(30);
    const int row = e.history().rows() - 1;
    const double width = recorded(e, row, Experiment::LandscapeLossMax) -
                         recorded(e, row, Experiment::LandscapeLossMin);
    const double grad = recorded(e, row, Experiment::LandscapeGradMax);
    EXPECT_GE(width, 0);
    EXPECT_LT(width, previous_loss_width);
    EXPECT_LT(grad, previous_grad);
    previous_loss_width = width;
    previous_grad = grad;
  }
  EXPECT_LT(previous_loss_width, 1e-3);
  Config tiny = landscape_config(GetParam(), {1e-7});
  tiny.recordEvery = 1;
  Experiment e(tiny);
  e.step(30);
  const int row = e.history().rows() - 1;
  EXPECT_NEAR(recorded(e, row, Experiment::LandscapeLossMin),
              recorded(e, row, Experiment::BatchLoss), 1e-5);
  EXPECT_LT(recorded(e, row, Experiment::LandscapeGradMax), 1e-3);
}

INSTANTIATE_TEST_SUITE_P(Arms, LandscapeArms,
                         ::testing::Values("plain", "bn-before", "bn-after", "ln-before",
                                           "bn-noisy", "dropout"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& ch : name)
                             if (ch == '-') ch = '_';
                           return name;
                         });

TEST(Landscape, LeavesTheRunningStatisticsAndTheTrainingUntouched) {
  Config on = landscape_config("bn-before", {0.5, 2});
  Config off = on;
  off.landscape = false;
  Experiment a(on), b(off);
  a.step(100);
  b.step(100);
  const auto& bn_a = *a.network(0).hidden(0).bn;
  const auto& bn_b = *b.network(0).hidden(0).bn;
  EXPECT_EQ(bn_a.running_mean, bn_b.running_mean);
  EXPECT_EQ(bn_a.running_var, bn_b.running_var);
  EXPECT_EQ(a.network(0).output_layer().W, b.network(0).output_layer().W);
  for (int r = 0; r < a.history().rows(); ++r)
    EXPECT_EQ(a.history().at(r, a.arm_column(0, Experiment::TestLoss)),
              b.history().at(r, b.arm_column(0, Experiment::TestLoss)));
}

}  // namespace
}  // namespace bnlab

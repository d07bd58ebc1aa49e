// What the Inside a BN layer view shows: one unit of a BN layer with the last mini-batch through
// it (Experiment::bn_batch), held against Ioffe & Szegedy's Algorithm 1 recomputed in double
// from the same z, gamma, beta and eps; the undo (gamma = sqrt(var + eps), beta = mean gives
// the input back); and the layer series of gamma and beta beside the step's batch statistics.
#include <gtest/gtest.h>

#include <cmath>

#include "bnlab/io/config.hpp"
#include "bnlab/lab/experiment.hpp"
#include "test_util.hpp"

namespace bnlab {
namespace {

Config bn_config() {
  return parse_config(std::string(
      R"({"dataset": "circle", "hidden": [8, 6], "arms": ["plain", "bn-before", "bn-after", "bn-noisy"],)"
      R"( "batchSize": 16, "learningRate": 0.5, "recordEvery": 5})"));
}

// Algorithm 1 in double from the engine's z, gamma, beta, eps, and inference with its running
// statistics: every number the view shows, to float rounding.
void expect_algorithm(const BnBatch& b, const std::string& where) {
  const double B = double(b.z.size());
  double mean = 0, var = 0;
  for (float z : b.z) mean += z;
  mean /= B;
  for (float z : b.z) var += (z - mean) * (z - mean);
  var /= B;  // biased
  const double scale = std::max(1.0, std::abs(mean) + std::sqrt(var));
  EXPECT_NEAR(b.mean, mean, 1e-5 * scale) << where;
  EXPECT_NEAR(b.var, var, 1e-5 * std::max(var, 1e-6)) << where;
  const double sd = std::sqrt(var + b.eps);
  const double run_sd = std::sqrt(double(b.running_var) + b.eps);
  for (std::size_t i = 0; i < b.z.size(); ++i) {
    const double x_hat = (b.z[i] - mean) / sd;
    EXPECT_NEAR(b.x_hat[i], x_hat, 1e-4 * std::max(1.0, std::abs(x_hat))) << where << " row " << i;
    const double y = double(b.gamma) * x_hat + b.beta;
    EXPECT_NEAR(b.y[i], y, 1e-4 * std::max(1.0, std::abs(y))) << where << " row " << i;
    const double inference = double(b.gamma) * (b.z[i] - double(b.running_mean)) / run_sd + b.beta;
    EXPECT_NEAR(b.y_inference[i], inference, 1e-4 * std::max(1.0, std::abs(inference)))
        << where << " row " << i;
  }
}

TEST(BnLayer, EveryBnArmsBatchFollowsAlgorithmOneInDoubleAtSeveralSteps) {
  Experiment e(bn_config());
  int checked = 0;
  for (long step : {0L, 7L, 60L}) {
    e.step(step - e.steps());
    for (int a = 0; a < e.arm_count(); ++a)
      for (int l = 0; l < e.depth(); ++l) {
        if (!e.has_bn(a, l)) continue;
        for (int unit : {0, e.config().hidden[l] - 1}) {
          const BnBatch b = e.bn_batch(a, l, unit);
          ASSERT_EQ(b.z.size(), 16u);
          EXPECT_EQ(b.unit, unit);
          EXPECT_FLOAT_EQ(b.eps, 1e-5f);
          expect_algorithm(
              b, e.arm_name(a) + " layer " + std::to_string(l) + " step " + std::to_string(step));
          ++checked;
        }
      }
  }
  EXPECT_EQ(checked, 3 * 3 * 2 * 2);  // steps x BN arms x layers x units
}

TEST(BnLayer, TheBatchIsTheLastMiniBatchOfTheTrainingSetWithItsClasses) {
  Experiment e(bn_config());
  e.step(3);
  const BnBatch b = e.bn_batch(1, 0, 0);
  for (std::size_t i = 0; i < b.examples.size(); ++i) {
    EXPECT_TRUE(e.data().train_x.row(b.examples[i]).isApprox(e.batch_x().row(i))) << i;
    EXPECT_EQ(b.labels[i], e.data().train_y[b.examples[i]]) << i;
    EXPECT_EQ(b.labels[i], e.batch_y()[i]) << i;
  }
}

TEST(BnLayer, GammaAndBetaThatUndoTheNormalizationGiveTheInputBackInEveryLayerAndArm) {
  Experiment e(bn_config());
  e.step(40);
  for (int a = 0; a < e.arm_count(); ++a)
    for (int l = 0; l < e.depth(); ++l) {
      if (!e.has_bn(a, l)) continue;
      const BnBatch b = e.bn_batch(a, l, 0);
      float largest = 0;
      for (std::size_t i = 0; i < b.z.size(); ++i) {
        EXPECT_NEAR(b.y_undo[i], b.z[i], 1e-5f * std::max(1.0f, std::abs(b.z[i])))
            << e.arm_name(a) << " layer " << l;
        largest = std::max(largest, std::abs(b.z[i]));
      }
      EXPECT_LE(b.undo_gap, 1e-5f * std::max(1.0f, largest)) << e.arm_name(a) << " layer " << l;
      // With the learned gamma and beta the layer does change its input.
      float moved = 0;
      for (std::size_t i = 0; i < b.z.size(); ++i)
        moved = std::max(moved, std::abs(b.y[i] - b.z[i]));
      EXPECT_GT(moved, 100 * b.undo_gap + 1e-3f) << e.arm_name(a) << " layer " << l;
    }
}

TEST(BnLayer, LookingAtTheBatchBetweenStepsChangesNothingInTheRun) {
  Experiment looked(bn_config()), alone(bn_config());
  for (int s = 0; s < 30; ++s) {
    for (int a = 1; a < looked.arm_count(); ++a) looked.bn_batch(a, s % 2, 0);
    looked.step(1);
    alone.step(1);
  }
  const History& h1 = looked.history();
  const History& h2 = alone.history();
  ASSERT_EQ(h1.rows(), h2.rows());
  std::vector<float> c1(h1.rows()), c2(h2.rows());
  for (int c = 0; c < h1.series(); ++c) {
    h1.column(c, c1.data());
    h2.column(c, c2.data());
    for (int r = 0; r < h1.rows(); ++r)
      EXPECT_TRUE(c1[r] == c2[r] || (std::isnan(c1[r]) && std::isnan(c2[r]))) << "column " << c;
  }
}

TEST(BnLayer, RefusesALayerWithoutBnAndAUnitOutOfRange) {
  Experiment e(bn_config());
  EXPECT_THROW(e.bn_batch(0, 0, 0), std::invalid_argument);  // plain
  EXPECT_THROW(e.bn_batch(1, 0, 8), std::out_of_range);
  EXPECT_THROW(e.bn_batch(1, 1, -1), std::out_of_range);
}

// The recorded gamma and beta of the tracked unit are the network's, and the distance from
// undoing the normalization is computed from the step's batch statistics, as the trace has them.
TEST(BnLayer, GammaBetaSeriesAreTheNetworksAndTheUndoDistancesFollowTheirDefinition) {
  Experiment e(bn_config());
  e.step(25);  // a record at step 25
  const History& h = e.history();
  std::vector<float> column(h.rows());
  const auto last = [&](int arm, int layer, int series) {
    h.column(e.layer_column(arm, layer, series), column.data());
    return column.back();
  };
  for (int a : {1, 2}) {
    for (int l = 0; l < e.depth(); ++l) {
      const auto& bn = *e.network(a).hidden(l).bn;
      const int u = e.tracked_unit(l);
      EXPECT_EQ(last(a, l, Experiment::Gamma), bn.gamma(u));
      EXPECT_EQ(last(a, l, Experiment::Beta), bn.beta(u));
      const Ring& trace = e.bn_trace(a, l);
      std::vector<float> means(trace.rows()), vars(trace.rows());
      trace.column(1, means.data());
      trace.column(2, vars.data());
      EXPECT_EQ(last(a, l, Experiment::BatchMean), means.back());
      EXPECT_EQ(last(a, l, Experiment::BatchVar), vars.back());
      double spread = 0;
      const double mean_gamma = bn.gamma.cast<double>().mean();
      for (Eigen::Index k = 0; k < bn.gamma.size(); ++k)
        spread += (bn.gamma(k) - mean_gamma) * (bn.gamma(k) - mean_gamma);
      EXPECT_NEAR(last(a, l, Experiment::GammaSpread), std::sqrt(spread / bn.gamma.size()), 1e-5);
      EXPECT_GE(last(a, l, Experiment::UndoScale), 0.0f);
      EXPECT_GE(last(a, l, Experiment::UndoShift), 0.0f);
    }
    // The plain arm has no BN: every one of these series is NaN.
    EXPECT_TRUE(std::isnan(last(0, 0, Experiment::Gamma)));
    EXPECT_TRUE(std::isnan(last(0, 1, Experiment::UndoScale)));
  }
}

// AdaBN (Li et al. 2016): the shifted test set normalized with its own statistics, all of it in
// one batch; without BN there is nothing to adapt.
TEST(CovariateShift, AdaptedEvaluationNormalizesTheShiftedSetWithItsOwnStatistics) {
  Experiment e(parse_config(std::string(R"({"dataset": "circle", "covariateShift": 0.5,)"
                                        R"( "hidden": [8, 8], "learningRate": 0.5})")));
  e.step(200);
  const Evaluation plain = e.evaluate(0, Split::Shifted);
  EXPECT_EQ(e.evaluate_adapted(0).accuracy, plain.accuracy);
  EXPECT_EQ(e.evaluate_adapted(0).loss, plain.loss);
  Mlp<float> copy = e.network(1);
  const Matrix<float>& x = e.data().shifted_x;
  copy.reserve(static_cast<int>(x.rows()));
  const auto logits = copy.forward(x, Mode::BatchStats);
  long correct = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    correct += predict_class<float>(Loss::Softmax, logits.row(i)) == e.data().shifted_y[i];
  EXPECT_FLOAT_EQ(e.evaluate_adapted(1).accuracy, float(double(correct) / double(x.rows())));
  EXPECT_NE(e.evaluate_adapted(1).accuracy, e.evaluate(1, Split::Shifted).accuracy);
  // Without a shifted set, nothing to evaluate.
  Experiment none(bn_config());
  EXPECT_TRUE(std::isnan(none.evaluate_adapted(1).accuracy));
  EXPECT_TRUE(std::isnan(none.evaluate(1, Split::Shifted).loss));
}

}  // namespace
}  // namespace bnlab

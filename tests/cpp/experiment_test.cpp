// Experiments: reproducibility, the controlled comparison (same initial weights, same
// mini-batches, arms independent of each other), divergence handling, that training works,
// the bounded history, and evaluate() and grid() against hand computations.
//
// Accuracy thresholds were set from measured values (given next to each) with headroom;
// the runs are deterministic for a seed, so the headroom guards against changes of the
// arithmetic (compiler, Eigen version), not against chance.
#include "bnlab/lab/experiment.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace bnlab {
namespace {

Config config(const std::string& json) { return parse_config(json); }

std::uint32_t bits(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

// Whether series `col_a` of history a and `col_b` of b agree bit for bit (NaN included).
bool same_series(const History& a, int col_a, const History& b, int col_b) {
  if (a.rows() != b.rows()) return false;
  for (int i = 0; i < a.rows(); ++i)
    if (bits(a.at(i, col_a)) != bits(b.at(i, col_b))) return false;
  return true;
}

int columns_per_arm(const Experiment& e) {
  return Experiment::kSeriesPerArm + Experiment::kSeriesPerLayer * e.depth();
}

// Every recorded series of arm `arm`: its metrics and all its layer probes.
bool same_arm_history(const Experiment& a, int arm_a, const Experiment& b, int arm_b) {
  if (!same_series(a.history(), 0, b.history(), 0)) return false;
  for (int s = 0; s < columns_per_arm(a); ++s)
    if (!same_series(a.history(), a.arm_column(arm_a, s), b.history(), b.arm_column(arm_b, s)))
      return false;
  return true;
}

int arm_index(const Experiment& e, const std::string& name) {
  for (int a = 0; a < e.arm_count(); ++a)
    if (e.arm_name(a) == name) return a;
  ADD_FAILURE() << "no arm " << name;
  return 0;
}

const char* const kTrio = R"("arms":["plain","bn-before","bn-after"])";

TEST(Experiment, SameConfigGivesBitwiseIdenticalHistoryAfter300Steps) {
  const Config c = config(std::string(R"({"recordEvery":10,"gradientIcs":true,)") + kTrio + "}");
  Experiment a(c), b(c);
  a.step(300);
  b.step(300);
  ASSERT_EQ(a.history().rows(), 31);  // steps 0, 10, ..., 300
  ASSERT_EQ(a.history().series(), 1 + 3 * columns_per_arm(a));
  for (int s = 0; s < a.history().series(); ++s)
    EXPECT_TRUE(same_series(a.history(), s, b.history(), s)) << "series " << s;
  for (int arm = 0; arm < 3; ++arm)
    EXPECT_EQ(a.network(arm).output_layer().W, b.network(arm).output_layer().W) << arm;
}

TEST(Experiment, DifferentSeedGivesADifferentHistory) {
  Config c = config(std::string("{") + kTrio + "}");
  Experiment a(c);
  c.seed = 2;
  Experiment b(c);
  a.step(300);
  b.step(300);
  for (int arm = 0; arm < 3; ++arm) EXPECT_FALSE(same_arm_history(a, arm, b, arm)) << arm;
}

TEST(Experiment, EveryArmStartsFromTheSameInitialWeights) {
  Experiment e(config(std::string("{") + kTrio + "}"));
  ASSERT_EQ(e.arm_count(), 3);
  const Mlp<float>& ref = e.network(0);
  ASSERT_EQ(ref.depth(), 4);
  for (int arm = 1; arm < 3; ++arm) {
    SCOPED_TRACE(e.arm_name(arm));
    for (int l = 0; l < ref.depth(); ++l)
      EXPECT_EQ(e.network(arm).hidden(l).dense.W, ref.hidden(l).dense.W) << "layer " << l;
    EXPECT_EQ(e.network(arm).output_layer().W, ref.output_layer().W);
  }
  // Gaussian init with initStd 0.1: the first layer's 64 weights are not all zero, and
  // their sd is near 0.1 (SE 0.1 / sqrt(128) = 0.009, so 5 SE = 0.044).
  const auto& w = ref.hidden(0).dense.W;
  const double sd = std::sqrt(double(w.squaredNorm()) / w.size());
  EXPECT_NEAR(sd, 0.1, 0.044);
}

TEST(Experiment, ArmsTrainOnTheSameBatchesAndDoNotAffectEachOther) {
  // The plain (or bn-after) arm trained alongside the others records exactly what it
  // records alone: the mini-batch sequence does not depend on the arms, and no state is
  // shared between them.
  const long steps = 300;
  Experiment trio(config(std::string("{") + kTrio + "}"));
  Experiment plain(config(R"({"arms":["plain"]})"));
  Experiment after(config(R"({"arms":["bn-after"]})"));
  Experiment before_first(config(R"({"arms":["bn-before","plain"]})"));
  trio.step(steps);
  plain.step(steps);
  after.step(steps);
  before_first.step(steps);
  EXPECT_TRUE(same_arm_history(trio, arm_index(trio, "plain"), plain, 0));
  EXPECT_TRUE(same_arm_history(trio, arm_index(trio, "bn-after"), after, 0));
  EXPECT_TRUE(same_arm_history(trio, arm_index(trio, "bn-before"), before_first, 0));
  EXPECT_TRUE(same_arm_history(trio, arm_index(trio, "plain"), before_first, 1));
}

TEST(Experiment, BnBeforeDropsTheHiddenDenseBiasAndTheOtherArmsKeepIt) {
  Experiment e(config(std::string("{") + kTrio + "}"));
  for (int arm = 0; arm < 3; ++arm) {
    SCOPED_TRACE(e.arm_name(arm));
    const bool before = e.arm_name(arm) == "bn-before";
    for (int l = 0; l < e.network(arm).depth(); ++l) {
      EXPECT_EQ(e.network(arm).hidden(l).dense.has_bias, !before) << "layer " << l;
      EXPECT_EQ(e.network(arm).hidden(l).bn.has_value(), e.arm_name(arm) != "plain");
    }
    EXPECT_TRUE(e.network(arm).output_layer().has_bias);
  }
}

TEST(Experiment, LargeStepDivergesThePlainArmWhileBatchNormKeepsTraining) {
  // ReLU with N(0, 1) weights: the plain network's activations grow by about sqrt(32/2) = 4
  // per layer; at learning rate 0.5 the loss becomes NaN at step 5 (measured). BatchNorm
  // rescales every layer and reaches test accuracy 0.925 after 1000 steps (measured).
  Experiment e(config(R"({"learningRate":0.5,"activation":"relu","init":"gaussian","initStd":1})"));
  const int plain = arm_index(e, "plain"), bn = arm_index(e, "bn-before");
  EXPECT_NO_THROW(e.step(500));
  ASSERT_TRUE(e.diverged(plain));
  EXPECT_GT(e.diverged_at(plain), 0);
  EXPECT_LE(e.diverged_at(plain), 20);
  const std::string& message = e.message(plain);
  EXPECT_NE(message.find("diverged"), std::string::npos) << message;
  EXPECT_NE(message.find("step " + std::to_string(e.diverged_at(plain))), std::string::npos)
      << message;
  // A diverged arm stops: its weights no longer change.
  const Matrix<float> frozen = e.network(plain).output_layer().W;
  EXPECT_NO_THROW(e.step(500));
  EXPECT_EQ(e.steps(), 1000);
  // Bits, not values: the frozen weights may be NaN.
  EXPECT_EQ(std::memcmp(frozen.data(), e.network(plain).output_layer().W.data(),
                        sizeof(float) * frozen.size()),
            0);
  EXPECT_FALSE(e.diverged(bn));
  EXPECT_EQ(e.diverged_at(bn), -1);
  EXPECT_TRUE(e.message(bn).empty());
  EXPECT_GT(e.evaluate(bn, Split::Test).accuracy, 0.8f);
}

TEST(Experiment, DefaultConfigBatchNormBeatsPlainOnSpiralAfter3000Steps) {
  // The defaults (spiral, 4 x 32 sigmoid, lr 2) over seeds 1-5. One seed's accuracy at step
  // 3000 hangs on the last float rounding (lr 2 is chaotic: a sigmoid 1 ulp different moved
  // seed 1 from 0.755 to 0.625), so the test holds the average and the gap. Measured test
  // accuracy, bn-before: 0.625 0.750 0.635 0.900 0.700 (mean 0.722); plain: 0.480 0.515
  // 0.490 0.500 0.500 (chance). Bounds: mean above 0.65, every seed at least 0.1 above plain.
  double sum = 0;
  for (int seed = 1; seed <= 5; ++seed) {
    Experiment e(parse_config("{\"seed\":" + std::to_string(seed) + "}"));
    e.step(3000);
    const float bn = e.evaluate(arm_index(e, "bn-before"), Split::Test).accuracy;
    const float plain = e.evaluate(arm_index(e, "plain"), Split::Test).accuracy;
    EXPECT_GT(bn - plain, 0.1f) << "seed " << seed << ": bn-before " << bn << ", plain " << plain;
    sum += bn;
  }
  EXPECT_GT(sum / 5, 0.65);
}

TEST(Experiment, EveryArmLearnsTheGaussianBlobs) {
  // Two well-separated Gaussian blobs: measured test accuracy 1.0 for all three arms
  // after 500 steps (0.99-1.0 over seeds 1-6).
  Experiment e(config(std::string(R"({"dataset":"gauss","hidden":[8],"activation":"tanh",)") +
                      R"("init":"xavier","learningRate":0.5,)" + kTrio + "}"));
  e.step(500);
  for (int arm = 0; arm < 3; ++arm)
    EXPECT_GT(e.evaluate(arm, Split::Test).accuracy, 0.9f) << e.arm_name(arm);
}

TEST(Experiment, HistoryRecordsStepZeroAndEveryRecordEverySteps) {
  Experiment e(config(R"({"recordEvery":7,"hidden":[4],"arms":["plain"]})"));
  EXPECT_EQ(e.history().rows(), 1);
  e.step(100);
  ASSERT_EQ(e.history().rows(), 100 / 7 + 1);  // 0, 7, ..., 98
  for (int i = 0; i < e.history().rows(); ++i) EXPECT_EQ(e.history().at(i, 0), 7.0f * i);
  // Before any step there is no batch loss to report.
  EXPECT_TRUE(std::isnan(e.history().at(0, 1)));
  EXPECT_FALSE(std::isnan(e.history().at(1, 1)));
}

TEST(Experiment, HistorySeriesAreBatchLossThenTrainAndTestLossAndAccuracyPerArm) {
  Experiment e(config(std::string(R"({"recordEvery":10,)") + kTrio + "}"));
  e.step(50);
  ASSERT_STREQ(Experiment::kArmSeries[1], "trainLoss");
  const int last = e.history().rows() - 1;
  ASSERT_EQ(e.history().at(last, 0), 50.0f);
  for (int arm = 0; arm < 3; ++arm) {
    SCOPED_TRACE(e.arm_name(arm));
    const float* row = e.history().row(last) + e.arm_column(arm, 0);
    const Evaluation train = e.evaluate(arm, Split::Train), test = e.evaluate(arm, Split::Test);
    const Evaluation test_batch = e.evaluate(arm, Split::Test, Mode::BatchStats);
    EXPECT_EQ(row[1], train.loss);
    EXPECT_EQ(row[2], train.accuracy);
    EXPECT_EQ(row[3], test.loss);
    EXPECT_EQ(row[4], test.accuracy);
    EXPECT_EQ(row[5], test_batch.loss);
    EXPECT_EQ(row[6], test_batch.accuracy);
  }
}

TEST(Experiment, HistoryOfTenThousandStepsRecordedEveryStepStaysWithinCapacity) {
  Experiment e(
      config(R"({"recordEvery":1,"hidden":[4],"arms":["plain"],"samples":100,"batchSize":10})"));
  const History& h = e.history();
  for (int chunk = 0; chunk < 20; ++chunk) {
    e.step(500);
    ASSERT_LE(h.rows(), Experiment::kHistoryCapacity) << "after " << e.steps() << " steps";
  }
  // Halving keeps every other row, so at least half the capacity is always in use.
  EXPECT_GE(h.rows(), Experiment::kHistoryCapacity / 2);
  // The rows are steps 0, stride, 2 stride, ...: evenly spaced over the whole run, the last
  // one the last multiple of the stride, so within one stride of the end.
  const long stride = h.stride();
  EXPECT_EQ(h.at(0, 0), 0.0f);
  for (int i = 0; i < h.rows(); ++i) ASSERT_EQ(h.at(i, 0), float(i * stride)) << "row " << i;
  const float last = h.at(h.rows() - 1, 0);
  EXPECT_EQ(last, float(10000 / stride * stride));
  EXPECT_LT(10000 - last, 2 * stride);
}

// Mean loss and accuracy over the test split, from the network's logits, in double.
Evaluation by_hand(Experiment& e, int arm, Loss loss) {
  const Dataset& d = e.data();
  const Matrix<double> z = e.network(arm).forward(d.test_x, false).cast<double>();
  double total = 0;
  long correct = 0;
  for (Eigen::Index i = 0; i < z.rows(); ++i) {
    const int y = d.test_y[i];
    int predicted = 0;
    if (loss == Loss::Softmax) {
      // -log softmax(z)_y = -log(e^{z_y} / sum_j e^{z_j})
      double sum = 0;
      for (Eigen::Index j = 0; j < z.cols(); ++j) sum += std::exp(z(i, j));
      total += -std::log(std::exp(z(i, y)) / sum);
      predicted = z(i, 1) > z(i, 0);
    } else if (loss == Loss::Bce) {
      const double p = 1 / (1 + std::exp(-z(i, 0)));
      total += -(y * std::log(p) + (1 - y) * std::log(1 - p));
      predicted = p > 0.5;
    } else {
      total += 0.5 * (z(i, 0) - y) * (z(i, 0) - y);
      predicted = z(i, 0) > 0.5;
    }
    correct += predicted == y;
  }
  return {float(total / z.rows()), float(double(correct) / z.rows())};
}

TEST(Experiment, EvaluateMatchesLossAndAccuracyComputedByHandFromTheLogits) {
  // 600 test examples: more than one evaluation chunk of 256 rows, so the chunks' means
  // must be weighted by their sizes.
  for (const char* loss : {"softmax", "bce", "mse"}) {
    SCOPED_TRACE(loss);
    // A rate at which no arm diverges for any of the three losses (with the default
    // network, mse at rate 2 drives bn-after to NaN within 20 steps).
    Experiment e(config(std::string(R"({"samples":1000,"trainFraction":0.4,"hidden":[16,16],)") +
                        R"("activation":"tanh","init":"xavier","learningRate":0.2,"loss":")" +
                        loss + "\"," + kTrio + "}"));
    e.step(200);
    for (int arm = 0; arm < 3; ++arm) {
      SCOPED_TRACE(e.arm_name(arm));
      ASSERT_FALSE(e.diverged(arm));
      const Evaluation got = e.evaluate(arm, Split::Test);
      const Evaluation want = by_hand(e, arm, value_named<Loss>(loss));
      EXPECT_GE(got.accuracy, 0.0f);
      EXPECT_LE(got.accuracy, 1.0f);
      // float32 logits and sums: a relative error of 1e-5 is ~100 float ulps of slack.
      EXPECT_NEAR(got.loss, want.loss, 1e-5 * want.loss);
      EXPECT_EQ(got.accuracy, want.accuracy);
    }
  }
}

TEST(Experiment, GridHoldsClassOneProbabilitiesOverABoxAroundAllPoints) {
  for (const char* loss : {"softmax", "bce", "mse"}) {
    SCOPED_TRACE(loss);
    Experiment e(
        config(std::string(R"({"dataset":"scales","standardize":true,"gridSize":20,)") +
               R"("hidden":[8],"activation":"tanh","init":"xavier","learningRate":0.2,"loss":")" +
               loss + "\"," + kTrio + "}"));
    e.step(200);
    const GridInfo& g = e.grid_info();
    ASSERT_EQ(g.size, 20);
    const Dataset& d = e.data();
    for (const Matrix<float>* raw : {&d.train_raw, &d.test_raw}) {
      EXPECT_LT(g.x_min, raw->col(0).minCoeff());
      EXPECT_GT(g.x_max, raw->col(0).maxCoeff());
      EXPECT_LT(g.y_min, raw->col(1).minCoeff());
      EXPECT_GT(g.y_max, raw->col(1).maxCoeff());
    }
    std::vector<float> p(20 * 20, -1.0f);
    for (int arm = 0; arm < 3; ++arm) {
      SCOPED_TRACE(e.arm_name(arm));
      ASSERT_FALSE(e.diverged(arm));
      e.grid(arm, p.data());
      for (const float v : p) {
        ASSERT_GE(v, 0.0f);
        ASSERT_LE(v, 1.0f);
      }
      // Three corners by hand: row iy = 0 is y_min, column ix = 0 is x_min; inputs are
      // standardized like the data.
      struct Corner {
        int index;
        float x, y;
      };
      for (const Corner& c : {Corner{0, g.x_min, g.y_min}, Corner{19, g.x_max, g.y_min},
                              Corner{19 * 20, g.x_min, g.y_max}}) {
        Matrix<float> in(1, 2);
        in << (c.x - d.input_mean(0)) / d.input_std(0), (c.y - d.input_mean(1)) / d.input_std(1);
        const Matrix<double> z = e.network(arm).forward(in, false).cast<double>();
        double want;
        if (std::string(loss) == "softmax")
          want = std::exp(z(0, 1)) / (std::exp(z(0, 0)) + std::exp(z(0, 1)));
        else if (std::string(loss) == "bce")
          want = 1 / (1 + std::exp(-z(0, 0)));
        else
          want = std::min(1.0, std::max(0.0, z(0, 0)));
        EXPECT_NEAR(p[c.index], want, 1e-5) << "corner " << c.index;
      }
    }
  }
}

TEST(Experiment, SetLearningRateScalesTheNextUpdateWithoutRestarting) {
  // With momentum 0 an SGD update is -learningRate * gradient; two twins at the same
  // weights see the same batch and gradient, so after one more step their weight changes
  // differ by the ratio of the rates, 0.5 / 2 = 0.25.
  const Config c = config(std::string(R"({"learningRate":2,)") + kTrio + "}");
  Experiment changed(c), same(c);
  changed.step(50);
  same.step(50);
  changed.set_learning_rate(0.5);
  EXPECT_EQ(changed.steps(), 50);
  EXPECT_EQ(changed.config().learningRate, 0.5);
  std::vector<Matrix<float>> before;
  for (int arm = 0; arm < 3; ++arm) before.push_back(same.network(arm).output_layer().W);
  changed.step(1);
  same.step(1);
  EXPECT_EQ(changed.steps(), 51);
  for (int arm = 0; arm < 3; ++arm) {
    SCOPED_TRACE(changed.arm_name(arm));
    const Matrix<float> d_changed = changed.network(arm).output_layer().W - before[arm];
    const Matrix<float> d_same = same.network(arm).output_layer().W - before[arm];
    ASSERT_GT(d_same.cwiseAbs().maxCoeff(), 1e-4f) << "the step must move the weights";
    // Each weight is rounded to float once per step: 1e-6 covers a few ulps at |W| ~ 1.
    const float scale = 1 + before[arm].cwiseAbs().maxCoeff();
    EXPECT_LT((d_changed - 0.25f * d_same).cwiseAbs().maxCoeff(), 1e-6f * scale);
  }
}

TEST(Experiment, InvalidLearningRateIsAConfigErrorAndKeepsTheOldRate) {
  const Config c = config(std::string("{") + kTrio + "}");
  Experiment tried(c), untouched(c);
  tried.step(20);
  untouched.step(20);
  for (const double bad : {-1.0, 0.0, 1e9, std::nan("")}) {
    SCOPED_TRACE(bad);
    try {
      tried.set_learning_rate(bad);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      ASSERT_EQ(e.errors().size(), 1u);
      EXPECT_EQ(e.errors()[0].field, "learningRate");
      EXPECT_NE(std::string(e.what()).find("learningRate"), std::string::npos);
    }
    EXPECT_EQ(tried.config().learningRate, c.learningRate);
  }
  EXPECT_EQ(tried.steps(), 20);
  tried.step(100);
  untouched.step(100);
  for (int arm = 0; arm < 3; ++arm) EXPECT_TRUE(same_arm_history(tried, arm, untouched, arm));
}

TEST(Experiment, EveryConfigThatParsesBuildsAnExperiment) {
  // parse_config is the one validator: a configuration it accepts must not fail later.
  // Each numeric field at its minimum and at its maximum (the extremes where a double can
  // turn into a float 0 or a buffer can be too small), plus a few odd shapes.
  std::vector<Json> configs;
  const Json schema = config_schema();
  for (const Json& entry : schema.items()) {
    const std::string type = entry.find("type")->as_string();
    if (type != "integer" && type != "number") continue;
    for (const char* end : {"min", "max"}) {
      Json j = Json::object();
      j.set("samples", 200);
      j.set("batchSize", 16);
      j.set(entry.find("name")->as_string(), entry.find(end)->as_number());
      configs.push_back(j);
    }
  }
  for (const char* json : {R"({"hidden":[]})", R"({"samples":20,"batchSize":10,"gridSize":2})",
                           R"({"hidden":[1,1,1,1,1,1,1,1,1,1],"arms":["bn-after"]})"})
    configs.push_back(Json::parse(json));
  for (const Json& j : configs) {
    SCOPED_TRACE(j.dump());
    Config c;
    try {
      c = parse_config(j);
    } catch (const ConfigError& err) {
      // Only the cross-field rule may refuse an extreme (batchSize 1024 > 100 training examples).
      EXPECT_NE(std::string(err.what()).find("batchSize: must be at most the training set"),
                std::string::npos)
          << err.what();
      continue;
    }
    try {
      Experiment e(c);
      e.step(3);
      EXPECT_EQ(e.steps(), 3);
    } catch (const std::exception& err) {
      ADD_FAILURE() << "valid configuration, but: " << err.what();
    }
  }
}

// The arms beyond plain and BN: LayerNorm, noisy BN, dropout.
const char* const kOthers = R"("arms":["ln-before","bn-noisy","dropout","plain"])";

TEST(OtherArms, SameConfigGivesBitwiseIdenticalHistoryAndEachArmIsTheSameAlone) {
  const Config c = config(std::string(R"({"recordEvery":10,"gradientIcs":true,)") + kOthers + "}");
  Experiment a(c), b(c);
  a.step(300);
  b.step(300);
  for (int s = 0; s < a.history().series(); ++s)
    EXPECT_TRUE(same_series(a.history(), s, b.history(), s)) << "series " << s;
  // Each arm's noise is its own: alone, or first, it records exactly the same.
  for (const char* name : {"ln-before", "bn-noisy", "dropout"}) {
    SCOPED_TRACE(name);
    Experiment alone(
        config(std::string(R"({"recordEvery":10,"gradientIcs":true,"arms":[")") + name + "\"]}"));
    alone.step(300);
    EXPECT_TRUE(same_arm_history(a, arm_index(a, name), alone, 0));
  }
}

TEST(OtherArms, DropoutAtRateZeroIsPlainBitForBit) {
  Experiment e(config(R"({"arms":["plain","dropout"],"dropout":0,"recordEvery":10})"));
  e.step(300);
  EXPECT_TRUE(same_arm_history(e, 0, e, 1));
  Experiment noisy(config(R"({"arms":["plain","dropout"],"dropout":0.25,"recordEvery":10})"));
  noisy.step(300);
  EXPECT_FALSE(same_arm_history(noisy, 0, noisy, 1));
}

TEST(OtherArms, NoisyBnWithoutNoiseIsBnBeforeBitForBit) {
  Experiment e(config(
      R"({"arms":["bn-before","bn-noisy"],"bnNoiseShift":0,"bnNoiseScale":0,"recordEvery":10})"));
  e.step(300);
  const int jitter =
      Experiment::JitterStd;  // drawn from the arm's own random batches: not compared
  ASSERT_STREQ(Experiment::kLayerSeries[jitter], "jitterStd");
  for (int s = 0; s < Experiment::kSeriesPerArm; ++s)
    EXPECT_TRUE(same_series(e.history(), e.arm_column(0, s), e.history(), e.arm_column(1, s))) << s;
  for (int l = 0; l < e.depth(); ++l)
    for (int s = 0; s < Experiment::kSeriesPerLayer; ++s)
      if (s != jitter) {
        EXPECT_TRUE(
            same_series(e.history(), e.layer_column(0, l, s), e.history(), e.layer_column(1, l, s)))
            << "layer " << l << " " << Experiment::kLayerSeries[s];
      }
}

TEST(OtherArms, DropoutZeroesTheConfiguredShareOfOutputsAndScalesTheRest) {
  Experiment e(config(R"({"arms":["dropout"],"dropout":0.25})"));
  long zeros = 0, kept = 0;
  for (int step = 0; step < 10; ++step) {
    e.step(1);
    for (int l = 0; l < e.depth(); ++l) {
      const Matrix<float>& mask = e.network(0).hidden(l).mask;
      for (Eigen::Index i = 0; i < e.config().batchSize; ++i)
        for (Eigen::Index j = 0; j < mask.cols(); ++j) {
          if (mask(i, j) == 0) {
            ++zeros;
          } else {
            EXPECT_FLOAT_EQ(mask(i, j), 1 / 0.75f);
            ++kept;
          }
        }
    }
  }
  // 10 steps x 4 layers x 32 x 32 = 40,960 draws; sd of the share sqrt(.25 .75 / 40960) = 0.0021.
  EXPECT_NEAR(double(zeros) / double(zeros + kept), 0.25, 5 * 0.0021);
}

TEST(OtherArms, NoisyBnDrawsItsShiftAndScaleFromTheirRangesAndInferenceIgnoresThem) {
  Experiment e(config(R"({"arms":["bn-noisy"],"bnNoiseShift":0.5,"bnNoiseScale":0.8})"));
  double shift_sum = 0, scale_sum = 0;
  long n = 0;
  for (int step = 0; step < 50; ++step) {
    e.step(1);
    const auto& h = e.network(0).hidden(1);
    EXPECT_GE(h.noise_scale.minCoeff(), 0.2f);
    EXPECT_LE(h.noise_scale.maxCoeff(), 1.8f);
    EXPECT_LE(h.noise_shift.cwiseAbs().maxCoeff(), 0.5f);
    shift_sum += h.noise_shift.sum();
    scale_sum += h.noise_scale.sum();
    n += h.noise_shift.size();
  }
  // 1600 draws: U(-0.5, 0.5) has mean 0 and sd 0.29; U(0.2, 1.8) mean 1 and sd 0.46; 5 SE bounds.
  EXPECT_NEAR(shift_sum / n, 0.0, 5 * 0.29 / 40);
  EXPECT_NEAR(scale_sum / n, 1.0, 5 * 0.46 / 40);
  // Inference does not see the noise: drawing other noise changes no evaluation.
  const Evaluation before = e.evaluate(0, Split::Test);
  Rng other(99);
  e.network(0).draw_noise(other, e.config().batchSize);
  const Evaluation after = e.evaluate(0, Split::Test);
  EXPECT_EQ(before.loss, after.loss);
  EXPECT_EQ(before.accuracy, after.accuracy);
}

TEST(OtherArms, FourArmsAtOnceAndNoMore) {
  EXPECT_NO_THROW(config(R"({"arms":["plain","bn-before","ln-before","dropout"]})"));
  try {
    config(R"({"arms":["plain","bn-before","ln-before","dropout","bn-noisy"]})");
    ADD_FAILURE() << "five arms accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.errors()[0].field, "arms");
  }
}

TEST(Experiment, TheSeriesEnumsNameTheColumnsTheTablesName) {
  EXPECT_STREQ(Experiment::kArmSeries[Experiment::BatchLoss], "batchLoss");
  EXPECT_STREQ(Experiment::kArmSeries[Experiment::TestAccuracyBatchStats],
               "testAccuracyBatchStats");
  EXPECT_STREQ(Experiment::kArmSeries[Experiment::LandscapeBeta], "landscapeBeta");
  EXPECT_STREQ(Experiment::kArmSeries[Experiment::kSeriesPerArm - 1], "landscapeBeta");
  EXPECT_STREQ(Experiment::kLayerSeries[Experiment::P15], "p15");
  EXPECT_STREQ(Experiment::kLayerSeries[Experiment::RelativeShift], "relativeShift");
  EXPECT_STREQ(Experiment::kLayerSeries[Experiment::Saturation], "saturation");
  EXPECT_STREQ(Experiment::kLayerSeries[Experiment::JitterStd], "jitterStd");
  EXPECT_STREQ(Experiment::kLayerSeries[Experiment::Gamma], "gamma");
  EXPECT_STREQ(Experiment::kLayerSeries[Experiment::BatchVar], "batchVar");
  EXPECT_STREQ(Experiment::kLayerSeries[Experiment::kSeriesPerLayer - 1], "undoShift");
}

TEST(Experiment, ArmIndexOutOfRangeIsAnError) {
  Experiment e(config(R"({"arms":["plain"]})"));
  EXPECT_THROW(e.arm_name(1), std::out_of_range);
  EXPECT_THROW(e.evaluate(-1, Split::Test), std::out_of_range);
  EXPECT_THROW(e.step(-1), std::invalid_argument);
}

}  // namespace
}  // namespace bnlab

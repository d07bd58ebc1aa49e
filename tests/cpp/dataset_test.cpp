// Data sets: shapes and class balance, the geometry each generator promises (checked on
// noise-free points), the noise's standard deviation, the split, and standardization with
// training-set statistics.
//
// Statistical bounds are 5 standard errors: a correct generator fails one with probability
// below 1e-6, and with fixed seeds every check is deterministic.
#include "bnlab/lab/dataset.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

namespace bnlab {
namespace {

constexpr double kPi = 3.14159265358979323846;
const char* const kDatasets[] = {"circle", "xor", "gauss", "spiral", "scales"};

struct Points {
  Matrix<double> xy;
  std::vector<std::int32_t> labels;
};

Points generate(const std::string& dataset, int samples, double noise, std::uint64_t seed) {
  Points p;
  generate_points(value_named<DatasetKind>(dataset), samples, noise, seed, p.xy, p.labels);
  return p;
}

Config config_for(const std::string& dataset, int samples = 400, double train_fraction = 0.5) {
  Config c;
  c.dataset = value_named<DatasetKind>(dataset);
  c.samples = samples;
  c.trainFraction = train_fraction;
  c.batchSize = 2;
  return c;
}

struct Stats {
  double mean, sd;  // population standard deviation
};
Stats stats(const std::vector<double>& v) {
  double mean = 0, ss = 0;
  for (const double x : v) mean += x;
  mean /= v.size();
  for (const double x : v) ss += (x - mean) * (x - mean);
  return {mean, std::sqrt(ss / v.size())};
}
template <class M>
Stats column_stats(const M& m, int col) {
  std::vector<double> v;
  for (Eigen::Index i = 0; i < m.rows(); ++i) v.push_back(double(m(i, col)));
  return stats(v);
}

TEST(Dataset, EveryDatasetGivesSamplesByTwoPointsWithAlternatingLabelsAndEqualClasses) {
  for (const char* name : kDatasets)
    for (const int samples : {20, 400, 5000}) {
      SCOPED_TRACE(std::string(name) + " x " + std::to_string(samples));
      const Points p = generate(name, samples, 0.1, 5);
      ASSERT_EQ(p.xy.rows(), samples);
      ASSERT_EQ(p.xy.cols(), 2);
      ASSERT_EQ(int(p.labels.size()), samples);
      int ones = 0;
      for (int i = 0; i < samples; ++i) {
        ASSERT_EQ(p.labels[i], i % 2);
        ones += p.labels[i];
      }
      EXPECT_EQ(ones, samples / 2);
      EXPECT_TRUE(p.xy.allFinite());
    }
}

TEST(Dataset, OddSampleCountGivesClassZeroTheExtraExample) {
  const Points p = generate("circle", 21, 0.0, 1);
  EXPECT_EQ(std::count(p.labels.begin(), p.labels.end(), 0), 11);
  EXPECT_EQ(std::count(p.labels.begin(), p.labels.end(), 1), 10);
}

TEST(Dataset, UnknownDatasetNameIsAnError) {
  EXPECT_THROW(value_named<DatasetKind>("moons"), std::invalid_argument);
}

TEST(Dataset, TrainSplitHasFloorOfSamplesTimesFractionAndTestTheRest) {
  struct Case {
    int samples;
    double fraction;
    int train;  // by hand
  };
  for (const Case& k : {Case{400, 0.5, 200}, Case{101, 0.25, 25}, Case{1000, 0.9, 900},
                        Case{20, 0.1, 2}, Case{5000, 0.75, 3750}, Case{33, 0.5, 16}}) {
    SCOPED_TRACE(std::to_string(k.samples) + " x " + std::to_string(k.fraction));
    const Dataset d = make_dataset(config_for("spiral", k.samples, k.fraction));
    EXPECT_EQ(d.features, 2);
    EXPECT_EQ(d.classes, 2);
    EXPECT_EQ(d.train_x.rows(), k.train);
    EXPECT_EQ(d.train_raw.rows(), k.train);
    EXPECT_EQ(int(d.train_y.size()), k.train);
    EXPECT_EQ(d.test_x.rows(), k.samples - k.train);
    EXPECT_EQ(d.test_raw.rows(), k.samples - k.train);
    EXPECT_EQ(int(d.test_y.size()), k.samples - k.train);
    EXPECT_EQ(d.train_x.cols(), 2);
    EXPECT_EQ(d.test_x.cols(), 2);
  }
}

TEST(Dataset, SplitsTogetherAreExactlyTheGeneratedPoints) {
  for (const char* name : kDatasets) {
    SCOPED_TRACE(name);
    const Config c = config_for(name, 400, 0.3);
    const Points p = generate(name, c.samples, c.noise, c.seed);
    const Dataset d = make_dataset(c);
    using Row = std::tuple<float, float, int>;
    std::vector<Row> generated, split;
    for (int i = 0; i < c.samples; ++i)
      generated.emplace_back(float(p.xy(i, 0)), float(p.xy(i, 1)), p.labels[i]);
    for (int i = 0; i < d.train_raw.rows(); ++i)
      split.emplace_back(d.train_raw(i, 0), d.train_raw(i, 1), d.train_y[i]);
    for (int i = 0; i < d.test_raw.rows(); ++i)
      split.emplace_back(d.test_raw(i, 0), d.test_raw(i, 1), d.test_y[i]);
    std::sort(generated.begin(), generated.end());
    std::sort(split.begin(), split.end());
    EXPECT_EQ(split, generated);
    const auto ones = [](const std::vector<std::int32_t>& y) {
      return std::count(y.begin(), y.end(), 1);
    };
    EXPECT_EQ(ones(d.train_y) + ones(d.test_y), 200);
  }
}

TEST(Dataset, SplitIsShuffledNotTheFirstRowsOfTheGeneratedOrder) {
  // Generated labels alternate; a split that took rows in order would give the training
  // set labels 0, 1, 0, 1, ... The chance that a shuffle keeps 40 rows alternating is 2^-39.
  const Dataset d = make_dataset(config_for("circle", 400, 0.5));
  bool alternating = true;
  for (int i = 0; i < 40; ++i) alternating &= d.train_y[i] == i % 2;
  EXPECT_FALSE(alternating);
}

TEST(Dataset, SameSeedGivesIdenticalDataAndADifferentSeedDifferentData) {
  for (const char* name : kDatasets) {
    SCOPED_TRACE(name);
    Config c = config_for(name);
    const Dataset a = make_dataset(c), b = make_dataset(c);
    EXPECT_EQ(a.train_raw, b.train_raw);
    EXPECT_EQ(a.test_raw, b.test_raw);
    EXPECT_EQ(a.train_y, b.train_y);
    EXPECT_EQ(a.test_y, b.test_y);
    c.seed = 2;
    const Dataset other = make_dataset(c);
    EXPECT_NE(other.train_raw, a.train_raw);
    EXPECT_NE(other.train_y, a.train_y);
  }
}

TEST(Dataset, ChangingTheNoiseKeepsTheSplitOrder) {
  // The split has its own generator stream, so the same seed puts the same examples in the
  // training set whatever the noise: the labels come out in the same order.
  Config c = config_for("xor");
  c.noise = 0.0;
  const Dataset clean = make_dataset(c);
  c.noise = 0.3;
  const Dataset noisy = make_dataset(c);
  EXPECT_EQ(clean.train_y, noisy.train_y);
  EXPECT_EQ(clean.test_y, noisy.test_y);
  EXPECT_NE(clean.train_raw, noisy.train_raw);
}

TEST(Dataset, CircleClassOneIsWithinRadiusHalfAndClassZeroInTheRingFrom0p7To1) {
  const Points p = generate("circle", 2000, 0.0, 11);
  for (int i = 0; i < 2000; ++i) {
    const double r = std::hypot(p.xy(i, 0), p.xy(i, 1));
    // 1e-12: the rounding of sqrt, cos and sin on values of order 1.
    if (p.labels[i] == 1) {
      ASSERT_LE(r, 0.5 + 1e-12) << i;
    } else {
      ASSERT_GE(r, 0.7 - 1e-12) << i;
      ASSERT_LE(r, 1.0 + 1e-12) << i;
    }
  }
}

TEST(Dataset, XorClassOneIffTheCoordinatesShareASignAndPointsKeepOffTheAxes) {
  const Points p = generate("xor", 2000, 0.0, 12);
  for (int i = 0; i < 2000; ++i) {
    const double x = p.xy(i, 0), y = p.xy(i, 1);
    ASSERT_EQ(p.labels[i] == 1, x * y > 0) << i;
    ASSERT_GE(std::abs(x), 0.05) << i;
    ASSERT_GE(std::abs(y), 0.05) << i;
    ASSERT_LE(std::abs(x), 1.0) << i;
    ASSERT_LE(std::abs(y), 1.0) << i;
  }
  // All four quadrants are used: each class has points in both of its quadrants.
  int quadrant[4] = {0, 0, 0, 0};
  for (int i = 0; i < 2000; ++i) ++quadrant[(p.xy(i, 0) > 0) + 2 * (p.xy(i, 1) > 0)];
  for (const int q : quadrant) EXPECT_GT(q, 400);  // 500 expected, binomial SE 16
}

TEST(Dataset, SpiralPointsLieOnTheArmAngle3p5PiRAndClassOneIsTheReflectedArm) {
  // Arm k of 1.75 turns: a point at radius r has angle 2 pi 1.75 r + k pi (mod 2 pi), so
  // reflecting a class-1 point through the origin (adding pi) puts it on the class-0 arm.
  const Points p = generate("spiral", 2000, 0.0, 13);
  for (int i = 0; i < 2000; ++i) {
    const double x = p.xy(i, 0), y = p.xy(i, 1), r = std::hypot(x, y);
    ASSERT_GE(r, 0.0);
    ASSERT_LT(r, 1.0 + 1e-12);
    if (r < 1e-9) continue;  // the angle of the origin is undefined
    const double k = p.labels[i];
    const double on_arm = std::remainder(std::atan2(y, x) - 3.5 * kPi * r - k * kPi, 2 * kPi);
    ASSERT_NEAR(on_arm, 0.0, 1e-9) << i;
    const double reflected =
        std::remainder(std::atan2(-y, -x) - 3.5 * kPi * r - (1 - k) * kPi, 2 * kPi);
    ASSERT_NEAR(reflected, 0.0, 1e-9) << i;
  }
}

TEST(Dataset, GaussClassMeansAreMinusAndPlusOneHalfWithSpreadOneQuarter) {
  const int n = 5000, per_class = n / 2;
  const Points p = generate("gauss", n, 0.0, 14);
  for (int label = 0; label < 2; ++label)
    for (int j = 0; j < 2; ++j) {
      std::vector<double> v;
      for (int i = 0; i < n; ++i)
        if (p.labels[i] == label) v.push_back(p.xy(i, j));
      const Stats s = stats(v);
      // SE of the mean 0.25 / sqrt(2500) = 0.005; of the sd 0.25 / sqrt(2 * 2500) = 0.0035.
      EXPECT_NEAR(s.mean, label ? 0.5 : -0.5, 5 * 0.25 / std::sqrt(per_class));
      EXPECT_NEAR(s.sd, 0.25, 5 * 0.25 / std::sqrt(2.0 * per_class));
    }
}

TEST(Dataset, ScalesHasHeightsFrom1p5To2MetresAndClassOneIffBmiAtLeast25) {
  const Points p = generate("scales", 2000, 0.0, 15);
  for (int i = 0; i < 2000; ++i) {
    const double height = p.xy(i, 0), weight = p.xy(i, 1);
    ASSERT_GE(height, 1.5) << i;
    ASSERT_LE(height, 2.0) << i;
    const double bmi = weight / (height * height);
    ASSERT_EQ(p.labels[i] == 1, bmi >= 25.0) << i << ": bmi " << bmi;
    ASSERT_GE(bmi, 17.0 - 1e-9) << i;
    ASSERT_LE(bmi, 33.0 + 1e-9) << i;
  }
}

TEST(Dataset, ScalesFeaturesSpreadsDifferByMoreThanFiftyTimes) {
  // The point of the data set: without standardization one input dwarfs the other.
  // Heights are uniform on 0.5 m (sd 0.144); weights spread over tens of kilograms.
  const Points p = generate("scales", 2000, 0.0, 16);
  const double sd_height = column_stats(p.xy, 0).sd, sd_weight = column_stats(p.xy, 1).sd;
  // Uniform of width w: sd w / sqrt 12; SE of the sd sqrt((mu4 - sigma^4) / n) / (2 sigma)
  // with mu4 = w^4 / 80, here 0.0014.
  const double w = 0.5, var = w * w / 12, mu4 = w * w * w * w / 80;
  EXPECT_NEAR(sd_height, std::sqrt(var),
              5 * std::sqrt((mu4 - var * var) / 2000) / (2 * std::sqrt(var)));
  EXPECT_GT(sd_weight / sd_height, 50.0);
}

// Noise-free and noisy points of the same seed differ only by the noise: the generator
// draws the same numbers whatever the noise level.
struct NoiseStats {
  Stats feature[2];
};
NoiseStats noise_stats(const std::string& dataset, double noise) {
  const int n = 5000;
  const Points clean = generate(dataset, n, 0.0, 17), noisy = generate(dataset, n, noise, 17);
  NoiseStats out;
  for (int j = 0; j < 2; ++j) {
    std::vector<double> diff;
    for (int i = 0; i < n; ++i) diff.push_back(noisy.xy(i, j) - clean.xy(i, j));
    out.feature[j] = stats(diff);
  }
  return out;
}

TEST(Dataset, NoiseOnTheUnitScaleSetsIsGaussianWithTheStatedStandardDeviation) {
  const double noise = 0.1, n = 5000;
  for (const char* name : {"circle", "xor", "gauss", "spiral"}) {
    SCOPED_TRACE(name);
    const NoiseStats s = noise_stats(name, noise);
    for (const Stats& f : s.feature) {
      // SE of the mean: noise / sqrt(n) = 0.0014; of the sd: noise / sqrt(2 n) = 0.001.
      EXPECT_NEAR(f.mean, 0.0, 5 * noise / std::sqrt(n));
      EXPECT_NEAR(f.sd, noise, 5 * noise / std::sqrt(2 * n));
    }
  }
}

TEST(Dataset, ScalesNoiseIsTheSameFractionOfEachFeaturesSpread) {
  // "In units of that feature's scale": 0.1 noise is about a tenth of each feature's
  // standard deviation, though the two spreads differ by two orders of magnitude. The 25%
  // band is the design tolerance of a nominal scale, far tighter than the factor of over
  // 50 that a noise in absolute units would be off by on one of the features.
  const NoiseStats s = noise_stats("scales", 0.1);
  const Points clean = generate("scales", 5000, 0.0, 17);
  for (int j = 0; j < 2; ++j) {
    SCOPED_TRACE(j);
    const double ratio = s.feature[j].sd / column_stats(clean.xy, j).sd;
    EXPECT_GT(ratio, 0.1 * 0.75);
    EXPECT_LT(ratio, 0.1 * 1.25);
  }
}

TEST(Dataset, UnstandardizedInputsAreTheRawPoints) {
  const Dataset d = make_dataset(config_for("scales"));
  EXPECT_EQ(d.train_x, d.train_raw);
  EXPECT_EQ(d.test_x, d.test_raw);
  EXPECT_EQ(d.input_mean, RowVector<float>::Zero(2));
  EXPECT_EQ(d.input_std, RowVector<float>::Ones(2));
}

TEST(Dataset, StandardizeGivesTrainingInputsMeanZeroAndPopulationSdOne) {
  for (const char* name : {"scales", "spiral"}) {
    SCOPED_TRACE(name);
    Config c = config_for(name);
    c.standardize = true;
    const Dataset d = make_dataset(c);
    for (int j = 0; j < 2; ++j) {
      const Stats s = column_stats(d.train_x, j);
      // float32 inputs of order 1: each value carries a relative error near 6e-8.
      EXPECT_NEAR(s.mean, 0.0, 1e-5);
      EXPECT_NEAR(s.sd, 1.0, 1e-5);
      // The stored statistics are those of the raw training inputs.
      const Stats raw = column_stats(d.train_raw, j);
      EXPECT_NEAR(d.input_mean(j), raw.mean, 1e-6 * std::abs(raw.mean) + 1e-7);
      EXPECT_NEAR(d.input_std(j), raw.sd, 1e-6 * raw.sd);
    }
  }
}

TEST(Dataset, StandardizeTransformsTheTestSplitWithTheTrainingStatistics) {
  Config c = config_for("scales");
  c.standardize = true;
  const Dataset d = make_dataset(c);
  const Stats train_h = column_stats(d.train_raw, 0), train_w = column_stats(d.train_raw, 1);
  for (int i = 0; i < d.test_raw.rows(); ++i) {
    ASSERT_NEAR(d.test_x(i, 0), (d.test_raw(i, 0) - train_h.mean) / train_h.sd, 1e-4) << i;
    ASSERT_NEAR(d.test_x(i, 1), (d.test_raw(i, 1) - train_w.mean) / train_w.sd, 1e-4) << i;
  }
  // So the test inputs are not centred exactly: their mean is the difference of two sample
  // means of 200, with sd sqrt(2/200) = 0.1 in standard units (measured 0.0012 and 0.019),
  // where float noise in a re-centred split would be below 1e-6 (measured 3e-7 for train).
  const double offset =
      std::max(std::abs(column_stats(d.test_x, 0).mean), std::abs(column_stats(d.test_x, 1).mean));
  EXPECT_GT(offset, 1e-3);
}

TEST(Dataset, StandardizeKeepsRawPointsInOriginalUnits) {
  Config c = config_for("scales");
  const Dataset plain = make_dataset(c);
  c.standardize = true;
  const Dataset standardized = make_dataset(c);
  EXPECT_EQ(standardized.train_raw, plain.train_raw);
  EXPECT_EQ(standardized.test_raw, plain.test_raw);
  // Heights in metres, weights in kilograms: 1.5 m to 2 m give or take the 0.05 noise.
  EXPECT_GT(standardized.train_raw.col(0).minCoeff(), 1.3f);
  EXPECT_LT(standardized.train_raw.col(0).maxCoeff(), 2.2f);
  EXPECT_GT(standardized.train_raw.col(1).maxCoeff(), 60.0f);
}

}  // namespace
}  // namespace bnlab

namespace bnlab {
namespace {

// Covariate shift: the same world, another part of it. With covariateShift 0.5 the training
// world is the left half of a pool of points and the shifted test set comes from the right
// half, both labelled by the data set's own rule (for the circle: inside radius 0.6 or not).
TEST(CovariateShift, TheShiftedTestSetLiesRightOfTheTrainingWorldAndKeepsItsLabellingRule) {
  const Config c = parse_config(
      std::string(R"({"dataset": "circle", "samples": 400, "noise": 0, "covariateShift": 0.5})"));
  const Dataset d = make_dataset(c);
  ASSERT_EQ(d.shifted_x.rows(), d.test_x.rows());
  ASSERT_EQ(d.shifted_y.size(), d.test_y.size());
  const float right_of_world =
      std::max(d.train_raw.col(0).maxCoeff(), d.test_raw.col(0).maxCoeff());
  EXPECT_GE(d.shifted_raw.col(0).minCoeff(), right_of_world);
  const auto rule = [](float x, float y) { return std::sqrt(x * x + y * y) < 0.6f ? 1 : 0; };
  for (Eigen::Index i = 0; i < d.shifted_raw.rows(); ++i)
    EXPECT_EQ(d.shifted_y[i], rule(d.shifted_raw(i, 0), d.shifted_raw(i, 1))) << i;
  for (Eigen::Index i = 0; i < d.train_raw.rows(); ++i)
    EXPECT_EQ(d.train_y[i], rule(d.train_raw(i, 0), d.train_raw(i, 1))) << i;
}

TEST(CovariateShift, ASmallerShiftOverlapsTheTwoPartsAndNoShiftHasNoShiftedSet) {
  const Config c = parse_config(std::string(R"({"dataset": "xor", "covariateShift": 0.2})"));
  const Dataset d = make_dataset(c);
  EXPECT_LT(d.shifted_raw.col(0).minCoeff(), d.train_raw.col(0).maxCoeff());
  EXPECT_EQ(make_dataset(parse_config(std::string("{}"))).shifted_x.rows(), 0);
}

TEST(CovariateShift, TheDigitsRefuseIt) {
  try {
    parse_config(std::string(R"({"dataset": "digits", "covariateShift": 0.3})"));
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_EQ(e.errors()[0].field, "covariateShift");
  }
}

}  // namespace
}  // namespace bnlab

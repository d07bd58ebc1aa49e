// The page's BatchNorm calculator (lab/calculator.hpp) against values worked by hand, against
// torch.nn.BatchNorm1d's reference vectors, and its refusals, each naming its field.
#include "bnlab/lab/calculator.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "bnlab/io/config.hpp"
#include "test_util.hpp"

namespace bnlab {
namespace {

BnCalculated calc(const std::string& json) {
  return calculate_bn(parse_bn_calculation(Json::parse(json)));
}

// values 1, 2, 3, 6: mean 3; deviations -2, -1, 0, 3; biased variance (4 + 1 + 0 + 9) / 4 = 3.5.
TEST(Calculator, AWorkedBatchOfFourGivesTheHandComputedMeanVarianceAndOutputs) {
  const BnCalculated r = calc(R"({"values": [1, 2, 3, 6], "gamma": 2, "beta": 0.5, "eps": 1e-5})");
  EXPECT_FLOAT_EQ(r.mean, 3.0f);
  EXPECT_FLOAT_EQ(r.var, 3.5f);
  const double sd = std::sqrt(3.5 + 1e-5);
  const double deviation[] = {-2, -1, 0, 3};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(r.x_hat[i], deviation[i] / sd, 1e-6);
    EXPECT_NEAR(r.y[i], 2 * deviation[i] / sd + 0.5, 1e-6);
  }
}

// An outlier pulls the mean and inflates the variance: 0, 0, 0, 100 has mean 25 and variance
// (625 * 3 + 5625) / 4 = 1875, so the three zeros share one x_hat of -25 / sqrt(1875) = -0.577.
TEST(Calculator, AnOutlierSetsTheScaleForEveryValue) {
  const BnCalculated r = calc(R"({"values": [0, 0, 0, 100], "gamma": 1, "beta": 0, "eps": 1e-5})");
  EXPECT_FLOAT_EQ(r.mean, 25.0f);
  EXPECT_FLOAT_EQ(r.var, 1875.0f);
  EXPECT_NEAR(r.x_hat[0], -25 / std::sqrt(1875 + 1e-5), 1e-6);
  EXPECT_NEAR(r.x_hat[3], 75 / std::sqrt(1875 + 1e-5), 1e-6);
}

// A negative gamma flips the order: -1, 1 (mean 0, variance 1) with gamma -3, beta 1 gives
// y = -3 x_hat + 1, x_hat = -1 / sqrt(1 + eps) and +1 / sqrt(1 + eps).
TEST(Calculator, ANegativeGammaFlipsTheOutputs) {
  const BnCalculated r = calc(R"({"values": [-1, 1], "gamma": -3, "beta": 1, "eps": 0.001})");
  const double x = 1 / std::sqrt(1.001);
  EXPECT_NEAR(r.y[0], 3 * x + 1, 1e-6);
  EXPECT_NEAR(r.y[1], -3 * x + 1, 1e-6);
}

// eps as large as the variance: x_hat's spread falls to sqrt(var / (var + eps)) = sqrt(1/2).
TEST(Calculator, AnEpsAsLargeAsTheVarianceSquashesXHatBySqrtOfAHalf) {
  const BnCalculated r = calc(R"({"values": [2, 4], "gamma": 1, "beta": 0, "eps": 1})");
  EXPECT_FLOAT_EQ(r.var, 1.0f);
  EXPECT_NEAR(r.x_hat[0], -1 / std::sqrt(2.0), 1e-6);
  EXPECT_NEAR(r.x_hat[1], 1 / std::sqrt(2.0), 1e-6);
}

TEST(Calculator, ABatchOfOneIsItsOwnMeanWithNoSpreadSoItsOutputIsBeta) {
  const BnCalculated r = calc(R"({"values": [7.25], "gamma": 4, "beta": -1.5, "eps": 1e-5})");
  EXPECT_FLOAT_EQ(r.mean, 7.25f);
  EXPECT_FLOAT_EQ(r.var, 0.0f);
  EXPECT_FLOAT_EQ(r.x_hat[0], 0.0f);
  EXPECT_FLOAT_EQ(r.y[0], -1.5f);
}

// Inference: y = gamma (z - running mean) / sqrt(running var + eps) + beta, whatever the batch.
TEST(Calculator, InferenceUsesTheRunningStatisticsGiven) {
  const BnCalculated r = calc(R"({"values": [1, 3], "gamma": 2, "beta": 0.25, "eps": 1e-5,)"
                              R"( "inference": true, "runningMean": 1, "runningVar": 4})");
  EXPECT_FLOAT_EQ(r.mean, 1.0f);
  EXPECT_FLOAT_EQ(r.var, 4.0f);
  EXPECT_NEAR(r.y[0], 0.25, 1e-6);
  EXPECT_NEAR(r.y[1], 2 * 2 / std::sqrt(4 + 1e-5) + 0.25, 1e-6);
}

TEST(Calculator, EveryColumnOfThePyTorchReferenceVectorsComesOutAsTorchComputedIt) {
  const Json cases =
      *Json::parse(test::read_file(BNLAB_REFERENCE_DIR "/batchnorm_pytorch.json")).find("cases");
  int columns = 0;
  for (const Json& c : cases.items()) {
    if (c.find("steps")->as_number() != 1) continue;  // y is the first step's training output
    const int rows = int(c.find("rows")->as_number()),
              features = int(c.find("features")->as_number());
    const auto x = test::numbers(*c.find("x")), y = test::numbers(*c.find("y"));
    const auto gamma = test::numbers(*c.find("gamma")), beta = test::numbers(*c.find("beta"));
    for (int f = 0; f < features; ++f) {
      Json input = Json::object(), values = Json::array();
      for (int i = 0; i < rows; ++i) values.push_back(Json(x[i * features + f]));
      input.set("values", values);
      input.set("gamma", gamma[f]);
      input.set("beta", beta[f]);
      input.set("eps", c.find("eps")->as_number());
      const BnCalculated r = calculate_bn(parse_bn_calculation(input));
      for (int i = 0; i < rows; ++i)
        EXPECT_NEAR(r.y[i], y[i * features + f], 1e-5) << f << " " << i;
      ++columns;
    }
  }
  EXPECT_GE(columns, 5);
}

// Each refusal names its field, as the page shows it there.
TEST(Calculator, RefusalsNameTheirField) {
  const auto fields = [](const std::string& json) {
    try {
      parse_bn_calculation(Json::parse(json));
    } catch (const ConfigError& e) {
      std::string out;
      for (const FieldError& f : e.errors()) out += f.field + ": " + f.message + "\n";
      return out;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(fields(R"({"values": [], "gamma": 1, "beta": 0, "eps": 1e-5})"),
            "values: must be 1 to 1024 numbers; got none\n");
  EXPECT_EQ(fields(R"({"values": [1, "abc", 3], "gamma": 1, "beta": 0, "eps": 1e-5})"),
            "values: item 2 is \"abc\", not a finite number\n");
  EXPECT_EQ(fields(R"({"values": [1, 2], "gamma": 1, "beta": 0, "eps": 0})"),
            "eps: must be a number greater than 0; got 0 (BN divides by the square root of var + "
            "eps, and a batch of equal values has var 0)\n");
  EXPECT_EQ(fields(R"({"values": [1, 2], "gamma": "x", "beta": 0, "eps": -1})"),
            "gamma: must be a number; got \"x\"\neps: must be a number greater than 0; got -1 (BN "
            "divides by the square root of var + eps, and a batch of equal values has var 0)\n");
  EXPECT_EQ(
      fields(
          R"({"values": [1, 2], "gamma": 1, "beta": 0, "eps": 1, "inference": true, "runningMean": 0, "runningVar": -2})"),
      "runningVar: must be a number of at least 0; got -2\n");
}

// Found by the fuzzer (tests/fuzz/regressions/calculator/variance-overflows-float32): values of
// 1e30, which float32 holds, gave an infinite variance and x_hat of 0. Every number is now at
// most 1e15 in size and eps at least 1e-10, and at those extremes every output is finite.
TEST(Calculator, NumbersBeyond1e15AndEpsBelow1e10AreRefusedAndTheExtremesGiveFiniteOutputs) {
  const auto refusal = [](const std::string& json) {
    try {
      parse_bn_calculation(Json::parse(json));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(refusal(R"({"values": [1, -2e15], "gamma": 1, "beta": 0, "eps": 1e-5})"),
            "invalid configuration: values: item 2 is -2e+15, beyond 1e+15 in size");
  EXPECT_EQ(refusal(R"({"values": [1, 2], "gamma": 1e16, "beta": 0, "eps": 1e-5})"),
            "invalid configuration: gamma: must be a number from -1e+15 to 1e+15; got 1e+16");
  EXPECT_EQ(refusal(R"({"values": [1, 2], "gamma": 1, "beta": 0, "eps": 1e-300})"),
            "invalid configuration: eps: must be a number from 1e-10 to 1e+15; got 1e-300 (BN "
            "divides by the square root of var + eps, and a batch of equal values has var 0)");
  for (const char* json :
       {R"({"values": [1e15, -1e15, 1e15, -1e15], "gamma": 1e15, "beta": -1e15, "eps": 1e-10})",
        R"({"values": [1e15, -1e15], "gamma": -1e15, "beta": 1e15, "eps": 1e-10,)"
        R"( "inference": true, "runningMean": -1e15, "runningVar": 0})",
        R"({"values": [5, 5, 5], "gamma": 1e15, "beta": 0, "eps": 1e-10})"}) {
    const BnCalculated r = calc(json);
    EXPECT_TRUE(std::isfinite(r.mean) && std::isfinite(r.var)) << json;
    for (std::size_t i = 0; i < r.y.size(); ++i)
      EXPECT_TRUE(std::isfinite(r.x_hat[i]) && std::isfinite(r.y[i])) << json << " " << i;
  }
  // Training: x_hat = +-1, y = gamma x_hat + beta.
  EXPECT_FLOAT_EQ(calc(R"({"values": [1e15, -1e15], "gamma": 1, "beta": 0, "eps": 1e-10})").y[0],
                  1.0f);
}

}  // namespace
}  // namespace bnlab

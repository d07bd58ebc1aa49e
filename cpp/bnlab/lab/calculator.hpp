// The page's BatchNorm calculator: one unit's batch of values, gamma, beta and eps (and, for
// inference mode, running statistics) through the engine's own BatchNorm, the one the networks
// train with. A batch of one is allowed: training-mode statistics of one value give x_hat = 0
// and y = beta, which the page explains (torch refuses it in training).
#pragma once

#include <vector>

#include "bnlab/io/json.hpp"

namespace bnlab {

struct BnCalculation {
  std::vector<double> values;
  double gamma = 1, beta = 0, eps = 1e-5;
  bool inference = false;
  double running_mean = 0, running_var = 1;  // inference mode only
};

struct BnCalculated {
  float mean = 0, var = 0;      // the batch's (biased variance), or the running ones
  std::vector<float> x_hat, y;  // per value
};

// { values: [numbers], gamma, beta, eps, inference?, runningMean?, runningVar? } -> the
// calculation; throws ConfigError naming every refused field ("values: item 2 is "abc", not a
// number", "eps: must be a number greater than 0; got 0").
BnCalculation parse_bn_calculation(const Json& json);

BnCalculated calculate_bn(const BnCalculation& c);

}  // namespace bnlab

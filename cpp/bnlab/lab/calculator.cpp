#include "bnlab/lab/calculator.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "bnlab/io/config.hpp"
#include "bnlab/nn/batchnorm.hpp"

namespace bnlab {
namespace {

constexpr int kMaxValues = 1024;
// Every number's largest magnitude, and eps's least value (the configuration's bnEps minimum),
// so that every number BatchNorm computes in float32 (largest 3.4e38) stays finite: training
// sums up to 1024 squared differences of at most 2e15, and inference divides by
// sqrt(runningVar + eps), at least 1e-5.
constexpr double kLargest = 1e15;
constexpr double kLeastEps = 1e-10;

bool finite_number(const Json* v) { return v && v->is_number() && std::isfinite(v->as_number()); }

// A field that must be a finite number above `min` (or at least `min` when `strict` is false),
// and within [least, kLargest]; `why` ends the refusal's message.
void read_number(const Json& json, const char* key, double min, bool strict, double& out,
                 std::vector<FieldError>& errors, const char* why = "", double least = -kLargest) {
  const Json* v = json.find(key);
  const bool ok = finite_number(v) && (strict ? v->as_number() > min : v->as_number() >= min);
  const std::string got = "; got " + (v ? v->describe() : std::string("nothing")) + why;
  if (!ok) {
    const std::string bound =
        std::isfinite(min) ? (strict ? " greater than " : " of at least ") + Json(min).dump() : "";
    errors.push_back({key, "must be a number" + bound + got});
  } else if (v->as_number() < least || v->as_number() > kLargest) {
    errors.push_back({key, "must be a number from " + Json(least).dump() + " to " +
                               Json(kLargest).dump() + got});
  } else {
    out = v->as_number();
  }
}

void read_values(const Json& json, std::vector<double>& out, std::vector<FieldError>& errors) {
  const Json* v = json.find("values");
  if (!v || !v->is_array() || v->items().empty() ||
      static_cast<int>(v->items().size()) > kMaxValues) {
    const bool none = !v || (v->is_array() && v->items().empty());
    errors.push_back({"values", "must be 1 to " + std::to_string(kMaxValues) + " numbers; got " +
                                    (none ? std::string("none") : v->describe())});
    return;
  }
  for (std::size_t i = 0; i < v->items().size(); ++i) {
    const Json& item = v->items()[i];
    const std::string head = "item " + std::to_string(i + 1) + " is " + item.describe();
    if (!finite_number(&item)) {
      errors.push_back({"values", head + ", not a finite number"});
      return;
    }
    if (std::abs(item.as_number()) > kLargest) {
      errors.push_back({"values", head + ", beyond " + Json(kLargest).dump() + " in size"});
      return;
    }
    out.push_back(item.as_number());
  }
}

}  // namespace

BnCalculation parse_bn_calculation(const Json& json) {
  if (!json.is_object())
    throw ConfigError({{"(calculator)", "must be an object; got " + json.describe()}});
  BnCalculation c;
  std::vector<FieldError> errors;
  for (const auto& member : json.members()) {
    static const char* const kKnown[] = {"values",    "gamma",       "beta",      "eps",
                                         "inference", "runningMean", "runningVar"};
    bool known = false;
    for (const char* k : kKnown) known = known || member.first == k;
    if (!known) errors.push_back({key_name(member.first), "is not a calculator field"});
  }
  const double any = -std::numeric_limits<double>::infinity();
  read_values(json, c.values, errors);
  read_number(json, "gamma", any, true, c.gamma, errors);
  read_number(json, "beta", any, true, c.beta, errors);
  read_number(
      json, "eps", 0, true, c.eps, errors,
      " (BN divides by the square root of var + eps, and a batch of equal values has var 0)",
      kLeastEps);
  const Json* inference = json.find("inference");
  c.inference = inference && inference->is_bool() && inference->as_bool();
  if (c.inference) {
    read_number(json, "runningMean", any, true, c.running_mean, errors);
    read_number(json, "runningVar", 0, false, c.running_var, errors, "", 0);
  }
  if (!errors.empty()) throw ConfigError(std::move(errors));
  return c;
}

BnCalculated calculate_bn(const BnCalculation& c) {
  const Eigen::Index rows = static_cast<Eigen::Index>(c.values.size());
  BatchNorm<float> bn(1, 0.1f, float(c.eps));
  bn.gamma(0) = float(c.gamma);
  bn.beta(0) = float(c.beta);
  bn.running_mean(0) = float(c.running_mean);
  bn.running_var(0) = float(c.running_var);
  Matrix<float> x(rows, 1), y(rows, 1);
  for (Eigen::Index i = 0; i < rows; ++i) x(i, 0) = float(c.values[i]);
  BnCalculated out;
  if (c.inference) {
    bn.forward(x, y, Mode::Inference);
    out.mean = bn.running_mean(0);
    out.var = bn.running_var(0);
    // x_hat with the running statistics, the same as the forward's.
    for (Eigen::Index i = 0; i < rows; ++i)
      out.x_hat.push_back((x(i, 0) - out.mean) / std::sqrt(out.var + bn.eps));
  } else {
    bn.forward(x, y, Mode::BatchStats);  // batch statistics; a single value is allowed
    out.mean = bn.batch_mean(0);
    out.var = bn.batch_var(0);
    for (Eigen::Index i = 0; i < rows; ++i) out.x_hat.push_back(bn.x_hat()(i, 0));
  }
  for (Eigen::Index i = 0; i < rows; ++i) out.y.push_back(y(i, 0));
  return out;
}

}  // namespace bnlab

// The BatchNorm calculator's input reader (parse_bn_calculation on JSON text, as the bindings
// call it) and the calculation: any bytes give a refusal naming its fields (ConfigError), or a
// calculation whose every number the page shows is finite, one x_hat and one y per value.
#include <cmath>
#include <string>

#include "bnlab/io/config.hpp"
#include "bnlab/lab/calculator.hpp"
#include "fuzz.hpp"

using bnlab::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = bnlab::fuzz::text(data, size);
  bnlab::BnCalculation input;
  try {
    input = bnlab::parse_bn_calculation(bnlab::parse_document(text, "(calculator)"));
  } catch (const bnlab::ConfigError& e) {
    bnlab::fuzz::check_refusal(e);
    return 0;
  }
  const bnlab::BnCalculated out = bnlab::calculate_bn(input);
  check(out.x_hat.size() == input.values.size() && out.y.size() == input.values.size(),
        "one x_hat and one y per value");
  check(std::isfinite(out.mean) && std::isfinite(out.var), "the mean and the variance are finite",
        text);
  for (std::size_t i = 0; i < out.y.size(); ++i)
    check(std::isfinite(out.x_hat[i]) && std::isfinite(out.y[i]), "every x_hat and y is finite",
          text);
  return 0;
}

// The sweep reader (parse_sweep on JSON text, as bnlab-run --sweep and the bindings call it):
// any bytes give a sweep whose every cell is a valid configuration, or a ConfigError naming its
// fields, never another exception; an accepted sweep survives its own JSON exactly.
#include <string>

#include "bnlab/lab/sweep.hpp"
#include "fuzz.hpp"

using bnlab::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = bnlab::fuzz::text(data, size);
  bnlab::Sweep sweep;
  try {
    sweep = bnlab::parse_sweep(text);
  } catch (const bnlab::ConfigError& e) {
    bnlab::fuzz::check_refusal(e);
    return 0;
  }
  const int most = bnlab::Sweep::kMaxValues * bnlab::Sweep::kMaxValues;
  check(sweep.cells() >= 1 && sweep.cells() <= most, "a sweep has 1 to 24 x 24 cells");
  for (int c = 0; c < sweep.cells(); ++c) bnlab::check_config(sweep.cell_config(c));
  const std::string json = bnlab::sweep_to_json(sweep).dump();
  check(bnlab::sweep_to_json(bnlab::parse_sweep(json)).dump() == json, "a sweep survives its JSON",
        json);
  return 0;
}

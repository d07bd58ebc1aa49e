// The configuration validator (parse_config on JSON text, as bnlab-run and the bindings call
// it): any bytes give a valid configuration or a ConfigError naming its fields, never another
// exception; an accepted configuration keeps every rule between fields, survives its own JSON
// exactly, and builds an experiment that takes a training step.
#include <string>

#include "bnlab/io/config.hpp"
#include "bnlab/lab/digits.hpp"
#include "bnlab/lab/experiment.hpp"
#include "fuzz.hpp"

namespace {

using bnlab::fuzz::check;

std::string read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) bnlab::fuzz::fail("cannot read the digits", path);
  std::string bytes;
  char buffer[65536];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0;) bytes.append(buffer, n);
  std::fclose(f);
  return bytes;
}

// Multiply-adds of one pass of the network over the data, the probe set and the grid, which
// building an experiment makes: only small ones are built, so the fuzzer keeps its pace.
double passes_cost(const bnlab::Config& c) {
  int in = bnlab::dataset_features(c.dataset);
  double weights = 0;
  for (const int width : c.hidden) weights += double(in) * width, in = width;
  weights += double(in) * bnlab::dataset_classes(c.dataset);
  return weights * (bnlab::dataset_size(c) + c.probeExamples + double(c.gridSize) * c.gridSize);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::string bytes = read_file(BNLAB_DATA_DIR "/digits.bin");
  bnlab::provide_digits(
      bnlab::decode_digits(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = bnlab::fuzz::text(data, size);
  bnlab::Config config;
  try {
    config = bnlab::parse_config(text);
  } catch (const bnlab::ConfigError& e) {
    bnlab::fuzz::check_refusal(e);
    return 0;
  }
  bnlab::check_config(config);
  check(config.batchSize <= bnlab::train_size(config), "the batch fits the training set");
  const std::string json = bnlab::config_to_json(config).dump();
  check(bnlab::parse_config(json) == config, "a configuration survives its JSON", json);
  // The validated values must build a working experiment.
  if (passes_cost(config) <= 1e7) {
    bnlab::Experiment exp(config);
    exp.step(1);
    check(exp.steps() == 1, "the experiment takes a step", json);
  }
  return 0;
}

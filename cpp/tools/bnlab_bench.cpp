// bnlab-bench: training steps per second of fixed configurations, natively. Variants of one
// configuration are measured interleaved, round after round, and reported as medians with
// their ratio, so the machine's noise hits them alike. A benchmark, not a test: it asserts
// nothing.
//
//   bnlab-bench [--rounds R] [--seconds S]     the probe-cost cases, as JSON on stdout
//   bnlab-bench --config JSON [--seconds S] [--data DIR]
//                                              one measurement of one configuration: its
//                                              steps per second, for an orchestrator that
//                                              interleaves it with other engines
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "bnlab/lab/digits.hpp"
#include "bnlab/lab/experiment.hpp"

namespace {

using bnlab::Json;

struct Variant {
  std::string name;
  std::string config;
};

struct Case {
  std::string name;
  std::vector<Variant> variants;
};

// Steps per second of one variant over about `seconds`, after a warm-up.
double steps_per_second(const std::string& config, double seconds) {
  bnlab::Experiment exp(bnlab::parse_config(config));
  exp.step(50);
  using clock = std::chrono::steady_clock;
  long steps = 0;
  const auto start = clock::now();
  double elapsed = 0;
  while (elapsed < seconds) {
    exp.step(100);
    steps += 100;
    elapsed = std::chrono::duration<double>(clock::now() - start).count();
  }
  return steps / elapsed;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 7;
  double seconds = 0.3;
  std::string config, data_dir = BNLAB_DATA_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rounds" && i + 1 < argc)
      rounds = std::max(1, std::atoi(argv[++i]));
    else if (arg == "--seconds" && i + 1 < argc)
      seconds = std::max(0.01, std::atof(argv[++i]));
    else if (arg == "--config" && i + 1 < argc)
      config = argv[++i];
    else if (arg == "--data" && i + 1 < argc)
      data_dir = argv[++i];
    else {
      std::cerr << "usage: bnlab-bench [--rounds R] [--seconds S] | --config JSON [--seconds S] "
                   "[--data DIR]\n";
      return 2;
    }
  }
  if (!config.empty()) {
    try {
      if (bnlab::parse_config(config).dataset == bnlab::DatasetKind::Digits) {
        std::ifstream file(data_dir + "/digits.bin", std::ios::binary);
        const std::vector<std::uint8_t> bytes(std::istreambuf_iterator<char>(file), {});
        bnlab::provide_digits(bnlab::decode_digits(bytes.data(), bytes.size()));
      }
      std::cout << steps_per_second(config, seconds) << "\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "bnlab-bench: " << e.what() << "\n";
      return 1;
    }
  }

  // What the probes cost: the default experiment with probes off, with the layer probes, and
  // with gradient-ICS as well; at the default recording interval (20) and at twice as often.
  const std::vector<Case> cases = {
      {"default experiment (2 arms, 4x32 sigmoid, batch 32)",
       {{"probes off", R"({"probes": false})"},
        {"probes, no gradient-ICS", R"({"gradientIcs": false})"},
        {"probes and gradient-ICS", R"({"gradientIcs": true})"}}},
      {"recording every 10 steps",
       {{"probes off", R"({"probes": false, "recordEvery": 10})"},
        {"probes, no gradient-ICS", R"({"gradientIcs": false, "recordEvery": 10})"},
        {"probes and gradient-ICS", R"({"gradientIcs": true, "recordEvery": 10})"}}},
  };

  Json results = Json::array();
  for (const Case& c : cases) {
    std::vector<std::vector<double>> samples(c.variants.size());
    for (int r = 0; r < rounds; ++r)
      for (std::size_t v = 0; v < c.variants.size(); ++v)
        samples[v].push_back(steps_per_second(c.variants[v].config, seconds));
    Json variants = Json::array();
    const double base = median(samples[0]);
    for (std::size_t v = 0; v < c.variants.size(); ++v) {
      const double m = median(samples[v]);
      Json entry = Json::object();
      entry.set("variant", c.variants[v].name);
      entry.set("config", Json::parse(c.variants[v].config));
      entry.set("medianStepsPerSecond", m);
      entry.set("extraTimePerStep", base / m - 1.0);  // relative to the first variant
      variants.push_back(entry);
      std::cerr << c.name << " | " << c.variants[v].name << ": " << int(m) << " steps/s, "
                << (base / m - 1.0) * 100 << "% time per step over " << c.variants[0].name << "\n";
    }
    Json entry = Json::object();
    entry.set("case", c.name);
    entry.set("rounds", rounds);
    entry.set("variants", variants);
    results.push_back(entry);
  }
  std::cout << results.dump() << "\n";
  return 0;
}

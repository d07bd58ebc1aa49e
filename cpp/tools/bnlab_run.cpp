// bnlab-run: trains one configuration natively and writes its recorded metrics as JSON.
//
//   bnlab-run [--steps N] [--spread-batches M] [--data DIR] [CONFIG.json | -]
//                                    (no file or '-': the configuration from stdin; DIR holds
//                                    digits.bin, by default the repository's web/data)
//   bnlab-run --sweep SWEEP.json [--threads T] [--shard I/N] [--csv] [--data DIR]
//                                    a grid of runs (cpp/bnlab/lab/sweep.hpp): every cell trained on
//                                    T threads (default: the machine's cores), written as JSON
//                                    or CSV; --shard I/N runs every N-th cell from I (0 <= I < N)
//                                    so a job array can split a sweep across machines
//   bnlab-run --merge SHARD.json...  joins shards into the whole sweep's JSON (or --csv), equal
//                                    byte for byte to running it unsharded
//   bnlab-run --default-sweep        the page's default sweep, as JSON
//   bnlab-run --schema                          every configuration field, as JSON
//   bnlab-run --defaults                        the default configuration, as JSON
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <thread>
#include <string>
#include <vector>

#include "bnlab/lab/digits.hpp"
#include "bnlab/lab/experiment.hpp"
#include "bnlab/lab/sweep.hpp"
#include "bnlab/lab/sweep_threads.hpp"

namespace {

int usage(const std::string& problem) {
  std::cerr << "bnlab-run: " << problem << "\n"
            << "usage: bnlab-run [--steps N] [--spread-batches M] [--data DIR] [CONFIG.json | -]\n"
            << "       bnlab-run --sweep SWEEP.json [--threads T] [--shard I/N] [--csv] [--data DIR]\n"
            << "       bnlab-run --merge [--csv] SHARD.json...\n"
            << "       bnlab-run --schema | --defaults | --default-sweep\n";
  return 2;
}

using bnlab::Experiment;
using bnlab::Json;

Json floats(const float* values, int n) {
  Json out = Json::array();
  for (int i = 0; i < n; ++i) out.push_back(Json(double(values[i])));
  return out;
}
Json floats(const std::vector<float>& values) {
  return floats(values.data(), static_cast<int>(values.size()));
}

Json evaluation(const bnlab::Evaluation& e) {
  Json out = Json::object();
  out.set("loss", double(e.loss));
  out.set("accuracy", double(e.accuracy));
  return out;
}

// What the probes measure on the final network, for one arm and one hidden layer.
Json layer_measurements(Experiment& exp, int arm, int layer, int spread_batches) {
  Json out = Json::object();
  out.set("trackedUnit", exp.tracked_unit(layer));
  Json spread = Json::object();
  std::vector<float> size, measured, predicted;
  for (const auto& point : exp.batch_mean_spread(arm, layer, spread_batches)) {
    size.push_back(float(point.batch_size));
    measured.push_back(point.measured);
    predicted.push_back(point.predicted);
  }
  spread.set("batchSize", floats(size));
  spread.set("measured", floats(measured));
  spread.set("predicted", floats(predicted));
  out.set("batchMeanSpread", spread);
  if (!exp.has_bn(arm, layer)) return out;

  const bnlab::Ring& ring = exp.bn_trace(arm, layer);
  std::vector<float> column(ring.rows());
  Json trace = Json::object();
  for (int s = 0; s < Experiment::kTraceSeries; ++s) {
    ring.column(s, column.data());
    trace.set(Experiment::kTraceNames[s], floats(column));
  }
  out.set("bnTrace", trace);
  const bnlab::Jitter jitter = exp.same_example_jitter(arm, layer, 64);
  Json same = Json::object();
  same.set("repeats", jitter.repeats);
  same.set("xHat", floats(jitter.x_hat));
  same.set("stds", floats(jitter.stds));
  out.set("sameExampleJitter", same);
  return out;
}

Json single_example(Experiment& exp, int arm) {
  const bnlab::SingleExample e = exp.single_example(arm, 0);
  const auto lists = [](const std::vector<std::vector<float>>& vs) {
    Json out = Json::array();
    for (const auto& v : vs) out.push_back(floats(v));
    return out;
  };
  Json out = Json::object();
  out.set("label", e.label);
  Json train = Json::object(), inference = Json::object();
  train.set("bnOutputs", lists(e.bn_output_train));
  train.set("probabilities", floats(e.probabilities_train));
  inference.set("bnOutputs", lists(e.bn_output_inference));
  inference.set("probabilities", floats(e.probabilities_inference));
  out.set("train", train);
  out.set("inference", inference);
  out.set("beta", lists(e.beta));
  return out;
}

Json results(Experiment& exp, int spread_batches) {
  const bnlab::History& h = exp.history();
  std::vector<float> column(h.rows());
  const auto series = [&](int index) {
    h.column(index, column.data());
    return floats(column);
  };
  Json arms = Json::array();
  for (int a = 0; a < exp.arm_count(); ++a) {
    Json arm = Json::object();
    arm.set("name", exp.arm_name(a));
    arm.set("diverged", exp.diverged(a));
    arm.set("divergedAt", exp.diverged(a) ? Json(exp.diverged_at(a)) : Json());
    arm.set("message", exp.message(a));
    Json final_metrics = Json::object();
    final_metrics.set("train", evaluation(exp.evaluate(a, bnlab::Split::Train)));
    final_metrics.set("test", evaluation(exp.evaluate(a, bnlab::Split::Test)));
    final_metrics.set("testBatchStats",
                      evaluation(exp.evaluate(a, bnlab::Split::Test, bnlab::Mode::BatchStats)));
    arm.set("final", final_metrics);
    Json history = Json::object();
    for (int s = 0; s < Experiment::kSeriesPerArm; ++s)
      history.set(Experiment::kArmSeries[s], series(exp.arm_column(a, s)));
    Json layers = Json::array();
    for (int l = 0; l < exp.depth(); ++l) {
      Json layer = Json::object();
      for (int s = 0; s < Experiment::kSeriesPerLayer; ++s)
        layer.set(Experiment::kLayerSeries[s], series(exp.layer_column(a, l, s)));
      layers.push_back(layer);
    }
    history.set("layers", layers);
    arm.set("history", history);
    if (exp.config().probes && !exp.diverged(a)) {
      Json measured = Json::array();
      for (int l = 0; l < exp.depth(); ++l)
        measured.push_back(layer_measurements(exp, a, l, spread_batches));
      arm.set("layers", measured);
      arm.set("singleExample", single_example(exp, a));
    }
    arms.push_back(arm);
  }
  Json out = Json::object();
  out.set("config", bnlab::config_to_json(exp.config()));
  out.set("steps", exp.steps());
  out.set("step", series(0));
  out.set("arms", arms);
  return out;
}

void load_digits(const std::string& dir) {
  const std::string path = dir + "/digits.bin";
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path + " (see --data)");
  const std::vector<std::uint8_t> bytes(std::istreambuf_iterator<char>(file), {});
  bnlab::provide_digits(bnlab::decode_digits(bytes.data(), bytes.size()));
}

std::string read_text(const std::string& path) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

// An integer option's value, or a usage error naming the option and its range.
bool integer_arg(const char* text, long min, long max, long& out) {
  char* end = nullptr;
  out = std::strtol(text, &end, 10);
  return *end == '\0' && end != text && out >= min && out <= max;
}

void write_sweep(const bnlab::Sweep& sweep, const std::vector<bnlab::CellResult>& cells, bool csv,
                 const Json& shard) {
  if (csv) {
    std::cout << bnlab::sweep_results_csv(sweep, cells);
    return;
  }
  Json out = bnlab::sweep_results_json(sweep, cells);
  if (!shard.is_null()) out.set("shard", shard);
  std::cout << out.dump() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  long steps = 1000;
  long spread_batches = 1000;
  long threads = std::max(1u, std::thread::hardware_concurrency());
  long shard = 0, shards = 1;
  bool sweep_mode = false, merge_mode = false, csv = false;
  std::string data_dir = BNLAB_DATA_DIR;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--schema") {
      std::cout << bnlab::config_schema().dump() << "\n";
      return 0;
    }
    if (arg == "--defaults") {
      std::cout << bnlab::config_to_json(bnlab::Config{}).dump() << "\n";
      return 0;
    }
    if (arg == "--default-sweep") {
      std::cout << bnlab::sweep_to_json(bnlab::parse_sweep(bnlab::default_sweep_json())).dump() << "\n";
      return 0;
    }
    if (arg == "--steps") {
      if (++i == argc || !integer_arg(argv[i], 0, 100000000, steps))
        return usage("--steps must be an integer from 0 to 100000000");
    } else if (arg == "--data") {
      if (++i == argc) return usage("--data needs a folder");
      data_dir = argv[i];
    } else if (arg == "--spread-batches") {
      if (++i == argc || !integer_arg(argv[i], 2, 100000, spread_batches))
        return usage("--spread-batches must be an integer from 2 to 100000");
    } else if (arg == "--sweep-batches") {
      return usage("--sweep-batches is now --spread-batches (the batch-mean spread; --sweep runs a grid)");
    } else if (arg == "--sweep") {
      sweep_mode = true;
    } else if (arg == "--merge") {
      merge_mode = true;
    } else if (arg == "--csv") {
      csv = true;
    } else if (arg == "--threads") {
      if (++i == argc || !integer_arg(argv[i], 1, 256, threads))
        return usage("--threads must be an integer from 1 to 256");
    } else if (arg == "--shard") {
      const std::string text = ++i == argc ? "" : argv[i];
      const auto slash = text.find('/');
      if (slash == std::string::npos || !integer_arg(text.substr(0, slash).c_str(), 0, 1000000, shard) ||
          !integer_arg(text.substr(slash + 1).c_str(), 1, 1000000, shards) || shard >= shards)
        return usage("--shard must be I/N with 0 <= I < N, e.g. --shard 0/4; got \"" + text + "\"");
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage("unknown option " + arg);
    } else {
      paths.push_back(arg);
    }
  }
  if (sweep_mode && merge_mode) return usage("--sweep and --merge do not go together");
  if (merge_mode && paths.empty()) return usage("--merge needs the shards' JSON files");
  if (!merge_mode && paths.size() > 1) return usage("one configuration or sweep file at a time");
  if (paths.empty()) paths.push_back("-");

  std::string where = paths[0] == "-" ? "stdin" : paths[0];
  try {
    if (merge_mode) {
      bnlab::Sweep sweep;
      std::string first;
      std::vector<std::vector<bnlab::CellResult>> parts;
      for (const std::string& path : paths) {
        where = path;
        bnlab::Sweep part;
        parts.push_back(bnlab::sweep_results_from_json(Json::parse(read_text(path)), part));
        const std::string spec = bnlab::sweep_to_json(part).dump();
        if (first.empty()) {
          first = spec;
          sweep = part;
        } else if (spec != first) {
          throw std::invalid_argument("a shard of another sweep than " + paths[0] + "'s");
        }
      }
      where = "--merge";
      write_sweep(sweep, bnlab::merge_cells(sweep, std::move(parts)), csv, Json());
      return 0;
    }
    const std::string text = read_text(paths[0]);
    if (sweep_mode) {
      const bnlab::Sweep sweep = bnlab::parse_sweep(text.empty() ? std::string("{}") : text);
      if (sweep.base.dataset == bnlab::DatasetKind::Digits) load_digits(data_dir);
      const std::vector<int> cells = bnlab::shard_cells(sweep, int(shard), int(shards));
      Json shard_json;
      if (shards > 1) {
        shard_json = Json::object();
        shard_json.set("index", shard);
        shard_json.set("count", shards);
      }
      write_sweep(sweep, bnlab::run_cells(sweep, cells, int(threads)), csv, shard_json);
      return 0;
    }
    const bnlab::Config config = bnlab::parse_config(text.empty() ? std::string("{}") : text);
    if (config.dataset == bnlab::DatasetKind::Digits) load_digits(data_dir);
    bnlab::Experiment exp(config);
    exp.step(steps);
    std::cout << results(exp, static_cast<int>(spread_batches)).dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bnlab-run: " << where << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

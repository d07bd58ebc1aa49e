// bnlab-run: trains one configuration natively and writes its recorded metrics as JSON.
//
//   bnlab-run [--steps N] [--sweep-batches M] [--data DIR] [CONFIG.json | -]
//                                    (no file or '-': the configuration from stdin; DIR holds
//                                    digits.bin, by default the repository's web/data)
//   bnlab-run --schema                          every configuration field, as JSON
//   bnlab-run --defaults                        the default configuration, as JSON
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "bnlab/digits.hpp"
#include "bnlab/experiment.hpp"

namespace {

int usage(const std::string& problem) {
  std::cerr << "bnlab-run: " << problem << "\n"
            << "usage: bnlab-run [--steps N] [--sweep-batches M] [--data DIR] [CONFIG.json | -]\n"
            << "       bnlab-run --schema | --defaults\n";
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
Json layer_measurements(Experiment& exp, int arm, int layer, int sweep_batches) {
  Json out = Json::object();
  out.set("trackedUnit", exp.tracked_unit(layer));
  Json sweep = Json::object();
  std::vector<float> size, measured, predicted;
  for (const auto& point : exp.batch_size_sweep(arm, layer, sweep_batches)) {
    size.push_back(float(point.batch_size));
    measured.push_back(point.measured);
    predicted.push_back(point.predicted);
  }
  sweep.set("batchSize", floats(size));
  sweep.set("measured", floats(measured));
  sweep.set("predicted", floats(predicted));
  out.set("batchSizeSweep", sweep);
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

Json results(Experiment& exp, int sweep_batches) {
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
        measured.push_back(layer_measurements(exp, a, l, sweep_batches));
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

}  // namespace

int main(int argc, char** argv) {
  long steps = 1000;
  long sweep_batches = 1000;
  std::string data_dir = BNLAB_DATA_DIR;
  std::string path = "-";
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
    if (arg == "--steps") {
      if (++i == argc) return usage("--steps needs a number");
      char* end = nullptr;
      steps = std::strtol(argv[i], &end, 10);
      if (*end != '\0' || steps < 0 || steps > 100000000)
        return usage("--steps must be an integer from 0 to 100000000");
    } else if (arg == "--data") {
      if (++i == argc) return usage("--data needs a folder");
      data_dir = argv[i];
    } else if (arg == "--sweep-batches") {
      if (++i == argc) return usage("--sweep-batches needs a number");
      char* end = nullptr;
      sweep_batches = std::strtol(argv[i], &end, 10);
      if (*end != '\0' || sweep_batches < 2 || sweep_batches > 100000)
        return usage("--sweep-batches must be an integer from 2 to 100000");
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage("unknown option " + arg);
    } else {
      path = arg;
    }
  }

  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream file(path);
    if (!file) return usage("cannot read " + path);
    text.assign(std::istreambuf_iterator<char>(file), {});
  }
  try {
    const bnlab::Config config = bnlab::parse_config(text.empty() ? std::string("{}") : text);
    if (config.dataset == "digits") load_digits(data_dir);
    bnlab::Experiment exp(config);
    exp.step(steps);
    std::cout << results(exp, static_cast<int>(sweep_batches)).dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bnlab-run: " << (path == "-" ? "stdin" : path) << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

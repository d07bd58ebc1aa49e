// bnlab-run: trains one configuration natively and writes its recorded metrics as JSON.
//
//   bnlab-run [--steps N] [CONFIG.json | -]     (no file or '-': the configuration from stdin)
//   bnlab-run --schema                          every configuration field, as JSON
//   bnlab-run --defaults                        the default configuration, as JSON
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include "bnlab/experiment.hpp"

namespace {

int usage(const std::string& problem) {
  std::cerr << "bnlab-run: " << problem << "\n"
            << "usage: bnlab-run [--steps N] [CONFIG.json | -]\n"
            << "       bnlab-run --schema | --defaults\n";
  return 2;
}

bnlab::Json results(bnlab::Experiment& exp) {
  using bnlab::Json;
  const bnlab::History& h = exp.history();
  const auto series = [&](int column) {
    Json values = Json::array();
    for (int i = 0; i < h.rows(); ++i) values.push_back(Json(double(h.at(i, column))));
    return values;
  };
  Json arms = Json::array();
  for (int a = 0; a < exp.arm_count(); ++a) {
    Json arm = Json::object();
    arm.set("name", exp.arm_name(a));
    arm.set("diverged", exp.diverged(a));
    arm.set("divergedAt", exp.diverged(a) ? Json(exp.diverged_at(a)) : Json());
    arm.set("message", exp.message(a));
    const auto train = exp.evaluate(a, bnlab::Split::Train);
    const auto test = exp.evaluate(a, bnlab::Split::Test);
    Json final_metrics = Json::object();
    final_metrics.set("trainLoss", double(train.loss));
    final_metrics.set("trainAccuracy", double(train.accuracy));
    final_metrics.set("testLoss", double(test.loss));
    final_metrics.set("testAccuracy", double(test.accuracy));
    arm.set("final", final_metrics);
    Json history = Json::object();
    for (int s = 0; s < bnlab::Experiment::kSeriesPerArm; ++s)
      history.set(bnlab::Experiment::kArmSeries[s],
                  series(1 + bnlab::Experiment::kSeriesPerArm * a + s));
    arm.set("history", history);
    arms.push_back(arm);
  }
  Json out = Json::object();
  out.set("config", bnlab::config_to_json(exp.config()));
  out.set("steps", exp.steps());
  out.set("step", series(0));
  out.set("arms", arms);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  long steps = 1000;
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
    } else if (arg.size() > 1 && arg[0] == '-' ) {
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
    bnlab::Experiment exp(bnlab::parse_config(text.empty() ? std::string("{}") : text));
    exp.step(steps);
    std::cout << results(exp).dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bnlab-run: " << (path == "-" ? "stdin" : path) << ": " << e.what() << "\n";
    return 1;
  }
  return 0;
}

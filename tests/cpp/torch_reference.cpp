// What the engine does in the first steps of a run, for tests/torch/export_test.py to hold the
// exported PyTorch script against: the model inputs, the initial parameters of every arm, the
// first step's loss and gradients, every step's mini-batch indices, and each noisy arm's noise.
// Floats are written with enough digits to read back as the same float32.
//
//   bnlab-torch-reference [--data-csv FILE] [--steps S] [--noise-steps K] CONFIG.json
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "bnlab/io/csv.hpp"
#include "bnlab/lab/digits.hpp"
#include "bnlab/lab/experiment.hpp"

namespace {

using bnlab::Json;

std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(file), {});
}

template <class T>
Json numbers(const T* v, std::size_t n) {
  Json out = Json::array();
  for (std::size_t i = 0; i < n; ++i) out.push_back(Json(double(v[i])));
  return out;
}
template <class V>
Json numbers(const V& v) {
  return numbers(v.data(), static_cast<std::size_t>(v.size()));
}

std::vector<float> parameters(bnlab::Mlp<float>& net, bool gradients) {
  std::vector<float> out(static_cast<std::size_t>(net.parameter_count()));
  gradients ? net.get_gradients(out.data()) : net.get_parameters(out.data());
  return out;
}

// The noise the arm drew for the last step: per hidden layer { scale, shift } or { mask }.
Json noise(bnlab::Mlp<float>& net, int rows) {
  Json layers = Json::array();
  for (int l = 0; l < net.depth(); ++l) {
    const auto& h = net.hidden(l);
    Json layer = Json::object();
    if (h.noisy) {
      layer.set("scale", numbers(h.noise_scale));
      layer.set("shift", numbers(h.noise_shift));
    }
    if (net.shape().dropout > 0)
      layer.set("mask", numbers(h.mask.data(), std::size_t(rows) * h.mask.cols()));
    layers.push_back(std::move(layer));
  }
  return layers;
}

// The first step again in double precision, from the same weights on the same batch with the
// same noise (drawn in double from the arm's stream, 9 + 16 x its kind): the loss and gradients
// the float32 run rounds.
Json first_step_in_double(bnlab::Experiment& e, int arm, const std::vector<float>& initial,
                          std::uint32_t seed) {
  bnlab::Mlp<double> net(e.network(arm).shape());
  const std::vector<double> start(initial.begin(), initial.end());
  net.set_parameters(start.data());
  const int rows = static_cast<int>(e.batch_y().size());
  if (net.has_noise()) {
    bnlab::Rng rng(seed, 9 + 16 * static_cast<std::uint64_t>(e.config().arms[arm]));
    net.draw_noise(rng, rows);
  }
  const bnlab::Matrix<double> x = e.batch_x().cast<double>();
  const auto logits = net.forward(x, bnlab::Mode::Train);
  bnlab::Matrix<double> dlogits(logits.rows(), logits.cols());
  const double loss =
      bnlab::loss_forward_backward<double>(e.config().loss, logits, e.batch_y().data(), dlogits);
  net.backward(dlogits);
  std::vector<double> gradients(static_cast<std::size_t>(net.parameter_count()));
  net.get_gradients(gradients.data());
  Json out = Json::object();
  out.set("loss", loss);
  out.set("gradients", numbers(gradients));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, csv_path;
  long steps = 50, noise_steps = 3;
  std::vector<std::vector<float>> initial;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--data-csv" && i + 1 < argc)
      csv_path = argv[++i];
    else if (arg == "--steps" && i + 1 < argc)
      steps = std::atol(argv[++i]);
    else if (arg == "--noise-steps" && i + 1 < argc)
      noise_steps = std::atol(argv[++i]);
    else
      config_path = arg;
  }
  try {
    const std::string digits = read_file(std::string(BNLAB_DATA_DIR) + "/digits.bin");
    bnlab::provide_digits(
        bnlab::decode_digits(reinterpret_cast<const std::uint8_t*>(digits.data()), digits.size()));
    if (!csv_path.empty()) bnlab::provide_csv(bnlab::read_csv(read_file(csv_path)));
    bnlab::Config config = bnlab::parse_config(read_file(config_path));
    // The first step's loss is history row 1's batch loss; nothing measured changes training.
    config = bnlab::without_measurements(config);
    config.recordEvery = 1;
    bnlab::Experiment e(config);
    const bnlab::Dataset& d = e.data();
    Json out = Json::object();
    out.set("trainX", numbers(d.train_x));
    out.set("trainY", numbers(d.train_y));
    out.set("testX", numbers(d.test_x));
    out.set("testY", numbers(d.test_y));
    Json arms = Json::array();
    for (int a = 0; a < e.arm_count(); ++a) {
      Json arm = Json::object();
      arm.set("name", e.arm_name(a));
      initial.push_back(parameters(e.network(a), false));
      arm.set("initial", numbers(initial.back()));
      arm.set("noise", Json::array());
      arms.push_back(std::move(arm));
    }
    Json batches = Json::array();
    for (long s = 0; s < steps; ++s) {
      e.step(1);
      batches.push_back(numbers(e.batch_index()));
      for (int a = 0; a < e.arm_count(); ++a) {
        Json& arm = const_cast<Json&>(arms.items()[a]);
        if (s == 0) {
          arm.set("firstLoss", Json(double(e.history().at(1, e.arm_column(a, 0)))));
          arm.set("firstGradients", numbers(parameters(e.network(a), true)));
          arm.set("firstInDouble", first_step_in_double(e, a, initial[a], config.seed));
        }
        if (s < noise_steps && e.network(a).has_noise())
          const_cast<Json&>(*arm.find("noise")).push_back(noise(e.network(a), config.batchSize));
      }
    }
    out.set("batches", batches);
    out.set("arms", arms);
    std::cout << out.dump() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "bnlab-torch-reference: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

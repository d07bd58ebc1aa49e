#include "experiment.hpp"

#include <algorithm>
#include <initializer_list>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace bnlab {
namespace {

enum Stream : std::uint64_t { kInitStream = 3, kBatchStream = 4 };
constexpr int kEvalChunk = 256;

}  // namespace

const char* const Experiment::kArmSeries[kSeriesPerArm] = {"batchLoss", "trainLoss",
                                                           "trainAccuracy", "testLoss",
                                                           "testAccuracy"};

namespace {

// The enum value a configuration name stands for; the validator has already checked it.
template <class E>
E from_name(const char* field, const std::string& name,
            std::initializer_list<std::pair<const char*, E>> table) {
  for (const auto& [key, value] : table)
    if (name == key) return value;
  throw std::invalid_argument(std::string(field) + ": unknown name \"" + name + "\"");
}

}  // namespace

Activation parse_activation(const std::string& name) {
  return from_name<Activation>("activation", name,
                               {{"sigmoid", Activation::Sigmoid}, {"tanh", Activation::Tanh},
                                {"relu", Activation::Relu}, {"linear", Activation::Linear}});
}

Init parse_init(const std::string& name) {
  return from_name<Init>("init", name,
                         {{"gaussian", Init::Gaussian}, {"xavier", Init::Xavier}, {"he", Init::He}});
}

Loss parse_loss(const std::string& name) {
  return from_name<Loss>("loss", name,
                         {{"softmax", Loss::Softmax}, {"bce", Loss::Bce}, {"mse", Loss::Mse}});
}

BnPlacement parse_arm(const std::string& name) {
  return from_name<BnPlacement>("arms", name,
                                {{"plain", BnPlacement::None},
                                 {"bn-before", BnPlacement::Before},
                                 {"bn-after", BnPlacement::After}});
}

Experiment::Experiment(const Config& config)
    : config_(config),
      data_(make_dataset(config)),
      loss_(parse_loss(config.loss)),
      max_rows_(std::max(config.batchSize, kEvalChunk)),
      batch_rng_(config.seed, kBatchStream),
      order_(data_.train_y.size()),
      cursor_(order_.size()),
      batch_x_(config.batchSize, data_.features),
      batch_y_(config.batchSize),
      history_(1 + kSeriesPerArm * static_cast<int>(config.arms.size()), kHistoryCapacity) {
  if (config.batchSize > static_cast<int>(order_.size()))
    throw std::invalid_argument("batchSize: larger than the training set");
  std::iota(order_.begin(), order_.end(), 0u);

  const Rng init_rng(config.seed, kInitStream);
  arms_.reserve(config.arms.size());
  for (const std::string& name : config.arms) {
    MlpShape shape;
    shape.inputs = data_.features;
    shape.hidden = config.hidden;
    shape.outputs = loss_outputs(loss_, data_.classes);
    shape.activation = parse_activation(config.activation);
    shape.bn = parse_arm(name);
    shape.bn_momentum = config.bnMomentum;
    shape.bn_eps = config.bnEps;
    Mlp<float> net(shape);
    Rng rng = init_rng;  // every arm draws the same initial weights
    net.init(parse_init(config.init), config.initStd, rng);
    net.reserve(max_rows_);
    Sgd<float> sgd(net, float(config.learningRate), float(config.momentum));
    arms_.push_back(Arm{name, std::move(net), std::move(sgd),
                        Matrix<float>(max_rows_, shape.outputs), 0, 0, -1, false});
  }

  // The grid spans both splits with a margin of a tenth of the range on every side.
  if (data_.features == 2) {
    const int g = config.gridSize;
    Matrix<float> all(data_.train_raw.rows() + data_.test_raw.rows(), 2);
    all << data_.train_raw, data_.test_raw;
    const RowVector<float> lo = all.colwise().minCoeff(), hi = all.colwise().maxCoeff();
    const RowVector<float> pad = 0.1f * (hi - lo);
    grid_info_ = {g, lo(0) - pad(0), hi(0) + pad(0), lo(1) - pad(1), hi(1) + pad(1)};
    grid_x_.resize(static_cast<Eigen::Index>(g) * g, 2);
    for (int iy = 0; iy < g; ++iy)
      for (int ix = 0; ix < g; ++ix) {
        const float x = grid_info_.x_min + (grid_info_.x_max - grid_info_.x_min) * ix / (g - 1);
        const float y = grid_info_.y_min + (grid_info_.y_max - grid_info_.y_min) * iy / (g - 1);
        grid_x_(iy * g + ix, 0) = (x - data_.input_mean(0)) / data_.input_std(0);
        grid_x_(iy * g + ix, 1) = (y - data_.input_mean(1)) / data_.input_std(1);
      }
  }
  record();
}

Experiment::Arm& Experiment::at(int arm) {
  if (arm < 0 || arm >= arm_count())
    throw std::out_of_range("arm index " + std::to_string(arm) + " out of range (" +
                            std::to_string(arm_count()) + " arms)");
  return arms_[arm];
}
const Experiment::Arm& Experiment::at(int arm) const {
  return const_cast<Experiment*>(this)->at(arm);
}

std::string Experiment::message(int arm_index) const {
  const Arm& arm = at(arm_index);
  if (arm.diverged_at < 0) return "";
  return arm.name + " diverged at step " + std::to_string(arm.diverged_at) +
         ": the training loss became " + (arm.loss_was_nan ? "NaN" : "infinite") +
         " (learning rate " + Json(config_.learningRate).dump() +
         " is too large for this network)";
}

// Shuffled epochs without replacement; the last partial batch of an epoch is dropped so
// every batch has batchSize rows (BatchNorm's statistics depend on it).
void Experiment::next_batch() {
  const std::size_t b = batch_y_.size();
  if (cursor_ + b > order_.size()) {
    batch_rng_.shuffle(order_.begin(), static_cast<std::uint32_t>(order_.size()));
    cursor_ = 0;
  }
  for (std::size_t i = 0; i < b; ++i) {
    const auto src = order_[cursor_ + i];
    batch_x_.row(i) = data_.train_x.row(src);
    batch_y_[i] = data_.train_y[src];
  }
  cursor_ += b;
}

void Experiment::step(long n) {
  if (n < 0) throw std::invalid_argument("step: n must not be negative");
  for (long s = 0; s < n; ++s) {
    next_batch();
    for (Arm& arm : arms_) {
      if (arm.diverged_at >= 0) continue;
      const auto logits = arm.net.forward(batch_x_, true);
      const float loss = loss_forward_backward<float>(loss_, logits, batch_y_.data(),
                                                      arm.dlogits.topRows(logits.rows()));
      if (!std::isfinite(loss)) {
        arm.diverged_at = steps_ + 1;
        arm.loss_was_nan = std::isnan(loss);
        continue;
      }
      arm.net.backward(arm.dlogits.topRows(logits.rows()));
      arm.sgd.step(arm.net);
      arm.loss_sum += loss;
      ++arm.loss_count;
    }
    ++steps_;
    if (steps_ % config_.recordEvery == 0) record();
  }
}

void Experiment::set_learning_rate(double learning_rate) {
  Config changed = config_;
  changed.learningRate = learning_rate;
  config_ = parse_config(config_to_json(changed));  // the one validator says what is allowed
  for (Arm& arm : arms_) arm.sgd.learning_rate = float(learning_rate);
}

template <class PerChunk>
void Experiment::infer(Arm& arm, const Matrix<float>& x, PerChunk per_chunk) {
  for (Eigen::Index start = 0; start < x.rows(); start += max_rows_) {
    const Eigen::Index rows = std::min<Eigen::Index>(max_rows_, x.rows() - start);
    per_chunk(start, arm.net.forward(x.middleRows(start, rows), false));
  }
}

Evaluation Experiment::evaluate(int arm_index, Split split) {
  Arm& arm = at(arm_index);
  const bool train = split == Split::Train;
  const Matrix<float>& x = train ? data_.train_x : data_.test_x;
  const std::int32_t* y = train ? data_.train_y.data() : data_.test_y.data();
  double loss = 0;
  long correct = 0;
  infer(arm, x, [&](Eigen::Index start, const TopRows<float>& logits) {
    const Eigen::Index rows = logits.rows();
    loss += double(loss_forward_backward<float>(loss_, logits, y + start,
                                                arm.dlogits.topRows(rows))) * rows;
    for (Eigen::Index i = 0; i < rows; ++i)
      correct += predict_class<float>(loss_, logits.row(i)) == y[start + i];
  });
  const double n = double(x.rows());
  return {float(loss / n), float(correct / n)};
}

void Experiment::grid(int arm_index, float* out) {
  Arm& arm = at(arm_index);
  infer(arm, grid_x_, [&](Eigen::Index start, const TopRows<float>& logits) {
    for (Eigen::Index i = 0; i < logits.rows(); ++i)
      out[start + i] = class1_probability<float>(loss_, logits.row(i));
  });
}

void Experiment::record() {
  const long index = steps_ / config_.recordEvery;
  if (!history_.wants(index)) return;
  float* row = history_.append();
  row[0] = float(steps_);
  for (int a = 0; a < arm_count(); ++a) {
    Arm& arm = arms_[a];
    float* out = row + 1 + kSeriesPerArm * a;
    out[0] = arm.loss_count ? float(arm.loss_sum / arm.loss_count)
                            : std::numeric_limits<float>::quiet_NaN();
    arm.loss_sum = 0;
    arm.loss_count = 0;
    const Evaluation train = evaluate(a, Split::Train), test = evaluate(a, Split::Test);
    out[1] = train.loss;
    out[2] = train.accuracy;
    out[3] = test.loss;
    out[4] = test.accuracy;
  }
}

}  // namespace bnlab

#include "bnlab/lab/experiment.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace bnlab {

// Every random-number stream of an experiment, Rng(seed, stream): one place, so that no two
// draw the same numbers. The per-arm streams are offset by 16 x the arm's kind, so that an
// arm's numbers do not depend on which other arms run beside it.
std::uint64_t Experiment::stream(Stream s, ArmKind kind) {
  return static_cast<std::uint64_t>(s) + 16 * static_cast<std::uint64_t>(kind);
}

namespace {

constexpr int kEvalChunk = 256;

}  // namespace

const char* const Experiment::kArmSeries[kSeriesPerArm] = {
    "batchLoss",        "trainLoss",          "trainAccuracy",          "testLoss",
    "testAccuracy",     "testLossBatchStats", "testAccuracyBatchStats", "landscapeLossMin",
    "landscapeLossMax", "landscapeGradMin",   "landscapeGradMax",       "landscapeBeta"};
const char* const Experiment::kLayerSeries[kSeriesPerLayer] = {
    "p15",          "p50",       "p85",           "meanOfMeans",  "spreadOfMeans", "meanOfStds",
    "spreadOfStds", "shift",     "relativeShift", "gradientNorm", "saturation",    "icsDistance",
    "icsCosine",    "jitterStd", "gamma",         "beta",         "gammaSpread",   "betaSpread",
    "batchMean",    "batchVar",  "undoScale",     "undoShift"};
const char* const Experiment::kTraceNames[kTraceSeries] = {"step", "batchMean", "batchVar",
                                                           "runningMean", "runningVar"};

// The network an arm trains: the normalization and the noise its kind stands for.
MlpShape arm_shape(ArmKind kind, const Config& config, int inputs, int outputs) {
  MlpShape shape;
  shape.inputs = inputs;
  shape.hidden = config.hidden;
  shape.outputs = outputs;
  shape.activation = config.activation;
  shape.bn_momentum = config.bnMomentum;
  shape.bn_eps = config.bnEps;
  switch (kind) {
    case ArmKind::Plain: break;
    case ArmKind::BnBefore: shape.norm = Norm::BnBefore; break;
    case ArmKind::BnAfter: shape.norm = Norm::BnAfter; break;
    case ArmKind::LnBefore: shape.norm = Norm::LnBefore; break;
    case ArmKind::BnNoisy:
      shape.norm = Norm::BnBefore;
      shape.bn_noise = BnNoise{config.bnNoiseShift, config.bnNoiseScale};
      break;
    case ArmKind::Dropout: shape.dropout = config.dropout; break;
  }
  return shape;
}

Experiment::Experiment(const Config& config)
    : config_(config),
      data_(make_dataset(config)),
      loss_(config.loss),
      // Room for a batch plus the one example merged into the last batch of a split (see
      // infer), for an evaluation chunk, and for the whole probe set in one pass.
      max_rows_(std::max({config.batchSize + 1, kEvalChunk, config.probeExamples})),
      columns_per_arm_(kSeriesPerArm + kSeriesPerLayer * static_cast<int>(config.hidden.size())),
      batch_rng_(config.seed, stream(Stream::Batch)),
      order_(data_.train_y.size()),
      cursor_(order_.size()),
      batch_x_(config.batchSize, data_.features),
      batch_y_(config.batchSize),
      batch_index_(config.batchSize),
      history_(1 + columns_per_arm_ * static_cast<int>(config.arms.size()), kHistoryCapacity) {
  if (config.batchSize > static_cast<int>(order_.size()))
    throw std::invalid_argument("batchSize: larger than the training set");
  std::iota(order_.begin(), order_.end(), 0u);

  const Rng init_rng(config.seed, stream(Stream::Init));
  arms_.reserve(config.arms.size());
  for (const ArmKind kind : config.arms) {
    Mlp<float> net(arm_shape(kind, config, data_.features, loss_outputs(loss_, data_.classes)));
    Rng rng = init_rng;  // every arm draws the same initial weights
    net.init(config.init, config.initStd, rng);
    net.reserve(max_rows_);
    Sgd<float> sgd(net, float(config.learningRate), float(config.momentum));
    arms_.emplace_back(name_of(kind), kind, std::move(net), std::move(sgd), max_rows_);
    arms_.back().noise_rng = Rng(config.seed, stream(Stream::Noise, kind));
  }

  // The probe set: training examples chosen once by seed.
  std::vector<std::uint32_t> train_order(order_);
  Rng(config.seed, stream(Stream::ProbeSet))
      .shuffle(train_order.begin(), static_cast<std::uint32_t>(train_order.size()));
  probe_set_.assign(
      train_order.begin(),
      train_order.begin() + std::min<std::size_t>(config.probeExamples, train_order.size()));
  probe_x_.resize(static_cast<Eigen::Index>(probe_set_.size()), data_.features);
  for (std::size_t i = 0; i < probe_set_.size(); ++i)
    probe_x_.row(i) = data_.train_x.row(probe_set_[i]);
  probe_scratch_.resize(probe_set_.size());
  jitter_population_.resize(probe_set_.size());
  jitter_values_.resize(kJitterExamples * kJitterRepeats);
  for (int e = 0; e < std::min<int>(kJitterExamples, static_cast<int>(probe_set_.size())); ++e)
    jitter_examples_.push_back(e);
  index_scratch_.reserve(std::max(probe_set_.size(), order_.size()));
  for (Arm& arm : arms_) {
    arm.probe_rng = Rng(config.seed, stream(Stream::Probe, arm.kind));
    init_probes(arm);
  }

  // The grid spans every split with a margin of a tenth of the range on every side. It draws
  // P(class 1): two features, two classes.
  if (data_.features == 2 && data_.classes == 2) {
    const int g = config.gridSize;
    Matrix<float> all(data_.train_raw.rows() + data_.test_raw.rows() + data_.shifted_raw.rows(), 2);
    all << data_.train_raw, data_.test_raw, data_.shifted_raw;
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

void Experiment::check_layer(int layer) const {
  if (layer < 0 || layer >= depth())
    throw std::out_of_range("layer index " + std::to_string(layer) + " out of range (" +
                            std::to_string(depth()) + " hidden layers)");
}

bool Experiment::has_bn(int arm, int layer) const {
  check_layer(layer);
  return at(arm).net.hidden(layer).bn.has_value();
}

void Experiment::require_bn(int arm, int layer) const {
  if (!has_bn(arm, layer))
    throw std::invalid_argument("arm " + arm_name(arm) + " has no BatchNorm in layer " +
                                std::to_string(layer));
}

int Experiment::tracked_unit(int layer) const {
  check_layer(layer);
  return std::min(config_.trackedUnit, config_.hidden[layer] - 1);
}

int Experiment::arm_column(int arm, int series) const {
  return 1 + arm * columns_per_arm_ + series;
}

int Experiment::layer_column(int arm, int layer, int series) const {
  return arm_column(arm, kSeriesPerArm + layer * kSeriesPerLayer + series);
}

std::string Experiment::message(int arm_index) const {
  const Arm& arm = at(arm_index);
  if (arm.diverged_at < 0) return "";
  return arm.name + " diverged at step " + std::to_string(arm.diverged_at) +
         ": the training loss became " + (arm.loss_was_nan ? "NaN" : "infinite") +
         " (learning rate " + Json(config_.learningRate).dump() + " is too large for this network)";
}

// Shuffled epochs without replacement; the last partial batch of an epoch is dropped so
// every batch has batchSize rows (BatchNorm's statistics depend on it).
void Experiment::next_batch() { draw_batch(batch_rng_, order_, cursor_); }

// The next batch of the sequence (rng, order, cursor) into batch_x_, batch_y_, batch_index_.
void Experiment::draw_batch(Rng& rng, std::vector<std::uint32_t>& order, std::size_t& cursor) {
  const std::size_t b = batch_y_.size();
  if (cursor + b > order.size()) {
    rng.shuffle(order.begin(), static_cast<std::uint32_t>(order.size()));
    cursor = 0;
  }
  for (std::size_t i = 0; i < b; ++i) {
    const auto src = order[cursor + i];
    batch_x_.row(i) = data_.train_x.row(src);
    batch_y_[i] = data_.train_y[src];
    batch_index_[i] = src;
  }
  cursor += b;
}

void Experiment::step(long n) {
  if (n < 0) throw std::invalid_argument("step: n must not be negative");
  for (long s = 0; s < n; ++s) {
    next_batch();
    const bool recorded = (steps_ + 1) % config_.recordEvery == 0;
    for (Arm& arm : arms_)
      if (arm.diverged_at < 0) train_step(arm, recorded);
    ++steps_;
    if (recorded) record();
  }
}

// One step of mini-batch SGD for one arm: its noise, forward, loss, backward, update. The
// measurements that need this step's gradient hook in before and after the update.
void Experiment::train_step(Arm& arm, bool recorded) {
  if (arm.net.has_noise()) arm.net.draw_noise(arm.noise_rng, config_.batchSize);
  const auto logits = arm.net.forward(batch_x_, Mode::Train);
  const auto dlogits = arm.dlogits.topRows(logits.rows());
  const float loss = loss_forward_backward<float>(loss_, logits, batch_y_.data(), dlogits);
  if (!std::isfinite(loss)) {
    arm.diverged_at = steps_ + 1;
    arm.loss_was_nan = std::isnan(loss);
    return;
  }
  arm.net.backward(dlogits);
  before_update(arm, recorded);
  arm.sgd.step(arm.net);
  after_update(arm, recorded);
  arm.loss_sum += loss;
  ++arm.loss_count;
}

// Measurements at W with the step's gradient g: the landscape along g; gradient-ICS keeps W.
void Experiment::before_update(Arm& arm, bool recorded) {
  if (!config_.probes || !recorded) return;
  if (config_.landscape) measure_landscape(arm);
  if (config_.gradientIcs) arm.before->copy_parameters_from(arm.net);
}

// Measurements after the update: gradient-ICS (G against G' with the earlier layers
// updated), and every step the BN layers' batch statistics beside their running ones.
void Experiment::after_update(Arm& arm, bool recorded) {
  if (!config_.probes) return;
  if (recorded && config_.gradientIcs) measure_gradient_shift(arm);
  trace_batch_statistics(arm);
}

void Experiment::set_learning_rate(double learning_rate) {
  Config changed = config_;
  changed.learningRate = learning_rate;
  config_ = parse_config(config_to_json(changed));  // the one validator says what is allowed
  for (Arm& arm : arms_) arm.sgd.learning_rate = float(learning_rate);
}

// Forward passes over all rows of x in chunks. Inference mode: chunks as large as the
// buffers. Batch statistics: chunks of batchSize, as in training, a last single example
// joining the chunk before it (a batch of one would normalize to beta).
template <class PerChunk>
void Experiment::infer(Arm& arm, const Matrix<float>& x, Mode mode, PerChunk per_chunk) {
  const Eigen::Index n = x.rows();
  const Eigen::Index chunk = mode == Mode::Inference ? max_rows_ : config_.batchSize;
  for (Eigen::Index start = 0; start < n;) {
    Eigen::Index rows = std::min(chunk, n - start);
    if (mode != Mode::Inference && n - start - rows == 1) ++rows;
    per_chunk(start, arm.net.forward(x.middleRows(start, rows), mode));
    start += rows;
  }
}

void Experiment::bn_inputs(Arm& arm, const Matrix<float>& x, int layer, std::vector<float>& out) {
  out.resize(static_cast<std::size_t>(x.rows()));
  const int unit = tracked_unit(layer);
  infer(arm, x, Mode::Inference, [&](Eigen::Index start, const TopRows<float>& logits) {
    const Matrix<float>& z = arm.net.bn_input(layer);
    for (Eigen::Index i = 0; i < logits.rows(); ++i) out[start + i] = z(i, unit);
  });
}

// The inputs and labels of a split.
std::pair<const Matrix<float>*, const std::int32_t*> Experiment::split_data(Split split) const {
  switch (split) {
    case Split::Train: return {&data_.train_x, data_.train_y.data()};
    case Split::Test: return {&data_.test_x, data_.test_y.data()};
    case Split::Shifted: return {&data_.shifted_x, data_.shifted_y.data()};
  }
  throw std::invalid_argument("evaluate: no such split");
}

// Mean loss and accuracy over logits of every row of x, given chunk by chunk.
template <class Chunks>
Evaluation Experiment::score(Arm& arm, const Matrix<float>& x, const std::int32_t* y,
                             Chunks chunks) {
  if (x.rows() == 0) return {std::nanf(""), std::nanf("")};
  double loss = 0;
  long correct = 0;
  chunks([&](Eigen::Index start, const TopRows<float>& logits) {
    const Eigen::Index rows = logits.rows();
    loss +=
        double(loss_forward_backward<float>(loss_, logits, y + start, arm.dlogits.topRows(rows))) *
        rows;
    for (Eigen::Index i = 0; i < rows; ++i)
      correct += predict_class<float>(loss_, logits.row(i)) == y[start + i];
  });
  const double n = double(x.rows());
  return {float(loss / n), float(correct / n)};
}

Evaluation Experiment::evaluate(int arm_index, Split split, Mode mode) {
  if (mode == Mode::Train)
    throw std::invalid_argument("evaluate: training mode would move the running statistics");
  Arm& arm = at(arm_index);
  const auto data = split_data(split);
  const Matrix<float>& x = *data.first;
  return score(arm, x, data.second, [&](auto per_chunk) { infer(arm, x, mode, per_chunk); });
}

Evaluation Experiment::evaluate_adapted(int arm_index) {
  Arm& arm = at(arm_index);
  const Norm norm = arm.net.shape().norm;
  const Matrix<float>& x = data_.shifted_x;
  if ((norm != Norm::BnBefore && norm != Norm::BnAfter) || x.rows() == 0)
    return evaluate(arm_index, Split::Shifted);
  Mlp<float> adapted = arm.net;  // the arm's own buffers keep their sizes
  adapted.reserve(static_cast<int>(x.rows()));
  const auto logits = adapted.forward(x, Mode::BatchStats);
  Matrix<float> dlogits(x.rows(), logits.cols());
  const float loss = loss_forward_backward<float>(loss_, logits, data_.shifted_y.data(), dlogits);
  long correct = 0;
  for (Eigen::Index i = 0; i < logits.rows(); ++i)
    correct += predict_class<float>(loss_, logits.row(i)) == data_.shifted_y[i];
  return {loss, float(double(correct) / double(x.rows()))};
}

void Experiment::predict(int arm_index, Split split, std::int32_t* out) {
  Arm& arm = at(arm_index);
  const Matrix<float>& x = split == Split::Train ? data_.train_x : data_.test_x;
  infer(arm, x, Mode::Inference, [&](Eigen::Index start, const TopRows<float>& logits) {
    for (Eigen::Index i = 0; i < logits.rows(); ++i)
      out[start + i] = predict_class<float>(loss_, logits.row(i));
  });
}

void Experiment::grid(int arm_index, float* out) {
  Arm& arm = at(arm_index);
  infer(arm, grid_x_, Mode::Inference, [&](Eigen::Index start, const TopRows<float>& logits) {
    for (Eigen::Index i = 0; i < logits.rows(); ++i)
      out[start + i] = class1_probability<float>(loss_, logits.row(i));
  });
}

// Every recordEvery steps: the layer probes (so that the shift always spans the same number
// of steps), and, for the records the bounded history keeps, the evaluations.
void Experiment::record() {
  const bool keep = history_.wants(steps_ / config_.recordEvery);
  if (!keep && !config_.probes) return;
  float* row = keep ? history_.append() : nullptr;
  if (row) row[0] = float(steps_);
  for (int a = 0; a < arm_count(); ++a) {
    Arm& arm = arms_[a];
    float* out = row ? row + arm_column(a, 0) : nullptr;
    if (out) {
      out[BatchLoss] = arm.loss_count ? float(arm.loss_sum / arm.loss_count)
                                      : std::numeric_limits<float>::quiet_NaN();
      arm.loss_sum = 0;
      arm.loss_count = 0;
      const Evaluation train = evaluate(a, Split::Train), test = evaluate(a, Split::Test);
      const Evaluation test_batch = evaluate(a, Split::Test, Mode::BatchStats);
      out[TrainLoss] = train.loss;
      out[TrainAccuracy] = train.accuracy;
      out[TestLoss] = test.loss;
      out[TestAccuracy] = test.accuracy;
      out[TestLossBatchStats] = test_batch.loss;
      out[TestAccuracyBatchStats] = test_batch.accuracy;
      const bool landscape_now = arm.landscape_step == steps_;
      const float nan = std::numeric_limits<float>::quiet_NaN();
      const Landscape& l = arm.landscape;
      out[LandscapeLossMin] = landscape_now ? l.loss_min : nan;
      out[LandscapeLossMax] = landscape_now ? l.loss_max : nan;
      out[LandscapeGradMin] = landscape_now ? l.grad_min : nan;
      out[LandscapeGradMax] = landscape_now ? l.grad_max : nan;
      out[LandscapeBeta] = landscape_now ? l.beta : nan;
    }
    if (config_.probes) {
      probe_layers(arm, out ? out + kSeriesPerArm : nullptr);
    } else if (out) {
      std::fill_n(out + kSeriesPerArm, kSeriesPerLayer * depth(),
                  std::numeric_limits<float>::quiet_NaN());
    }
  }
}

}  // namespace bnlab

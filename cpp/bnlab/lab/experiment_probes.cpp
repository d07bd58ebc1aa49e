// When the probes are taken, and on what: the experiment's side of probes.hpp.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "bnlab/lab/experiment.hpp"

namespace bnlab {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

void Experiment::init_probes(Arm& arm) {
  for (int l = 0; l < depth(); ++l) {
    const int width = config_.hidden[l];
    for (auto* v : {&arm.means, &arm.stds, &arm.previous_means, &arm.previous_stds})
      v->push_back(RowVector<float>::Zero(width));
    const bool bn = arm.net.hidden(l).bn.has_value();
    arm.traces.emplace_back(kTraceSeries, bn ? kTraceCapacity : 1);
    arm.step_means.emplace_back(RowVector<float>::Zero(bn ? width : 0));
    arm.step_vars.emplace_back(RowVector<float>::Zero(bn ? width : 0));
  }
  arm.gradient_shift.assign(depth(), GradientShift{kNaN, kNaN});
  if (config_.probes && config_.gradientIcs) arm.before.emplace(arm.net);
  if (config_.probes && (config_.gradientIcs || config_.landscape)) arm.scratch.emplace(arm.net);
  if (config_.probes && config_.landscape) {
    for (auto* v : {&arm.weights, &arm.gradient, &arm.moved})
      v->resize(static_cast<std::size_t>(arm.net.parameter_count()));
  }
}

// After a training step: the tracked unit's batch statistics next to its running ones, and
// every unit's batch statistics of the step (an evaluation with batch statistics overwrites
// the layer's own before the probes read them).
void Experiment::trace_batch_statistics(Arm& arm) {
  for (int l = 0; l < depth(); ++l) {
    const auto& bn = arm.net.hidden(l).bn;
    if (!bn) continue;
    arm.step_means[l] = bn->batch_mean;
    arm.step_vars[l] = bn->batch_var;
    const int unit = tracked_unit(l);
    float* row = arm.traces[l].push();
    row[0] = float(steps_ + 1);
    row[1] = bn->batch_mean(unit);
    row[2] = bn->batch_var(unit);
    row[3] = bn->running_mean(unit);
    row[4] = bn->running_var(unit);
  }
}

// Santurkar et al.'s gradient-based internal covariate shift of every hidden layer i at this
// step: G, the gradient of the loss on the step's batch with respect to W_i (still in
// net's dW), against G', the same gradient once the layers before i have taken their update:
// scratch holds the parameters before the update (arm.before) with layers [0, i) replaced by
// the updated ones. Layer 0 is measured the same way; nothing precedes it, so G' = G.
void Experiment::measure_gradient_shift(Arm& arm) {
  Mlp<float>& scratch = *arm.scratch;
  scratch.copy_noise_from(arm.net);
  const auto rows = batch_x_.rows();
  for (int i = 0; i < depth(); ++i) {
    scratch.copy_parameters_from(*arm.before);
    scratch.copy_parameters_from(arm.net, 0, i);
    const auto logits = scratch.forward(batch_x_, Mode::BatchStats, true);  // the step's noise
    loss_forward_backward<float>(loss_, logits, batch_y_.data(), arm.dlogits.topRows(rows));
    scratch.backward(arm.dlogits.topRows(rows));
    arm.gradient_shift[i] = gradient_shift(arm.net.hidden(i).dense.dW, scratch.hidden(i).dense.dW);
  }
  arm.gradient_shift_step = steps_ + 1;
}

// The loss landscape along the gradient at this step (Landscape in experiment.hpp), after the
// backward pass and before the update: net holds W and g. scratch steps to W - eta g for each
// eta and runs the step's batch again with batch statistics and the step's noise; the running
// statistics are not touched. Allocates nothing.
void Experiment::measure_landscape(Arm& arm) {
  Mlp<float>& scratch = *arm.scratch;
  scratch.copy_noise_from(arm.net);
  using Flat = Eigen::Map<Eigen::VectorXf>;
  const auto n = static_cast<Eigen::Index>(arm.weights.size());
  Flat w(arm.weights.data(), n), g(arm.gradient.data(), n), there(arm.moved.data(), n);
  arm.net.get_parameters(w.data());
  arm.net.get_gradients(g.data());
  const double g_norm = g.cast<double>().norm();
  const auto rows = batch_x_.rows();
  Landscape l{std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
              std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), 0};
  for (const double c : config_.landscapeSteps) {
    const double eta = c * config_.learningRate;
    there = (w.cast<double>() - eta * g.cast<double>()).cast<float>();  // W - eta g
    scratch.set_parameters(there.data());
    const auto logits = scratch.forward(batch_x_, Mode::BatchStats, true);
    const float loss =
        loss_forward_backward<float>(loss_, logits, batch_y_.data(), arm.dlogits.topRows(rows));
    scratch.backward(arm.dlogits.topRows(rows));
    scratch.get_gradients(there.data());  // the gradient there
    const double change = (there.cast<double>() - g.cast<double>()).norm();
    l.loss_min = std::min(l.loss_min, loss);
    l.loss_max = std::max(l.loss_max, loss);
    l.grad_min = std::min(l.grad_min, float(change));
    l.grad_max = std::max(l.grad_max, float(change));
    l.beta = std::max(l.beta, float(change / (eta * g_norm)));
  }
  arm.landscape = l;
  arm.landscape_step = steps_ + 1;
}

// The distribution of every hidden layer's input to its nonlinearity on the probe set, in
// inference mode; written to `row` (kSeriesPerLayer values per layer) when it is kept.
void Experiment::probe_layers(Arm& arm, float* row) {
  if (arm.diverged_at >= 0) {
    if (row) std::fill_n(row, kSeriesPerLayer * depth(), kNaN);
    return;
  }
  const auto rows = probe_x_.rows();
  // bn-noisy's nonlinearities see BN's output moved by the step's noise: that is what it
  // adds, so its distributions are measured with it.
  arm.net.forward(probe_x_, Mode::Inference, arm.kind == ArmKind::BnNoisy);
  for (int l = 0; l < depth(); ++l) {
    const auto& h = arm.net.hidden(l);
    const auto u = h.u.topRows(rows);
    const LayerDistribution d =
        layer_distribution(u, tracked_unit(l), arm.means[l], arm.stds[l], probe_scratch_.data());
    const DistributionShift shift =
        arm.have_previous ? distribution_shift(arm.means[l], arm.stds[l], arm.previous_means[l],
                                               arm.previous_stds[l])
                          : DistributionShift{kNaN, kNaN};
    arm.previous_means[l] = arm.means[l];
    arm.previous_stds[l] = arm.stds[l];
    if (!row) continue;

    float* out = row + l * kSeriesPerLayer;
    const bool measured_now = arm.gradient_shift_step == steps_;
    const float gradient_norm = steps_ > 0 ? h.dense.dW.norm() : kNaN;
    float jitter = kNaN;
    if (h.bn) {
      // Same example, different batch: the tracked unit's BN input over the probe set is the
      // population the batches are drawn from.
      const Matrix<float>& z = arm.net.bn_input(l);
      for (Eigen::Index i = 0; i < rows; ++i) jitter_population_[i] = z(i, tracked_unit(l));
      same_example_normalized(jitter_population_, jitter_examples_, config_.batchSize,
                              kJitterRepeats, float(config_.bnEps), arm.probe_rng, index_scratch_,
                              jitter_values_.data());
      const int examples = static_cast<int>(jitter_examples_.size());
      float sum = 0;
      for (int e = 0; e < examples; ++e)
        sum += sample_std(jitter_values_.data() + e * kJitterRepeats, kJitterRepeats);
      jitter = sum / examples;
    }
    out[P15] = d.p15;
    out[P50] = d.p50;
    out[P85] = d.p85;
    out[MeanOfMeans] = d.mean_of_means;
    out[SpreadOfMeans] = d.spread_of_means;
    out[MeanOfStds] = d.mean_of_stds;
    out[SpreadOfStds] = d.spread_of_stds;
    out[Shift] = shift.raw;
    out[RelativeShift] = shift.relative;
    out[GradientNorm] = gradient_norm;
    out[Saturation] = saturation(arm.net.shape().activation, u, h.a.topRows(rows));
    out[IcsDistance] = measured_now ? arm.gradient_shift[l].distance : kNaN;
    out[IcsCosine] = measured_now ? arm.gradient_shift[l].cosine : kNaN;
    out[JitterStd] = jitter;
    write_bn_parameters(arm, l, out);
  }
  arm.have_previous = true;
}

// A BN layer's gamma and beta beside the statistics of the step's batch (NaN for a layer
// without BN, and before the first step, which has no batch).
void Experiment::write_bn_parameters(const Arm& arm, int l, float* out) const {
  const auto& bn = arm.net.hidden(l).bn;
  for (int s : {Gamma, Beta, GammaSpread, BetaSpread, BatchMean, BatchVar, UndoScale, UndoShift})
    out[s] = kNaN;
  if (!bn) return;
  const int unit = tracked_unit(l);
  const auto spread = [](const RowVector<float>& v) {
    return float(std::sqrt((v.cast<double>().array() - v.cast<double>().mean()).square().mean()));
  };
  out[Gamma] = bn->gamma(unit);
  out[Beta] = bn->beta(unit);
  out[GammaSpread] = spread(bn->gamma);
  out[BetaSpread] = spread(bn->beta);
  if (steps_ == 0) return;
  const RowVector<float>& mean = arm.step_means[l];
  const RowVector<float>& var = arm.step_vars[l];
  out[BatchMean] = mean(unit);
  out[BatchVar] = var(unit);
  double scale = 0, shift = 0;
  for (Eigen::Index u = 0; u < mean.size(); ++u) {
    const double sd = std::sqrt(double(var(u)) + config_.bnEps);
    scale += std::abs(std::log(std::abs(double(bn->gamma(u))) / sd));
    shift += std::abs(double(bn->beta(u)) - double(mean(u))) / sd;
  }
  out[UndoScale] = float(scale / double(mean.size()));
  out[UndoShift] = float(shift / double(mean.size()));
}

BnBatch Experiment::bn_batch(int arm_index, int layer, int unit) {
  require_bn(arm_index, layer);
  if (unit < 0 || unit >= config_.hidden[layer])
    throw std::out_of_range("bnBatch: unit " + std::to_string(unit) + " of layer " +
                            std::to_string(layer) + " out of range (the layer has " +
                            std::to_string(config_.hidden[layer]) + " units)");
  Arm& arm = at(arm_index);
  if (steps_ == 0) {
    // The batch the first step will train on, drawn from copies: the sequence is untouched.
    Rng rng = batch_rng_;
    std::vector<std::uint32_t> order = order_;
    std::size_t cursor = cursor_;
    draw_batch(rng, order, cursor);
  }
  arm.net.forward(batch_x_, Mode::BatchStats);  // no noise, running statistics untouched
  const Matrix<float> z = arm.net.bn_input(layer).topRows(batch_x_.rows());
  BatchNorm<float>& bn = *arm.net.hidden(layer).bn;
  const Eigen::Index rows = z.rows();
  Matrix<float> y(rows, z.cols()), inference(rows, z.cols()), undo(rows, z.cols());
  bn.forward(z, y, Mode::BatchStats);
  BnBatch b;
  const auto column = [&](const auto& m) {
    std::vector<float> out(static_cast<std::size_t>(rows));
    for (Eigen::Index i = 0; i < rows; ++i) out[i] = m(i, unit);
    return out;
  };
  b.unit = unit;
  b.z = column(z);
  b.x_hat = column(bn.x_hat());
  b.y = column(y);
  b.mean = bn.batch_mean(unit);
  b.var = bn.batch_var(unit);
  b.eps = bn.eps;
  b.gamma = bn.gamma(unit);
  b.beta = bn.beta(unit);
  b.running_mean = bn.running_mean(unit);
  b.running_var = bn.running_var(unit);
  bn.forward(z, inference, Mode::Inference);
  b.y_inference = column(inference);
  // The same layer with gamma and beta that undo its normalization.
  BatchNorm<float> undoing = bn;
  undoing.gamma = (bn.batch_var.array() + bn.eps).sqrt();
  undoing.beta = bn.batch_mean;
  undoing.forward(z, undo, Mode::BatchStats);
  b.y_undo = column(undo);
  b.undo_gap = (undo - z).cwiseAbs().maxCoeff();
  for (Eigen::Index i = 0; i < rows; ++i) {
    b.examples.push_back(static_cast<std::int32_t>(batch_index_[i]));
    b.labels.push_back(batch_y_[i]);
  }
  return b;
}

const Ring& Experiment::bn_trace(int arm_index, int layer) const {
  require_bn(arm_index, layer);
  return at(arm_index).traces[layer];
}

std::vector<BatchMeanSpread> Experiment::batch_mean_spread(int arm_index, int layer, int batches) {
  if (batches < 2 || batches > 100000)
    throw std::invalid_argument("batchMeanSpread: batches must be from 2 to 100000");
  Arm& arm = at(arm_index);
  std::vector<float> population;
  bn_inputs(arm, data_.train_x, layer, population);
  Rng rng(config_.seed ^ static_cast<std::uint64_t>(steps_), stream(Stream::BatchMeanSpread));
  return bnlab::batch_mean_spread(population, {4, 8, 16, 32, 64, 128}, batches, rng,
                                  index_scratch_);
}

Jitter Experiment::same_example_jitter(int arm_index, int layer, int repeats) {
  if (repeats < 2 || repeats > 10000)
    throw std::invalid_argument("sameExampleJitter: repeats must be from 2 to 10000");
  require_bn(arm_index, layer);
  Arm& arm = at(arm_index);
  std::vector<float> population;
  bn_inputs(arm, probe_x_, layer, population);
  Jitter j;
  j.examples = jitter_examples_;  // the population is the probe set, as in the probes
  j.repeats = repeats;
  j.x_hat.resize(j.examples.size() * repeats);
  Rng rng(config_.seed ^ static_cast<std::uint64_t>(steps_), stream(Stream::Jitter));
  same_example_normalized(population, j.examples, config_.batchSize, repeats, float(config_.bnEps),
                          rng, index_scratch_, j.x_hat.data());
  for (std::size_t e = 0; e < j.examples.size(); ++e)
    j.stds.push_back(sample_std(j.x_hat.data() + e * repeats, repeats));
  return j;
}

SingleExample Experiment::single_example(int arm_index, int test_index) {
  if (test_index < 0 || test_index >= data_.test_x.rows())
    throw std::out_of_range("test example " + std::to_string(test_index) + " out of range (" +
                            std::to_string(data_.test_x.rows()) + " test examples)");
  Arm& arm = at(arm_index);
  SingleExample out;
  out.label = data_.test_y[test_index];
  const auto x = data_.test_x.middleRows(test_index, 1);
  for (const Mode mode : {Mode::BatchStats, Mode::Inference}) {
    const auto logits = arm.net.forward(x, mode);
    std::vector<float> probabilities(data_.classes);
    class_probabilities<float>(loss_, logits.row(0), data_.classes, probabilities.data());
    auto& bn_out = mode == Mode::BatchStats ? out.bn_output_train : out.bn_output_inference;
    for (int l = 0; l < depth(); ++l) {
      const auto& h = arm.net.hidden(l);
      if (!h.bn) continue;
      const Matrix<float>& y = h.bn_before() ? h.u : h.out;
      bn_out.emplace_back(y.row(0).data(), y.row(0).data() + y.cols());
      if (mode == Mode::BatchStats)
        out.beta.emplace_back(h.bn->beta.data(), h.bn->beta.data() + h.bn->beta.size());
    }
    (mode == Mode::BatchStats ? out.probabilities_train : out.probabilities_inference) =
        probabilities;
  }
  return out;
}

}  // namespace bnlab

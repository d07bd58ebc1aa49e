// An experiment: from one configuration, several arms (plain, bn-before, bn-after) that start
// from the same initial weights and train on exactly the same sequence of mini-batches, so
// every difference between them is caused by Batch Normalization alone. While they train, the
// probes measure what BN does (probes.hpp has the measurements, experiment_probes.cpp when
// they are taken).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "bnlab/io/config.hpp"
#include "bnlab/lab/dataset.hpp"
#include "bnlab/lab/history.hpp"
#include "bnlab/lab/probes.hpp"
#include "bnlab/nn/loss.hpp"
#include "bnlab/nn/mlp.hpp"
#include "bnlab/nn/sgd.hpp"

namespace bnlab {

// Shifted: the second test set of a run with covariateShift (empty without).
enum class Split { Train, Test, Shifted };

struct Evaluation {
  float loss = 0;
  float accuracy = 0;
};

struct GridInfo {
  int size = 0;  // points per side; the grid is size*size, row iy = 0 at y_min
  float x_min = 0, x_max = 0, y_min = 0, y_max = 0;  // original units
};

// The "same example, different batch" measurement of one BN layer: the normalized value of a
// few fixed probe examples' tracked unit inside `repeats` random mini-batches each.
struct Jitter {
  std::vector<int> examples;  // indices into the probe set
  int repeats = 0;
  std::vector<float> x_hat;  // examples.size() * repeats, example-major
  std::vector<float> stds;   // per example, over its repeats
};

// One test example alone through an arm, in training mode (batch statistics of a batch of
// one: every BN output collapses to beta) and in inference mode (running statistics).
struct SingleExample {
  int label = 0;
  std::vector<std::vector<float>> bn_output_train, bn_output_inference, beta;  // per BN layer
  std::vector<float> probabilities_train, probabilities_inference;             // per class
};

// One unit of a BN layer with the last mini-batch through it (before the first step: the first
// mini-batch), on the network as it is now (after the step's update), with batch statistics and
// without noise, the running statistics untouched: Ioffe & Szegedy's Algorithm 1 with its numbers.
// z is BN's input (the Dense output for BN before the nonlinearity, the nonlinearity's output for
// BN after it), y = gamma x_hat + beta; y_inference is what the running statistics make of the same
// z, and y_undo what BN outputs with gamma = sqrt(var + eps) and beta = mean in every unit of the
// layer, which undoes the normalization: undo_gap is the largest |y_undo - z| over the batch and
// the layer's units.
struct BnBatch {
  int unit = 0;
  std::vector<std::int32_t> examples, labels;  // per batch row: training-set index and class
  std::vector<float> z, x_hat, y, y_inference, y_undo;  // (B)
  float mean = 0, var = 0, eps = 0, gamma = 0, beta = 0, running_mean = 0, running_var = 0;
  float undo_gap = 0;
};

// Santurkar et al. (2018) Fig. 4 at one step: with g the gradient of the step's batch loss and
// eta = c x learningRate for each c of landscapeSteps, the range of L(W - eta g), the range
// of ||grad L(W - eta g) - g|| ("gradient predictiveness"), and the effective beta-smoothness
// max ||grad L(W - eta g) - g|| / ||eta g||. Batch statistics, the step's noise.
struct Landscape {
  float loss_min = 0, loss_max = 0, grad_min = 0, grad_max = 0, beta = 0;
};

class Experiment {
 public:
  // The recorded series: column 0 is the step; then per arm the arm series, then for every
  // hidden layer the layer series (arm_column and layer_column give the columns).
  // The arm series by name: out[ArmSeries::TestLoss] rather than out[3].
  enum ArmSeries : int {
    BatchLoss,
    TrainLoss,
    TrainAccuracy,
    TestLoss,
    TestAccuracy,
    TestLossBatchStats,
    TestAccuracyBatchStats,
    LandscapeLossMin,
    LandscapeLossMax,
    LandscapeGradMin,
    LandscapeGradMax,
    LandscapeBeta,
    kArmSeriesCount
  };
  static constexpr int kSeriesPerArm = kArmSeriesCount;
  static const char* const kArmSeries[kSeriesPerArm];
  enum LayerSeries : int {
    P15,
    P50,
    P85,
    MeanOfMeans,
    SpreadOfMeans,
    MeanOfStds,
    SpreadOfStds,
    Shift,
    RelativeShift,
    GradientNorm,
    Saturation,
    IcsDistance,
    IcsCosine,
    JitterStd,
    // BN layers: gamma and beta of the tracked unit, their spreads over the layer's units, the
    // tracked unit's batch mean and (biased) variance of the step, and how far the layer is
    // from undoing its normalization: the mean over units of |ln(|gamma| / sqrt(var + eps))|
    // and of |beta - mean| / sqrt(var + eps), both 0 when gamma and beta undo it.
    Gamma,
    Beta,
    GammaSpread,
    BetaSpread,
    BatchMean,
    BatchVar,
    UndoScale,
    UndoShift,
    kLayerSeriesCount
  };
  static constexpr int kSeriesPerLayer = kLayerSeriesCount;
  static const char* const kLayerSeries[kSeriesPerLayer];
  static constexpr int kTraceSeries = 5;  // step, batchMean, batchVar, runningMean, runningVar
  static const char* const kTraceNames[kTraceSeries];
  static constexpr int kHistoryCapacity = 2048;
  static constexpr int kTraceCapacity = 1024;
  static constexpr int kJitterExamples = 4;
  static constexpr int kJitterRepeats = 32;

  explicit Experiment(const Config& config);

  const Config& config() const { return config_; }
  const Dataset& data() const { return data_; }
  long steps() const { return steps_; }
  int depth() const { return static_cast<int>(config_.hidden.size()); }

  int arm_count() const { return static_cast<int>(arms_.size()); }
  const std::string& arm_name(int arm) const { return at(arm).name; }
  bool diverged(int arm) const { return at(arm).diverged_at >= 0; }
  long diverged_at(int arm) const { return at(arm).diverged_at; }  // -1 while training
  std::string message(int arm) const;  // why the arm stopped; empty while it trains
  Mlp<float>& network(int arm) { return at(arm).net; }
  bool has_bn(int arm, int layer) const;

  // Advances every arm that has not diverged by n steps of mini-batch SGD. Allocates nothing,
  // even when an arm diverges.
  void step(long n);

  // Takes effect from the next step, without restarting the run.
  void set_learning_rate(double learning_rate);

  // Mean loss and accuracy of an arm over a whole split. Inference mode uses BN's running
  // statistics (torch's model.eval()); BatchStats normalizes each mini-batch of batchSize
  // examples with its own statistics, as training does.
  Evaluation evaluate(int arm, Split split, Mode mode = Mode::Inference);
  // The shifted test set with every BN layer's statistics estimated on it, all of it in one
  // batch (AdaBN, Li et al. 2016): what BN's statistics can do about covariate shift. Without
  // BN, as evaluate(arm, Split::Shifted); NaN without a shifted set.
  Evaluation evaluate_adapted(int arm);

  // The class each example of a split is predicted to be, in inference mode.
  void predict(int arm, Split split, std::int32_t* out);

  // Probability of class 1 on a grid over the data (two-feature data sets), in inference mode.
  const GridInfo& grid_info() const { return grid_info_; }
  void grid(int arm, float* out);  // out[grid_size^2]

  // Recorded every config.recordEvery steps (bounded: see History).
  const History& history() const { return history_; }
  int arm_column(int arm, int series) const;
  int layer_column(int arm, int layer, int series) const;

  // The unit of hidden layer `layer` whose percentiles and batch statistics are tracked.
  int tracked_unit(int layer) const;
  // The training examples the layer distributions are measured on (indices into train).
  const std::vector<std::uint32_t>& probe_set() const { return probe_set_; }
  // The last mini-batch trained on.
  const Matrix<float>& batch_x() const { return batch_x_; }
  const std::vector<std::int32_t>& batch_y() const { return batch_y_; }
  const std::vector<std::uint32_t>& batch_index() const { return batch_index_; }  // into train

  // Per step, the tracked unit's batch mean and variance in a BN layer next to its running
  // statistics: the most recent kTraceCapacity steps (kTraceNames).
  const Ring& bn_trace(int arm, int layer) const;

  // On the current network, the standard deviation of the batch mean of the tracked unit's
  // BN input over `batches` mini-batches drawn without replacement from the training set, for
  // batch sizes 4 to 128, next to sigma / sqrt(B) * sqrt((N - B) / (N - 1)).
  std::vector<BatchMeanSpread> batch_mean_spread(int arm, int layer, int batches);
  // The last mini-batch through one unit of a BN layer (BnBatch above).
  BnBatch bn_batch(int arm, int layer, int unit);
  // The same-example jitter of a layer, measured now with batches of batchSize.
  Jitter same_example_jitter(int arm, int layer, int repeats);
  SingleExample single_example(int arm, int test_index);

 private:
  // The random-number streams (stream() in experiment.cpp). Values are fixed: changing one
  // changes every run's numbers.
  enum class Stream : std::uint64_t {
    Init = 3,
    Batch = 4,
    ProbeSet = 5,
    Probe = 6,  // Probe: per arm
    BatchMeanSpread = 7,
    Jitter = 8,  // with seed ^ step
    Noise = 9,   // per arm: bn noise and dropout masks
  };
  static std::uint64_t stream(Stream s, ArmKind kind = ArmKind::Plain);

  struct Arm {
    Arm(std::string name_, ArmKind kind_, Mlp<float> net_, Sgd<float> sgd_, int max_rows)
        : name(std::move(name_)),
          kind(kind_),
          net(std::move(net_)),
          sgd(std::move(sgd_)),
          dlogits(max_rows, net.shape().outputs) {}

    std::string name;
    ArmKind kind;
    Mlp<float> net;
    Sgd<float> sgd;
    Matrix<float> dlogits;  // (max rows, outputs)
    double loss_sum = 0;
    long loss_count = 0;
    long diverged_at = -1;
    bool loss_was_nan = false;  // else infinite
    // Probe state, per hidden layer.
    std::vector<RowVector<float>> means, stds, previous_means, previous_stds;
    bool have_previous = false;
    std::vector<GradientShift> gradient_shift;
    long gradient_shift_step = -1;              // the step they were measured at
    std::optional<Mlp<float>> before, scratch;  // copies for gradient-ICS and the landscape
    Landscape landscape;
    long landscape_step = -1;                     // the step it was measured at
    std::vector<float> weights, gradient, moved;  // flat W, g and W - eta g (or its gradient)
    std::vector<Ring> traces;
    // BN layers: every unit's batch mean and variance of the latest step (empty elsewhere).
    std::vector<RowVector<float>> step_means, step_vars;
    Rng probe_rng{0};  // the arm's own, so no arm's measurements depend on the others
    Rng noise_rng{0};  // the arm's training noise
  };

  Arm& at(int arm);
  const Arm& at(int arm) const;
  void check_layer(int layer) const;
  void require_bn(int arm, int layer) const;  // throws when the arm has no BN in the layer
  void next_batch();
  void draw_batch(Rng& rng, std::vector<std::uint32_t>& order, std::size_t& cursor);
  void train_step(Arm& arm, bool recorded);
  void before_update(Arm& arm, bool recorded);  // measurement hooks of train_step
  void after_update(Arm& arm, bool recorded);
  void record();
  template <class PerChunk>
  void infer(Arm& arm, const Matrix<float>& x, Mode mode, PerChunk per_chunk);
  std::pair<const Matrix<float>*, const std::int32_t*> split_data(Split split) const;
  template <class Chunks>
  Evaluation score(Arm& arm, const Matrix<float>& x, const std::int32_t* y, Chunks chunks);
  // The tracked unit's BN input of hidden layer `layer` for every row of x, inference mode.
  void bn_inputs(Arm& arm, const Matrix<float>& x, int layer, std::vector<float>& out);

  // experiment_probes.cpp
  void init_probes(Arm& arm);
  void trace_batch_statistics(Arm& arm);
  void measure_gradient_shift(Arm& arm);
  void measure_landscape(Arm& arm);
  void probe_layers(Arm& arm, float* row);  // row: the arm's part of a kept history row, or null
  void write_bn_parameters(const Arm& arm, int layer, float* out) const;

  Config config_;
  Dataset data_;
  Loss loss_;
  std::vector<Arm> arms_;
  long steps_ = 0;
  int max_rows_;
  int columns_per_arm_;

  Rng batch_rng_;
  std::vector<std::uint32_t> order_;        // permutation of the training examples
  std::size_t cursor_ = 0;                  // next unused position in order_
  Matrix<float> batch_x_;                   // (batchSize, features)
  std::vector<std::int32_t> batch_y_;       // (batchSize)
  std::vector<std::uint32_t> batch_index_;  // (batchSize) the rows' indices into train

  GridInfo grid_info_;
  Matrix<float> grid_x_;  // (grid_size^2, features) model inputs

  std::vector<std::uint32_t> probe_set_;
  Matrix<float> probe_x_;  // (probe examples, features)
  std::vector<float> probe_scratch_, jitter_population_, jitter_values_;
  std::vector<int> jitter_examples_;  // the first probe examples
  std::vector<std::uint32_t> index_scratch_;

  History history_;
};

}  // namespace bnlab

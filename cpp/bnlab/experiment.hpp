// An experiment: from one configuration, several arms (plain, bn-before, bn-after) that start
// from the same initial weights and train on exactly the same sequence of mini-batches, so
// every difference between them is caused by Batch Normalization alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config.hpp"
#include "dataset.hpp"
#include "history.hpp"
#include "loss.hpp"
#include "mlp.hpp"
#include "sgd.hpp"

namespace bnlab {

enum class Split { Train, Test };

struct Evaluation {
  float loss = 0;
  float accuracy = 0;
};

struct GridInfo {
  int size = 0;  // points per side; the grid is size*size, row iy = 0 at y_min
  float x_min = 0, x_max = 0, y_min = 0, y_max = 0;  // original units
};

class Experiment {
 public:
  // The recorded series: step, then per arm these, in this order.
  static constexpr int kSeriesPerArm = 5;  // batchLoss, trainLoss, trainAccuracy, testLoss, testAccuracy
  static const char* const kArmSeries[kSeriesPerArm];
  static constexpr int kHistoryCapacity = 2048;

  explicit Experiment(const Config& config);

  const Config& config() const { return config_; }
  const Dataset& data() const { return data_; }
  long steps() const { return steps_; }

  int arm_count() const { return static_cast<int>(arms_.size()); }
  const std::string& arm_name(int arm) const { return at(arm).name; }
  bool diverged(int arm) const { return at(arm).diverged_at >= 0; }
  long diverged_at(int arm) const { return at(arm).diverged_at; }  // -1 while training
  std::string message(int arm) const;  // why the arm stopped; empty while it trains
  Mlp<float>& network(int arm) { return at(arm).net; }

  // Advances every arm that has not diverged by n steps of mini-batch SGD. Allocates nothing,
  // even when an arm diverges.
  void step(long n);

  // Takes effect from the next step, without restarting the run.
  void set_learning_rate(double learning_rate);

  // Mean loss and accuracy of an arm over a whole split, in inference mode (BN's running
  // statistics, as torch's model.eval()).
  Evaluation evaluate(int arm, Split split);

  // Probability of class 1 on a grid over the data (two-feature data sets), in inference mode.
  const GridInfo& grid_info() const { return grid_info_; }
  void grid(int arm, float* out);  // out[grid_size^2]

  // Recorded every config.recordEvery steps: column 0 is the step, then kSeriesPerArm per arm.
  const History& history() const { return history_; }

 private:
  struct Arm {
    std::string name;
    Mlp<float> net;
    Sgd<float> sgd;
    Matrix<float> dlogits;  // (max rows, outputs)
    double loss_sum = 0;
    long loss_count = 0;
    long diverged_at = -1;
    bool loss_was_nan = false;  // else infinite
  };

  Arm& at(int arm);
  const Arm& at(int arm) const;
  void next_batch();
  void record();
  template <class PerChunk>
  void infer(Arm& arm, const Matrix<float>& x, PerChunk per_chunk);

  Config config_;
  Dataset data_;
  Loss loss_;
  std::vector<Arm> arms_;
  long steps_ = 0;
  int max_rows_;

  Rng batch_rng_;
  std::vector<std::uint32_t> order_;  // permutation of the training examples
  std::size_t cursor_ = 0;            // next unused position in order_
  Matrix<float> batch_x_;             // (batchSize, features)
  std::vector<std::int32_t> batch_y_; // (batchSize)

  GridInfo grid_info_;
  Matrix<float> grid_x_;  // (grid_size^2, features) model inputs

  History history_;
};

// Name <-> enum for the configuration's choices.
Activation parse_activation(const std::string& name);
Init parse_init(const std::string& name);
Loss parse_loss(const std::string& name);
BnPlacement parse_arm(const std::string& name);

}  // namespace bnlab

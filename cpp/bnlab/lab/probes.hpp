// Measurements of what Batch Normalization does, as pure functions of matrices: the
// distribution of a layer's input to its nonlinearity, how far it moved, saturation,
// gradient-based internal covariate shift, and the noise of mini-batch statistics.
// The experiment decides when to take them (experiment.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "bnlab/nn/activation.hpp"
#include "bnlab/nn/rng.hpp"
#include "bnlab/nn/tensor.hpp"

namespace bnlab {

// The q-th percentile (0..100) of n sorted values, interpolating linearly between the two
// nearest ranks (numpy's default): rank q/100 * (n - 1).
float percentile_of_sorted(const float* sorted, int n, double q);

// Distribution of a layer's input to its nonlinearity u (P, width) over the probe set.
struct LayerDistribution {
  float p15 = 0, p50 = 0, p85 = 0;               // of the tracked unit
  float mean_of_means = 0, spread_of_means = 0;  // over units, of each unit's mean
  float mean_of_stds = 0, spread_of_stds = 0;    // over units, of each unit's std
};

// Fills means and stds (width) with each unit's mean and population standard deviation;
// scratch holds at least P floats.
LayerDistribution layer_distribution(ConstMatrixRef<float> u, int tracked_unit,
                                     RowVector<float>& means, RowVector<float>& stds,
                                     float* scratch);

// How far a layer's distribution moved between two probes: the root mean square over units
// of the change of each unit's mean and standard deviation,
//   raw = sqrt(mean_j((m_j - m'_j)^2 + (s_j - s'_j)^2)),
// and the same with each unit's change in units of its own spread, so that layers (and arms)
// whose inputs live on different scales compare (BN's scale is whatever gamma learned),
//   relative = sqrt(mean_j(((m_j - m'_j)^2 + (s_j - s'_j)^2) / ((s_j + s'_j) / 2)^2)),
// over the units whose spread is not zero (NaN when none is: a constant input has no spread).
struct DistributionShift {
  float raw = 0;
  float relative = 0;
};
DistributionShift distribution_shift(const RowVector<float>& means, const RowVector<float>& stds,
                                     const RowVector<float>& previous_means,
                                     const RowVector<float>& previous_stds);

// Fraction of saturated units of a layer over the probe set: for sigmoid and tanh, the
// share of (example, unit) pairs whose derivative is below 1% of its maximum; for ReLU, the
// share of units that are dead (u <= 0) on every probe example; 0 for linear.
float saturation(Activation kind, ConstMatrixRef<float> u, ConstMatrixRef<float> a);

// Santurkar et al. (2018): the gradient G of a layer's weights on a step's batch against G'
// recomputed after the layers before it took their update.
struct GradientShift {
  float distance = 0;  // ||G - G'||_2
  float cosine = 0;    // <G, G'> / (||G|| ||G'||)
};
GradientShift gradient_shift(ConstMatrixRef<float> g, ConstMatrixRef<float> g_prime);

// Batch statistics of mini-batches drawn without replacement from a population of values.
struct BatchMeanSpread {
  int batch_size = 0;
  float measured = 0;   // standard deviation of the batch mean over the drawn batches
  float predicted = 0;  // sigma / sqrt(B) * sqrt((N - B) / (N - 1)), sigma the population's
};
// For each batch size (at most n), draws `batches` batches.
std::vector<BatchMeanSpread> batch_mean_spread(const std::vector<float>& population,
                                               const std::vector<int>& batch_sizes, int batches,
                                               Rng& rng, std::vector<std::uint32_t>& scratch);

// The normalized value x_hat = (z_e - mean) / sqrt(var + eps) of example e when it is
// normalized inside a batch of `batch_size` rows: e with batch_size - 1 others drawn without
// replacement from the population. Writes `repeats` values per example into out
// (examples.size() * repeats, example-major).
void same_example_normalized(const std::vector<float>& population, const std::vector<int>& examples,
                             int batch_size, int repeats, float eps, Rng& rng,
                             std::vector<std::uint32_t>& scratch, float* out);

// Standard deviation (n - 1 in the denominator) of n values.
float sample_std(const float* values, int n);

}  // namespace bnlab

#include "bnlab/lab/probes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace bnlab {
namespace {

// Draws k distinct indices of [0, n) into the front of scratch (a partial Fisher-Yates
// shuffle); scratch must hold a permutation of [0, n).
void draw_without_replacement(int k, Rng& rng, std::vector<std::uint32_t>& scratch) {
  const auto n = static_cast<std::uint32_t>(scratch.size());
  for (int i = 0; i < k; ++i) {
    const std::uint32_t j = i + rng.below(n - i);
    std::swap(scratch[i], scratch[j]);
  }
}

void reset_permutation(std::vector<std::uint32_t>& scratch, std::size_t n) {
  scratch.resize(n);
  std::iota(scratch.begin(), scratch.end(), 0u);
}

}  // namespace

float percentile_of_sorted(const float* sorted, int n, double q) {
  if (n <= 0) return std::numeric_limits<float>::quiet_NaN();
  const double rank = q / 100.0 * (n - 1);
  const int lo = static_cast<int>(std::floor(rank));
  const int hi = std::min(lo + 1, n - 1);
  const double frac = rank - lo;
  return static_cast<float>(sorted[lo] + frac * (double(sorted[hi]) - sorted[lo]));
}

LayerDistribution layer_distribution(ConstMatrixRef<float> u, int tracked_unit,
                                     RowVector<float>& means, RowVector<float>& stds,
                                     float* scratch) {
  const auto rows = static_cast<int>(u.rows());
  means = u.colwise().mean();
  stds = ((u.rowwise() - means).colwise().squaredNorm() / float(rows)).cwiseSqrt();

  LayerDistribution d;
  for (int i = 0; i < rows; ++i) scratch[i] = u(i, tracked_unit);
  std::sort(scratch, scratch + rows);
  d.p15 = percentile_of_sorted(scratch, rows, 15);
  d.p50 = percentile_of_sorted(scratch, rows, 50);
  d.p85 = percentile_of_sorted(scratch, rows, 85);

  const auto spread = [](const RowVector<float>& v) {
    return std::sqrt((v.array() - v.mean()).square().mean());
  };
  d.mean_of_means = means.mean();
  d.spread_of_means = spread(means);
  d.mean_of_stds = stds.mean();
  d.spread_of_stds = spread(stds);
  return d;
}

DistributionShift distribution_shift(const RowVector<float>& means, const RowVector<float>& stds,
                                     const RowVector<float>& previous_means,
                                     const RowVector<float>& previous_stds) {
  float raw = 0, relative = 0;
  int spread_units = 0;
  for (Eigen::Index j = 0; j < means.size(); ++j) {
    const float dm = means[j] - previous_means[j];
    const float ds = stds[j] - previous_stds[j];
    const float change = dm * dm + ds * ds;
    raw += change;
    const float spread = 0.5f * (stds[j] + previous_stds[j]);
    if (!(spread > 0)) continue;
    relative += change / (spread * spread);
    ++spread_units;
  }
  return {std::sqrt(raw / float(means.size())), spread_units > 0
                                                    ? std::sqrt(relative / float(spread_units))
                                                    : std::numeric_limits<float>::quiet_NaN()};
}

float saturation(Activation kind, ConstMatrixRef<float> u, ConstMatrixRef<float> a) {
  switch (kind) {
    case Activation::Sigmoid:
      return float((a.array() * (1.0f - a.array()) < 0.01f * 0.25f).count()) / float(a.size());
    case Activation::Tanh:
      return float((1.0f - a.array().square() < 0.01f).count()) / float(a.size());
    case Activation::Relu:
      return float(((u.array() > 0.0f).colwise().count() == 0).count()) / float(u.cols());
    case Activation::Linear: return 0.0f;
  }
  return 0.0f;
}

GradientShift gradient_shift(ConstMatrixRef<float> g, ConstMatrixRef<float> g_prime) {
  double dot = 0, gg = 0, pp = 0, diff = 0;
  for (Eigen::Index i = 0; i < g.rows(); ++i)
    for (Eigen::Index j = 0; j < g.cols(); ++j) {
      const double x = g(i, j), y = g_prime(i, j);
      dot += x * y;
      gg += x * x;
      pp += y * y;
      diff += (x - y) * (x - y);
    }
  const double norms = std::sqrt(gg) * std::sqrt(pp);
  return {float(std::sqrt(diff)),
          norms > 0 ? float(dot / norms) : std::numeric_limits<float>::quiet_NaN()};
}

float sample_std(const float* values, int n) {
  if (n < 2) return std::numeric_limits<float>::quiet_NaN();
  double mean = 0;
  for (int i = 0; i < n; ++i) mean += values[i];
  mean /= n;
  double ss = 0;
  for (int i = 0; i < n; ++i) ss += (values[i] - mean) * (values[i] - mean);
  return float(std::sqrt(ss / (n - 1)));
}

std::vector<BatchMeanSpread> batch_mean_spread(const std::vector<float>& population,
                                               const std::vector<int>& batch_sizes, int batches,
                                               Rng& rng, std::vector<std::uint32_t>& scratch) {
  const int n = static_cast<int>(population.size());
  double mean = 0;
  for (float v : population) mean += v;
  mean /= n;
  double ss = 0;
  for (float v : population) ss += (v - mean) * (v - mean);
  const double sigma = std::sqrt(ss / n);

  std::vector<BatchMeanSpread> out;
  std::vector<float> batch_means(batches);
  reset_permutation(scratch, population.size());
  for (int b : batch_sizes) {
    if (b < 1 || b > n) continue;
    for (int k = 0; k < batches; ++k) {
      draw_without_replacement(b, rng, scratch);
      double sum = 0;
      for (int i = 0; i < b; ++i) sum += population[scratch[i]];
      batch_means[k] = float(sum / b);
    }
    const double predicted =
        n > 1 ? sigma / std::sqrt(double(b)) * std::sqrt(double(n - b) / (n - 1)) : 0.0;
    out.push_back({b, sample_std(batch_means.data(), batches), float(predicted)});
  }
  return out;
}

void same_example_normalized(const std::vector<float>& population, const std::vector<int>& examples,
                             int batch_size, int repeats, float eps, Rng& rng,
                             std::vector<std::uint32_t>& scratch, float* out) {
  const int n = static_cast<int>(population.size());
  const int others = std::min(batch_size, n) - 1;
  for (std::size_t e = 0; e < examples.size(); ++e) {
    const int example = examples[e];
    // The others come from the population without the example itself: put it last.
    reset_permutation(scratch, population.size());
    std::swap(scratch[example], scratch[n - 1]);
    scratch.pop_back();
    for (int r = 0; r < repeats; ++r) {
      draw_without_replacement(others, rng, scratch);
      double sum = population[example];
      for (int i = 0; i < others; ++i) sum += population[scratch[i]];
      const double mean = sum / (others + 1);
      double ss = (population[example] - mean) * (population[example] - mean);
      for (int i = 0; i < others; ++i)
        ss += (population[scratch[i]] - mean) * (population[scratch[i]] - mean);
      const double var = ss / (others + 1);  // biased, as BatchNorm normalizes
      out[e * repeats + r] = float((population[example] - mean) / std::sqrt(var + eps));
    }
  }
}

}  // namespace bnlab

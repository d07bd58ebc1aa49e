#include "bnlab/lab/dataset.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "bnlab/io/csv.hpp"
#include "bnlab/lab/digits.hpp"
#include "bnlab/nn/rng.hpp"

namespace bnlab {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Independent generator streams, so changing one setting (say the noise) leaves the
// others' draws (the split, the weights, the batch order) unchanged.
enum Stream : std::uint64_t { kPointsStream = 1, kSplitStream = 2, kShiftStream = 3 };

}  // namespace

void generate_points(DatasetKind dataset, int samples, double noise, std::uint64_t seed,
                     Matrix<double>& points, std::vector<std::int32_t>& labels) {
  Rng rng(seed, kPointsStream);
  points.resize(samples, 2);
  labels.resize(samples);
  // Each feature's nominal scale: the noise is a fraction of it.
  double scale[2] = {1.0, 1.0};
  for (int i = 0; i < samples; ++i) {
    const int label = i % 2;
    labels[i] = label;
    double x = 0, y = 0;
    switch (dataset) {
      case DatasetKind::Circle: {
        // Class 1 inside radius 0.5, class 0 in the ring from 0.7 to 1.
        const double r = label ? 0.5 * std::sqrt(rng.uniform()) : std::sqrt(rng.uniform(0.49, 1.0));
        const double angle = rng.uniform(0.0, 2 * kPi);
        x = r * std::cos(angle);
        y = r * std::sin(angle);
        break;
      }
      case DatasetKind::Xor: {
        // Class 1 where x and y share a sign; kept a little away from the axes.
        const double padding = 0.05;
        x = rng.uniform(padding, 1.0) * (rng.uniform() < 0.5 ? -1 : 1);
        y = rng.uniform(padding, 1.0) * ((x > 0) == (label == 1) ? 1 : -1);
        break;
      }
      case DatasetKind::Gauss: {
        const double centre = label ? 0.5 : -0.5;
        x = rng.normal(centre, 0.25);
        y = rng.normal(centre, 0.25);
        break;
      }
      case DatasetKind::Spiral: {
        // Two interleaved arms of 1.75 turns, class 1 rotated by half a turn.
        const double t = rng.uniform();
        const double angle = 1.75 * 2 * kPi * t + label * kPi;
        x = t * std::cos(angle);
        y = t * std::sin(angle);
        break;
      }
      case DatasetKind::Scales: {
        // Height in metres against weight in kilograms: a spread of 0.5 against one of 80.
        // Class 1: body-mass index (weight / height^2) of 25 or more.
        const double height = rng.uniform(1.5, 2.0);
        const double bmi = label ? rng.uniform(25.0, 33.0) : rng.uniform(17.0, 25.0);
        x = height;
        y = bmi * height * height;
        scale[0] = 0.15;
        scale[1] = 20.0;
        break;
      }
      case DatasetKind::Digits:
      case DatasetKind::Csv:
        throw std::invalid_argument(
            "dataset: the digits and tables are read (make_dataset), not "
            "generated");
    }
    points(i, 0) = x + noise * scale[0] * rng.normal();
    points(i, 1) = y + noise * scale[1] * rng.normal();
  }
}

namespace {

// The loaded digits, pixels scaled to [0, 1], with the configuration's noise.
void digit_points(double noise, std::uint64_t seed, Matrix<double>& points,
                  std::vector<std::int32_t>& labels) {
  const Digits* digits = loaded_digits();
  if (!digits)
    throw std::invalid_argument(
        "dataset: the digits are not loaded (the page loads digits.bin first; bnlab-run reads "
        "it from its data folder)");
  Rng rng(seed, kPointsStream);
  points.resize(Digits::kCount, Digits::kFeatures);
  for (Eigen::Index i = 0; i < points.size(); ++i)
    points.data()[i] = digits->pixels[i] / double(Digits::kMaxPixel) + noise * rng.normal();
  labels = digits->labels;
}

// The table provided (io/csv.hpp), as it is.
void table_points(Matrix<double>& points, std::vector<std::int32_t>& labels) {
  const CsvTable* table = loaded_csv();
  if (!table)
    throw std::invalid_argument(
        "dataset: no table is loaded (bnlab-run --data-csv FILE; on the page, Your own data)");
  points = Eigen::Map<const Matrix<double>>(table->values.data(), table->rows(), table->features());
  labels = table->labels;
}

// Covariate shift by selection on the inputs, which leaves the labelling rule as it was: from a
// pool of points of the whole plane, the `samples` with the lowest first feature are the
// training world (train and test), and the shifted test set is drawn from as many with the
// highest. The pool holds samples / (1 - shift) points, so each part is (1 - shift) of it.
void shifted_points(const Config& config, int shifted_count, Matrix<double>& points,
                    std::vector<std::int32_t>& labels, Matrix<double>& shifted,
                    std::vector<std::int32_t>& shifted_labels) {
  const int pool = static_cast<int>(std::ceil(config.samples / (1 - config.covariateShift)));
  Matrix<double> all;
  std::vector<std::int32_t> all_labels;
  generate_points(config.dataset, pool, config.noise, config.seed, all, all_labels);
  std::vector<std::uint32_t> rank(pool);
  std::iota(rank.begin(), rank.end(), 0u);
  std::stable_sort(rank.begin(), rank.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return all(a, 0) < all(b, 0); });
  points.resize(config.samples, 2);
  labels.resize(config.samples);
  for (int i = 0; i < config.samples; ++i) {
    points.row(i) = all.row(rank[i]);
    labels[i] = all_labels[rank[i]];
  }
  std::vector<std::uint32_t> right(rank.end() - config.samples, rank.end());
  Rng(config.seed, kShiftStream).shuffle(right.begin(), static_cast<std::uint32_t>(right.size()));
  shifted.resize(shifted_count, 2);
  shifted_labels.resize(shifted_count);
  for (int i = 0; i < shifted_count; ++i) {
    shifted.row(i) = all.row(right[i]);
    shifted_labels[i] = all_labels[right[i]];
  }
}

}  // namespace

Dataset make_dataset(const Config& config) {
  Matrix<double> points, shifted;
  std::vector<std::int32_t> labels, shifted_labels;
  if (config.dataset == DatasetKind::Digits)
    digit_points(config.noise, config.seed, points, labels);
  else if (config.dataset == DatasetKind::Csv)
    table_points(points, labels);
  else if (config.covariateShift > 0)
    shifted_points(config, config.samples - train_size(config), points, labels, shifted,
                   shifted_labels);
  else
    generate_points(config.dataset, config.samples, config.noise, config.seed, points, labels);

  Dataset d;
  d.features = static_cast<int>(points.cols());
  d.classes = dataset_classes(config.dataset);
  if (config.dataset == DatasetKind::Csv) d.feature_names = loaded_csv()->feature_names;
  const int n = static_cast<int>(points.rows());
  const int n_train = train_size(config);

  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  Rng(config.seed, kSplitStream).shuffle(order.begin(), static_cast<std::uint32_t>(n));

  d.train_raw.resize(n_train, d.features);
  d.test_raw.resize(n - n_train, d.features);
  d.train_y.resize(n_train);
  d.test_y.resize(n - n_train);
  for (int i = 0; i < n; ++i) {
    const auto src = order[i];
    if (i < n_train) {
      d.train_raw.row(i) = points.row(src).cast<float>();
      d.train_y[i] = labels[src];
    } else {
      d.test_raw.row(i - n_train) = points.row(src).cast<float>();
      d.test_y[i - n_train] = labels[src];
    }
  }

  d.input_mean = RowVector<float>::Zero(d.features);
  d.input_std = RowVector<float>::Ones(d.features);
  if (config.standardize) {
    const Matrix<double> train = d.train_raw.cast<double>();
    const RowVector<double> mean = train.colwise().mean();
    const RowVector<double> var = (train.rowwise() - mean).colwise().squaredNorm() / n_train;
    d.input_mean = mean.cast<float>();
    d.input_std = var.cwiseSqrt().cwiseMax(1e-12).cast<float>();
  }
  const auto standardize = [&](const Matrix<float>& raw) -> Matrix<float> {
    return ((raw.rowwise() - d.input_mean).array().rowwise() / d.input_std.array()).matrix();
  };
  d.train_x = standardize(d.train_raw);
  d.test_x = standardize(d.test_raw);
  if (shifted.rows() == 0) shifted.resize(0, d.features);  // no shifted set: 0 rows, same columns
  d.shifted_raw = shifted.cast<float>();
  d.shifted_y = shifted_labels;
  d.shifted_x = standardize(d.shifted_raw);
  return d;
}

}  // namespace bnlab

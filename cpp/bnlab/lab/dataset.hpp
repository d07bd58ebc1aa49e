// Data sets: the four two-class 2-D sets of TensorFlow Playground, and `scales`, whose two
// features live on very different numeric ranges; the digits and a table of your own are read;
// split into train and test by seed, with optional standardization computed on the training set.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bnlab/io/config.hpp"
#include "bnlab/nn/tensor.hpp"

namespace bnlab {

struct Dataset {
  int features = 0;
  int classes = 0;
  // Model inputs (standardized when the configuration asks), one example per row.
  Matrix<float> train_x, test_x;
  std::vector<std::int32_t> train_y, test_y;
  // With covariateShift: a second test set from the shifted part of the plane (empty without).
  Matrix<float> shifted_x;
  std::vector<std::int32_t> shifted_y;
  // The same examples in their original units, for plotting.
  Matrix<float> train_raw, test_raw, shifted_raw;
  // Model input = (raw - input_mean) / input_std; 0 and 1 when not standardized.
  RowVector<float> input_mean, input_std;
  // The columns' names of a table (csv); empty for the generated sets and the digits.
  std::vector<std::string> feature_names;
};

// Generates `samples` examples with exactly equal class counts, in original units.
// points (samples, 2); labels alternate 0, 1, 0, 1, ... The digits are read, not generated:
// std::invalid_argument.
void generate_points(DatasetKind dataset, int samples, double noise, std::uint64_t seed,
                     Matrix<double>& points, std::vector<std::int32_t>& labels);

// The data set a configuration describes: generated, shuffled, split, standardized.
Dataset make_dataset(const Config& config);

}  // namespace bnlab

// Losses on the network's raw outputs (logits), averaged over the batch.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "bnlab/nn/tensor.hpp"

namespace bnlab {

enum class Loss {
  Mse,      // 1/2 (y - y_hat)^2 summed over outputs, linear output, 0/1 or one-hot target
  Bce,      // binary cross-entropy on a sigmoid of one output, two classes
  Softmax,  // softmax cross-entropy over k outputs
};

// Outputs the network needs for a loss and a number of classes.
inline int loss_outputs(Loss loss, int classes) {
  return (loss == Loss::Softmax || classes > 2) ? classes : 1;
}

// logits (B, K), labels (B) in [0, classes) -> mean loss; dlogits (B, K) = d(mean loss)/d(logits).
template <class T>
T loss_forward_backward(Loss loss, ConstMatrixRef<T> logits, const std::int32_t* labels,
                        MatrixRef<T> dlogits) {
  const Eigen::Index rows = logits.rows(), k = logits.cols();
  const T inv_rows = T(1) / T(rows);
  T total = 0;
  for (Eigen::Index i = 0; i < rows; ++i) {
    const int label = labels[i];
    switch (loss) {
      case Loss::Mse:
        for (Eigen::Index j = 0; j < k; ++j) {
          const T target = (k == 1) ? T(label) : T(j == label);
          const T diff = logits(i, j) - target;
          total += T(0.5) * diff * diff;
          dlogits(i, j) = diff * inv_rows;
        }
        break;
      case Loss::Bce: {
        // max(z, 0) - z y + log(1 + e^-|z|): never overflows.
        const T z = logits(i, 0), y = T(label);
        total += std::max(z, T(0)) - z * y + std::log1p(std::exp(-std::abs(z)));
        const T p = z >= T(0) ? T(1) / (T(1) + std::exp(-z)) : std::exp(z) / (T(1) + std::exp(z));
        dlogits(i, 0) = (p - y) * inv_rows;
        break;
      }
      case Loss::Softmax: {
        const T max = logits.row(i).maxCoeff();
        T sum = 0;
        for (Eigen::Index j = 0; j < k; ++j) sum += std::exp(logits(i, j) - max);
        const T log_sum = std::log(sum);
        total += log_sum + max - logits(i, label);
        for (Eigen::Index j = 0; j < k; ++j)
          dlogits(i, j) = (std::exp(logits(i, j) - max - log_sum) - T(j == label)) * inv_rows;
        break;
      }
    }
  }
  return total * inv_rows;
}

// Predicted class of one row of logits.
template <class T, class Row>
int predict_class(Loss loss, const Row& logits) {
  if (logits.cols() == 1) {
    const T threshold = loss == Loss::Bce ? T(0) : T(0.5);
    return logits(0) > threshold ? 1 : 0;
  }
  Eigen::Index best;
  logits.maxCoeff(&best);
  return static_cast<int>(best);
}

// Probability of class 1 (two-class data), for decision-boundary pictures.
template <class T, class Row>
T class1_probability(Loss loss, const Row& logits) {
  if (logits.cols() == 1) {
    const T z = logits(0);
    if (loss == Loss::Bce) return T(1) / (T(1) + std::exp(-z));
    return std::min(std::max(z, T(0)), T(1));
  }
  const T max = logits.maxCoeff();
  T sum = 0;
  for (Eigen::Index j = 0; j < logits.cols(); ++j) sum += std::exp(logits(j) - max);
  return std::exp(logits(1) - max) / sum;
}

// Class probabilities of one row of logits into out (classes values): the softmax; for one
// output under bce, (1 - sigmoid, sigmoid); under mse, the outputs clamped to [0, 1].
template <class T, class Row>
void class_probabilities(Loss loss, const Row& logits, int classes, T* out) {
  if (logits.cols() == 1) {
    const T p = class1_probability<T>(loss, logits);
    out[0] = T(1) - p;
    out[1] = p;
    return;
  }
  if (loss == Loss::Mse) {
    for (int j = 0; j < classes; ++j) out[j] = std::min(std::max(logits(j), T(0)), T(1));
    return;
  }
  const T max = logits.maxCoeff();
  T sum = 0;
  for (int j = 0; j < classes; ++j) sum += out[j] = std::exp(logits(j) - max);
  for (int j = 0; j < classes; ++j) out[j] /= sum;
}

}  // namespace bnlab

// Layer Normalization (Ba, Kiros & Hinton 2016) with torch.nn.LayerNorm's semantics over the
// last dimension: each example (row) is normalized over its own F features,
//   mean_i = (1/F) sum_j x_ij,  var_i = (1/F) sum_j (x_ij - mean_i)^2   (biased)
//   x_hat_ij = (x_ij - mean_i) / sqrt(var_i + eps);  y_ij = gamma_j x_hat_ij + beta_j
// The same in training and inference: no running statistics, and an example's output does not
// depend on the other rows of its batch.
#pragma once

#include <stdexcept>
#include <string>

#include "bnlab/nn/tensor.hpp"

namespace bnlab {

template <class T>
class LayerNorm {
 public:
  RowVector<T> gamma, beta;            // (F) learnable scale and shift
  RowVector<T> grad_gamma, grad_beta;  // (F) after backward()
  T eps;

  LayerNorm(int features, T eps_ = T(1e-5))
      : gamma(RowVector<T>::Ones(features)),
        beta(RowVector<T>::Zero(features)),
        grad_gamma(RowVector<T>::Zero(features)),
        grad_beta(RowVector<T>::Zero(features)),
        eps(eps_) {
    if (features < 1) throw std::invalid_argument("LayerNorm: features must be at least 1");
    if (!(eps_ > T(0))) throw std::invalid_argument("LayerNorm: eps must be greater than 0");
  }

  int features() const { return static_cast<int>(gamma.cols()); }

  // Sizes the saved x_hat and 1/std for batches of up to max_rows, so forwards never allocate.
  void reserve(int max_rows) {
    if (x_hat_.rows() < max_rows) {
      x_hat_.resize(max_rows, features());
      inv_std_.resize(max_rows);
    }
  }

  // x (B, F) -> y (B, F). y must not alias x. Two-pass mean and variance per row.
  void forward(ConstMatrixRef<T> x, MatrixRef<T> y) {
    check_columns(x.cols(), "forward");
    const Eigen::Index rows = x.rows();
    reserve(static_cast<int>(rows));
    const T F = T(x.cols());
    for (Eigen::Index i = 0; i < rows; ++i) {
      const T mean = x.row(i).sum() / F;
      auto h = x_hat_.row(i);
      h = x.row(i).array() - mean;
      const T var = h.squaredNorm() / F;
      inv_std_(i) = T(1) / std::sqrt(var + eps);
      h *= inv_std_(i);
      y.row(i) = h.cwiseProduct(gamma) + beta;
    }
    rows_ = rows;
  }

  // dy (B, F) -> dx (B, F), grad_gamma, grad_beta; after a forward of the same rows. With
  // g = dy * gamma (per row),
  //   dx = inv_std / F * (F g - sum(g) - x_hat * sum(g * x_hat)).   dx must not alias dy.
  void backward(ConstMatrixRef<T> dy, MatrixRef<T> dx) {
    if (rows_ == 0) throw std::logic_error("LayerNorm: backward() needs a forward() first");
    check_columns(dy.cols(), "backward");
    if (dy.rows() != rows_)
      throw std::invalid_argument("LayerNorm: backward() got " + std::to_string(dy.rows()) +
                                  " rows of gradient for a forward of " + std::to_string(rows_) +
                                  " rows");
    const auto x_hat = x_hat_.topRows(rows_);
    grad_beta = dy.colwise().sum();
    grad_gamma = dy.cwiseProduct(x_hat).colwise().sum();
    const T F = T(dy.cols());
    for (Eigen::Index i = 0; i < rows_; ++i) {
      auto g = dx.row(i);
      g = dy.row(i).cwiseProduct(gamma);  // dx's row holds g until it is replaced
      const T sum_g = g.sum();
      const T sum_gh = g.dot(x_hat.row(i));
      g = ((F * g.array() - sum_g) - x_hat.row(i).array() * sum_gh) * (inv_std_(i) / F);
    }
  }

  // Normalized values of the last forward, (B, F).
  ConstTopRows<T> x_hat() const { return x_hat_.topRows(rows_); }

 private:
  void check_columns(Eigen::Index cols, const char* where) const {
    if (cols != features())
      throw std::invalid_argument(std::string("LayerNorm: ") + where + "() got " +
                                  std::to_string(cols) + " features, expected " +
                                  std::to_string(features()));
  }

  Matrix<T> x_hat_;                              // (max_rows, F)
  Eigen::Matrix<T, Eigen::Dynamic, 1> inv_std_;  // (max_rows)
  Eigen::Index rows_ = 0;
};

}  // namespace bnlab

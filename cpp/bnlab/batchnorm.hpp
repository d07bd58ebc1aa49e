// Batch Normalization (Ioffe & Szegedy 2015) with torch.nn.BatchNorm1d's semantics.
//
// Training:  mean, var = batch mean and biased batch variance of each feature
//            x_hat = (x - mean) / sqrt(var + eps);  y = gamma * x_hat + beta
//            running = (1 - momentum) * running + momentum * batch   (unbiased var)
// Inference: the same with running_mean and running_var in place of the batch's.
#pragma once

#include <stdexcept>
#include <string>

#include "tensor.hpp"

namespace bnlab {

// How BatchNorm normalizes a forward pass.
enum class Mode {
  Train,       // batch statistics, running statistics updated (torch's model.train())
  BatchStats,  // batch statistics, running statistics left alone: for measuring what
               // training-mode normalization does, a single row included (it gives beta)
  Inference,   // running statistics (torch's model.eval())
};

template <class T>
class BatchNorm {
 public:
  RowVector<T> gamma, beta;                // (F) learnable scale and shift
  RowVector<T> grad_gamma, grad_beta;      // (F) after backward()
  RowVector<T> running_mean, running_var;  // (F)
  RowVector<T> batch_mean, batch_var;      // (F) of the last training batch (biased var)
  T momentum, eps;

  BatchNorm(int features, T momentum_ = T(0.1), T eps_ = T(1e-5))
      : gamma(RowVector<T>::Ones(features)),
        beta(RowVector<T>::Zero(features)),
        grad_gamma(RowVector<T>::Zero(features)),
        grad_beta(RowVector<T>::Zero(features)),
        running_mean(RowVector<T>::Zero(features)),
        running_var(RowVector<T>::Ones(features)),
        batch_mean(RowVector<T>::Zero(features)),
        batch_var(RowVector<T>::Zero(features)),
        momentum(momentum_),
        eps(eps_),
        shift_(features),
        inv_std_(features),
        coef_(features) {
    if (features < 1) throw std::invalid_argument("BatchNorm: features must be at least 1");
    if (!(eps_ > T(0))) throw std::invalid_argument("BatchNorm: eps must be greater than 0");
    if (!(momentum_ >= T(0) && momentum_ <= T(1)))
      throw std::invalid_argument("BatchNorm: momentum must be in [0, 1]");
  }

  int features() const { return static_cast<int>(gamma.cols()); }

  // Sizes the saved x_hat for batches of up to max_rows, so later forwards never allocate.
  void reserve(int max_rows) {
    if (x_hat_.rows() < max_rows) x_hat_.resize(max_rows, features());
  }

  // x (B, F) -> y (B, F). y must not alias x.
  void forward(ConstMatrixRef<T> x, MatrixRef<T> y, bool training) {
    forward(x, y, training ? Mode::Train : Mode::Inference);
  }
  void forward(ConstMatrixRef<T> x, MatrixRef<T> y, Mode mode) {
    check_columns(x.cols(), "forward");
    const Eigen::Index rows = x.rows();
    if (mode == Mode::Inference) {
      coef_ = gamma.array() * (running_var.array() + eps).sqrt().inverse();
      y.array() = ((x.rowwise() - running_mean).array().rowwise() * coef_.array()).rowwise() +
                  beta.array();
      rows_ = 0;
      return;
    }
    if (rows < 2 && mode == Mode::Train)
      throw std::invalid_argument(
          "BatchNorm: expected more than 1 value per feature when training, got a batch of " +
          std::to_string(rows) + " row (use inference mode for single examples)");
    reserve(static_cast<int>(rows));
    auto x_hat = x_hat_.topRows(rows);

    // Shifting by the first row before the two-pass mean and variance keeps float32 exact
    // when the features sit far from zero (a mean of 1e4 with a spread of 0.1): the
    // differences are small numbers computed without cancellation. Per-feature sums run row
    // after row, as in column_sums().
    shift_ = x.row(0);
    x_hat = x.rowwise() - shift_;
    column_sums<T>(x_hat, coef_);
    coef_ /= T(rows);  // mean of the shifted values
    batch_var.setZero();
    for (Eigen::Index i = 0; i < rows; ++i) {
      x_hat.row(i) -= coef_;
      batch_var.array() += x_hat.row(i).array().square();
    }
    batch_mean = shift_ + coef_;
    batch_var /= T(rows);
    inv_std_ = (batch_var.array() + eps).sqrt().inverse();
    for (Eigen::Index i = 0; i < rows; ++i) {
      x_hat.row(i).array() *= inv_std_.array();
      y.row(i).array() = x_hat.row(i).array() * gamma.array() + beta.array();
    }
    rows_ = rows;
    if (mode == Mode::BatchStats) return;

    running_mean = (T(1) - momentum) * running_mean + momentum * batch_mean;
    running_var = (T(1) - momentum) * running_var +
                  (momentum * T(rows) / T(rows - 1)) * batch_var;
  }

  // dy (B, F) -> dx (B, F), grad_gamma, grad_beta; after a training forward. dx must not alias dy.
  //   dx = gamma / (B sqrt(var + eps)) * (B dy - sum(dy) - x_hat * sum(dy * x_hat))
  void backward(ConstMatrixRef<T> dy, MatrixRef<T> dx) {
    if (rows_ == 0)
      throw std::logic_error("BatchNorm: backward() needs a training-mode forward() first");
    check_columns(dy.cols(), "backward");
    if (dy.rows() != rows_)
      throw std::invalid_argument("BatchNorm: backward() got " + std::to_string(dy.rows()) +
                                  " rows of gradient for a forward of " +
                                  std::to_string(rows_) + " rows");
    const auto x_hat = x_hat_.topRows(rows_);
    column_sums<T>(dy, grad_beta);
    grad_gamma.setZero();
    for (Eigen::Index i = 0; i < rows_; ++i)
      grad_gamma.array() += dy.row(i).array() * x_hat.row(i).array();
    coef_ = gamma.array() * inv_std_.array() / T(rows_);
    for (Eigen::Index i = 0; i < rows_; ++i)
      dx.row(i).array() = ((T(rows_) * dy.row(i).array() - grad_beta.array()) -
                           x_hat.row(i).array() * grad_gamma.array()) *
                          coef_.array();
  }

  // Normalized values of the last training forward, (B, F).
  ConstTopRows<T> x_hat() const { return x_hat_.topRows(rows_); }

 private:
  void check_columns(Eigen::Index cols, const char* where) const {
    if (cols != features())
      throw std::invalid_argument(std::string("BatchNorm: ") + where + "() got " +
                                  std::to_string(cols) + " features, expected " +
                                  std::to_string(features()));
  }

  Matrix<T> x_hat_;  // (max_rows, F)
  RowVector<T> shift_, inv_std_, coef_;
  Eigen::Index rows_ = 0;  // rows of the last training forward; 0 after inference
};

}  // namespace bnlab

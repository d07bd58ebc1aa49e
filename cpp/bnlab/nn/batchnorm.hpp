// Batch Normalization (Ioffe & Szegedy 2015) with torch.nn.BatchNorm1d's semantics.
//
// Training:  mean, var = batch mean and biased batch variance of each feature
//            x_hat = (x - mean) / sqrt(var + eps);  y = gamma * x_hat + beta
//            running = (1 - momentum) * running + momentum * batch   (unbiased var)
// Inference: the same with running_mean and running_var in place of the batch's.
#pragma once

#include <stdexcept>
#include <string>

#include "bnlab/nn/simd.hpp"
#include "bnlab/nn/tensor.hpp"

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
        shifted_mean_(features),
        inv_std_(features),
        scale_(features) {
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
      scale_ = gamma.array() * (running_var.array() + eps).sqrt().inverse();
      y.array() = ((x.rowwise() - running_mean).array().rowwise() * scale_.array()).rowwise() +
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
    // differences are small numbers computed without cancellation. Every loop runs row after
    // row over the features, in vectors (simd::map_row); per-feature sums add their terms in
    // row order.
    const Eigen::Index F = x.cols();
    shift_ = x.row(0);
    const T* shift = shift_.data();
    T* mean = shifted_mean_.data();
    T* var = batch_var.data();
    shifted_mean_.setZero();
    for (Eigen::Index i = 0; i < rows; ++i)
      simd::map_row(
          F, mean, [](auto m, auto xi, auto s) { return m + (xi - s); }, mean, x.row(i).data(),
          shift);
    shifted_mean_ /= T(rows);
    batch_var.setZero();
    for (Eigen::Index i = 0; i < rows; ++i) {
      T* xh = x_hat.row(i).data();
      simd::map_row(
          F, xh, [](auto xi, auto s, auto m) { return (xi - s) - m; }, x.row(i).data(), shift,
          mean);
      simd::map_row(
          F, var, [](auto v, auto h) { return v + h * h; }, var, xh);
    }
    batch_mean = shift_ + shifted_mean_;
    batch_var /= T(rows);
    inv_std_ = (batch_var.array() + eps).sqrt().inverse();
    for (Eigen::Index i = 0; i < rows; ++i) {
      T* xh = x_hat.row(i).data();
      simd::map_row(
          F, xh, [](auto h, auto s) { return h * s; }, xh, inv_std_.data());
      simd::map_row(
          F, y.row(i).data(), [](auto h, auto g, auto b) { return h * g + b; }, xh, gamma.data(),
          beta.data());
    }
    rows_ = rows;
    if (mode == Mode::BatchStats) return;

    running_mean = (T(1) - momentum) * running_mean + momentum * batch_mean;
    running_var = (T(1) - momentum) * running_var + (momentum * T(rows) / T(rows - 1)) * batch_var;
  }

  // dy (B, F) -> dx (B, F), grad_gamma, grad_beta; after a training forward. dx must not alias dy.
  //   dx = gamma / (B sqrt(var + eps)) * (B dy - sum(dy) - x_hat * sum(dy * x_hat))
  void backward(ConstMatrixRef<T> dy, MatrixRef<T> dx) {
    if (rows_ == 0)
      throw std::logic_error("BatchNorm: backward() needs a training-mode forward() first");
    check_columns(dy.cols(), "backward");
    if (dy.rows() != rows_)
      throw std::invalid_argument("BatchNorm: backward() got " + std::to_string(dy.rows()) +
                                  " rows of gradient for a forward of " + std::to_string(rows_) +
                                  " rows");
    const auto x_hat = x_hat_.topRows(rows_);
    const Eigen::Index F = dy.cols();
    simd::column_sums<T>(dy, grad_beta);
    grad_gamma.setZero();
    T* gg = grad_gamma.data();
    for (Eigen::Index i = 0; i < rows_; ++i)
      simd::map_row(
          F, gg, [](auto g, auto d, auto h) { return g + d * h; }, gg, dy.row(i).data(),
          x_hat.row(i).data());
    scale_ = gamma.array() * inv_std_.array() / T(rows_);
    const T B = T(rows_);
    for (Eigen::Index i = 0; i < rows_; ++i)
      simd::map_row(
          F, dx.row(i).data(),
          [B](auto d, auto sum_d, auto h, auto sum_dh, auto c) {
            return ((B * d - sum_d) - h * sum_dh) * c;
          },
          dy.row(i).data(), grad_beta.data(), x_hat.row(i).data(), gg, scale_.data());
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

  Matrix<T> x_hat_;            // (max_rows, F)
  RowVector<T> shift_;         // (F) the batch's first row, subtracted before the statistics
  RowVector<T> shifted_mean_;  // (F) the batch mean of x - shift_
  RowVector<T> inv_std_;       // (F) 1 / sqrt(batch var + eps), for backward
  // (F) what multiplies a row: gamma / sqrt(running var + eps) in inference;
  // gamma / (B sqrt(var + eps)) in backward
  RowVector<T> scale_;
  Eigen::Index rows_ = 0;  // rows of the last training forward; 0 after inference
};

// The same BatchNorm in the paper's form (Ioffe & Szegedy 2015, Algorithm 1 and Section 3),
// one Eigen expression per line, no shifting and no vectors: what the vector path above must
// compute. For tests; training mode (batch statistics, biased variance).
template <class T>
struct BatchNormReference {
  Matrix<T> x_hat, y;
  RowVector<T> mean, var;

  void forward(const Matrix<T>& x, const RowVector<T>& gamma, const RowVector<T>& beta, T eps) {
    const T m = T(x.rows());
    mean = x.colwise().sum() / m;                                     // mu_B
    var = (x.rowwise() - mean).array().square().colwise().sum() / m;  // sigma_B^2
    x_hat = (x.rowwise() - mean).array().rowwise() / (var.array() + eps).sqrt();
    y = (x_hat.array().rowwise() * gamma.array()).rowwise() + beta.array();  // gamma x_hat + beta
  }

  // The paper's chain rule, term by term: dl/dx_hat, dl/dvar, dl/dmean, dl/dx, dl/dgamma, dl/dbeta.
  void backward(const Matrix<T>& x, const Matrix<T>& dy, const RowVector<T>& gamma, T eps,
                Matrix<T>& dx, RowVector<T>& dgamma, RowVector<T>& dbeta) const {
    const T m = T(x.rows());
    const Matrix<T> centred = x.rowwise() - mean;
    const RowVector<T> inv_std = (var.array() + eps).rsqrt();
    const Matrix<T> dx_hat = dy.array().rowwise() * gamma.array();
    const RowVector<T> dvar =
        (dx_hat.array() * centred.array()).colwise().sum() * (T(-0.5) * inv_std.array().cube());
    const RowVector<T> dmean = (-(dx_hat.array().rowwise() * inv_std.array())).colwise().sum() +
                               dvar.array() * (T(-2) * centred.array()).colwise().sum() / m;
    dx = ((dx_hat.array().rowwise() * inv_std.array()) +
          (centred.array().rowwise() * (T(2) * dvar.array() / m)))
             .rowwise() +
         dmean.array() / m;
    dgamma = (dy.array() * x_hat.array()).colwise().sum();
    dbeta = dy.colwise().sum();
  }
};

}  // namespace bnlab

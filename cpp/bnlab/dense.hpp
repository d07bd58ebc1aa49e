// Fully connected layer: y = x W + b.
#pragma once

#include "tensor.hpp"

namespace bnlab {

template <class T>
struct Dense {
  Matrix<T> W;      // (in, out)
  RowVector<T> b;   // (out); unused when has_bias is false
  Matrix<T> dW;     // (in, out)
  RowVector<T> db;  // (out)
  bool has_bias = true;

  Dense(int in, int out, bool with_bias)
      : W(Matrix<T>::Zero(in, out)),
        b(RowVector<T>::Zero(out)),
        dW(Matrix<T>::Zero(in, out)),
        db(RowVector<T>::Zero(out)),
        has_bias(with_bias) {}

  int in() const { return static_cast<int>(W.rows()); }
  int out() const { return static_cast<int>(W.cols()); }

  // x (B, in) -> y (B, out)
  void forward(ConstMatrixRef<T> x, MatrixRef<T> y) const {
    y.noalias() = x * W;
    if (has_bias) y.rowwise() += b;
  }

  // dy (B, out) -> dW, db; and dx (B, in) when the caller needs it.
  void backward(ConstMatrixRef<T> x, ConstMatrixRef<T> dy) {
    dW.noalias() = x.transpose() * dy;
    if (has_bias) db.noalias() = dy.colwise().sum();
  }
  void backward_input(ConstMatrixRef<T> dy, MatrixRef<T> dx) const {
    dx.noalias() = dy * W.transpose();
  }
};

}  // namespace bnlab

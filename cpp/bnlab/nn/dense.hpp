// Fully connected layer: y = x W + b.
#pragma once

#include "bnlab/nn/gemm.hpp"
#include "bnlab/nn/tensor.hpp"

namespace bnlab {

template <class T>
struct Dense {
  Matrix<T> W;      // (in, out)
  RowVector<T> b;   // (out); unused when has_bias is false
  Matrix<T> dW;     // (in, out)
  RowVector<T> db;  // (out)
  bool has_bias = true;
  Matrix<T> Wt;  // (out, in) scratch for backward_input

  Dense(int in, int out, bool with_bias)
      : W(Matrix<T>::Zero(in, out)),
        b(RowVector<T>::Zero(out)),
        dW(Matrix<T>::Zero(in, out)),
        db(RowVector<T>::Zero(out)),
        has_bias(with_bias),
        Wt(out, in) {}

  int in() const { return static_cast<int>(W.rows()); }
  int out() const { return static_cast<int>(W.cols()); }

  // x (B, in) -> y (B, out)
  void forward(ConstMatrixRef<T> x, MatrixRef<T> y) const {
    gemm::a_b<T>(x, W, y);
    if (has_bias) y.rowwise() += b;
  }

  // dy (B, out) -> dW, db; and dx (B, in) when the caller needs it.
  void backward(ConstMatrixRef<T> x, ConstMatrixRef<T> dy) {
    gemm::at_b<T>(x, dy, dW);
    if (has_bias) simd::column_sums<T>(dy, db);
  }
  void backward_input(ConstMatrixRef<T> dy, MatrixRef<T> dx) { gemm::a_bt<T>(dy, W, Wt, dx); }
};

}  // namespace bnlab

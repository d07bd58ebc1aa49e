// Elementwise nonlinearities: forward and backward.
#pragma once

#include <cmath>
#include <type_traits>

#include "bnlab/nn/simd.hpp"
#include "bnlab/nn/tensor.hpp"

namespace bnlab {

enum class Activation { Sigmoid, Tanh, Relu, Linear };

// u (B, F) -> a (B, F)
template <class T>
void activation_forward(Activation kind, ConstMatrixRef<T> u, MatrixRef<T> a) {
  switch (kind) {
    case Activation::Sigmoid:
      // float, what training runs, in vectors (the step's largest cost after the products);
      // double, what the gradient checks run, through std::exp. Both 1 / (1 + e^-u), written
      // so that neither branch overflows.
      if constexpr (std::is_same_v<T, float>) {
        simd::sigmoid(u, a);
        break;
      }
      a = u.unaryExpr([](T v) {
        if (v >= T(0)) return T(1) / (T(1) + std::exp(-v));
        const T e = std::exp(v);
        return e / (T(1) + e);
      });
      break;
    case Activation::Tanh: a = u.array().tanh(); break;
    case Activation::Relu: a = u.cwiseMax(T(0)); break;
    case Activation::Linear: a = u; break;
  }
}

// da (B, F) -> du (B, F); u is the forward input and a the forward output.
template <class T>
void activation_backward(Activation kind, ConstMatrixRef<T> u, ConstMatrixRef<T> a,
                         ConstMatrixRef<T> da, MatrixRef<T> du) {
  switch (kind) {
    case Activation::Sigmoid: du = da.array() * a.array() * (T(1) - a.array()); break;
    case Activation::Tanh: du = da.array() * (T(1) - a.array().square()); break;
    case Activation::Relu: du = (u.array() > T(0)).select(da, T(0)); break;
    case Activation::Linear: du = da; break;
  }
}

// The derivative's largest value, for telling saturated units from responsive ones.
inline double activation_max_derivative(Activation kind) {
  return kind == Activation::Sigmoid ? 0.25 : 1.0;
}

}  // namespace bnlab

// Stochastic gradient descent with optional momentum, PyTorch's convention:
//   v = momentum * v + g;   p = p - learning_rate * v
#pragma once

#include <vector>

#include "bnlab/nn/mlp.hpp"

namespace bnlab {

template <class T>
class Sgd {
 public:
  T learning_rate;
  T momentum;

  Sgd(Mlp<T>& net, T learning_rate_, T momentum_)
      : learning_rate(learning_rate_),
        momentum(momentum_),
        velocity_(static_cast<std::size_t>(net.parameter_count()), T(0)) {}

  void step(Mlp<T>& net) {
    T* v = velocity_.data();
    net.for_each_parameter([&](T* p, const T* g, Eigen::Index n) {
      for (Eigen::Index i = 0; i < n; ++i) {
        v[i] = momentum * v[i] + g[i];
        p[i] -= learning_rate * v[i];
      }
      v += n;
    });
  }

 private:
  std::vector<T> velocity_;
};

}  // namespace bnlab

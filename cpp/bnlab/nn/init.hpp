// Initial weights: the kinds a configuration names and the standard deviation each gives a
// layer's weights (drawn by Mlp::init).
#pragma once

#include <cmath>

namespace bnlab {

enum class Init { Gaussian, Xavier, He };

// Standard deviation of a layer's initial weights. Xavier/Glorot and He in their normal
// forms: sqrt(2 / (in + out)) and sqrt(2 / in).
inline double init_std(Init init, double gaussian_std, int in, int out) {
  switch (init) {
    case Init::Gaussian: return gaussian_std;
    case Init::Xavier: return std::sqrt(2.0 / (in + out));
    case Init::He: return std::sqrt(2.0 / in);
  }
  return gaussian_std;
}

}  // namespace bnlab

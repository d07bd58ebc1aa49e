// Helpers shared by the native tests.
#pragma once

#include <time.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "bnlab/io/json.hpp"
#include "bnlab/nn/rng.hpp"
#include "bnlab/nn/tensor.hpp"

namespace bnlab::test {

// The processor time this thread spends in fn, in seconds. Not wall time: the tests that bound a
// reader's time run beside other suites (./build.sh test runs the browser tests alongside), and
// time spent waiting for a core is not the reader's.
template <class F>
double cpu_seconds(F&& fn) {
  const auto now = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
  };
  const double start = now();
  fn();
  return now() - start;
}

// How many times slower the code runs in this build: a time bound is multiplied by it. Under ASan
// and UBSan a bound still catches a reader that is quadratic or reads the whole of a huge text
// (hundreds of times slower at these sizes), not the sanitizers' constant factor.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr double kSlowdown = 5;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr double kSlowdown = 5;
#else
inline constexpr double kSlowdown = 1;
#endif
#else
inline constexpr double kSlowdown = 1;
#endif

// The processor seconds fn takes, in a release build's units: divided by kSlowdown, so one
// bound holds in every build.
template <class F>
double release_seconds(F&& fn) {
  return cpu_seconds(fn) / kSlowdown;
}

inline Matrix<double> random_matrix(int rows, int cols, Rng& rng, double scale = 1.0) {
  Matrix<double> m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.normal(0.0, scale);
  return m;
}

// Central-difference gradient of f with respect to the n values at p (h = 1e-6).
inline std::vector<double> numeric_gradient(double* p, Eigen::Index n,
                                            const std::function<double()>& f) {
  std::vector<double> g(n);
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double saved = p[i];
    p[i] = saved + h;
    const double up = f();
    p[i] = saved - h;
    const double down = f();
    p[i] = saved;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

// ||a - b|| / (||a|| + ||b||): 0 for identical gradients, 1 for unrelated ones.
inline double relative_error(const double* a, const double* b, Eigen::Index n) {
  double diff = 0, na = 0, nb = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    diff += (a[i] - b[i]) * (a[i] - b[i]);
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return std::sqrt(diff) / std::max(std::sqrt(na) + std::sqrt(nb), 1e-300);
}
inline double relative_error(const std::vector<double>& a, const double* b) {
  return relative_error(a.data(), b, static_cast<Eigen::Index>(a.size()));
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  return {std::istreambuf_iterator<char>(in), {}};
}

inline std::vector<double> numbers(const Json& array) {
  std::vector<double> out;
  for (const Json& v : array.items()) out.push_back(v.as_number());
  return out;
}

}  // namespace bnlab::test

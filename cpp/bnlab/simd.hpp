// 16-byte vectors for the hot loops: 4 floats or 2 doubles, written once with GCC/Clang vector
// extensions, which compile to SSE2 natively and to wasm simd128 in the browser. Eigen has no
// wasm SIMD path, so the loops that dominate a training step (gemm.hpp and the sigmoid below)
// use these instead.
//
// Every operation here is an IEEE operation with one rounding, done in the same order natively
// and in wasm (no fused multiply-add: wasm has none, and CMakeLists.txt builds with
// -ffp-contract=off), so results are bit-identical on both, which keeps a seeded run
// reproducible by the command-line runner.
#pragma once

#include <cstdint>
#include <cstring>

#include "tensor.hpp"

namespace bnlab::simd {

template <class T>
struct Vec;
template <>
struct Vec<float> {
  typedef float type __attribute__((vector_size(16)));
  typedef std::int32_t bits __attribute__((vector_size(16)));
  static type splat(float x) { return type{x, x, x, x}; }
};
template <>
struct Vec<double> {
  typedef double type __attribute__((vector_size(16)));
  static type splat(double x) { return type{x, x}; }
};

template <class T>
using V = typename Vec<T>::type;
template <class T>
constexpr int kLanes = sizeof(V<T>) / sizeof(T);

template <class T>
inline V<T> load(const T* p) {
  V<T> v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class T>
inline void store(T* p, V<T> v) {
  std::memcpy(p, &v, sizeof v);
}

// e^x for x <= 0, to within 2 units in the last place where the result is a normal float; below
// x = -87.3 (e^x < 1.2e-38) it returns e^-87.3. Cephes' expf: x = n ln 2 + r with |r| <= ln2 / 2,
// e^r by its degree-7 polynomial, 2^n through the exponent bits.
inline V<float> exp_nonpositive(V<float> x) {
  using F = Vec<float>;
  const V<float> lowest = F::splat(-87.33654f);
  x = x < lowest ? lowest : x;
  // n = round(x / ln 2): adding and subtracting 1.5 * 2^23 rounds to an integer.
  const V<float> magic = F::splat(12582912.0f);
  const V<float> n = (x * F::splat(1.44269504088896341f) + magic) - magic;
  // r = x - n ln 2, with ln 2 split in two so that n * 0.693359375 is exact.
  V<float> r = x - n * F::splat(0.693359375f);
  r = r - n * F::splat(-2.12194440e-4f);
  V<float> p = F::splat(1.9875691500e-4f);
  p = p * r + F::splat(1.3981999507e-3f);
  p = p * r + F::splat(8.3334519073e-3f);
  p = p * r + F::splat(4.1665795894e-2f);
  p = p * r + F::splat(1.6666665459e-1f);
  p = p * r + F::splat(5.0000001201e-1f);
  p = p * (r * r) + r + F::splat(1.0f);
  const F::bits scale = (__builtin_convertvector(n, F::bits) + 127) << 23;
  V<float> two_n;
  std::memcpy(&two_n, &scale, sizeof two_n);
  return p * two_n;
}

// a = 1 / (1 + e^-u) on every element of u (B, F), as 1 / (1 + e^-u) for u >= 0 and
// e^u / (1 + e^u) below, so that neither overflows.
inline void sigmoid(ConstMatrixRef<float> u, MatrixRef<float> a) {
  using F = Vec<float>;
  constexpr int L = kLanes<float>;
  const auto one_row = [](const float* in, float* out, Eigen::Index n) {
    Eigen::Index j = 0;
    const auto four = [](V<float> x) {
      const V<float> e = exp_nonpositive(x < 0 ? x : -x);
      return (x < 0 ? e : F::splat(1.0f)) / (F::splat(1.0f) + e);
    };
    for (; j + L <= n; j += L) store(out + j, four(load(in + j)));
    if (j < n) {  // the last elements of the row, through the same lanes
      float tail[L] = {};
      std::memcpy(tail, in + j, (n - j) * sizeof(float));
      store(tail, four(load(tail)));
      std::memcpy(out + j, tail, (n - j) * sizeof(float));
    }
  };
  for (Eigen::Index i = 0; i < u.rows(); ++i) one_row(u.row(i).data(), a.row(i).data(), u.cols());
}

}  // namespace bnlab::simd

// 16-byte vectors for the hot loops: 4 floats or 2 doubles, written once with GCC/Clang vector
// extensions, which compile to SSE2 natively and to wasm simd128 in the browser. Eigen has no
// wasm SIMD path, so the loops that dominate a training step (gemm.hpp's products, the sigmoid
// below, BatchNorm's training pass through map_row) use these instead.
//
// Every operation here is an IEEE operation with one rounding, done in the same order natively
// and in wasm (no fused multiply-add: wasm has none, and CMakeLists.txt builds with
// -ffp-contract=off), so results are bit-identical on both, which keeps a seeded run
// reproducible by the command-line runner.
#pragma once

#include <cstdint>
#include <cstring>

#include "bnlab/nn/tensor.hpp"

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

// out[j] = f(in[j]...) for j < n: a vector at a time, then the last elements one by one. f gets
// vectors or scalars and does the same elementwise arithmetic on both, so every element is
// computed the same way whichever path takes it. out may be one of the inputs.
template <class T, class F, class... In>
inline void map_row(Eigen::Index n, T* out, F f, const In*... in) {
  constexpr int L = kLanes<T>;
  Eigen::Index j = 0;
  for (; j + L <= n; j += L) store(out + j, f(load(in + j)...));
  for (; j < n; ++j) out[j] = f(in[j]...);
}

// sum (F) = the sum of m's (B, F) rows, row after row: contiguous on row-major data and
// vectorized over the columns (Eigen's colwise().sum() walks each column with a stride and
// runs scalar in wasm), each column still adding its terms in row order.
template <class T>
void column_sums(ConstMatrixRef<T> m, RowVector<T>& sum) {
  sum.setZero();
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    map_row(
        m.cols(), sum.data(), [](auto s, auto x) { return s + x; }, sum.data(), m.row(i).data());
}

// The bits of a float vector as 32-bit integers, and back.
inline Vec<float>::bits bits_of(V<float> x) {
  Vec<float>::bits b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
inline V<float> float_of(Vec<float>::bits b) {
  V<float> x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// The constants of exp_nonpositive(), splatted. sigmoid() copies them into locals once per call
// and hands them down: given literal constants, clang re-materializes each v128.const at every
// use inside the loop, V8 builds each with three or four x86 instructions, and that was a fifth
// of the sigmoid's time. The copy comes from a mutable variable so the compiler cannot fold
// the values back into literals; nothing writes it.
struct ExpConstants {
  V<float> lowest, log2e, magic, ln2_hi, ln2_lo, p0, p1, p2, p3, p4, p5, one;
};
inline ExpConstants exp_constants = {
    Vec<float>::splat(-87.33654f),       Vec<float>::splat(1.44269504088896341f),
    Vec<float>::splat(12582912.0f),      Vec<float>::splat(0.693359375f),
    Vec<float>::splat(-2.12194440e-4f),  Vec<float>::splat(1.9875691500e-4f),
    Vec<float>::splat(1.3981999507e-3f), Vec<float>::splat(8.3334519073e-3f),
    Vec<float>::splat(4.1665795894e-2f), Vec<float>::splat(1.6666665459e-1f),
    Vec<float>::splat(5.0000001201e-1f), Vec<float>::splat(1.0f)};

// e^x for x <= 0, to within 1 unit in the last place where the result is a normal float; below
// x = -87.3 (e^x < 1.2e-38) it returns e^-87.3. Cephes' expf: x = n ln 2 + r with |r| <= ln2 / 2,
// e^r by its degree-7 polynomial, 2^n through the exponent bits. Written with integer masks and
// bit patterns where the obvious code compiles to slow wasm: x < lo ? lo : x becomes f32x4.max,
// whose NaN rules V8 spells in eight x86 instructions, and a float-to-int conversion becomes
// i32x4.trunc_sat, another long sequence. Together they were a quarter of the sigmoid's time.
inline V<float> exp_nonpositive(V<float> x, const ExpConstants& c = exp_constants) {
  const Vec<float>::bits below = x < c.lowest;
  x = float_of((bits_of(x) & ~below) | (bits_of(c.lowest) & below));
  // n = round(x / ln 2): adding 1.5 * 2^23 rounds to an integer, which then sits in the low
  // bits of the sum's pattern.
  const V<float> shifted = x * c.log2e + c.magic;
  const V<float> n = shifted - c.magic;
  // r = x - n ln 2, with ln 2 split in two so that n * 0.693359375 is exact.
  V<float> r = x - n * c.ln2_hi;
  r = r - n * c.ln2_lo;
  V<float> p = c.p0;
  p = p * r + c.p1;
  p = p * r + c.p2;
  p = p * r + c.p3;
  p = p * r + c.p4;
  p = p * r + c.p5;
  p = p * (r * r) + r + c.one;
  const Vec<float>::bits two_n = (bits_of(shifted) - bits_of(c.magic) + 127) << 23;
  return p * float_of(two_n);
}

// a = 1 / (1 + e^-u) on every element of u (B, F), as 1 / (1 + e^-u) for u >= 0 and
// e^u / (1 + e^u) below, so that neither overflows.
inline void sigmoid(ConstMatrixRef<float> u, MatrixRef<float> a) {
  constexpr int L = kLanes<float>;
  const ExpConstants c = exp_constants;
  const Vec<float>::bits sign = bits_of(-c.one) ^ bits_of(c.one);  // the sign bit
  const auto four = [&](V<float> x) {
    const V<float> e = exp_nonpositive(float_of(bits_of(x) | sign), c);  // e^-|x|
    return (x < 0 ? e : c.one) / (c.one + e);
  };
  for (Eigen::Index i = 0; i < u.rows(); ++i) {
    const float* in = u.row(i).data();
    float* out = a.row(i).data();
    const Eigen::Index n = u.cols();
    Eigen::Index j = 0;
    // Four independent vectors per iteration let the processor overlap their long polynomial
    // chains: 1.24 -> 0.97 ns per element in wasm (60x100, medians of 7).
    for (; j + 4 * L <= n; j += 4 * L) {
      const V<float> y0 = four(load(in + j)), y1 = four(load(in + j + L)),
                     y2 = four(load(in + j + 2 * L)), y3 = four(load(in + j + 3 * L));
      store(out + j, y0);
      store(out + j + L, y1);
      store(out + j + 2 * L, y2);
      store(out + j + 3 * L, y3);
    }
    for (; j + L <= n; j += L) store(out + j, four(load(in + j)));
    if (j < n) {  // the last elements of the row, through the same lanes
      float tail[L] = {};
      std::memcpy(tail, in + j, (n - j) * sizeof(float));
      store(tail, four(load(tail)));
      std::memcpy(out + j, tail, (n - j) * sizeof(float));
    }
  }
}

}  // namespace bnlab::simd

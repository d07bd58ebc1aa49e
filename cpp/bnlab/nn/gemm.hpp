// The three matrix products of a dense layer, on row-major matrices:
//   forward        C = A B      x (B, in)  W (in, out)   -> y  (B, out)
//   weight grad    C = Aᵀ B     x (B, in)  dy (B, out)   -> dW (in, out)
//   input grad     C = A Bᵀ     dy (B, out) W (in, out)  -> dx (B, in)
//
// The optimised variant of Dense's `x * W`, kept in its own file so dense.hpp reads like the
// math. Why not Eigen's product: Eigen has no WebAssembly SIMD path, so in wasm its product
// runs a scalar kernel, and that kernel was 58% of a digits training step. These use
// simd.hpp's 16-byte vectors.
//
// Every element of C is summed in the same order, k = 0, 1, ..., K-1, from zero, whatever
// block or lane computes it, so a product is bit-identical natively and in wasm.
#pragma once

#include <type_traits>

#include "bnlab/nn/simd.hpp"
#include "bnlab/nn/tensor.hpp"

namespace bnlab::gemm {

using simd::kLanes;
using simd::load;
using simd::store;
using simd::V;
using simd::Vec;

// A strided view of A: element (i, k) is at data[i * row + k * col], so one kernel serves
// A (row = lda, col = 1) and Aᵀ (row = 1, col = lda).
template <class T>
struct Strided {
  const T* data;
  Eigen::Index row, col;
};

// C[i0 .. i0+MR, j0 .. j0+NV*lanes) = A[i0.., :] B[:, j0..]: MR x NV vector accumulators stay
// in registers for the whole sum over k. The loop steps pointers rather than computing
// k * ldb: Emscripten runs LLVM without loop strength reduction (-disable-lsr), so in wasm
// that address arithmetic stayed in the loop; stepping took the product from 21 to 26 GMAC/s
// (60x100x100, medians of 7).
template <class T, int MR, int NV>
inline void block(Eigen::Index K, Strided<T> a, Eigen::Index i0, const T* b, Eigen::Index ldb,
                  Eigen::Index j0, T* c, Eigen::Index ldc) {
  constexpr int L = kLanes<T>;
  V<T> acc[MR][NV] = {};
  const T* bk = b + j0;               // B[k, j0..]
  const T* ak = a.data + i0 * a.row;  // A[i0, k]
  for (Eigen::Index k = 0; k < K; ++k, bk += ldb, ak += a.col) {
    V<T> bv[NV];
    for (int v = 0; v < NV; ++v) bv[v] = load(bk + v * L);
    for (int r = 0; r < MR; ++r) {
      const V<T> av = Vec<T>::splat(ak[r * a.row]);
      for (int v = 0; v < NV; ++v) acc[r][v] += av * bv[v];
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v) store(c + (i0 + r) * ldc + j0 + v * L, acc[r][v]);
}

// The last R < lanes columns of the block, from j0: B's row is read into the first R lanes of
// a zeroed vector, and only those lanes are stored. The digits network's 10 outputs leave two
// such columns; summed one by one, as before, they ran at a quarter of the vector rate.
template <class T, int MR, int R>
inline void tail_block(Eigen::Index K, Strided<T> a, Eigen::Index i0, const T* b, Eigen::Index ldb,
                       Eigen::Index j0, T* c, Eigen::Index ldc) {
  V<T> acc[MR] = {};
  const T* bk = b + j0;
  const T* ak = a.data + i0 * a.row;
  for (Eigen::Index k = 0; k < K; ++k, bk += ldb, ak += a.col) {
    V<T> bv = {};
    for (int t = 0; t < R; ++t) bv[t] = bk[t];
    for (int r = 0; r < MR; ++r) acc[r] += Vec<T>::splat(ak[r * a.row]) * bv;
  }
  for (int r = 0; r < MR; ++r)
    for (int t = 0; t < R; ++t) c[(i0 + r) * ldc + j0 + t] = acc[r][t];
}

// Rows i0 .. i0+MR of C, every column: two vectors at a time, then one, then the last columns
// in a partial vector.
template <class T, int MR>
inline void row_block(Eigen::Index K, Eigen::Index N, Strided<T> a, Eigen::Index i0, const T* b,
                      Eigen::Index ldb, T* c, Eigen::Index ldc) {
  constexpr int L = kLanes<T>;
  Eigen::Index j = 0;
  for (; j + 2 * L <= N; j += 2 * L) block<T, MR, 2>(K, a, i0, b, ldb, j, c, ldc);
  for (; j + L <= N; j += L) block<T, MR, 1>(K, a, i0, b, ldb, j, c, ldc);
  switch (N - j) {
    case 1: tail_block<T, MR, 1>(K, a, i0, b, ldb, j, c, ldc); break;
    case 2:
      if constexpr (L > 2) tail_block<T, MR, 2>(K, a, i0, b, ldb, j, c, ldc);
      break;
    case 3:
      if constexpr (L > 3) tail_block<T, MR, 3>(K, a, i0, b, ldb, j, c, ldc);
      break;
  }
}

// C (M, N) = A (M, K) B (K, N), B and C row-major with leading dimensions ldb and ldc.
template <class T>
void product(Eigen::Index M, Eigen::Index N, Eigen::Index K, Strided<T> a, const T* b,
             Eigen::Index ldb, T* c, Eigen::Index ldc) {
  constexpr int MR = 4;
  Eigen::Index i = 0;
  for (; i + MR <= M; i += MR) row_block<T, MR>(K, N, a, i, b, ldb, c, ldc);
  for (; i < M; ++i) row_block<T, 1>(K, N, a, i, b, ldb, c, ldc);
}

// c (M, N) = a (M, K) b (K, N)
template <class T>
void a_b(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> c) {
  product<T>(a.rows(), b.cols(), a.cols(), {a.data(), a.outerStride(), 1}, b.data(),
             b.outerStride(), c.data(), c.outerStride());
}

// c (K, N) = aᵀ b, a (M, K), b (M, N)
template <class T>
void at_b(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> c) {
  product<T>(a.cols(), b.cols(), a.rows(), {a.data(), 1, a.outerStride()}, b.data(),
             b.outerStride(), c.data(), c.outerStride());
}

// bt (N, K) = bᵀ, b (K, N). For floats in 4 x 4 tiles of vectors: Eigen's scalar transpose
// (the only one it has in wasm) cost a quarter of a digits layer's input gradient.
template <class T>
void transpose(ConstMatrixRef<T> b, Matrix<T>& bt) {
  if constexpr (!std::is_same_v<T, float>) {
    bt.noalias() = b.transpose();
  } else {
    const Eigen::Index K = b.rows(), N = b.cols(), ldb = b.outerStride();
    bt.resize(N, K);  // a no-op at the right size, which the layers keep
    const Eigen::Index ldt = bt.outerStride();
    const float* src = b.data();
    float* dst = bt.data();
    Eigen::Index k = 0;
    for (; k + 4 <= K; k += 4) {
      Eigen::Index j = 0;
      for (; j + 4 <= N; j += 4) {
        const V<float> r0 = load(src + k * ldb + j), r1 = load(src + (k + 1) * ldb + j),
                       r2 = load(src + (k + 2) * ldb + j), r3 = load(src + (k + 3) * ldb + j);
        const V<float> t0 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5),
                       t1 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7),
                       t2 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5),
                       t3 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
        store(dst + j * ldt + k, __builtin_shufflevector(t0, t2, 0, 1, 4, 5));
        store(dst + (j + 1) * ldt + k, __builtin_shufflevector(t0, t2, 2, 3, 6, 7));
        store(dst + (j + 2) * ldt + k, __builtin_shufflevector(t1, t3, 0, 1, 4, 5));
        store(dst + (j + 3) * ldt + k, __builtin_shufflevector(t1, t3, 2, 3, 6, 7));
      }
      for (; j < N; ++j)
        for (Eigen::Index r = k; r < k + 4; ++r) dst[j * ldt + r] = src[r * ldb + j];
    }
    for (; k < K; ++k)
      for (Eigen::Index j = 0; j < N; ++j) dst[j * ldt + k] = src[k * ldb + j];
  }
}

// c (M, K) = a (M, N) bᵀ, b (K, N); bt is scratch of b's transposed shape (N, K): the kernel
// wants its right-hand side row-major, and copying b is cheap next to the product.
template <class T>
void a_bt(ConstMatrixRef<T> a, ConstMatrixRef<T> b, Matrix<T>& bt, MatrixRef<T> c) {
  transpose<T>(b, bt);
  product<T>(a.rows(), bt.cols(), a.cols(), {a.data(), a.outerStride(), 1}, bt.data(),
             bt.outerStride(), c.data(), c.outerStride());
}

}  // namespace bnlab::gemm

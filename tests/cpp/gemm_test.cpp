// The dense layer's products (cpp/bnlab/nn/gemm.hpp) against a plain triple loop.
//
// Two facts: each product equals the mathematical one (in double, to rounding), and every
// float element is exactly the sequential sum over k from zero, which is what makes native and
// wasm results bit-identical. Shapes cover every tail of the blocking (rows not a multiple of
// 4, columns not a multiple of 8 or 4), and operands are views with an outer stride larger
// than their width, as the layers pass them.
#include "bnlab/nn/gemm.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"

namespace bnlab {
namespace {

// The reference: c(i, j) = sum over k of a(i, k) b(k, j), in k order from zero.
Matrix<float> sequential_product(ConstMatrixRef<float> a, ConstMatrixRef<float> b) {
  Matrix<float> c(a.rows(), b.cols());
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < b.cols(); ++j) {
      float sum = 0;
      for (Eigen::Index k = 0; k < a.cols(); ++k) sum += a(i, k) * b(k, j);
      c(i, j) = sum;
    }
  return c;
}

// m in a buffer `pad` columns wider, so a view of it has an outer stride larger than its width.
template <class T>
Matrix<T> with_padding(const Matrix<double>& m, int pad) {
  Matrix<T> buffer = Matrix<T>::Constant(m.rows(), m.cols() + pad, T(99));
  buffer.leftCols(m.cols()) = m.cast<T>();
  return buffer;
}

struct Shape {
  int M, N, K;
};

std::vector<Shape> shapes() {
  std::vector<Shape> s;
  for (int M : {1, 3, 4, 5, 9})
    for (int N : {1, 3, 4, 7, 8, 9, 13, 17})
      for (int K : {1, 2, 7}) s.push_back({M, N, K});
  s.push_back({60, 100, 100});  // the digits network's hidden layers
  s.push_back({60, 10, 100});
  s.push_back({900, 100, 64});  // an evaluation chunk through the first layer
  return s;
}

TEST(Gemm, ProductsMatchTheTripleLoopInDoubleForEveryTailShape) {
  Rng rng(7);
  for (const Shape& s : shapes()) {
    SCOPED_TRACE(testing::Message() << "M=" << s.M << " N=" << s.N << " K=" << s.K);
    const Matrix<double> a = test::random_matrix(s.M, s.K, rng),
                         b = test::random_matrix(s.K, s.N, rng);
    const Matrix<double> at = a.transpose(), bt = b.transpose();
    const Matrix<double> pa = with_padding<double>(a, 3), pb = with_padding<double>(b, 5),
                         pat = with_padding<double>(at, 2), pbt = with_padding<double>(bt, 1);
    const Matrix<double> expected = a * b;  // Eigen's own product, an independent reference
    Matrix<double> out = Matrix<double>::Constant(s.M, s.N + 4, -1.0), scratch(s.K, s.N);
    auto c = out.leftCols(s.N);

    gemm::a_b<double>(pa.leftCols(s.K), pb.leftCols(s.N), c);
    EXPECT_LT((c - expected).cwiseAbs().maxCoeff(), 1e-12 * (1 + s.K));
    gemm::at_b<double>(pat.leftCols(s.M), pb.leftCols(s.N), c);
    EXPECT_LT((c - expected).cwiseAbs().maxCoeff(), 1e-12 * (1 + s.K));
    gemm::a_bt<double>(pa.leftCols(s.K), pbt.leftCols(s.K), scratch, c);
    EXPECT_LT((c - expected).cwiseAbs().maxCoeff(), 1e-12 * (1 + s.K));
    // Nothing written beside the view.
    EXPECT_TRUE((out.rightCols(4).array() == -1.0).all());
  }
}

TEST(Gemm, EveryFloatElementIsTheSequentialSumOverKExactly) {
  Rng rng(11);
  for (const Shape& s : shapes()) {
    SCOPED_TRACE(testing::Message() << "M=" << s.M << " N=" << s.N << " K=" << s.K);
    const Matrix<double> a = test::random_matrix(s.M, s.K, rng),
                         b = test::random_matrix(s.K, s.N, rng);
    const Matrix<float> pa = with_padding<float>(a, 1), pb = with_padding<float>(b, 2),
                        pat = with_padding<float>(a.transpose(), 3),
                        pbt = with_padding<float>(b.transpose(), 1);
    const ConstMatrixRef<float> fa = pa.leftCols(s.K), fb = pb.leftCols(s.N);
    const Matrix<float> expected = sequential_product(fa, fb);
    Matrix<float> c(s.M, s.N), scratch(s.K, s.N);

    gemm::a_b<float>(fa, fb, c);
    EXPECT_EQ(c, expected);
    gemm::at_b<float>(pat.leftCols(s.M), fb, c);
    EXPECT_EQ(c, expected);
    gemm::a_bt<float>(fa, pbt.leftCols(s.K), scratch, c);
    EXPECT_EQ(c, expected);
  }
}

}  // namespace
}  // namespace bnlab

// Matrix types shared by the numeric core.
// Batch-first and row-major: a (B, F) matrix holds one example per row, so it maps
// straight onto a JavaScript Float32Array of B*F values.
#pragma once

#include <Eigen/Core>

namespace bnlab {

template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

// Views of the first rows of a preallocated buffer: layers own buffers sized for the
// largest batch they will see and work on `rows` of them, so a step never allocates.
template <class T>
using MatrixRef = Eigen::Ref<Matrix<T>>;
template <class T>
using ConstMatrixRef = Eigen::Ref<const Matrix<T>>;
// What topRows() of a buffer is.
template <class T>
using TopRows = Eigen::Block<Matrix<T>, Eigen::Dynamic, Eigen::Dynamic, true>;
template <class T>
using ConstTopRows = Eigen::Block<const Matrix<T>, Eigen::Dynamic, Eigen::Dynamic, true>;

}  // namespace bnlab

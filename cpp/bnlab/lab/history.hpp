// Bounded metric history: rows of `series` floats, at most `capacity` rows whatever the run's
// length. When full it keeps every other row and from then on records half as often, so a
// run of a million steps keeps the shape of the whole run in the memory of a short one.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace bnlab {

class History {
 public:
  History(int series, int capacity) : series_(series), capacity_(capacity) {
    if (series < 1 || capacity < 2 || capacity % 2)
      throw std::invalid_argument("History: needs at least 1 series and an even capacity >= 2");
    data_.assign(static_cast<std::size_t>(series) * capacity, 0.0f);
  }

  // Whether the record with this index (0, 1, 2, ...) is kept at the current stride.
  bool wants(long record_index) const { return record_index % stride_ == 0; }

  // A row to fill with `series` values; call only for records that wants() keeps.
  float* append() {
    if (rows_ == capacity_) {
      for (int i = 0; i < capacity_ / 2; ++i)
        std::copy_n(row(2 * i), series_, &data_[static_cast<std::size_t>(i) * series_]);
      rows_ = capacity_ / 2;
      stride_ *= 2;
    }
    return &data_[static_cast<std::size_t>(rows_++) * series_];
  }

  int rows() const { return rows_; }
  int series() const { return series_; }
  long stride() const { return stride_; }
  const float* row(int i) const { return &data_[static_cast<std::size_t>(i) * series_]; }
  float at(int row_index, int series_index) const { return row(row_index)[series_index]; }

  // One series over all rows, into out[0 .. rows()).
  void column(int series_index, float* out) const {
    for (int i = 0; i < rows_; ++i) out[i] = at(i, series_index);
  }

 private:
  int series_, capacity_;
  int rows_ = 0;
  long stride_ = 1;
  std::vector<float> data_;
};

// The most recent `capacity` rows of `series` floats, oldest first: for per-step traces.
class Ring {
 public:
  Ring(int series, int capacity) : series_(series), capacity_(capacity) {
    if (series < 1 || capacity < 1)
      throw std::invalid_argument("Ring: needs at least 1 series and a capacity of at least 1");
    data_.assign(static_cast<std::size_t>(series) * capacity, 0.0f);
  }

  // A row to fill with `series` values, replacing the oldest when full.
  float* push() {
    float* row = &data_[static_cast<std::size_t>(next_) * series_];
    next_ = (next_ + 1) % capacity_;
    if (rows_ < capacity_) ++rows_;
    return row;
  }

  int rows() const { return rows_; }
  int series() const { return series_; }
  // Row i, 0 the oldest kept.
  const float* row(int i) const {
    const int start = rows_ < capacity_ ? 0 : next_;
    return &data_[static_cast<std::size_t>((start + i) % capacity_) * series_];
  }
  void column(int series_index, float* out) const {
    for (int i = 0; i < rows_; ++i) out[i] = row(i)[series_index];
  }

 private:
  int series_, capacity_;
  int rows_ = 0, next_ = 0;
  std::vector<float> data_;
};

}  // namespace bnlab

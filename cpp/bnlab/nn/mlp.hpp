// Multi-layer perceptron with optional normalization in every hidden layer.
//
// Hidden layer l, by normalization:
//   none:      u = x W + b;           a = g(u);  out = a
//   bn-before: u = BN(x W);           a = g(u);  out = a     (the paper's z = g(BN(Wu)); beta
//                                                             replaces the Dense bias)
//   bn-after:  u = x W + b;           a = g(u);  out = BN(a)
//   ln-before: u = LN(x W);           a = g(u);  out = a     (LayerNorm: per example)
// Two kinds of training noise, drawn per step with draw_noise() and applied only by forwards
// asked to (training's, and the measurements that replay a training step):
//   bn noise:  u = s * BN(x W) + m, s and m per unit, the same for every example of the batch
//              (Santurkar et al. 2018's "noisy BatchNorm": the distribution moves every step)
//   dropout:   out = a * mask, mask 0 with probability p, else 1 / (1 - p) (inverted dropout)
// Output: logits = out_L W + b.  u is "the input to the nonlinearity" that the probes watch.
#pragma once

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "bnlab/nn/activation.hpp"
#include "bnlab/nn/batchnorm.hpp"
#include "bnlab/nn/dense.hpp"
#include "bnlab/nn/init.hpp"
#include "bnlab/nn/layernorm.hpp"
#include "bnlab/nn/rng.hpp"
#include "bnlab/nn/tensor.hpp"

namespace bnlab {

enum class Norm { None, BnBefore, BnAfter, LnBefore };

// Santurkar et al.'s noise after BN, redrawn every step for every unit:
// m ~ U(-shift, shift), s ~ U(1 - scale, 1 + scale). Both have the mean of no noise (0 and 1),
// so inference, which leaves it out, sees the average of what training saw (as inverted
// dropout's scaling does).
struct BnNoise {
  double shift = 0;
  double scale = 0;
};

struct MlpShape {
  int inputs = 2;
  std::vector<int> hidden;
  int outputs = 1;
  Activation activation = Activation::Sigmoid;
  Norm norm = Norm::None;
  double bn_momentum = 0.1;
  double bn_eps = 1e-5;             // LayerNorm's eps too
  std::optional<BnNoise> bn_noise;  // with Norm::BnBefore
  double dropout = 0;               // rate; 0 for none
};

template <class T>
class Mlp {
 public:
  struct Hidden {
    explicit Hidden(Dense<T> dense_) : dense(std::move(dense_)) {}
    Dense<T> dense;
    std::optional<BatchNorm<T>> bn;
    std::optional<LayerNorm<T>> ln;
    bool after = false;  // BN follows the nonlinearity
    bool noisy = false;  // bn noise after the BN
    Matrix<T> z;         // (B, width) Dense output, when a normalization follows it
    Matrix<T> u;         // (B, width) input to the nonlinearity
    Matrix<T> a;         // (B, width) nonlinearity output
    Matrix<T> out;       // (B, width) BN(a) after the nonlinearity, or a * mask (dropout)
    Matrix<T> d_out, d_a, d_u, d_z;  // gradients of the same, (B, width)
    // The step's noise (draw_noise): bn noise's scale and shift, dropout's scaled mask.
    RowVector<T> noise_scale, noise_shift;  // (width)
    Matrix<T> mask;                         // (B, width)
    bool dropped = false;  // the last forward applied the mask: out holds the output

    const Matrix<T>& output() const { return bn_after() || dropped ? out : a; }
    bool bn_after() const { return bn && after; }
    bool bn_before() const { return bn && !after; }
    bool norm_before() const { return bn_before() || ln; }
  };

  explicit Mlp(const MlpShape& shape)
      : shape_(shape),
        output_(shape.hidden.empty() ? shape.inputs : shape.hidden.back(), shape.outputs, true) {
    if (shape.inputs < 1 || shape.outputs < 1)
      throw std::invalid_argument("Mlp: inputs and outputs must be at least 1");
    if (shape.bn_noise && shape.norm != Norm::BnBefore)
      throw std::invalid_argument("Mlp: bn noise needs BN before the nonlinearity");
    if (!(shape.dropout >= 0 && shape.dropout < 1))
      throw std::invalid_argument("Mlp: the dropout rate must be in [0, 1)");
    int in = shape.inputs;
    const bool before = shape.norm == Norm::BnBefore || shape.norm == Norm::LnBefore;
    for (int width : shape.hidden) {
      if (width < 1) throw std::invalid_argument("Mlp: hidden widths must be at least 1");
      Hidden layer(Dense<T>(in, width, !before));
      if (shape.norm == Norm::BnBefore || shape.norm == Norm::BnAfter)
        layer.bn.emplace(width, T(shape.bn_momentum), T(shape.bn_eps));
      if (shape.norm == Norm::LnBefore) layer.ln.emplace(width, T(shape.bn_eps));
      layer.after = shape.norm == Norm::BnAfter;
      layer.noisy = shape.bn_noise.has_value();
      layer.noise_scale = RowVector<T>::Ones(width);
      layer.noise_shift = RowVector<T>::Zero(width);
      hidden_.push_back(std::move(layer));
      in = width;
    }
  }

  const MlpShape& shape() const { return shape_; }
  int depth() const { return static_cast<int>(hidden_.size()); }
  Hidden& hidden(int l) { return hidden_[l]; }
  const Hidden& hidden(int l) const { return hidden_[l]; }
  Dense<T>& output_layer() { return output_; }
  const Dense<T>& output_layer() const { return output_; }
  // Whether training draws noise every step (bn noise or dropout).
  bool has_noise() const { return shape_.bn_noise.has_value() || shape_.dropout > 0; }

  // Draws every weight matrix from N(0, init_std^2) in a fixed order; biases start at 0.
  // Two networks of the same shape given generators in the same state get the same weights.
  void init(Init init, double gaussian_std, Rng& rng) {
    auto fill = [&](Dense<T>& d) {
      const double std = init_std(init, gaussian_std, d.in(), d.out());
      for (Eigen::Index i = 0; i < d.W.size(); ++i) d.W.data()[i] = T(rng.normal(0.0, std));
      d.b.setZero();
    };
    for (auto& h : hidden_) fill(h.dense);
    fill(output_);
  }

  // Sizes every buffer for batches of up to max_rows, so later passes never allocate.
  void reserve(int max_rows) {
    if (max_rows <= capacity_) return;
    capacity_ = max_rows;
    x_.resize(max_rows, shape_.inputs);
    for (auto& h : hidden_) {
      const int w = h.dense.out();
      for (Matrix<T>* m : {&h.u, &h.a, &h.d_out, &h.d_u}) m->resize(max_rows, w);
      if (h.norm_before()) h.z.resize(max_rows, w), h.d_z.resize(max_rows, w);
      if (h.bn_after() || shape_.dropout > 0) h.out.resize(max_rows, w), h.d_a.resize(max_rows, w);
      if (shape_.dropout > 0) h.mask.resize(max_rows, w);
      if (h.bn) h.bn->reserve(max_rows);
      if (h.ln) h.ln->reserve(max_rows);
    }
    logits_.resize(max_rows, shape_.outputs);
  }

  // The next training step's noise, for a batch of `rows`: per unit s ~ U(1 - scale, 1 + scale) and
  // m ~ U(-shift, shift) (bn noise), and a dropout mask, units in row order. Allocates nothing.
  void draw_noise(Rng& rng, int rows) {
    reserve(rows);
    noise_rows_ = rows;
    const double p = shape_.dropout;
    for (auto& h : hidden_) {
      if (h.noisy)
        for (Eigen::Index j = 0; j < h.noise_scale.size(); ++j) {
          h.noise_scale(j) =
              T(rng.uniform(1.0 - shape_.bn_noise->scale, 1.0 + shape_.bn_noise->scale));
          h.noise_shift(j) = T(rng.uniform(-shape_.bn_noise->shift, shape_.bn_noise->shift));
        }
      if (p > 0)
        for (int i = 0; i < rows; ++i)
          for (Eigen::Index j = 0; j < h.mask.cols(); ++j)
            h.mask(i, j) = rng.uniform() < p ? T(0) : T(1 / (1 - p));
    }
  }

  // The noise another network of the same shape drew, for replaying its training step.
  void copy_noise_from(const Mlp& src) {
    noise_rows_ = src.noise_rows_;
    for (int l = 0; l < depth(); ++l) {
      hidden_[l].noise_scale = src.hidden_[l].noise_scale;
      hidden_[l].noise_shift = src.hidden_[l].noise_shift;
      if (shape_.dropout > 0)
        hidden_[l].mask.topRows(noise_rows_) = src.hidden_[l].mask.topRows(noise_rows_);
    }
  }

  // x (B, inputs) -> logits (B, outputs), a view valid until the next forward. `noise` applies
  // the noise of the last draw_noise() (a dropout mask only fits a batch of the rows drawn
  // for); training applies it, every other mode by default not.
  TopRows<T> forward(ConstMatrixRef<T> x, bool training) {
    return forward(x, training ? Mode::Train : Mode::Inference);
  }
  TopRows<T> forward(ConstMatrixRef<T> x, Mode mode) {
    return forward(x, mode, mode == Mode::Train);
  }
  TopRows<T> forward(ConstMatrixRef<T> x, Mode mode, bool noise) {
    const Eigen::Index rows = x.rows();
    const bool drop = noise && shape_.dropout > 0;
    if (drop && rows != noise_rows_)
      throw std::logic_error("Mlp: the dropout mask was drawn for " + std::to_string(noise_rows_) +
                             " rows, not " + std::to_string(rows));
    reserve(static_cast<int>(rows));
    rows_ = rows;
    noise_applied_ = noise;
    x_.topRows(rows) = x;
    const Matrix<T>* in = &x_;
    for (auto& h : hidden_) {
      auto u = h.u.topRows(rows);
      if (h.norm_before()) {
        h.dense.forward(in->topRows(rows), h.z.topRows(rows));
        if (h.bn)
          h.bn->forward(h.z.topRows(rows), u, mode);
        else
          h.ln->forward(h.z.topRows(rows), u);
        if (noise && h.noisy)
          u.array() =
              (u.array().rowwise() * h.noise_scale.array()).rowwise() + h.noise_shift.array();
      } else {
        h.dense.forward(in->topRows(rows), u);
      }
      activation_forward<T>(shape_.activation, u, h.a.topRows(rows));
      if (h.bn_after()) h.bn->forward(h.a.topRows(rows), h.out.topRows(rows), mode);
      h.dropped = drop;
      if (drop) h.out.topRows(rows) = h.a.topRows(rows).cwiseProduct(h.mask.topRows(rows));
      in = &h.output();
    }
    output_.forward(in->topRows(rows), logits_.topRows(rows));
    return logits_.topRows(rows);
  }

  // dlogits (B, outputs) -> gradients of every parameter, after a forward of B rows, with the
  // noise that forward applied held fixed.
  void backward(ConstMatrixRef<T> dlogits) {
    const Eigen::Index rows = rows_;
    const auto input_of = [&](int l) -> const Matrix<T>& {
      return l == 0 ? x_ : hidden_[l - 1].output();
    };
    const int depth = this->depth();
    output_.backward(input_of(depth).topRows(rows), dlogits);
    if (depth == 0) return;
    output_.backward_input(dlogits, hidden_[depth - 1].d_out.topRows(rows));
    for (int l = depth - 1; l >= 0; --l) {
      Hidden& h = hidden_[l];
      Matrix<T>* d_a = &h.d_out;
      if (h.bn_after()) {
        h.bn->backward(h.d_out.topRows(rows), h.d_a.topRows(rows));
        d_a = &h.d_a;
      } else if (h.dropped) {
        h.d_a.topRows(rows) = h.d_out.topRows(rows).cwiseProduct(h.mask.topRows(rows));
        d_a = &h.d_a;
      }
      activation_backward<T>(shape_.activation, h.u.topRows(rows), h.a.topRows(rows),
                             d_a->topRows(rows), h.d_u.topRows(rows));
      Matrix<T>* d_z = &h.d_u;
      if (h.norm_before()) {
        if (noise_applied_ && h.noisy)
          h.d_u.topRows(rows).array().rowwise() *= h.noise_scale.array();
        if (h.bn)
          h.bn->backward(h.d_u.topRows(rows), h.d_z.topRows(rows));
        else
          h.ln->backward(h.d_u.topRows(rows), h.d_z.topRows(rows));
        d_z = &h.d_z;
      }
      h.dense.backward(input_of(l).topRows(rows), d_z->topRows(rows));
      if (l > 0) h.dense.backward_input(d_z->topRows(rows), hidden_[l - 1].d_out.topRows(rows));
    }
  }

  // Calls f(values, gradients, count) for every learnable parameter, in a fixed order.
  template <class F>
  void for_each_parameter(F&& f) {
    for (auto& h : hidden_) {
      f(h.dense.W.data(), h.dense.dW.data(), h.dense.W.size());
      if (h.dense.has_bias) f(h.dense.b.data(), h.dense.db.data(), h.dense.b.size());
      if (h.bn) {
        f(h.bn->gamma.data(), h.bn->grad_gamma.data(), h.bn->gamma.size());
        f(h.bn->beta.data(), h.bn->grad_beta.data(), h.bn->beta.size());
      }
      if (h.ln) {
        f(h.ln->gamma.data(), h.ln->grad_gamma.data(), h.ln->gamma.size());
        f(h.ln->beta.data(), h.ln->grad_beta.data(), h.ln->beta.size());
      }
    }
    f(output_.W.data(), output_.dW.data(), output_.W.size());
    f(output_.b.data(), output_.db.data(), output_.b.size());
  }

  // Copies the learnable parameters (W, b, gamma, beta) of layers [first, last) from a network
  // of the same shape; layer depth() is the output layer. Allocates nothing.
  void copy_parameters_from(const Mlp& src, int first = 0, int last = -1) {
    if (last < 0) last = depth() + 1;
    for (int l = first; l < last && l < depth(); ++l) {
      Hidden& h = hidden_[l];
      const Hidden& from = src.hidden_[l];
      h.dense.W = from.dense.W;
      h.dense.b = from.dense.b;
      if (h.bn) {
        h.bn->gamma = from.bn->gamma;
        h.bn->beta = from.bn->beta;
      }
      if (h.ln) {
        h.ln->gamma = from.ln->gamma;
        h.ln->beta = from.ln->beta;
      }
    }
    if (last > depth()) {
      output_.W = src.output_.W;
      output_.b = src.output_.b;
    }
  }

  // The input the normalization of hidden layer l normalized in the last forward, (B, width):
  // the Dense output (bn-before, ln-before) or the nonlinearity's output (bn-after); for a
  // layer without one, the input to the nonlinearity, which is what BN would see there.
  const Matrix<T>& bn_input(int l) const {
    const Hidden& h = hidden_[l];
    return h.norm_before() ? h.z : h.bn_after() ? h.a : h.u;
  }

  // Every parameter, or every gradient, as one flat vector in for_each_parameter's order
  // (parameter_count() values); set_parameters reads them back. Allocate nothing.
  void get_parameters(T* out) {
    for_each_parameter([&](T* p, T*, Eigen::Index n) { out = std::copy_n(p, n, out); });
  }
  void get_gradients(T* out) {
    for_each_parameter([&](T*, T* g, Eigen::Index n) { out = std::copy_n(g, n, out); });
  }
  void set_parameters(const T* in) {
    for_each_parameter([&](T* p, T*, Eigen::Index n) {
      std::copy_n(in, n, p);
      in += n;
    });
  }

  Eigen::Index parameter_count() {
    Eigen::Index n = 0;
    for_each_parameter([&](T*, T*, Eigen::Index count) { n += count; });
    return n;
  }

 private:
  MlpShape shape_;
  std::vector<Hidden> hidden_;
  Dense<T> output_;
  Matrix<T> x_;       // (B, inputs) copy of the last forward's input
  Matrix<T> logits_;  // (B, outputs)
  int capacity_ = 0;
  Eigen::Index rows_ = 0;
  int noise_rows_ = 0;          // the rows the dropout masks were drawn for
  bool noise_applied_ = false;  // by the last forward
};

}  // namespace bnlab

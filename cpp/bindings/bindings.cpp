// Embind bindings of the page's engine (dist/bnlab.js and .wasm): translation only.
// Configurations cross as JSON text, metrics as typed array copies (never views into wasm
// memory, which grows), C++ errors as JavaScript Errors (js.hpp). The data it is given
// (data.cpp) is bound in the PyTorch export's module too; the export itself is that module's
// (export.cpp).
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <string>
#include <vector>

#include "bindings/js.hpp"
#include "bnlab/io/config.hpp"
#include "bnlab/io/results.hpp"
#include "bnlab/lab/experiment.hpp"
#include "bnlab/lab/sweep.hpp"
#include "bnlab/nn/batchnorm.hpp"

using namespace bnlab;
using namespace bnlab::bindings;

namespace {

template <class T>
val typed_array_copy(const T* data, std::size_t n) {
  return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}
template <class Vector>
val typed_array_copy(const Vector& v) {
  return typed_array_copy(v.data(), static_cast<std::size_t>(v.size()));
}

// results.hpp's shapes as JavaScript: objects, arrays and Float32Arrays.
struct ValWriter {
  using Value = val;
  val object() { return val::object(); }
  val array() { return val::array(); }
  void set(val& object, const char* key, val value) { object.set(key, value); }
  void push(val& array, val value) { array.call<void>("push", value); }
  val floats(const float* values, std::size_t n) { return typed_array_copy(values, n); }
  val ints(const std::int32_t* values, std::size_t n) { return typed_array_copy(values, n); }
  val number(double v) { return val(v); }
  val boolean(bool b) { return val(b); }
  val text(const std::string& s) { return val(s); }
  val null() { return val::null(); }
};

std::vector<float> float_vector(const val& array, const char* what) {
  const bool is_array = val::global("Array").call<bool>("isArray", array) ||
                        val::global("ArrayBuffer").call<bool>("isView", array);
  if (!is_array)
    throw std::invalid_argument(std::string(what) +
                                ": expected a Float32Array or an array of numbers");
  return emscripten::convertJSArrayToNumberVector<float>(array);
}

class ExperimentHandle {
 public:
  explicit ExperimentHandle(const val& config)
      : exp_(guarded([&] { return Experiment(parse_config(config_text(config))); })) {}

  double step(double n) {
    return guarded([&] {
      exp_.step(step_count(n, "step(n): n"));
      return double(exp_.steps());
    });
  }
  double steps() const { return double(exp_.steps()); }
  val config() const { return from_json(config_to_json(exp_.config())); }
  void set_learning_rate(double lr) {
    guarded([&] { exp_.set_learning_rate(lr); });
  }

  // [{ name, diverged, divergedAt, message }]
  val arms() const {
    ValWriter w;
    val out = val::array();
    for (int a = 0; a < exp_.arm_count(); ++a) w.push(out, arm_state_value(w, exp_, a));
    return out;
  }

  // { trainLoss, trainAccuracy, testLoss, testAccuracy, testLossBatchStats,
  //   testAccuracyBatchStats }: Float32Arrays, one value per arm. The first four in inference
  // mode; the last two normalizing each test mini-batch with its own statistics.
  val evaluate() {
    struct Metric {
      const char* loss;
      const char* accuracy;
      Split split;
      Mode mode;
    };
    static const Metric kMetrics[] = {
        {"trainLoss", "trainAccuracy", Split::Train, Mode::Inference},
        {"testLoss", "testAccuracy", Split::Test, Mode::Inference},
        {"testLossBatchStats", "testAccuracyBatchStats", Split::Test, Mode::BatchStats},
        {"shiftedLoss", "shiftedAccuracy", Split::Shifted, Mode::Inference}};
    const int arms = exp_.arm_count();
    val out = val::object();
    std::vector<float> loss(arms), accuracy(arms);
    for (const Metric& m : kMetrics) {
      for (int a = 0; a < arms; ++a) {
        const Evaluation e = exp_.evaluate(a, m.split, m.mode);
        loss[a] = e.loss;
        accuracy[a] = e.accuracy;
      }
      out.set(m.loss, typed_array_copy(loss));
      out.set(m.accuracy, typed_array_copy(accuracy));
    }
    for (int a = 0; a < arms; ++a) {
      const Evaluation e = exp_.evaluate_adapted(a);
      loss[a] = e.loss;
      accuracy[a] = e.accuracy;
    }
    out.set("shiftedLossAdapted", typed_array_copy(loss));
    out.set("shiftedAccuracyAdapted", typed_array_copy(accuracy));
    return out;
  }

  // { step: Float32Array, arms: [{ name, batchLoss, trainLoss, ..., layers: [{ p15, ... }] }] }
  val history() const {
    ValWriter w;
    val out = val::object();
    out.set("step", steps_value(w, exp_));
    val arms = val::array();
    for (int a = 0; a < exp_.arm_count(); ++a) {
      val arm = arm_history_value(w, exp_, a);
      arm.set("name", exp_.arm_name(a));
      arms.call<void>("push", arm);
    }
    out.set("arms", arms);
    return out;
  }

  // The last kTraceCapacity steps of a BN layer: { step, batchMean, batchVar, runningMean,
  // runningVar }, Float32Arrays, oldest first.
  val bn_trace(int arm, int layer) const {
    return guarded([&] {
      ValWriter w;
      return trace_value(w, exp_.bn_trace(arm, layer));
    });
  }

  // { batchSize, measured, predicted }: Float32Arrays, one entry per batch size.
  val batch_mean_spread(int arm, int layer, int batches) {
    return guarded([&] {
      ValWriter w;
      return spread_value(w, exp_.batch_mean_spread(arm, layer, batches));
    });
  }

  // { examples, repeats, xHat: Float32Array(examples * repeats), stds: Float32Array(examples) }
  val same_example_jitter(int arm, int layer, int repeats) {
    return guarded([&] {
      ValWriter w;
      return jitter_value(w, exp_.same_example_jitter(arm, layer, repeats));
    });
  }

  // One BN unit with the last mini-batch through it (results.hpp's bn_batch_value).
  val bn_batch(int arm, int layer, int unit) {
    return guarded([&] {
      ValWriter w;
      return bn_batch_value(w, exp_.bn_batch(arm, layer, unit));
    });
  }

  // { label, train: { bnOutputs: [Float32Array], probabilities }, inference: { ... }, beta: [...] }
  val single_example(int arm, int index) {
    return guarded([&] {
      ValWriter w;
      return single_example_value(w, exp_.single_example(arm, index));
    });
  }

  int tracked_unit(int layer) const {
    return guarded([&] { return exp_.tracked_unit(layer); });
  }

  val grid_info() const {
    const GridInfo& g = exp_.grid_info();
    val out = val::object();
    out.set("size", g.size);
    out.set("xMin", g.x_min);
    out.set("xMax", g.x_max);
    out.set("yMin", g.y_min);
    out.set("yMax", g.y_max);
    return out;
  }

  // The predicted class of every test example, in inference mode: an Int32Array.
  val predict(int arm) {
    return guarded([&] {
      std::vector<std::int32_t> out(exp_.data().test_y.size());
      exp_.predict(arm, Split::Test, out.data());
      return typed_array_copy(out);
    });
  }

  // Probability of class 1 at each grid point, row iy = 0 at yMin.
  val grid(int arm) {
    return guarded([&] {
      std::vector<float> out(static_cast<std::size_t>(exp_.grid_info().size) *
                             exp_.grid_info().size);
      exp_.grid(arm, out.data());
      return typed_array_copy(out);
    });
  }

  // The examples in their original units: { features, classes, trainX, trainY, testX, testY }.
  val data() const {
    const Dataset& d = exp_.data();
    val out = val::object();
    out.set("features", d.features);
    out.set("classes", d.classes);
    out.set("trainX", typed_array_copy(d.train_raw));
    out.set("trainY", typed_array_copy(d.train_y));
    out.set("testX", typed_array_copy(d.test_raw));
    out.set("testY", typed_array_copy(d.test_y));
    out.set("shiftedX", typed_array_copy(d.shifted_raw));
    out.set("shiftedY", typed_array_copy(d.shifted_y));
    if (!d.feature_names.empty())
      out.set("featureNames", from_json(Json::array_of(d.feature_names)));
    return out;
  }

 private:
  Experiment exp_;
};

// torch.nn.BatchNorm1d by hand: row-major Float32Arrays of rows x features.
class BatchNormHandle {
 public:
  BatchNormHandle(int features, double momentum, double eps)
      : bn_(guarded([&] { return BatchNorm<float>(features, float(momentum), float(eps)); })) {}

  val forward(const val& x, int rows, bool training) {
    return guarded([&] {
      const std::vector<float> values = float_vector(x, "BatchNorm.forward(x)");
      const int features = bn_.features();
      if (rows < 1 || values.size() != static_cast<std::size_t>(rows) * features)
        throw std::invalid_argument("BatchNorm.forward: x has " + std::to_string(values.size()) +
                                    " values, expected rows x features = " + std::to_string(rows) +
                                    " x " + std::to_string(features));
      const Eigen::Map<const Matrix<float>> input(values.data(), rows, features);
      y_.resize(rows, features);
      bn_.forward(input, y_, training);
      return typed_array_copy(y_);
    });
  }

  val backward(const val& dy) {
    return guarded([&] {
      const std::vector<float> values = float_vector(dy, "BatchNorm.backward(dy)");
      const auto rows = static_cast<Eigen::Index>(bn_.x_hat().rows());
      if (rows == 0)
        throw std::logic_error("BatchNorm.backward: needs a training-mode forward() first");
      if (values.size() != static_cast<std::size_t>(rows * bn_.features()))
        throw std::invalid_argument("BatchNorm.backward: dy has " + std::to_string(values.size()) +
                                    " values, expected " + std::to_string(rows * bn_.features()) +
                                    " (the shape of the last forward)");
      const Eigen::Map<const Matrix<float>> grad(values.data(), rows, bn_.features());
      dx_.resize(rows, bn_.features());
      bn_.backward(grad, dx_);
      return typed_array_copy(dx_);
    });
  }

  val gamma() const { return typed_array_copy(bn_.gamma); }
  val beta() const { return typed_array_copy(bn_.beta); }
  val grad_gamma() const { return typed_array_copy(bn_.grad_gamma); }
  val grad_beta() const { return typed_array_copy(bn_.grad_beta); }
  val running_mean() const { return typed_array_copy(bn_.running_mean); }
  val running_var() const { return typed_array_copy(bn_.running_var); }
  void set_gamma(const val& a) {
    guarded([&] { set(bn_.gamma, a, "setGamma"); });
  }
  void set_beta(const val& a) {
    guarded([&] { set(bn_.beta, a, "setBeta"); });
  }

 private:
  void set(RowVector<float>& target, const val& a, const char* what) {
    const std::vector<float> values = float_vector(a, what);
    if (values.size() != static_cast<std::size_t>(bn_.features()))
      throw std::invalid_argument(std::string("BatchNorm.") + what + ": got " +
                                  std::to_string(values.size()) + " values, expected " +
                                  std::to_string(bn_.features()) + " (one per feature)");
    target = Eigen::Map<const RowVector<float>>(values.data(), bn_.features());
  }

  BatchNorm<float> bn_;
  Matrix<float> y_, dx_;
};

val validate_config(const val& config) {
  return guarded([&] { return from_json(config_to_json(parse_config(config_text(config)))); });
}
val default_config() { return from_json(config_to_json(Config{})); }
// The calculator: a batch of one unit's values through the engine's BatchNorm.
val batch_norm_calculator(const val& input) {
  return guarded([&] {
    ValWriter w;
    return bn_calculated_value(
        w, calculate_bn(parse_bn_calculation(parse_document(config_text(input), "(calculator)"))));
  });
}
// The history's series names, per arm and per hidden layer: the one list the page and the
// tests read.
val history_series() {
  Json arm = Json::array(), layer = Json::array();
  for (const char* name : Experiment::kArmSeries) arm.push_back(name);
  for (const char* name : Experiment::kLayerSeries) layer.push_back(name);
  Json out = Json::object();
  out.set("arm", arm);
  out.set("layer", layer);
  return from_json(out);
}
val config_schema_js() { return from_json(config_schema()); }

// Sweeps (sweep.hpp): a sweep given as an object or JSON text, validated whole (every cell)
// on each call, so a cell can never run from a sweep the validator did not see.
Sweep sweep_of(const val& spec) { return parse_sweep(config_text(spec)); }
// The normalized sweep: every base field written out.
val parse_sweep_js(const val& spec) {
  return guarded([&] { return from_json(sweep_to_json(sweep_of(spec))); });
}
val default_sweep() { return from_json(sweep_to_json(parse_sweep(default_sweep_json()))); }
// One cell trained: { index, x, y, arms: [{ testAccuracy, testLoss, trainAccuracy, trainLoss,
// divergedAt }] }, the shape of bnlab-run --sweep's cells.
val cell_value(const Sweep& sweep, const CellResult& cell) {
  return from_json(sweep_results_json(sweep, {cell}).find("cells")->items()[0]);
}
val sweep_cell(const val& spec, int index) {
  return guarded([&] {
    const Sweep sweep = sweep_of(spec);
    return cell_value(sweep, run_cell(sweep, index));
  });
}
// One cell trained a slice at a time, so the worker running it can return to its event loop
// (and be cancelled) between slices: new SweepCellRun(sweep, index); step(n) -> steps to go;
// result() -> the cell, as sweepCell gives it.
class SweepCellRunHandle {
 public:
  SweepCellRunHandle(const val& spec, int index)
      : sweep_(guarded([&] { return sweep_of(spec); })),
        run_(guarded([&] { return CellRun(sweep_, index); })) {}
  double step(double n) {
    return guarded([&] { return double(run_.step(step_count(n, "step(n): n"))); });
  }
  val result() {
    return guarded([&] { return cell_value(sweep_, run_.result()); });
  }

 private:
  Sweep sweep_;
  CellRun run_;
};

val sweep_metrics_js() { return from_json(Json::array_of(sweep_metrics())); }
val sweep_fields_js() { return from_json(Json::array_of(sweep_fields())); }
// Bytes the C++ heap has handed out and not taken back, and the wasm memory's size: for
// leak tests.
double heap_bytes_in_use() { return double(mallinfo().uordblks); }
double memory_bytes() { return double(emscripten_get_heap_size()); }

}  // namespace

EMSCRIPTEN_BINDINGS(bnlab) {
  emscripten::class_<ExperimentHandle>("Experiment")
      .constructor<val>()
      .function("step", &ExperimentHandle::step)
      .function("steps", &ExperimentHandle::steps)
      .function("config", &ExperimentHandle::config)
      .function("setLearningRate", &ExperimentHandle::set_learning_rate)
      .function("arms", &ExperimentHandle::arms)
      .function("evaluate", &ExperimentHandle::evaluate)
      .function("history", &ExperimentHandle::history)
      .function("gridInfo", &ExperimentHandle::grid_info)
      .function("grid", &ExperimentHandle::grid)
      .function("predict", &ExperimentHandle::predict)
      .function("data", &ExperimentHandle::data)
      .function("bnTrace", &ExperimentHandle::bn_trace)
      .function("batchMeanSpread", &ExperimentHandle::batch_mean_spread)
      .function("sameExampleJitter", &ExperimentHandle::same_example_jitter)
      .function("bnBatch", &ExperimentHandle::bn_batch)
      .function("singleExample", &ExperimentHandle::single_example)
      .function("trackedUnit", &ExperimentHandle::tracked_unit);

  emscripten::class_<SweepCellRunHandle>("SweepCellRun")
      .constructor<val, int>()
      .function("step", &SweepCellRunHandle::step)
      .function("result", &SweepCellRunHandle::result);

  emscripten::class_<BatchNormHandle>("BatchNorm")
      .constructor<int, double, double>()
      .function("forward", &BatchNormHandle::forward)
      .function("backward", &BatchNormHandle::backward)
      .function("gamma", &BatchNormHandle::gamma)
      .function("beta", &BatchNormHandle::beta)
      .function("gradGamma", &BatchNormHandle::grad_gamma)
      .function("gradBeta", &BatchNormHandle::grad_beta)
      .function("runningMean", &BatchNormHandle::running_mean)
      .function("runningVar", &BatchNormHandle::running_var)
      .function("setGamma", &BatchNormHandle::set_gamma)
      .function("setBeta", &BatchNormHandle::set_beta);

  emscripten::function("validateConfig", &validate_config);
  emscripten::function("batchNormCalculator", &batch_norm_calculator);
  emscripten::function("defaultConfig", &default_config);
  emscripten::function("historySeries", &history_series);
  emscripten::function("configSchema", &config_schema_js);
  emscripten::function("parseSweep", &parse_sweep_js);
  emscripten::function("defaultSweep", &default_sweep);
  emscripten::function("sweepCell", &sweep_cell);
  emscripten::function("sweepMetrics", &sweep_metrics_js);
  emscripten::function("sweepFields", &sweep_fields_js);
  emscripten::function("heapBytesInUse", &heap_bytes_in_use);
  emscripten::function("memoryBytes", &memory_bytes);
}

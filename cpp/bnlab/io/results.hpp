// An experiment's results in one shape, written by any writer: bnlab-run writes JSON
// (JsonWriter below), the bindings write JavaScript objects with typed arrays. Every name a
// reader sees is here (and in the series tables of experiment.cpp), once.
//
// A Writer has a Value type and: object(), array(), set(Value& object, const char* key, Value),
// push(Value& array, Value), floats(const float*, std::size_t), ints(const std::int32_t*,
// std::size_t), number(double), boolean(bool),
// text(std::string), null(); experiment_results_value also needs json(const Json&) for the
// configuration.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "bnlab/io/config.hpp"
#include "bnlab/io/json.hpp"
#include "bnlab/lab/calculator.hpp"
#include "bnlab/lab/experiment.hpp"

namespace bnlab {

// The repeats of the same-example jitter bnlab-run measures on the final network (the probes
// take Experiment::kJitterRepeats at every record).
constexpr int kFinalJitterRepeats = 64;

template <class W>
typename W::Value floats_value(W& w, const std::vector<float>& v) {
  return w.floats(v.data(), v.size());
}

// One arm's recorded series: { <arm series>..., layers: [{ <layer series>... }] }.
template <class W>
typename W::Value arm_history_value(W& w, const Experiment& e, int arm) {
  const History& h = e.history();
  std::vector<float> column(static_cast<std::size_t>(h.rows()));
  const auto series = [&](int index) {
    h.column(index, column.data());
    return floats_value(w, column);
  };
  auto out = w.object();
  for (int s = 0; s < Experiment::kSeriesPerArm; ++s)
    w.set(out, Experiment::kArmSeries[s], series(e.arm_column(arm, s)));
  auto layers = w.array();
  for (int l = 0; l < e.depth(); ++l) {
    auto layer = w.object();
    for (int s = 0; s < Experiment::kSeriesPerLayer; ++s)
      w.set(layer, Experiment::kLayerSeries[s], series(e.layer_column(arm, l, s)));
    w.push(layers, std::move(layer));
  }
  w.set(out, "layers", std::move(layers));
  return out;
}

// The recorded steps.
template <class W>
typename W::Value steps_value(W& w, const Experiment& e) {
  std::vector<float> column(static_cast<std::size_t>(e.history().rows()));
  e.history().column(0, column.data());
  return floats_value(w, column);
}

// A BN layer's trace: { step, batchMean, batchVar, runningMean, runningVar }, oldest first.
template <class W>
typename W::Value trace_value(W& w, const Ring& ring) {
  std::vector<float> column(static_cast<std::size_t>(ring.rows()));
  auto out = w.object();
  for (int s = 0; s < Experiment::kTraceSeries; ++s) {
    ring.column(s, column.data());
    w.set(out, Experiment::kTraceNames[s], floats_value(w, column));
  }
  return out;
}

// { batchSize, measured, predicted }, one entry per batch size.
template <class W>
typename W::Value spread_value(W& w, const std::vector<BatchMeanSpread>& spread) {
  std::vector<float> size, measured, predicted;
  for (const auto& point : spread) {
    size.push_back(float(point.batch_size));
    measured.push_back(point.measured);
    predicted.push_back(point.predicted);
  }
  auto out = w.object();
  w.set(out, "batchSize", floats_value(w, size));
  w.set(out, "measured", floats_value(w, measured));
  w.set(out, "predicted", floats_value(w, predicted));
  return out;
}

// { examples, repeats, xHat (examples x repeats), stds (per example) }
template <class W>
typename W::Value jitter_value(W& w, const Jitter& j) {
  auto out = w.object();
  w.set(out, "examples", w.number(double(j.examples.size())));
  w.set(out, "repeats", w.number(j.repeats));
  w.set(out, "xHat", floats_value(w, j.x_hat));
  w.set(out, "stds", floats_value(w, j.stds));
  return out;
}

// { unit, examples, labels, z, xHat, y, yInference, yUndo, mean, var, eps, gamma, beta,
//   runningMean, runningVar, undoGap }: one BN unit with the last mini-batch through it.
template <class W>
typename W::Value bn_batch_value(W& w, const BnBatch& b) {
  auto out = w.object();
  w.set(out, "unit", w.number(b.unit));
  w.set(out, "examples", w.ints(b.examples.data(), b.examples.size()));
  w.set(out, "labels", w.ints(b.labels.data(), b.labels.size()));
  w.set(out, "z", floats_value(w, b.z));
  w.set(out, "xHat", floats_value(w, b.x_hat));
  w.set(out, "y", floats_value(w, b.y));
  w.set(out, "yInference", floats_value(w, b.y_inference));
  w.set(out, "yUndo", floats_value(w, b.y_undo));
  const std::pair<const char*, float> numbers[] = {{"mean", b.mean},
                                                   {"var", b.var},
                                                   {"eps", b.eps},
                                                   {"gamma", b.gamma},
                                                   {"beta", b.beta},
                                                   {"runningMean", b.running_mean},
                                                   {"runningVar", b.running_var},
                                                   {"undoGap", b.undo_gap}};
  for (const auto& [key, v] : numbers) w.set(out, key, w.number(double(v)));
  return out;
}

// The calculator's answer: { mean, var, xHat, y }.
template <class W>
typename W::Value bn_calculated_value(W& w, const BnCalculated& c) {
  auto out = w.object();
  w.set(out, "mean", w.number(double(c.mean)));
  w.set(out, "var", w.number(double(c.var)));
  w.set(out, "xHat", floats_value(w, c.x_hat));
  w.set(out, "y", floats_value(w, c.y));
  return out;
}

// { label, train: { bnOutputs: [...], probabilities }, inference: { ... }, beta: [...] }
template <class W>
typename W::Value single_example_value(W& w, const SingleExample& e) {
  const auto lists = [&](const std::vector<std::vector<float>>& vs) {
    auto list = w.array();
    for (const auto& v : vs) w.push(list, floats_value(w, v));
    return list;
  };
  const auto mode = [&](const std::vector<std::vector<float>>& bn,
                        const std::vector<float>& probabilities) {
    auto m = w.object();
    w.set(m, "bnOutputs", lists(bn));
    w.set(m, "probabilities", floats_value(w, probabilities));
    return m;
  };
  auto out = w.object();
  w.set(out, "label", w.number(e.label));
  w.set(out, "train", mode(e.bn_output_train, e.probabilities_train));
  w.set(out, "inference", mode(e.bn_output_inference, e.probabilities_inference));
  w.set(out, "beta", lists(e.beta));
  return out;
}

// { loss, accuracy } over a whole split.
template <class W>
typename W::Value evaluation_value(W& w, const Evaluation& e) {
  auto out = w.object();
  w.set(out, "loss", w.number(e.loss));
  w.set(out, "accuracy", w.number(e.accuracy));
  return out;
}

// { name, diverged, divergedAt (null while it trains), message }
template <class W>
typename W::Value arm_state_value(W& w, const Experiment& e, int arm) {
  auto out = w.object();
  w.set(out, "name", w.text(e.arm_name(arm)));
  w.set(out, "diverged", w.boolean(e.diverged(arm)));
  w.set(out, "divergedAt", e.diverged(arm) ? w.number(double(e.diverged_at(arm))) : w.null());
  w.set(out, "message", w.text(e.message(arm)));
  return out;
}

// What the probes measure on the current network in one hidden layer: { trackedUnit,
// batchMeanSpread } and, for a BN layer, { bnTrace, sameExampleJitter }.
template <class W>
typename W::Value layer_measurements_value(W& w, Experiment& e, int arm, int layer,
                                           int spread_batches) {
  auto out = w.object();
  w.set(out, "trackedUnit", w.number(e.tracked_unit(layer)));
  w.set(out, "batchMeanSpread", spread_value(w, e.batch_mean_spread(arm, layer, spread_batches)));
  if (!e.has_bn(arm, layer)) return out;
  w.set(out, "bnTrace", trace_value(w, e.bn_trace(arm, layer)));
  w.set(out, "sameExampleJitter",
        jitter_value(w, e.same_example_jitter(arm, layer, kFinalJitterRepeats)));
  w.set(out, "bnBatch", bn_batch_value(w, e.bn_batch(arm, layer, e.tracked_unit(layer))));
  return out;
}

// One arm at the end of a run: its state, final: { train, test, testBatchStats }, history,
// and, with probes on and the arm not diverged, layers: [measurements] and singleExample (of
// test example 0).
template <class W>
typename W::Value arm_results_value(W& w, Experiment& e, int arm, int spread_batches) {
  auto out = arm_state_value(w, e, arm);
  auto final_metrics = w.object();
  w.set(final_metrics, "train", evaluation_value(w, e.evaluate(arm, Split::Train)));
  w.set(final_metrics, "test", evaluation_value(w, e.evaluate(arm, Split::Test)));
  w.set(final_metrics, "testBatchStats",
        evaluation_value(w, e.evaluate(arm, Split::Test, Mode::BatchStats)));
  if (e.config().covariateShift > 0) {
    w.set(final_metrics, "shifted", evaluation_value(w, e.evaluate(arm, Split::Shifted)));
    w.set(final_metrics, "shiftedAdapted", evaluation_value(w, e.evaluate_adapted(arm)));
  }
  w.set(out, "final", std::move(final_metrics));
  w.set(out, "history", arm_history_value(w, e, arm));
  if (!e.config().probes || e.diverged(arm)) return out;
  auto layers = w.array();
  for (int l = 0; l < e.depth(); ++l)
    w.push(layers, layer_measurements_value(w, e, arm, l, spread_batches));
  w.set(out, "layers", std::move(layers));
  w.set(out, "singleExample", single_example_value(w, e.single_example(arm, 0)));
  return out;
}

// A whole run: { config, steps, step, arms: [arm results] }.
template <class W>
typename W::Value experiment_results_value(W& w, Experiment& e, int spread_batches) {
  auto out = w.object();
  w.set(out, "config", w.json(config_to_json(e.config())));
  w.set(out, "steps", w.number(double(e.steps())));
  w.set(out, "step", steps_value(w, e));
  auto arms = w.array();
  for (int a = 0; a < e.arm_count(); ++a) w.push(arms, arm_results_value(w, e, a, spread_batches));
  w.set(out, "arms", std::move(arms));
  return out;
}

// The results as JSON (NaN is written as null).
struct JsonWriter {
  using Value = Json;
  Json object() { return Json::object(); }
  Json array() { return Json::array(); }
  void set(Json& object, const char* key, Json value) { object.set(key, std::move(value)); }
  void push(Json& array, Json value) { array.push_back(std::move(value)); }
  Json floats(const float* values, std::size_t n) {
    Json out = Json::array();
    for (std::size_t i = 0; i < n; ++i) out.push_back(Json(double(values[i])));
    return out;
  }
  Json ints(const std::int32_t* values, std::size_t n) {
    Json out = Json::array();
    for (std::size_t i = 0; i < n; ++i) out.push_back(Json(double(values[i])));
    return out;
  }
  Json number(double v) { return Json(v); }
  Json boolean(bool b) { return Json(b); }
  Json text(const std::string& s) { return Json(s); }
  Json null() { return Json(); }
  Json json(const Json& document) { return document; }
};

// A run's recorded series as CSV, for a spreadsheet or a plot: a row per recorded step, a column
// per series: step, then "<arm>.<series>" for each arm, then "<arm>.layer<L>.<series>" for its
// layers (the same numbers as the JSON's history; a missing value, e.g. after divergence, is
// empty).
inline std::string history_csv(const Experiment& e) {
  const History& h = e.history();
  std::vector<int> columns{0};
  std::string out = "step";
  for (int a = 0; a < e.arm_count(); ++a) {
    for (int s = 0; s < Experiment::kSeriesPerArm; ++s) {
      columns.push_back(e.arm_column(a, s));
      out += "," + e.arm_name(a) + "." + Experiment::kArmSeries[s];
    }
    for (int l = 0; l < e.depth(); ++l)
      for (int s = 0; s < Experiment::kSeriesPerLayer; ++s) {
        columns.push_back(e.layer_column(a, l, s));
        out += "," + e.arm_name(a) + ".layer" + std::to_string(l + 1) + "." +
               Experiment::kLayerSeries[s];
      }
  }
  out += "\n";
  std::vector<std::vector<float>> values(columns.size(),
                                         std::vector<float>(static_cast<std::size_t>(h.rows())));
  for (std::size_t c = 0; c < columns.size(); ++c) h.column(columns[c], values[c].data());
  for (int r = 0; r < h.rows(); ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const float v = values[c][static_cast<std::size_t>(r)];
      if (c) out += ",";
      if (std::isfinite(v)) out += Json(double(v)).dump();
    }
    out += "\n";
  }
  return out;
}

}  // namespace bnlab

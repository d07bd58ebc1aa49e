// An experiment's results in one shape, written by any writer: bnlab-run writes JSON
// (JsonWriter below), the bindings write JavaScript objects with typed arrays. Every name a
// reader sees is here (and in the series tables of experiment.cpp), once.
//
// A Writer has a Value type and: object(), array(), set(Value& object, const char* key, Value),
// push(Value& array, Value), floats(const float*, std::size_t), number(double), text(std::string).
#pragma once

#include <string>
#include <vector>

#include "bnlab/lab/experiment.hpp"
#include "bnlab/io/json.hpp"

namespace bnlab {

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

// { label, train: { bnOutputs: [...], probabilities }, inference: { ... }, beta: [...] }
template <class W>
typename W::Value single_example_value(W& w, const SingleExample& e) {
  const auto lists = [&](const std::vector<std::vector<float>>& vs) {
    auto list = w.array();
    for (const auto& v : vs) w.push(list, floats_value(w, v));
    return list;
  };
  const auto mode = [&](const std::vector<std::vector<float>>& bn, const std::vector<float>& probabilities) {
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
  Json number(double v) { return Json(v); }
  Json text(const std::string& s) { return Json(s); }
};

}  // namespace bnlab

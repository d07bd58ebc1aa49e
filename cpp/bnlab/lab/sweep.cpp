#include "bnlab/lab/sweep.hpp"

#include <algorithm>
#include <cmath>

#include "bnlab/lab/experiment.hpp"

namespace bnlab {
namespace {

const char* const kAxisNames[] = {"x", "y"};
const std::vector<std::string> kSweepable = {"integer", "number", "boolean", "choice"};
// Settings that measure training without changing it: a cell leaves them out (run_cell), so a
// grid over them would show the same run in every cell.
const std::vector<std::string> kMeasurement = {"recordEvery", "gridSize", "probes", "probeExamples",
                                               "trackedUnit", "gradientIcs", "landscape"};

const Json& schema() {
  static const Json schema = config_schema();
  return schema;
}

// The schema's entry of a field, or nullptr.
const Json* schema_field(const std::string& name) {
  for (const Json& f : schema().items())
    if (f.find("name")->as_string() == name) return &f;
  return nullptr;
}

bool sweepable(const Json& field) {
  const std::string& name = field.find("name")->as_string();
  return std::find(kSweepable.begin(), kSweepable.end(), field.find("type")->as_string()) != kSweepable.end() &&
         std::find(kMeasurement.begin(), kMeasurement.end(), name) == kMeasurement.end();
}

std::string sweepable_text() {
  std::string out;
  for (const std::string& name : sweep_fields()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

Json with(Json config, const std::string& field, const Json& value) {
  config.set(field, value);
  return config;
}

// The axis at `key`, or a list of what is wrong with it.
void read_axis(const Json& json, const char* key, std::vector<SweepAxis>& axes,
               std::vector<FieldError>& errors) {
  const std::string k = key;
  if (!json.is_object()) {
    errors.push_back({k, "must be an object { field, values }; got " + json.describe()});
    return;
  }
  for (const auto& member : json.members())
    if (member.first != "field" && member.first != "values")
      errors.push_back({k + "." + member.first, "is not an axis setting (field, values)"});
  const Json* field = json.find("field");
  const Json* values = json.find("values");
  SweepAxis axis;
  const Json* entry = field && field->is_string() ? schema_field(field->as_string()) : nullptr;
  if (!entry || !sweepable(*entry)) {
    errors.push_back({k + ".field", "must be a setting that changes training (" + sweepable_text() +
                                        "); got " + (field ? field->describe() : "nothing")});
  } else {
    axis.field = field->as_string();
  }
  if (!values || !values->is_array() || values->items().empty() ||
      static_cast<int>(values->items().size()) > Sweep::kMaxValues) {
    errors.push_back({k + ".values", "must be an array of 1 to " + std::to_string(Sweep::kMaxValues) +
                                         " values; got " + (values ? values->describe() : "nothing")});
    return;
  }
  const auto& items = values->items();
  for (std::size_t i = 0; i < items.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (items[i].dump() == items[j].dump()) {
        errors.push_back({k + ".values", "item " + std::to_string(i + 1) + " repeats " + items[i].describe() +
                                             " (item " + std::to_string(j + 1) + "): each value at most once"});
        return;
      }
  axis.values = items;
  axes.push_back(std::move(axis));
}

}  // namespace

const std::vector<std::string>& sweep_fields() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Json& f : schema().items())
      if (sweepable(f)) out.push_back(f.find("name")->as_string());
    return out;
  }();
  return names;
}

const std::vector<std::string>& sweep_metrics() {
  static const std::vector<std::string> metrics = {"testAccuracy", "testLoss", "trainAccuracy", "trainLoss"};
  return metrics;
}

int Sweep::size(int axis) const {
  return axis < static_cast<int>(axes.size()) ? static_cast<int>(axes[axis].values.size()) : 1;
}

const Json& Sweep::value(int axis, int index) const {
  return axes.at(axis).values.at(axis == 0 ? index % size(0) : index / size(0));
}

Config Sweep::cell_config(int index) const {
  if (index < 0 || index >= cells()) throw std::invalid_argument("sweep: no cell " + std::to_string(index));
  Json config = config_to_json(base);
  for (std::size_t a = 0; a < axes.size(); ++a) config.set(axes[a].field, value(int(a), index));
  return parse_config(config);
}

Sweep parse_sweep(const Json& json) {
  if (!json.is_object())
    throw ConfigError(std::vector<FieldError>{{"(sweep)", "must be a JSON object, got " + json.describe()}});
  std::vector<FieldError> errors;
  Sweep sweep;
  for (const auto& member : json.members()) {
    const std::string& key = member.first;
    const Json& v = member.second;
    if (key == "base") {
      try {
        sweep.base = parse_config(v);
      } catch (const ConfigError& e) {
        for (const FieldError& f : e.errors()) errors.push_back({"base." + f.field, f.message});
      }
    } else if (key == "x" || key == "y") {
      continue;  // read below, x first whatever the document's order
    } else if (key == "steps") {
      const bool ok = v.is_number() && v.as_number() >= 1 && v.as_number() <= Sweep::kMaxSteps &&
                      v.as_number() == std::floor(v.as_number());
      if (ok) sweep.steps = static_cast<long>(v.as_number());
      else errors.push_back({"steps", "must be an integer from 1 to " + std::to_string(Sweep::kMaxSteps) + "; got " + v.describe()});
    } else if (key == "metric") {
      const auto& m = sweep_metrics();
      if (v.is_string() && std::find(m.begin(), m.end(), v.as_string()) != m.end()) sweep.metric = v.as_string();
      else errors.push_back({"metric", "must be one of testAccuracy, testLoss, trainAccuracy, trainLoss; got " + v.describe()});
    } else {
      errors.push_back({key, "is not a sweep setting (base, x, y, steps, metric)"});
    }
  }
  if (const Json* x = json.find("x")) read_axis(*x, "x", sweep.axes, errors);
  else errors.push_back({"x", "is required: { field, values }"});
  if (const Json* y = json.find("y"); y && !y->is_null()) read_axis(*y, "y", sweep.axes, errors);
  if (sweep.axes.size() == 2 && sweep.axes[0].field == sweep.axes[1].field)
    errors.push_back({"y.field", "must differ from x.field; both are \"" + sweep.axes[0].field + "\""});
  if (!errors.empty()) throw ConfigError(std::move(errors));

  // Each value alone on its axis, then every cell (rules between fields: a batch larger than
  // another cell's training set), each refusal naming the axis, the value and the field.
  const Json base = config_to_json(sweep.base);
  for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
    const SweepAxis& axis = sweep.axes[a];
    for (std::size_t i = 0; i < axis.values.size(); ++i) {
      try {
        parse_config(with(base, axis.field, axis.values[i]));
      } catch (const ConfigError& e) {
        for (const FieldError& f : e.errors())
          errors.push_back({std::string(kAxisNames[a]) + ".values", "item " + std::to_string(i + 1) + " is " +
                                                                      axis.values[i].describe() + ": " + f.field + " " + f.message});
      }
    }
  }
  if (!errors.empty()) throw ConfigError(std::move(errors));
  for (int c = 0; c < sweep.cells(); ++c) {
    try {
      sweep.cell_config(c);
    } catch (const ConfigError& e) {
      std::string where;
      for (std::size_t a = 0; a < sweep.axes.size(); ++a)
        where += (a ? ", " : "") + sweep.axes[a].field + " = " + sweep.value(int(a), c).dump();
      for (const FieldError& f : e.errors())
        errors.push_back({sweep.axes.size() == 2 ? "y.values" : "x.values", "the cell " + where + " is refused: " + f.field + " " + f.message});
      throw ConfigError(std::move(errors));  // one cell says enough; the others likely repeat it
    }
  }
  return sweep;
}

Sweep parse_sweep(const std::string& json_text) { return parse_sweep(parse_document(json_text, "(sweep)")); }

Json sweep_to_json(const Sweep& sweep) {
  Json out = Json::object();
  out.set("base", config_to_json(sweep.base));
  for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
    Json axis = Json::object();
    axis.set("field", sweep.axes[a].field);
    Json values = Json::array();
    for (const Json& v : sweep.axes[a].values) values.push_back(v);
    axis.set("values", std::move(values));
    out.set(kAxisNames[a], std::move(axis));
  }
  out.set("steps", sweep.steps);
  out.set("metric", sweep.metric);
  return out;
}

Json default_sweep_json() {
  return Json::parse(
      R"({"base":{},"x":{"field":"learningRate","values":[0.03,0.1,0.3,1,3,10,30]},)"
      R"("y":{"field":"initStd","values":[0.01,0.1,1]},"steps":1000,"metric":"testAccuracy"})");
}

namespace {

Config training_config(const Sweep& sweep, int index) {
  Config config = sweep.cell_config(index);
  config.probes = false;
  config.gradientIcs = false;
  config.landscape = false;
  config.recordEvery = 100000;  // the history's row at step 0 only: no evaluation while training
  return config;
}

}  // namespace

CellRun::CellRun(const Sweep& sweep, int index)
    : index_(index), steps_(sweep.steps), exp_(std::make_unique<Experiment>(training_config(sweep, index))) {}

CellRun::~CellRun() = default;
CellRun::CellRun(CellRun&&) noexcept = default;

long CellRun::step(long n) {
  const long take = std::min(std::max(0L, n), steps_ - exp_->steps());
  exp_->step(take);
  return steps_ - exp_->steps();
}

CellResult CellRun::result() {
  if (exp_->steps() < steps_) throw std::logic_error("sweep: cell " + std::to_string(index_) + " is not trained yet");
  CellResult out;
  out.index = index_;
  for (int a = 0; a < exp_->arm_count(); ++a) {
    const Evaluation train = exp_->evaluate(a, Split::Train), test = exp_->evaluate(a, Split::Test);
    out.arms.push_back({test.accuracy, test.loss, train.accuracy, train.loss, exp_->diverged_at(a)});
  }
  return out;
}

CellResult run_cell(const Sweep& sweep, int index) {
  CellRun run(sweep, index);
  run.step(sweep.steps);
  return run.result();
}

namespace {

struct MetricField {
  const char* name;
  float CellArm::*member;
};
const MetricField kCellMetrics[] = {{"testAccuracy", &CellArm::test_accuracy},
                                    {"testLoss", &CellArm::test_loss},
                                    {"trainAccuracy", &CellArm::train_accuracy},
                                    {"trainLoss", &CellArm::train_loss}};

Json axis_value(const Sweep& sweep, int axis, int index) {
  return axis < static_cast<int>(sweep.axes.size()) ? sweep.value(axis, index) : Json();
}

}  // namespace

Json sweep_results_json(const Sweep& sweep, const std::vector<CellResult>& cells) {
  Json out = Json::object();
  out.set("sweep", sweep_to_json(sweep));
  out.set("arms", Json::array_of(sweep.base.arms));
  Json list = Json::array();
  for (const CellResult& cell : cells) {
    Json c = Json::object();
    c.set("index", cell.index);
    c.set("x", axis_value(sweep, 0, cell.index));
    if (sweep.axes.size() == 2) c.set("y", axis_value(sweep, 1, cell.index));
    Json arms = Json::array();
    for (const CellArm& arm : cell.arms) {
      Json a = Json::object();
      for (const MetricField& m : kCellMetrics) a.set(m.name, double(arm.*m.member));
      a.set("divergedAt", arm.diverged_at >= 0 ? Json(arm.diverged_at) : Json());
      arms.push_back(std::move(a));
    }
    c.set("arms", std::move(arms));
    list.push_back(std::move(c));
  }
  out.set("cells", std::move(list));
  return out;
}

std::string sweep_results_csv(const Sweep& sweep, const std::vector<CellResult>& cells) {
  std::string out = "index," + sweep.axes[0].field;
  if (sweep.axes.size() == 2) out += "," + sweep.axes[1].field;
  out += ",arm";
  for (const MetricField& m : kCellMetrics) out += std::string(",") + m.name;
  out += ",divergedAt\n";
  const auto text = [](const Json& v) { return v.is_string() ? v.as_string() : v.dump(); };
  for (const CellResult& cell : cells)
    for (std::size_t a = 0; a < cell.arms.size(); ++a) {
      out += std::to_string(cell.index) + "," + text(axis_value(sweep, 0, cell.index));
      if (sweep.axes.size() == 2) out += "," + text(axis_value(sweep, 1, cell.index));
      out += "," + sweep.base.arms[a];
      for (const MetricField& m : kCellMetrics) out += "," + Json(double(cell.arms[a].*m.member)).dump();
      out += "," + (cell.arms[a].diverged_at >= 0 ? std::to_string(cell.arms[a].diverged_at) : std::string()) + "\n";
    }
  return out;
}

std::vector<CellResult> sweep_results_from_json(const Json& json, Sweep& sweep) {
  const Json* spec = json.is_object() ? json.find("sweep") : nullptr;
  const Json* cells = json.is_object() ? json.find("cells") : nullptr;
  if (!spec || !cells || !cells->is_array())
    throw std::invalid_argument("not a bnlab sweep result (needs sweep and cells)");
  sweep = parse_sweep(*spec);
  std::vector<CellResult> out;
  const auto number = [](const Json* v) {
    if (!v) throw std::invalid_argument("a cell lacks a metric");
    return v->is_null() ? std::nanf("") : float(v->as_number());
  };
  for (const Json& c : cells->items()) {
    CellResult cell;
    const Json* index = c.find("index");
    const Json* arms = c.find("arms");
    if (!index || !index->is_number() || !arms || !arms->is_array() ||
        arms->items().size() != sweep.base.arms.size())
      throw std::invalid_argument("a cell lacks its index or its arms");
    cell.index = static_cast<int>(index->as_number());
    if (cell.index < 0 || cell.index >= sweep.cells())
      throw std::invalid_argument("cell index " + std::to_string(cell.index) + " is outside the grid");
    for (const Json& a : arms->items()) {
      CellArm arm;
      for (const MetricField& m : kCellMetrics) arm.*m.member = number(a.find(m.name));
      const Json* d = a.find("divergedAt");
      arm.diverged_at = d && d->is_number() ? static_cast<long>(d->as_number()) : -1;
      cell.arms.push_back(arm);
    }
    out.push_back(std::move(cell));
  }
  return out;
}

std::vector<int> shard_cells(const Sweep& sweep, int shard, int shards) {
  if (shards < 1 || shard < 0 || shard >= shards)
    throw std::invalid_argument("shard i/n needs n >= 1 and 0 <= i < n; got " + std::to_string(shard) + "/" + std::to_string(shards));
  std::vector<int> out;
  for (int c = shard; c < sweep.cells(); c += shards) out.push_back(c);
  return out;
}

}  // namespace bnlab

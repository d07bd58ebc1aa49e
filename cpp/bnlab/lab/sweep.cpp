#include "bnlab/lab/sweep.hpp"

#include <algorithm>
#include <cmath>

#include "bnlab/lab/experiment.hpp"

namespace bnlab {

namespace {

const char* const kAxisNames[] = {"x", "y"};

// Every metric by name, and where a cell keeps it: the one list of them.
struct MetricInfo {
  const char* name;
  SweepMetric metric;
  float CellArm::*member;
};
const MetricInfo kMetrics[] = {
    {"testAccuracy", SweepMetric::TestAccuracy, &CellArm::test_accuracy},
    {"testLoss", SweepMetric::TestLoss, &CellArm::test_loss},
    {"trainAccuracy", SweepMetric::TrainAccuracy, &CellArm::train_accuracy},
    {"trainLoss", SweepMetric::TrainLoss, &CellArm::train_loss}};

const char* metric_name(SweepMetric metric) {
  for (const MetricInfo& m : kMetrics)
    if (m.metric == metric) return m.name;
  throw std::invalid_argument("sweep: a metric without a name");
}

// A field an axis can vary: a number, integer, boolean or choice that changes training.
bool sweepable(const FieldInfo& f) {
  const bool scalar = f.kind == FieldKind::Integer || f.kind == FieldKind::Number ||
                      f.kind == FieldKind::Boolean || f.kind == FieldKind::Choice;
  return scalar && !f.measurement;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// An axis as the document gives it, before its values are judged.
struct AxisText {
  std::string field;  // empty when the document's is refused
  std::vector<Json> values;
};

// The axis at `key`, or a list of what is wrong with it.
void read_axis(const Json& json, const char* key, std::vector<AxisText>& axes,
               std::vector<FieldError>& errors) {
  const std::string k = key;
  if (!json.is_object()) {
    errors.push_back({k, "must be an object { field, values }; got " + json.describe()});
    return;
  }
  for (const auto& member : json.members())
    if (member.first != "field" && member.first != "values")
      errors.push_back(
          {k + "." + key_name(member.first), "is not an axis setting (field, values)"});
  const Json* field = json.find("field");
  const Json* values = json.find("values");
  AxisText axis;
  const FieldInfo* info = field && field->is_string() ? config_field(field->as_string()) : nullptr;
  if (!info || !sweepable(*info)) {
    errors.push_back({k + ".field", "must be a setting that changes training (" +
                                        joined(sweep_fields()) + "); got " +
                                        (field ? field->describe() : "nothing")});
  } else {
    axis.field = field->as_string();
  }
  if (!values || !values->is_array() || values->items().empty() ||
      static_cast<int>(values->items().size()) > Sweep::kMaxValues) {
    errors.push_back({k + ".values", "must be an array of 1 to " +
                                         std::to_string(Sweep::kMaxValues) + " values; got " +
                                         (values ? values->describe() : "nothing")});
    return;
  }
  axis.values = values->items();
  axes.push_back(std::move(axis));
}

// The document's settings besides the axes: base, steps, metric; any other key is refused.
void read_settings(const Json& json, Sweep& sweep, std::vector<FieldError>& errors) {
  for (const auto& [key, v] : json.members()) {
    if (key == "base") {
      try {
        sweep.base = parse_config(v);
      } catch (const ConfigError& e) {
        for (const FieldError& f : e.errors()) errors.push_back({"base." + f.field, f.message});
      }
    } else if (key == "x" || key == "y") {
      continue;  // read_axis reads them, x first whatever the document's order
    } else if (key == "steps") {
      const bool ok = v.is_number() && v.as_number() >= 1 && v.as_number() <= Sweep::kMaxSteps &&
                      v.as_number() == std::floor(v.as_number());
      if (ok)
        sweep.steps = static_cast<long>(v.as_number());
      else
        errors.push_back({"steps", "must be an integer from 1 to " +
                                       std::to_string(Sweep::kMaxSteps) + "; got " + v.describe()});
    } else if (key == "metric") {
      const MetricInfo* found = nullptr;
      for (const MetricInfo& m : kMetrics)
        if (v.is_string() && v.as_string() == m.name) found = &m;
      if (found)
        sweep.metric = found->metric;
      else
        errors.push_back(
            {"metric", "must be one of " + joined(sweep_metrics()) + "; got " + v.describe()});
    } else {
      errors.push_back({key_name(key), "is not a sweep setting (base, x, y, steps, metric)"});
    }
  }
}

// Each value alone on its axis, with the base (rules between fields: a batch larger than
// another value's training set): the typed axes, or each refusal naming the axis, the value
// and the field. A value the field takes as one before it is a repeat (1 and 1.0, and -0 and 0,
// are one seed), which would make two cells one run.
void read_values(const std::vector<AxisText>& text, Sweep& sweep, std::vector<FieldError>& errors) {
  for (std::size_t a = 0; a < text.size(); ++a) {
    SweepAxis axis{text[a].field, {}};
    std::vector<std::size_t> items;  // the document's item of each value taken
    for (std::size_t i = 0; i < text[a].values.size(); ++i) {
      const Json& item = text[a].values[i];
      try {
        const FieldValue value = parse_field_value(axis.field, item);
        Config alone = sweep.base;
        set_field(alone, axis.field, value);
        check_config(alone);
        const auto seen = std::find(axis.values.begin(), axis.values.end(), value);
        if (seen != axis.values.end()) {
          errors.push_back({std::string(kAxisNames[a]) + ".values",
                            "item " + std::to_string(i + 1) + " repeats " + item.describe() +
                                " (item " + std::to_string(items[seen - axis.values.begin()] + 1) +
                                "): each value at most once"});
          continue;
        }
        axis.values.push_back(value);
        items.push_back(i);
      } catch (const ConfigError& e) {
        for (const FieldError& f : e.errors())
          errors.push_back({std::string(kAxisNames[a]) + ".values",
                            "item " + std::to_string(i + 1) + " is " + item.describe() + ": " +
                                f.field + " " + f.message});
      }
    }
    sweep.axes.push_back(std::move(axis));
  }
}

// Every cell validated; the first refused one is named by its values (the others likely
// repeat it).
void check_cells(const Sweep& sweep) {
  for (int c = 0; c < sweep.cells(); ++c) {
    try {
      sweep.cell_config(c);
    } catch (const ConfigError& e) {
      std::string where;
      for (std::size_t a = 0; a < sweep.axes.size(); ++a)
        where +=
            (a ? ", " : "") + sweep.axes[a].field + " = " + to_json(sweep.value(int(a), c)).dump();
      std::vector<FieldError> errors;
      for (const FieldError& f : e.errors())
        errors.push_back({sweep.axes.size() == 2 ? "y.values" : "x.values",
                          "the cell " + where + " is refused: " + f.field + " " + f.message});
      throw ConfigError(std::move(errors));
    }
  }
}

}  // namespace

const std::vector<std::string>& sweep_fields() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const FieldInfo& f : config_fields())
      if (sweepable(f)) out.push_back(f.name);
    return out;
  }();
  return names;
}

const std::vector<std::string>& sweep_metrics() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const MetricInfo& m : kMetrics) out.push_back(m.name);
    return out;
  }();
  return names;
}

int Sweep::size(int axis) const {
  return axis < static_cast<int>(axes.size()) ? static_cast<int>(axes[axis].values.size()) : 1;
}

const FieldValue& Sweep::value(int axis, int index) const {
  return axes.at(axis).values.at(axis == 0 ? index % size(0) : index / size(0));
}

Config Sweep::cell_config(int index) const {
  if (index < 0 || index >= cells())
    throw std::invalid_argument("sweep: no cell " + std::to_string(index));
  Config config = base;
  for (std::size_t a = 0; a < axes.size(); ++a)
    set_field(config, axes[a].field, value(int(a), index));
  check_config(config);
  return config;
}

Sweep parse_sweep(const Json& json) {
  if (!json.is_object())
    throw ConfigError(
        std::vector<FieldError>{{"(sweep)", "must be a JSON object, got " + json.describe()}});
  std::vector<FieldError> errors;
  Sweep sweep;
  read_settings(json, sweep, errors);
  std::vector<AxisText> axes;
  if (const Json* x = json.find("x"))
    read_axis(*x, "x", axes, errors);
  else
    errors.push_back({"x", "is required: { field, values }"});
  if (const Json* y = json.find("y"); y && !y->is_null()) read_axis(*y, "y", axes, errors);
  if (axes.size() == 2 && axes[0].field == axes[1].field)
    errors.push_back({"y.field", "must differ from x.field; both are \"" + axes[0].field + "\""});
  if (!errors.empty()) throw ConfigError(std::move(errors));
  read_values(axes, sweep, errors);
  if (!errors.empty()) throw ConfigError(std::move(errors));
  check_cells(sweep);
  return sweep;
}

Sweep parse_sweep(const std::string& json_text) {
  return parse_sweep(parse_document(json_text, "(sweep)"));
}

Json sweep_to_json(const Sweep& sweep) {
  Json out = Json::object();
  out.set("base", config_to_json(sweep.base));
  for (std::size_t a = 0; a < sweep.axes.size(); ++a) {
    Json axis = Json::object();
    axis.set("field", sweep.axes[a].field);
    Json values = Json::array();
    for (const FieldValue& v : sweep.axes[a].values) values.push_back(to_json(v));
    axis.set("values", std::move(values));
    out.set(kAxisNames[a], std::move(axis));
  }
  out.set("steps", sweep.steps);
  out.set("metric", metric_name(sweep.metric));
  return out;
}

Json default_sweep_json() {
  return Json::parse(
      R"({"base":{},"x":{"field":"learningRate","values":[0.03,0.1,0.3,1,3,10,30]},)"
      R"("y":{"field":"initStd","values":[0.01,0.1,1]},"steps":1000,"metric":"testAccuracy"})");
}

CellRun::CellRun(const Sweep& sweep, int index)
    : index_(index),
      steps_(sweep.steps),
      exp_(std::make_unique<Experiment>(without_measurements(sweep.cell_config(index)))) {}

CellRun::~CellRun() = default;
CellRun::CellRun(CellRun&&) noexcept = default;

long CellRun::step(long n) {
  const long take = std::min(std::max(0L, n), steps_ - exp_->steps());
  exp_->step(take);
  return steps_ - exp_->steps();
}

CellResult CellRun::result() {
  if (exp_->steps() < steps_)
    throw std::logic_error("sweep: cell " + std::to_string(index_) + " is not trained yet");
  CellResult out;
  out.index = index_;
  for (int a = 0; a < exp_->arm_count(); ++a) {
    const Evaluation train = exp_->evaluate(a, Split::Train), test = exp_->evaluate(a, Split::Test);
    out.arms.push_back(
        {test.accuracy, test.loss, train.accuracy, train.loss, exp_->diverged_at(a)});
  }
  return out;
}

CellResult run_cell(const Sweep& sweep, int index) {
  CellRun run(sweep, index);
  run.step(sweep.steps);
  return run.result();
}

namespace {

Json axis_value(const Sweep& sweep, int axis, int index) {
  return axis < static_cast<int>(sweep.axes.size()) ? to_json(sweep.value(axis, index)) : Json();
}

}  // namespace

Json sweep_results_json(const Sweep& sweep, const std::vector<CellResult>& cells) {
  Json out = Json::object();
  out.set("sweep", sweep_to_json(sweep));
  Json arm_names = Json::array();
  for (const ArmKind arm : sweep.base.arms) arm_names.push_back(name_of(arm));
  out.set("arms", std::move(arm_names));
  Json list = Json::array();
  for (const CellResult& cell : cells) {
    Json c = Json::object();
    c.set("index", cell.index);
    c.set("x", axis_value(sweep, 0, cell.index));
    if (sweep.axes.size() == 2) c.set("y", axis_value(sweep, 1, cell.index));
    Json arms = Json::array();
    for (const CellArm& arm : cell.arms) {
      Json a = Json::object();
      for (const MetricInfo& m : kMetrics) a.set(m.name, double(arm.*m.member));
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
  for (const MetricInfo& m : kMetrics) out += std::string(",") + m.name;
  out += ",divergedAt\n";
  const auto text = [](const Json& v) { return v.is_string() ? v.as_string() : v.dump(); };
  for (const CellResult& cell : cells)
    for (std::size_t a = 0; a < cell.arms.size(); ++a) {
      out += std::to_string(cell.index) + "," + text(axis_value(sweep, 0, cell.index));
      if (sweep.axes.size() == 2) out += "," + text(axis_value(sweep, 1, cell.index));
      out += std::string(",") + name_of(sweep.base.arms[a]);
      for (const MetricInfo& m : kMetrics) out += "," + Json(double(cell.arms[a].*m.member)).dump();
      out += "," +
             (cell.arms[a].diverged_at >= 0 ? std::to_string(cell.arms[a].diverged_at)
                                            : std::string()) +
             "\n";
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
  const auto number = [](const Json* v, const char* name) {
    if (!v) throw std::invalid_argument("a cell lacks a metric");
    if (!v->is_null() && !v->is_number())
      throw std::invalid_argument(std::string("a cell's ") + name + " is " + v->describe() +
                                  ", not a number or null");
    return v->is_null() ? std::nanf("") : float(v->as_number());
  };
  // Checked before it becomes a C++ integer: 1e300 as an int is undefined behaviour.
  const auto integer_in = [](const Json& v, double lo, double hi) {
    return v.is_number() && v.as_number() == std::floor(v.as_number()) && v.as_number() >= lo &&
           v.as_number() <= hi;
  };
  for (const Json& c : cells->items()) {
    CellResult cell;
    const Json* index = c.find("index");
    const Json* arms = c.find("arms");
    if (!index || !index->is_number() || !arms || !arms->is_array() ||
        arms->items().size() != sweep.base.arms.size())
      throw std::invalid_argument("a cell lacks its index or its arms");
    if (!integer_in(*index, 0, sweep.cells() - 1))
      throw std::invalid_argument("cell index " + index->describe() + " is outside the grid");
    cell.index = static_cast<int>(index->as_number());
    for (const Json& a : arms->items()) {
      CellArm arm;
      for (const MetricInfo& m : kMetrics) arm.*m.member = number(a.find(m.name), m.name);
      const Json* d = a.find("divergedAt");
      if (d && !d->is_null() && !integer_in(*d, 0, double(sweep.steps)))
        throw std::invalid_argument("a cell's divergedAt is " + d->describe() +
                                    ", not null or a step from 0 to " +
                                    std::to_string(sweep.steps));
      arm.diverged_at = d && !d->is_null() ? static_cast<long>(d->as_number()) : -1;
      cell.arms.push_back(arm);
    }
    out.push_back(std::move(cell));
  }
  return out;
}

std::vector<int> shard_cells(const Sweep& sweep, int shard, int shards) {
  if (shards < 1 || shard < 0 || shard >= shards)
    throw std::invalid_argument("shard i/n needs n >= 1 and 0 <= i < n; got " +
                                std::to_string(shard) + "/" + std::to_string(shards));
  std::vector<int> out;
  for (int c = shard; c < sweep.cells(); c += shards) out.push_back(c);
  return out;
}

}  // namespace bnlab

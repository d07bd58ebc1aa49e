#include "bnlab/io/config.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>
#include <variant>

#include "bnlab/io/csv.hpp"

namespace bnlab {

template <>
const std::vector<Named<DatasetKind>>& names<DatasetKind>() {
  static const std::vector<Named<DatasetKind>> table = {
      {"circle", DatasetKind::Circle}, {"xor", DatasetKind::Xor},
      {"gauss", DatasetKind::Gauss},   {"spiral", DatasetKind::Spiral},
      {"scales", DatasetKind::Scales}, {"digits", DatasetKind::Digits},
      {"csv", DatasetKind::Csv}};
  return table;
}

template <>
const std::vector<Named<Activation>>& names<Activation>() {
  static const std::vector<Named<Activation>> table = {{"sigmoid", Activation::Sigmoid},
                                                       {"tanh", Activation::Tanh},
                                                       {"relu", Activation::Relu},
                                                       {"linear", Activation::Linear}};
  return table;
}

template <>
const std::vector<Named<Init>>& names<Init>() {
  static const std::vector<Named<Init>> table = {
      {"gaussian", Init::Gaussian}, {"xavier", Init::Xavier}, {"he", Init::He}};
  return table;
}

template <>
const std::vector<Named<Loss>>& names<Loss>() {
  static const std::vector<Named<Loss>> table = {
      {"softmax", Loss::Softmax}, {"bce", Loss::Bce}, {"mse", Loss::Mse}};
  return table;
}

template <>
const std::vector<Named<ArmKind>>& names<ArmKind>() {
  static const std::vector<Named<ArmKind>> table = {
      {"plain", ArmKind::Plain, "no normalization"},
      {"bn-before", ArmKind::BnBefore, "BN before each nonlinearity"},
      {"bn-after", ArmKind::BnAfter, "BN after each nonlinearity"},
      {"ln-before", ArmKind::LnBefore,
       "LayerNorm before each nonlinearity: each example normalized over its layer's units"},
      {"bn-noisy", ArmKind::BnNoisy,
       "BN before each nonlinearity with a random shift and scale after it every step"},
      {"dropout", ArmKind::Dropout, "plain with dropout on each hidden layer's output"},
  };
  return table;
}

namespace {

using Kind = FieldKind;

using Member = std::variant<std::uint32_t Config::*, int Config::*, double Config::*,
                            bool Config::*, DatasetKind Config::*, Activation Config::*,
                            Init Config::*, Loss Config::*, std::vector<int> Config::*,
                            std::vector<double> Config::*, std::vector<ArmKind> Config::*>;

// A measurement setting measures training without changing it; `off` is what a sweep's cell,
// which measures nothing, sets it to. One without an off value costs nothing once the others
// are off, and keeps its value.
struct Role {
  bool measurement;
  std::optional<FieldValue> off;
};
Role training() { return {false, std::nullopt}; }
Role measurement() { return {true, std::nullopt}; }
Role measurement_off(FieldValue off) { return {true, std::move(off)}; }

struct Field {
  const char* name;
  Kind kind;
  Member member;
  double min, max;           // numbers, integers and list items, both inclusive
  int min_items, max_items;  // lists
  Role role;
  std::string doc;
};

// A member's type, and a list member's item type (the type itself for a scalar).
template <class T>
struct ItemOf {
  using type = T;
};
template <class T>
struct ItemOf<std::vector<T>> {
  using type = T;
};

std::string arms_doc() {
  std::string doc =
      "Networks trained side by side from the same initial weights on the same mini-batches: ";
  const auto& arms = names<ArmKind>();
  for (std::size_t i = 0; i < arms.size(); ++i)
    doc +=
        std::string(arms[i].name) + " (" + arms[i].doc + ")" + (i + 1 < arms.size() ? ", " : ".");
  return doc;
}

// The schema: one row a field, in the order the fields are written (a table: long, one job).
const std::vector<Field>& fields() {
  static const std::vector<Field> table = {
      {"seed", Kind::Integer, &Config::seed, 0, 4294967295.0, 0, 0, training(),
       "Seeds the data, the initial weights and the mini-batch order: the same seed gives the "
       "same run."},
      {"dataset", Kind::Choice, &Config::dataset, 0, 0, 0, 0, training(),
       "The data set: four two-class 2-D sets from TensorFlow Playground; scales, whose two "
       "features (height in metres, weight in kilograms) live on very different ranges; and "
       "digits, 1797 handwritten digits of 8x8 pixels scaled to [0, 1], 10 classes (UCI); csv, "
       "your own table (a CSV file of numeric features and a label column, up to 5000 rows, 64 "
       "features and 10 classes: bnlab-run --data-csv FILE, or the page's Your own data), all "
       "its rows as they are."},
      {"samples", Kind::Integer, &Config::samples, 20, 5000, 0, 0, training(),
       "Number of examples generated, train and test together (digits: always all 1797; csv: "
       "all the table's rows)."},
      {"noise", Kind::Number, &Config::noise, 0, 1, 0, 0, training(),
       "Standard deviation of the Gaussian noise added to each feature, in units of that "
       "feature's scale (csv: none is added, the values are used as they are)."},
      {"trainFraction", Kind::Number, &Config::trainFraction, 0.1, 0.9, 0, 0, training(),
       "Fraction of the examples used for training; the rest are the test set."},
      {"standardize", Kind::Boolean, &Config::standardize, 0, 0, 0, 0, training(),
       "Shift and scale each input feature to mean 0 and standard deviation 1, with statistics "
       "computed on the training set."},
      {"covariateShift", Kind::Number, &Config::covariateShift, 0, 0.9, 0, 0, training(),
       "0: every example from the whole plane. Above 0, covariate shift: the training and test "
       "examples come from the left of the plane (the lowest first feature) and a second, "
       "shifted test set from the right, labelled by the same rule; each part is 1 - "
       "covariateShift of the plane (0.5: the left half and the right half). 2-D data sets "
       "only."},
      {"hidden", Kind::IntegerList, &Config::hidden, 1, 128, 0, 10, training(),
       "Width of each hidden layer, input side first."},
      {"activation", Kind::Choice, &Config::activation, 0, 0, 0, 0, training(),
       "Nonlinearity of every hidden layer."},
      {"init", Kind::Choice, &Config::init, 0, 0, 0, 0, training(),
       "Initial weights: Gaussian with standard deviation initStd (the paper's \"small random "
       "Gaussian values\"), Xavier/Glorot normal sqrt(2/(in+out)), or He normal sqrt(2/in)."},
      {"initStd", Kind::Number, &Config::initStd, 1e-6, 10, 0, 0, training(),
       "Standard deviation of the initial weights when init is gaussian."},
      {"loss", Kind::Choice, &Config::loss, 0, 0, 0, 0, training(),
       "softmax: softmax cross-entropy over one output per class; bce: binary cross-entropy on "
       "a sigmoid output (two classes); mse: 1/2 (y - y_hat)^2 on a linear output (0/1 target "
       "for two classes, one-hot otherwise), averaged over the batch."},
      {"batchSize", Kind::Integer, &Config::batchSize, 2, 1024, 0, 0, training(),
       "Examples per mini-batch; at most the training set size. Batch Normalization needs at "
       "least 2."},
      {"learningRate", Kind::Number, &Config::learningRate, 1e-6, 1000, 0, 0, training(),
       "SGD step size."},
      {"momentum", Kind::Number, &Config::momentum, 0, 0.999, 0, 0, training(),
       "SGD momentum (PyTorch's convention: v = momentum v + g; p -= learningRate v); 0 is "
       "plain SGD."},
      {"bnMomentum", Kind::Number, &Config::bnMomentum, 0, 1, 0, 0, training(),
       "Weight of the current batch in BatchNorm's running statistics (PyTorch's convention: "
       "running = (1 - bnMomentum) running + bnMomentum batch)."},
      {"bnEps", Kind::Number, &Config::bnEps, 1e-10, 1, 0, 0, training(),
       "Added to the variance before the square root, so the division is safe."},
      {"arms", Kind::ChoiceList, &Config::arms, 0, 0, 1, 4, training(), arms_doc()},
      {"bnNoiseShift", Kind::Number, &Config::bnNoiseShift, 0, 10, 0, 0, training(),
       "bn-noisy: every step, each unit's BN output is shifted by m drawn from U(-bnNoiseShift, "
       "bnNoiseShift), the same m for every example of the batch (off at inference)."},
      {"bnNoiseScale", Kind::Number, &Config::bnNoiseScale, 0, 0.9, 0, 0, training(),
       "bn-noisy: every step, each unit's BN output is scaled by s drawn from U(1 - "
       "bnNoiseScale, 1 + bnNoiseScale) before the shift, the same s for every example of the "
       "batch. The shift and the scale average to no noise (0 and 1), so inference, which "
       "leaves them out, sees the average of what training saw."},
      {"dropout", Kind::Number, &Config::dropout, 0, 0.9, 0, 0, training(),
       "dropout: the probability that a hidden unit's output is set to 0 for an example at a "
       "training step (the others are scaled by 1 / (1 - dropout): inverted dropout, off at "
       "inference)."},
      // Off: the history's row at step 0 only, so no evaluation while training.
      {"recordEvery", Kind::Integer, &Config::recordEvery, 1, 100000, 0, 0,
       measurement_off(100000.0), "Steps between two recorded points of the metric history."},
      {"gridSize", Kind::Integer, &Config::gridSize, 2, 200, 0, 0, measurement(),
       "Points per side of the grid on which each network's prediction is drawn."},
      {"probes", Kind::Boolean, &Config::probes, 0, 0, 0, 0, measurement_off(false),
       "Measure what BN does while training: the distribution of each layer's input to its "
       "nonlinearity, its shift, saturation, gradient norms, and BN's batch statistics."},
      {"probeExamples", Kind::Integer, &Config::probeExamples, 16, 1024, 0, 0, measurement(),
       "Training examples, chosen once by seed, on which the layer distributions are measured "
       "(all of them when the training set is smaller)."},
      {"trackedUnit", Kind::Integer, &Config::trackedUnit, 0, 127, 0, 0, measurement(),
       "The unit of every hidden layer whose percentiles and batch statistics are tracked (the "
       "layer's last unit when the layer is narrower)."},
      {"gradientIcs", Kind::Boolean, &Config::gradientIcs, 0, 0, 0, 0, measurement_off(false),
       "At every recorded step, measure gradient-based internal covariate shift (Santurkar et "
       "al. 2018); costs one extra forward and backward pass per hidden layer at that step, "
       "about 20% of the training speed at the default recordEvery."},
      {"landscape", Kind::Boolean, &Config::landscape, 0, 0, 0, 0, measurement_off(false),
       "At every recorded step, measure the loss landscape along the gradient (Santurkar et "
       "al. 2018, Fig. 4) on the step's mini-batch: the loss and the gradient at W - eta g for "
       "each step size of landscapeSteps; one extra forward and backward pass per step size."},
      {"landscapeSteps", Kind::NumberList, &Config::landscapeSteps, 1e-9, 100, 1, 16, measurement(),
       "The step sizes eta of the landscape measurement, in multiples of the learning rate."},
  };
  return table;
}

const Field* find_field(const std::string& name) {
  for (const Field& f : fields())
    if (name == f.name) return &f;
  return nullptr;
}

// The names a choice or choice-list field takes, in its enum's table order; none for others.
std::vector<std::string> choices(const Field& f) {
  return std::visit(
      [](auto member) {
        using T = typename ItemOf<std::decay_t<decltype(Config{}.*member)>>::type;
        std::vector<std::string> out;
        if constexpr (std::is_enum_v<T>)
          for (const Named<T>& n : names<T>()) out.push_back(n.name);
        return out;
      },
      f.member);
}

std::string format_number(double v) { return Json(v).dump(); }

std::string range_text(const Field& f) {
  const std::string lo = format_number(f.min), hi = format_number(f.max);
  if (f.kind == Kind::Integer) return "an integer from " + lo + " to " + hi;
  return "a number from " + lo + " to " + hi;
}

std::string choices_text(const std::vector<std::string>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i) out += i + 1 == choices.size() ? " or " : ", ";
    out += '"' + choices[i] + '"';
  }
  return out;
}

bool in_range(const Field& f, double v) {
  if (!std::isfinite(v) || v > f.max) return false;
  if (v < f.min) return false;
  return f.kind != Kind::Integer && f.kind != Kind::IntegerList ? true : v == std::floor(v);
}

// What a field must be, as the end of "<field>: must be ...".
std::string requirement(const Field& f) {
  switch (f.kind) {
    case Kind::Integer:
    case Kind::Number: return range_text(f);
    case Kind::Boolean: return "true or false";
    case Kind::Choice: return "one of " + choices_text(choices(f));
    case Kind::IntegerList:
      return "an array of " + std::to_string(f.min_items) + " to " + std::to_string(f.max_items) +
             " integers, each from " + format_number(f.min) + " to " + format_number(f.max);
    case Kind::ChoiceList:
      return "an array of " + std::to_string(f.min_items) + " to " + std::to_string(f.max_items) +
             " different names, each " + choices_text(choices(f));
    case Kind::NumberList:
      return "an array of " + std::to_string(f.min_items) + " to " + std::to_string(f.max_items) +
             " numbers, each from " + format_number(f.min) + " to " + format_number(f.max);
  }
  return "";
}

// Why a list item is refused: "item 2 is 200, more than 128". Items count from 1.
std::string item_problem(const Field& f, std::size_t index, const Json& item) {
  const std::string head = "item " + std::to_string(index + 1) + " is " + item.describe();
  if (f.kind == Kind::ChoiceList)
    return head + (item.is_string() ? ", not one of the names" : ", not a name");
  if (!item.is_number()) return head + ", not a number";
  const double n = item.as_number();
  if (n < f.min) return head + ", less than " + format_number(f.min);
  if (n > f.max) return head + ", more than " + format_number(f.max);
  return f.kind == Kind::NumberList ? head + ", not a finite number" : head + ", not an integer";
}

// Reads a list field's JSON value into `out`; returns what is wrong with it, or "".
template <class T>
std::string read_list(const Field& f, const Json& v, std::vector<T>& out) {
  if (!v.is_array()) return "got " + v.describe();
  const auto& items = v.items();
  if (static_cast<int>(items.size()) < f.min_items || static_cast<int>(items.size()) > f.max_items)
    return "got " + v.describe();
  std::vector<T> values;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Json& item = items[i];
    if constexpr (std::is_enum_v<T>) {
      const Named<T>* named = item.is_string() ? find_named<T>(item.as_string()) : nullptr;
      if (!named) return item_problem(f, i, item);
      const auto seen = std::find(values.begin(), values.end(), named->value);
      if (seen != values.end())
        return "item " + std::to_string(i + 1) + " repeats " + item.describe() + " (item " +
               std::to_string(seen - values.begin() + 1) + "): each name at most once";
      values.push_back(named->value);
    } else {
      if (!item.is_number() || !in_range(f, item.as_number())) return item_problem(f, i, item);
      values.push_back(static_cast<T>(item.as_number()));
    }
  }
  out = std::move(values);
  return "";
}

// Reads one field's JSON value into its member. Returns what is wrong with the value
// ("got -1", "item 2 is 200, more than 128"), or "" when it is taken.
std::string assign(const Field& f, const Json& v, Config& c) {
  return std::visit(
      [&](auto member) -> std::string {
        auto& out = c.*member;
        using T = std::decay_t<decltype(out)>;
        const std::string got = "got " + v.describe();
        if constexpr (std::is_same_v<T, bool>) {
          if (!v.is_bool()) return got;
          out = v.as_bool();
        } else if constexpr (std::is_arithmetic_v<T>) {
          if (!v.is_number() || !in_range(f, v.as_number())) return got;
          out = static_cast<T>(v.as_number());
        } else if constexpr (std::is_enum_v<T>) {
          const Named<T>* named = v.is_string() ? find_named<T>(v.as_string()) : nullptr;
          if (!named) return got;
          out = named->value;
        } else {
          return read_list(f, v, out);
        }
        return "";
      },
      f.member);
}

// A member as JSON: a choice by its name.
template <class T>
Json json_of(const T& value) {
  if constexpr (std::is_enum_v<T>) {
    return Json(name_of(value));
  } else if constexpr (std::is_same_v<typename ItemOf<T>::type, T>) {
    return Json(value);
  } else {
    Json list = Json::array();
    for (const auto& item : value) list.push_back(json_of(item));
    return list;
  }
}

Json value_of(const Field& f, const Config& c) {
  return std::visit([&](auto member) { return json_of(c.*member); }, f.member);
}

FieldError field_error(const Field& f, const std::string& problem) {
  return {f.name, "must be " + requirement(f) + "; " + problem};
}

FieldError unknown_field(const std::string& name) {
  std::string known;
  for (const Field& field : fields())
    known += (known.empty() ? "" : ", ") + std::string(field.name);
  return {key_name(name), "is not a configuration field (fields: " + known + ")"};
}

// A field by name, or a ConfigError saying it is none.
const Field& field_named(const std::string& name) {
  if (const Field* f = find_field(name)) return *f;
  throw ConfigError({unknown_field(name)});
}

// Assigns one field's JSON value, or throws a ConfigError as parse_config reports the field.
void assign_checked(const Field& f, const Json& v, Config& c) {
  if (const std::string problem = assign(f, v, c); !problem.empty())
    throw ConfigError({field_error(f, problem)});
}

// Rules that involve more than one field.
void check_together(const Config& c, std::vector<FieldError>& errors) {
  if (c.dataset == DatasetKind::Csv && !loaded_csv()) {
    errors.push_back({"dataset",
                      "\"csv\" needs your table loaded first (bnlab-run --data-csv "
                      "FILE.csv; on the page, Your own data)"});
    return;
  }
  const int train = train_size(c);
  if (c.batchSize > train)
    errors.push_back(
        {"batchSize",
         "must be at most the training set size, " + std::to_string(train) + " examples (" +
             (c.dataset == DatasetKind::Digits ? "1797"
              : c.dataset == DatasetKind::Csv  ? std::to_string(dataset_size(c)) + " rows"
                                               : "samples") +
             " x trainFraction); got " + std::to_string(c.batchSize)});
  if (c.covariateShift > 0 && (c.dataset == DatasetKind::Digits || c.dataset == DatasetKind::Csv))
    errors.push_back({"covariateShift",
                      std::string("needs a generated 2-D data set (") +
                          (c.dataset == DatasetKind::Digits ? "the digits are images"
                                                            : "a table's rows are what they are") +
                          "); got " + Json(c.covariateShift).dump()});
  const int classes = dataset_classes(c.dataset);
  if (c.loss == Loss::Bce && classes != 2)
    errors.push_back({"loss", "\"bce\" needs a two-class data set; " +
                                  std::string(name_of(c.dataset)) + " has " +
                                  std::to_string(classes) + " classes"});
}

}  // namespace

std::string key_name(const std::string& key) {
  const bool plain =
      !key.empty() && key.size() <= 40 && std::none_of(key.begin(), key.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
      });
  return plain ? key : Json(key).describe();
}

bool Config::operator==(const Config& o) const {
  for (const Field& f : fields()) {
    const bool same = std::visit([&](auto member) { return this->*member == o.*member; }, f.member);
    if (!same) return false;
  }
  return true;
}

namespace {

// The message of a ConfigError, its list first cut to kMaxErrors.
std::string cut_and_describe(std::vector<FieldError>& errors) {
  if (errors.size() > ConfigError::kMaxErrors) {
    const std::size_t more = errors.size() - (ConfigError::kMaxErrors - 1);
    errors.resize(ConfigError::kMaxErrors - 1);
    errors.push_back({"(more)", "and " + std::to_string(more) + " more problems not listed"});
  }
  std::string message = "invalid configuration: ";
  for (std::size_t i = 0; i < errors.size(); ++i)
    message += (i ? "; " : "") + errors[i].field + ": " + errors[i].message;
  return message;
}

}  // namespace

// The base class is built first, from the list as cut_and_describe leaves it.
ConfigError::ConfigError(std::vector<FieldError> errors)
    : std::invalid_argument(cut_and_describe(errors)), errors_(std::move(errors)) {}

Config parse_config(const Json& json) {
  if (!json.is_object())
    throw ConfigError(std::vector<FieldError>{
        {"(configuration)", "must be a JSON object, got " + json.describe()}});
  Config config;
  std::vector<FieldError> errors;
  for (const auto& [key, value] : json.members()) {
    const Field* f = find_field(key);
    if (!f)
      errors.push_back(unknown_field(key));
    else if (const std::string problem = assign(*f, value, config); !problem.empty())
      errors.push_back(field_error(*f, problem));
  }
  if (errors.empty()) check_together(config, errors);
  if (!errors.empty()) throw ConfigError(std::move(errors));
  return config;
}

Json parse_document(const std::string& json_text, const char* what) {
  try {
    return Json::parse(json_text, kMaxDocumentBytes);
  } catch (const JsonError& e) {
    throw ConfigError(std::vector<FieldError>{{what, e.what()}});
  }
}

Config parse_config(const std::string& json_text) {
  return parse_config(parse_document(json_text, "(configuration)"));
}

Json config_to_json(const Config& config) {
  Json out = Json::object();
  for (const Field& f : fields()) out.set(f.name, value_of(f, config));
  return out;
}

Json config_schema() {
  static const char* kKindNames[] = {"integer",   "number",   "boolean", "choice",
                                     "integer[]", "choice[]", "number[]"};
  const Config defaults;
  Json schema = Json::array();
  for (const Field& f : fields()) {
    Json entry = Json::object();
    entry.set("name", f.name);
    entry.set("type", kKindNames[static_cast<int>(f.kind)]);
    entry.set("default", value_of(f, defaults));
    if (f.kind == Kind::Integer || f.kind == Kind::Number || f.kind == Kind::IntegerList ||
        f.kind == Kind::NumberList) {
      entry.set("min", f.min);
      entry.set("max", f.max);
    }
    if (const std::vector<std::string> names = choices(f); !names.empty())
      entry.set("choices", Json::array_of(names));
    if (f.kind == Kind::IntegerList || f.kind == Kind::ChoiceList || f.kind == Kind::NumberList) {
      entry.set("minItems", f.min_items);
      entry.set("maxItems", f.max_items);
    }
    entry.set("requirement", requirement(f));
    entry.set("doc", f.doc);
    schema.push_back(std::move(entry));
  }
  return schema;
}

const std::vector<FieldInfo>& config_fields() {
  static const std::vector<FieldInfo> out = [] {
    std::vector<FieldInfo> info;
    for (const Field& f : fields()) info.push_back({f.name, f.kind, f.role.measurement});
    return info;
  }();
  return out;
}

const FieldInfo* config_field(const std::string& name) {
  for (const FieldInfo& f : config_fields())
    if (name == f.name) return &f;
  return nullptr;
}

Json to_json(const FieldValue& value) {
  return std::visit([](const auto& v) { return Json(v); }, value);
}

FieldValue parse_field_value(const std::string& field, const Json& json) {
  const Field& f = field_named(field);
  Config scratch;
  assign_checked(f, json, scratch);
  return std::visit(
      [&](auto member) -> FieldValue {
        const auto& value = scratch.*member;
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>)
          return value;
        else if constexpr (std::is_enum_v<T>)
          return std::string(name_of(value));
        else if constexpr (std::is_arithmetic_v<T>)
          return double(value);
        else
          throw std::invalid_argument(field + " is not a number, integer, boolean or choice field");
      },
      f.member);
}

void set_field(Config& config, const std::string& field, const FieldValue& value) {
  assign_checked(field_named(field), to_json(value), config);
}

void check_config(const Config& config) {
  std::vector<FieldError> errors;
  check_together(config, errors);
  if (!errors.empty()) throw ConfigError(std::move(errors));
}

Config without_measurements(Config config) {
  for (const Field& f : fields())
    if (f.role.off) assign_checked(f, to_json(*f.role.off), config);
  return config;
}

int dataset_features(DatasetKind dataset) {
  if (dataset == DatasetKind::Csv) return loaded_csv() ? loaded_csv()->features() : 0;
  return dataset == DatasetKind::Digits ? DigitsShape::kFeatures : 2;
}
int dataset_classes(DatasetKind dataset) {
  if (dataset == DatasetKind::Csv) return loaded_csv() ? loaded_csv()->classes() : 0;
  return dataset == DatasetKind::Digits ? DigitsShape::kClasses : 2;
}
int dataset_size(const Config& c) {
  if (c.dataset == DatasetKind::Csv) return loaded_csv() ? loaded_csv()->rows() : 0;
  return c.dataset == DatasetKind::Digits ? DigitsShape::kCount : c.samples;
}

int train_size(const Config& c) {
  // size * trainFraction is rounded in binary: 90 * 0.7 gives 62.99999999999999. The
  // product of an integer and a decimal fraction of at most a few digits is never within
  // 1e-9 of an integer unless it is one.
  return static_cast<int>(std::floor(dataset_size(c) * c.trainFraction + 1e-9));
}

}  // namespace bnlab

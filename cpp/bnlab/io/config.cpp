#include "bnlab/io/config.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <variant>

#include "bnlab/lab/digits.hpp"

namespace bnlab {
namespace {

enum class Kind { Integer, Number, Boolean, Choice, IntegerList, ChoiceList, NumberList };

using Member = std::variant<std::uint32_t Config::*, int Config::*, double Config::*,
                            bool Config::*, std::string Config::*, std::vector<int> Config::*,
                            std::vector<std::string> Config::*, std::vector<double> Config::*>;

struct Field {
  const char* name;
  Kind kind;
  Member member;
  double min, max;  // numbers, integers and list items, both inclusive
  std::vector<std::string> choices;
  int min_items, max_items;  // lists
  std::string doc;
};

const std::vector<std::string> kDatasets = {"circle", "xor", "gauss", "spiral", "scales", "digits"};
std::vector<std::string> arm_names() {
  std::vector<std::string> names;
  for (const ArmInfo& a : arm_kinds()) names.push_back(a.name);
  return names;
}

std::string arms_doc() {
  std::string doc =
      "Networks trained side by side from the same initial weights on the same mini-batches: ";
  const auto& kinds = arm_kinds();
  for (std::size_t i = 0; i < kinds.size(); ++i)
    doc += std::string(kinds[i].name) + " (" + kinds[i].doc + ")" + (i + 1 < kinds.size() ? ", " : ".");
  return doc;
}

const std::vector<Field>& fields() {
  static const std::vector<Field> table = {
      {"seed", Kind::Integer, &Config::seed, 0, 4294967295.0, {}, 0, 0,
       "Seeds the data, the initial weights and the mini-batch order: the same seed gives the "
       "same run."},
      {"dataset", Kind::Choice, &Config::dataset, 0, 0, kDatasets, 0, 0,
       "The data set: four two-class 2-D sets from TensorFlow Playground; scales, whose two "
       "features (height in metres, weight in kilograms) live on very different ranges; and "
       "digits, 1797 handwritten digits of 8x8 pixels scaled to [0, 1], 10 classes (UCI)."},
      {"samples", Kind::Integer, &Config::samples, 20, 5000, {}, 0, 0,
       "Number of examples generated, train and test together (digits: always all 1797)."},
      {"noise", Kind::Number, &Config::noise, 0, 1, {}, 0, 0,
       "Standard deviation of the Gaussian noise added to each feature, in units of that "
       "feature's scale."},
      {"trainFraction", Kind::Number, &Config::trainFraction, 0.1, 0.9, {}, 0, 0,
       "Fraction of the examples used for training; the rest are the test set."},
      {"standardize", Kind::Boolean, &Config::standardize, 0, 0, {}, 0, 0,
       "Shift and scale each input feature to mean 0 and standard deviation 1, with statistics "
       "computed on the training set."},
      {"hidden", Kind::IntegerList, &Config::hidden, 1, 128, {}, 0, 10,
       "Width of each hidden layer, input side first."},
      {"activation", Kind::Choice, &Config::activation, 0, 0,
       {"sigmoid", "tanh", "relu", "linear"}, 0, 0, "Nonlinearity of every hidden layer."},
      {"init", Kind::Choice, &Config::init, 0, 0, {"gaussian", "xavier", "he"}, 0, 0,
       "Initial weights: Gaussian with standard deviation initStd (the paper's \"small random "
       "Gaussian values\"), Xavier/Glorot normal sqrt(2/(in+out)), or He normal sqrt(2/in)."},
      {"initStd", Kind::Number, &Config::initStd, 1e-6, 10, {}, 0, 0,
       "Standard deviation of the initial weights when init is gaussian."},
      {"loss", Kind::Choice, &Config::loss, 0, 0, {"softmax", "bce", "mse"}, 0, 0,
       "softmax: softmax cross-entropy over one output per class; bce: binary cross-entropy on "
       "a sigmoid output (two classes); mse: 1/2 (y - y_hat)^2 on a linear output (0/1 target "
       "for two classes, one-hot otherwise), averaged over the batch."},
      {"batchSize", Kind::Integer, &Config::batchSize, 2, 1024, {}, 0, 0,
       "Examples per mini-batch; at most the training set size. Batch Normalization needs at "
       "least 2."},
      {"learningRate", Kind::Number, &Config::learningRate, 1e-6, 1000, {}, 0, 0,
       "SGD step size."},
      {"momentum", Kind::Number, &Config::momentum, 0, 0.999, {}, 0, 0,
       "SGD momentum (PyTorch's convention: v = momentum v + g; p -= learningRate v); 0 is "
       "plain SGD."},
      {"bnMomentum", Kind::Number, &Config::bnMomentum, 0, 1, {}, 0, 0,
       "Weight of the current batch in BatchNorm's running statistics (PyTorch's convention: "
       "running = (1 - bnMomentum) running + bnMomentum batch)."},
      {"bnEps", Kind::Number, &Config::bnEps, 1e-10, 1, {}, 0, 0,
       "Added to the variance before the square root, so the division is safe."},
      {"arms", Kind::ChoiceList, &Config::arms, 0, 0, arm_names(), 1, 4, arms_doc()},
      {"bnNoiseShift", Kind::Number, &Config::bnNoiseShift, 0, 10, {}, 0, 0,
       "bn-noisy: every step, each unit's BN output is shifted by m drawn from U(-bnNoiseShift, "
       "bnNoiseShift), the same m for every example of the batch (off at inference)."},
      {"bnNoiseScale", Kind::Number, &Config::bnNoiseScale, 0, 0.9, {}, 0, 0,
       "bn-noisy: every step, each unit's BN output is scaled by s drawn from U(1 - "
       "bnNoiseScale, 1 + bnNoiseScale) before the shift, the same s for every example of the "
       "batch. The shift and the scale average to no noise (0 and 1), so inference, which "
       "leaves them out, sees the average of what training saw."},
      {"dropout", Kind::Number, &Config::dropout, 0, 0.9, {}, 0, 0,
       "dropout: the probability that a hidden unit's output is set to 0 for an example at a "
       "training step (the others are scaled by 1 / (1 - dropout): inverted dropout, off at "
       "inference)."},
      {"recordEvery", Kind::Integer, &Config::recordEvery, 1, 100000, {}, 0, 0,
       "Steps between two recorded points of the metric history."},
      {"gridSize", Kind::Integer, &Config::gridSize, 2, 200, {}, 0, 0,
       "Points per side of the grid on which each network's prediction is drawn."},
      {"probes", Kind::Boolean, &Config::probes, 0, 0, {}, 0, 0,
       "Measure what BN does while training: the distribution of each layer's input to its "
       "nonlinearity, its shift, saturation, gradient norms, and BN's batch statistics."},
      {"probeExamples", Kind::Integer, &Config::probeExamples, 16, 1024, {}, 0, 0,
       "Training examples, chosen once by seed, on which the layer distributions are measured "
       "(all of them when the training set is smaller)."},
      {"trackedUnit", Kind::Integer, &Config::trackedUnit, 0, 127, {}, 0, 0,
       "The unit of every hidden layer whose percentiles and batch statistics are tracked (the "
       "layer's last unit when the layer is narrower)."},
      {"gradientIcs", Kind::Boolean, &Config::gradientIcs, 0, 0, {}, 0, 0,
       "At every recorded step, measure gradient-based internal covariate shift (Santurkar et "
       "al. 2018); costs one extra forward and backward pass per hidden layer at that step, "
       "about 20% of the training speed at the default recordEvery."},
      {"landscape", Kind::Boolean, &Config::landscape, 0, 0, {}, 0, 0,
       "At every recorded step, measure the loss landscape along the gradient (Santurkar et "
       "al. 2018, Fig. 4) on the step's mini-batch: the loss and the gradient at W - eta g for "
       "each step size of landscapeSteps; one extra forward and backward pass per step size."},
      {"landscapeSteps", Kind::NumberList, &Config::landscapeSteps, 1e-9, 100, {}, 1, 16,
       "The step sizes eta of the landscape measurement, in multiples of the learning rate."},
  };
  return table;
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
    case Kind::Choice: return "one of " + choices_text(f.choices);
    case Kind::IntegerList:
      return "an array of " + std::to_string(f.min_items) + " to " + std::to_string(f.max_items) +
             " integers, each from " + format_number(f.min) + " to " + format_number(f.max);
    case Kind::ChoiceList:
      return "an array of " + std::to_string(f.min_items) + " to " +
             std::to_string(f.max_items) + " different names, each " +
             choices_text(f.choices);
    case Kind::NumberList:
      return "an array of " + std::to_string(f.min_items) + " to " + std::to_string(f.max_items) +
             " numbers, each from " + format_number(f.min) + " to " + format_number(f.max);
  }
  return "";
}

// Why a list item is refused: "item 2 is 200, more than 128". Items count from 1.
std::string item_problem(const Field& f, std::size_t index, const Json& item) {
  const std::string head = "item " + std::to_string(index + 1) + " is " + item.describe();
  if (f.kind == Kind::ChoiceList) return head + (item.is_string() ? ", not one of the names" : ", not a name");
  if (!item.is_number()) return head + ", not a number";
  const double n = item.as_number();
  if (n < f.min) return head + ", less than " + format_number(f.min);
  if (n > f.max) return head + ", more than " + format_number(f.max);
  return f.kind == Kind::NumberList ? head + ", not a finite number" : head + ", not an integer";
}

// Reads one field's JSON value into the configuration. Returns what is wrong with the value
// ("got -1", "item 2 is 200, more than 128"), or "" when it is taken.
std::string assign(const Field& f, const Json& v, Config& c) {
  const std::string got = "got " + v.describe();
  switch (f.kind) {
    case Kind::Integer:
    case Kind::Number: {
      if (!v.is_number() || !in_range(f, v.as_number())) return got;
      const double n = v.as_number();
      if (auto m = std::get_if<std::uint32_t Config::*>(&f.member))
        c.*(*m) = static_cast<std::uint32_t>(n);
      else if (auto mi = std::get_if<int Config::*>(&f.member))
        c.*(*mi) = static_cast<int>(n);
      else
        c.*std::get<double Config::*>(f.member) = n;
      return "";
    }
    case Kind::Boolean:
      if (!v.is_bool()) return got;
      c.*std::get<bool Config::*>(f.member) = v.as_bool();
      return "";
    case Kind::Choice:
      if (!v.is_string() ||
          std::find(f.choices.begin(), f.choices.end(), v.as_string()) == f.choices.end())
        return got;
      c.*std::get<std::string Config::*>(f.member) = v.as_string();
      return "";
    case Kind::IntegerList:
    case Kind::NumberList:
    case Kind::ChoiceList: {
      if (!v.is_array()) return got;
      const auto& items = v.items();
      if (static_cast<int>(items.size()) < f.min_items ||
          static_cast<int>(items.size()) > f.max_items)
        return got;
      std::vector<double> numbers;
      std::vector<std::string> names;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const Json& item = items[i];
        if (f.kind != Kind::ChoiceList) {
          if (!item.is_number() || !in_range(f, item.as_number())) return item_problem(f, i, item);
          numbers.push_back(item.as_number());
          continue;
        }
        if (!item.is_string() ||
            std::find(f.choices.begin(), f.choices.end(), item.as_string()) == f.choices.end())
          return item_problem(f, i, item);
        const auto seen = std::find(names.begin(), names.end(), item.as_string());
        if (seen != names.end())
          return "item " + std::to_string(i + 1) + " repeats " + item.describe() + " (item " +
                 std::to_string(seen - names.begin() + 1) + "): each name at most once";
        names.push_back(item.as_string());
      }
      if (f.kind == Kind::IntegerList)
        c.*std::get<std::vector<int> Config::*>(f.member) = std::vector<int>(numbers.begin(), numbers.end());
      else if (f.kind == Kind::NumberList)
        c.*std::get<std::vector<double> Config::*>(f.member) = numbers;
      else
        c.*std::get<std::vector<std::string> Config::*>(f.member) = names;
      return "";
    }
  }
  return got;
}

Json value_of(const Field& f, const Config& c) {
  return std::visit(
      [&](auto member) -> Json {
        const auto& value = c.*member;
        using V = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<V, std::vector<int>> || std::is_same_v<V, std::vector<double>> ||
                      std::is_same_v<V, std::vector<std::string>>)
          return Json::array_of(value);
        else
          return Json(value);
      },
      f.member);
}

// Rules that involve more than one field.
void check_together(const Config& c, std::vector<FieldError>& errors) {
  const int train = train_size(c);
  if (c.batchSize > train)
    errors.push_back({"batchSize", "must be at most the training set size, " +
                                       std::to_string(train) + " examples (" +
                                       (c.dataset == "digits" ? "1797" : "samples") +
                                       " x trainFraction); got " + std::to_string(c.batchSize)});
  const int classes = dataset_classes(c.dataset);
  if (c.loss == "bce" && classes != 2)
    errors.push_back({"loss", "\"bce\" needs a two-class data set; " + c.dataset + " has " +
                                  std::to_string(classes) + " classes"});
}

}  // namespace

const std::vector<ArmInfo>& arm_kinds() {
  static const std::vector<ArmInfo> kinds = {
      {"plain", ArmKind::Plain, "no normalization"},
      {"bn-before", ArmKind::BnBefore, "BN before each nonlinearity"},
      {"bn-after", ArmKind::BnAfter, "BN after each nonlinearity"},
      {"ln-before", ArmKind::LnBefore,
       "LayerNorm before each nonlinearity: each example normalized over its layer's units"},
      {"bn-noisy", ArmKind::BnNoisy,
       "BN before each nonlinearity with a random shift and scale after it every step"},
      {"dropout", ArmKind::Dropout, "plain with dropout on each hidden layer's output"},
  };
  return kinds;
}

ArmKind arm_kind(const std::string& name) {
  for (const ArmInfo& a : arm_kinds())
    if (name == a.name) return a.kind;
  throw std::invalid_argument("arms: unknown arm \"" + name + "\"");
}

bool Config::operator==(const Config& o) const {
  return config_to_json(*this).dump() == config_to_json(o).dump();
}

ConfigError::ConfigError(std::vector<FieldError> errors)
    : std::invalid_argument([&] {
        std::string message = "invalid configuration: ";
        for (std::size_t i = 0; i < errors.size(); ++i)
          message += (i ? "; " : "") + errors[i].field + ": " + errors[i].message;
        return message;
      }()),
      errors_(std::move(errors)) {}

Config parse_config(const Json& json) {
  if (!json.is_object())
    throw ConfigError(std::vector<FieldError>{{"(configuration)", "must be a JSON object, got " + json.describe()}});
  Config config;
  std::vector<FieldError> errors;
  for (const auto& member : json.members()) {
    const std::string& key = member.first;
    const Json& value = member.second;
    const auto& table = fields();
    const auto f = std::find_if(table.begin(), table.end(),
                                [&](const Field& field) { return key == field.name; });
    if (f == table.end()) {
      std::string known;
      for (const Field& field : table) known += (known.empty() ? "" : ", ") + std::string(field.name);
      errors.push_back({key, "is not a configuration field (fields: " + known + ")"});
    } else if (const std::string problem = assign(*f, value, config); !problem.empty()) {
      errors.push_back({key, "must be " + requirement(*f) + "; " + problem});
    }
  }
  if (errors.empty()) check_together(config, errors);
  if (!errors.empty()) throw ConfigError(std::move(errors));
  return config;
}

Json parse_document(const std::string& json_text, const char* what) {
  try {
    return Json::parse(json_text);
  } catch (const JsonError& e) {
    throw ConfigError(std::vector<FieldError>{{what, e.what()}});
  }
}

Config parse_config(const std::string& json_text) { return parse_config(parse_document(json_text, "(configuration)")); }

Json config_to_json(const Config& config) {
  Json out = Json::object();
  for (const Field& f : fields()) out.set(f.name, value_of(f, config));
  return out;
}

Json config_schema() {
  static const char* kKindNames[] = {"integer", "number", "boolean", "choice", "integer[]",
                                     "choice[]", "number[]"};
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
    if (!f.choices.empty()) entry.set("choices", Json::array_of(f.choices));
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

int dataset_features(const std::string& dataset) {
  return dataset == "digits" ? Digits::kFeatures : 2;
}
int dataset_classes(const std::string& dataset) {
  return dataset == "digits" ? Digits::kClasses : 2;
}
int dataset_size(const Config& c) { return c.dataset == "digits" ? Digits::kCount : c.samples; }

int train_size(const Config& c) {
  // size * trainFraction is rounded in binary: 90 * 0.7 gives 62.99999999999999. The
  // product of an integer and a decimal fraction of at most a few digits is never within
  // 1e-9 of an integer unless it is one.
  return static_cast<int>(std::floor(dataset_size(c) * c.trainFraction + 1e-9));
}

}  // namespace bnlab

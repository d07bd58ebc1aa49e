// The one configuration schema. Every field a user can set — in a share link, on the page,
// in the worker, in a JSON file for the command-line runner — is named here, with its
// default (the member initializer) and its allowed range (the table in config.cpp). Inside,
// a configuration holds typed values; names are read and written only at the JSON edges
// (parse_config, config_to_json, config_schema), each enum's from its one table (names<E>).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "bnlab/io/json.hpp"
#include "bnlab/nn/activation.hpp"
#include "bnlab/nn/init.hpp"
#include "bnlab/nn/loss.hpp"

namespace bnlab {

enum class DatasetKind { Circle, Xor, Gauss, Spiral, Scales, Digits, Csv };
// The networks a configuration can train side by side.
enum class ArmKind { Plain, BnBefore, BnAfter, LnBefore, BnNoisy, Dropout };

struct Config {
  std::uint32_t seed = 1;
  DatasetKind dataset = DatasetKind::Spiral;
  int samples = 400;
  double noise = 0.05;
  double trainFraction = 0.5;
  bool standardize = false;
  double covariateShift = 0;
  std::vector<int> hidden = {32, 32, 32, 32};
  Activation activation = Activation::Sigmoid;
  Init init = Init::Gaussian;
  double initStd = 0.1;
  Loss loss = Loss::Softmax;
  int batchSize = 32;
  double learningRate = 2.0;
  double momentum = 0.0;
  double bnMomentum = 0.1;
  double bnEps = 1e-5;
  std::vector<ArmKind> arms = {ArmKind::Plain, ArmKind::BnBefore};
  double bnNoiseShift = 1.0;
  double bnNoiseScale = 0.5;
  double dropout = 0.25;
  int recordEvery = 20;
  int gridSize = 48;
  bool probes = true;
  int probeExamples = 128;
  int trackedUnit = 0;
  bool gradientIcs = false;
  bool landscape = false;
  std::vector<double> landscapeSteps = {0.25, 0.5, 1, 2, 4};

  bool operator==(const Config& o) const;  // field by field
};

// The name of a value of an enum the configuration takes (DatasetKind, Activation, Init, Loss,
// ArmKind), with a sentence on it where the schema gives one (the arms).
template <class E>
struct Named {
  const char* name;
  E value;
  const char* doc = "";
};
// Each enum's names in the schema's order: one table each (config.cpp), from which the
// validator takes its choices and messages and every writer its names.
template <class E>
const std::vector<Named<E>>& names();
template <>
const std::vector<Named<DatasetKind>>& names<DatasetKind>();
template <>
const std::vector<Named<Activation>>& names<Activation>();
template <>
const std::vector<Named<Init>>& names<Init>();
template <>
const std::vector<Named<Loss>>& names<Loss>();
template <>
const std::vector<Named<ArmKind>>& names<ArmKind>();

template <class E>
const char* name_of(E value) {
  for (const Named<E>& n : names<E>())
    if (n.value == value) return n.name;
  throw std::invalid_argument("a value without a name in its table");
}
template <class E>
const Named<E>* find_named(const std::string& name) {  // nullptr for a name not in the table
  for (const Named<E>& n : names<E>())
    if (name == n.name) return &n;
  return nullptr;
}
// Throws std::invalid_argument for a name not in the table.
template <class E>
E value_named(const std::string& name) {
  if (const Named<E>* n = find_named<E>(name)) return n->value;
  throw std::invalid_argument("\"" + name + "\" is not one of the names");
}

struct FieldError {
  std::string field;
  std::string message;
};
// A document's key as a refusal names it: as given when it reads as a name (1 to 40 bytes, no
// control characters), else as JSON writes it, quoted and cut to 40 bytes ("", a newline, a
// stranger's 10,000-byte key).
std::string key_name(const std::string& key);

// Thrown by parse_config: every invalid field, each with what it must be and what it got. At
// most kMaxErrors are listed (the last then says how many more there were): a document of
// thousands of unknown keys gets a message of a few pages, not of megabytes.
class ConfigError : public std::invalid_argument {
 public:
  static constexpr std::size_t kMaxErrors = 100;
  explicit ConfigError(std::vector<FieldError> errors);
  const std::vector<FieldError>& errors() const { return errors_; }

 private:
  std::vector<FieldError> errors_;
};

// A JSON object -> a validated Config; missing fields take their defaults. Unknown fields
// are errors, so a typo never passes silently.
Config parse_config(const Json& json);
Config parse_config(const std::string& json_text);
// The longest text a configuration, a sweep or a calculator's input may be: the largest valid
// ones (every field with 17 digits, 1024 values) are under 30 KB.
constexpr std::size_t kMaxDocumentBytes = 64 * 1024;
// JSON text of at most kMaxDocumentBytes as a document, or a ConfigError naming `what`
// ("(configuration)") with the parser's message.
Json parse_document(const std::string& json_text, const char* what);

Json config_to_json(const Config& config);

// Every field: name, type, default, range or choices, and a sentence on what it does.
Json config_schema();

// The fields as the rest of the core asks about them, in the schema's order.
enum class FieldKind { Integer, Number, Boolean, Choice, IntegerList, ChoiceList, NumberList };
struct FieldInfo {
  const char* name;
  FieldKind kind;
  bool measurement;  // measures training without changing it (probes, recordEvery, ...)
};
const std::vector<FieldInfo>& config_fields();
const FieldInfo* config_field(const std::string& name);  // nullptr for another name

// A value of a number, integer, boolean or choice field (a choice by its name).
using FieldValue = std::variant<double, bool, std::string>;
Json to_json(const FieldValue& value);
// The value of such a field in JSON, by the field's own rule: throws ConfigError naming the
// field with parse_config's message for it ("must be ...; got ...").
FieldValue parse_field_value(const std::string& field, const Json& json);
// Sets such a field, by the field's own rule (ConfigError as above); the rules between fields
// are check_config's.
void set_field(Config& config, const std::string& field, const FieldValue& value);
// The rules between fields that parse_config applies (a batch larger than the training set, a
// two-class loss on ten classes): throws ConfigError naming them.
void check_config(const Config& config);
// The same training with nothing measured: the measurement fields that cost time set to their
// off values (config.cpp's table), for a sweep's cells.
Config without_measurements(Config config);

// The digits' shape (lab/digits.hpp decodes them), which the validator needs before they are
// loaded.
struct DigitsShape {
  static constexpr int kCount = 1797;
  static constexpr int kFeatures = 64;  // 8 x 8, row-major
  static constexpr int kClasses = 10;
};

// Derived from a valid configuration (csv: from the table provided, io/csv.hpp).
int dataset_features(DatasetKind dataset);
int dataset_classes(DatasetKind dataset);
int dataset_size(const Config& config);  // examples, train and test together
int train_size(const Config& config);

}  // namespace bnlab

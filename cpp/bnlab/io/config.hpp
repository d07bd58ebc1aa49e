// The one configuration schema. Every field a user can set — in a share link, on the page,
// in the worker, in a JSON file for the command-line runner — is named here, with its
// default (the member initializer) and its allowed range (the table in config.cpp).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "bnlab/io/json.hpp"

namespace bnlab {

struct Config {
  std::uint32_t seed = 1;
  std::string dataset = "spiral";
  int samples = 400;
  double noise = 0.05;
  double trainFraction = 0.5;
  bool standardize = false;
  std::vector<int> hidden = {32, 32, 32, 32};
  std::string activation = "sigmoid";
  std::string init = "gaussian";
  double initStd = 0.1;
  std::string loss = "softmax";
  int batchSize = 32;
  double learningRate = 2.0;
  double momentum = 0.0;
  double bnMomentum = 0.1;
  double bnEps = 1e-5;
  std::vector<std::string> arms = {"plain", "bn-before"};
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

  bool operator==(const Config& o) const;
};

// The arms a configuration can name, parsed from their names here and nowhere else.
enum class ArmKind { Plain, BnBefore, BnAfter, LnBefore, BnNoisy, Dropout };
struct ArmInfo {
  const char* name;
  ArmKind kind;
  const char* doc;
};
const std::vector<ArmInfo>& arm_kinds();
ArmKind arm_kind(const std::string& name);  // throws std::invalid_argument for another name

struct FieldError {
  std::string field;
  std::string message;
};

// Thrown by parse_config: every invalid field, each with what it must be and what it got.
class ConfigError : public std::invalid_argument {
 public:
  explicit ConfigError(std::vector<FieldError> errors);
  const std::vector<FieldError>& errors() const { return errors_; }

 private:
  std::vector<FieldError> errors_;
};

// A JSON object -> a validated Config; missing fields take their defaults. Unknown fields
// are errors, so a typo never passes silently.
Config parse_config(const Json& json);
Config parse_config(const std::string& json_text);
// JSON text as a document, or a ConfigError naming `what` ("(configuration)") with the parser's
// message.
Json parse_document(const std::string& json_text, const char* what);

Json config_to_json(const Config& config);

// Every field: name, type, default, range or choices, and a sentence on what it does.
Json config_schema();

// Derived from a valid configuration.
int dataset_features(const std::string& dataset);
int dataset_classes(const std::string& dataset);
int dataset_size(const Config& config);  // examples, train and test together
int train_size(const Config& config);

}  // namespace bnlab

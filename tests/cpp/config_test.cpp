// The configuration schema and its validator: defaults, exact round trips, and a rejection
// of every kind of invalid value for every field, generated from config_schema() itself so
// that a field added without a range check fails here.
#include "bnlab/io/config.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace bnlab {
namespace {

// Field by field, written out: independent of Config::operator== (which walks the field table).
void expect_same_config(const Config& a, const Config& b) {
  EXPECT_EQ(a.seed, b.seed);
  EXPECT_EQ(a.dataset, b.dataset);
  EXPECT_EQ(a.samples, b.samples);
  EXPECT_EQ(a.noise, b.noise);
  EXPECT_EQ(a.trainFraction, b.trainFraction);
  EXPECT_EQ(a.standardize, b.standardize);
  EXPECT_EQ(a.covariateShift, b.covariateShift);
  EXPECT_EQ(a.hidden, b.hidden);
  EXPECT_EQ(a.activation, b.activation);
  EXPECT_EQ(a.init, b.init);
  EXPECT_EQ(a.initStd, b.initStd);
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.batchSize, b.batchSize);
  EXPECT_EQ(a.learningRate, b.learningRate);
  EXPECT_EQ(a.momentum, b.momentum);
  EXPECT_EQ(a.bnMomentum, b.bnMomentum);
  EXPECT_EQ(a.bnEps, b.bnEps);
  EXPECT_EQ(a.arms, b.arms);
  EXPECT_EQ(a.recordEvery, b.recordEvery);
  EXPECT_EQ(a.gridSize, b.gridSize);
  EXPECT_EQ(a.probes, b.probes);
  EXPECT_EQ(a.probeExamples, b.probeExamples);
  EXPECT_EQ(a.trackedUnit, b.trackedUnit);
  EXPECT_EQ(a.gradientIcs, b.gradientIcs);
  EXPECT_EQ(a.bnNoiseShift, b.bnNoiseShift);
  EXPECT_EQ(a.bnNoiseScale, b.bnNoiseScale);
  EXPECT_EQ(a.dropout, b.dropout);
  EXPECT_EQ(a.landscape, b.landscape);
  EXPECT_EQ(a.landscapeSteps, b.landscapeSteps);
}

// The ConfigError that parsing `json` throws; fails the test when it parses.
ConfigError config_error(const Json& json) {
  try {
    parse_config(json);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "accepted: " << json.dump();
  return ConfigError(std::vector<FieldError>{});
}

Json object_with(const std::string& key, Json value) {
  Json o = Json::object();
  o.set(key, std::move(value));
  return o;
}

std::vector<std::string> names_of(const std::vector<FieldError>& errors) {
  std::vector<std::string> names;
  for (const FieldError& e : errors) names.push_back(e.field);
  return names;
}

const Json* schema_entry(const std::string& name) {
  static const Json schema = config_schema();
  for (const Json& entry : schema.items())
    if (entry.find("name")->as_string() == name) return &entry;
  return nullptr;
}

TEST(Config, EmptyObjectGivesTheStructDefaults) {
  expect_same_config(parse_config(Json::object()), Config{});
  expect_same_config(parse_config(std::string("{}")), Config{});
}

TEST(Config, DefaultsAreTheDocumentedValues) {
  // The member initializers of config.hpp, written out: a change of a default is a change
  // of the shared links' meaning, so it must be made here too, on purpose.
  const Config c = parse_config(std::string("{}"));
  EXPECT_EQ(c.seed, 1u);
  EXPECT_EQ(c.dataset, DatasetKind::Spiral);
  EXPECT_EQ(c.samples, 400);
  EXPECT_EQ(c.noise, 0.05);
  EXPECT_EQ(c.trainFraction, 0.5);
  EXPECT_FALSE(c.standardize);
  EXPECT_EQ(c.hidden, (std::vector<int>{32, 32, 32, 32}));
  EXPECT_EQ(c.activation, Activation::Sigmoid);
  EXPECT_EQ(c.init, Init::Gaussian);
  EXPECT_EQ(c.initStd, 0.1);
  EXPECT_EQ(c.loss, Loss::Softmax);
  EXPECT_EQ(c.batchSize, 32);
  EXPECT_EQ(c.learningRate, 2.0);
  EXPECT_EQ(c.momentum, 0.0);
  EXPECT_EQ(c.bnMomentum, 0.1);
  EXPECT_EQ(c.bnEps, 1e-5);
  EXPECT_EQ(c.arms, (std::vector<ArmKind>{ArmKind::Plain, ArmKind::BnBefore}));
  EXPECT_EQ(c.recordEvery, 20);
  EXPECT_EQ(c.gridSize, 48);
  EXPECT_TRUE(c.probes);
  EXPECT_EQ(c.probeExamples, 128);
  EXPECT_EQ(c.trackedUnit, 0);
  EXPECT_FALSE(c.gradientIcs);
  EXPECT_EQ(c.bnNoiseShift, 1.0);
  EXPECT_EQ(c.bnNoiseScale, 0.5);
  EXPECT_EQ(c.dropout, 0.25);
  EXPECT_FALSE(c.landscape);
  EXPECT_EQ(c.landscapeSteps, (std::vector<double>{0.25, 0.5, 1, 2, 4}));
}

// Every field set away from its default, with values that stress the number writer.
Config non_default_config() {
  Config c;
  c.seed = 4294967295u;
  c.dataset = DatasetKind::Scales;
  c.samples = 1234;
  c.noise = 0.1 + 0.2;  // 0.30000000000000004: needs 17 digits
  c.trainFraction = 0.7;
  c.standardize = true;
  c.covariateShift = 0.25;
  c.hidden = {1, 128, 7};
  c.activation = Activation::Relu;
  c.init = Init::He;
  c.initStd = 1.0 / 3;
  c.loss = Loss::Mse;
  c.batchSize = 100;
  c.learningRate = 1e-5;
  c.momentum = 0.9;
  c.bnMomentum = 0.01;
  c.bnEps = 1e-3;
  c.arms = {ArmKind::BnAfter, ArmKind::Plain};
  c.recordEvery = 3;
  c.gridSize = 200;
  c.probes = false;
  c.probeExamples = 1000;
  c.trackedUnit = 127;
  c.gradientIcs = true;
  c.bnNoiseShift = 0.3;
  c.bnNoiseScale = 0.2;
  c.dropout = 0.5;
  c.landscape = true;
  c.landscapeSteps = {0.125, 8};
  return c;
}

TEST(Config, NonDefaultConfigRoundTripsExactlyThroughJsonAndText) {
  const Config c = non_default_config();
  // Every field really differs from its default, so the round trip checks all of them.
  const Json defaults = config_to_json(Config{}), values = config_to_json(c);
  for (const auto& [name, value] : values.members())
    EXPECT_NE(value.dump(), defaults.find(name)->dump()) << name << " is at its default";
  expect_same_config(parse_config(config_to_json(c)), c);
  expect_same_config(parse_config(config_to_json(c).dump()), c);
  EXPECT_TRUE(parse_config(config_to_json(c).dump()) == c);
}

TEST(Config, EqualityDetectsADifferenceInAnyField) {
  const Config base;
  const Json defaults = config_to_json(base), other = config_to_json(non_default_config());
  for (const auto& [name, value] : other.members()) {
    Json changed = defaults;
    changed.set(name, value);
    EXPECT_FALSE(parse_config(changed) == base) << name;
  }
}

TEST(Config, SchemaListsEveryFieldOfConfigToJsonInOrderWithNameTypeDefaultRequirementDoc) {
  const Json schema = config_schema();
  const Json emitted = config_to_json(Config{});
  ASSERT_TRUE(schema.is_array());
  ASSERT_EQ(schema.items().size(), emitted.members().size());
  EXPECT_EQ(emitted.members().size(), 29u);  // the members of struct Config
  for (std::size_t i = 0; i < schema.items().size(); ++i) {
    const Json& entry = schema.items()[i];
    const std::string& name = emitted.members()[i].first;
    SCOPED_TRACE(name);
    ASSERT_NE(entry.find("name"), nullptr);
    EXPECT_EQ(entry.find("name")->as_string(), name);
    for (const char* key : {"type", "requirement", "doc"}) {
      ASSERT_NE(entry.find(key), nullptr) << key;
      ASSERT_TRUE(entry.find(key)->is_string()) << key;
      EXPECT_FALSE(entry.find(key)->as_string().empty()) << key;
    }
    ASSERT_NE(entry.find("default"), nullptr);
    EXPECT_EQ(entry.find("default")->dump(), emitted.members()[i].second.dump());
  }
}

TEST(Config, SchemaRangesAndChoicesAdmitTheirOwnDefaults) {
  const Json schema = config_schema();
  for (const Json& entry : schema.items()) {
    const std::string name = entry.find("name")->as_string();
    const std::string type = entry.find("type")->as_string();
    const Json& def = *entry.find("default");
    SCOPED_TRACE(name);
    if (type == "integer" || type == "number") {
      ASSERT_TRUE(def.is_number());
      const double lo = entry.find("min")->as_number(), hi = entry.find("max")->as_number();
      EXPECT_LE(def.as_number(), hi);
      EXPECT_GE(def.as_number(), lo);
      if (type == "integer") {
        EXPECT_EQ(def.as_number(), std::floor(def.as_number()));
      }
    } else if (type == "boolean") {
      EXPECT_TRUE(def.is_bool());
    } else if (type == "choice") {
      ASSERT_TRUE(def.is_string());
      bool listed = false;
      for (const Json& c : entry.find("choices")->items())
        listed |= c.as_string() == def.as_string();
      EXPECT_TRUE(listed);
    } else if (type == "integer[]" || type == "choice[]" || type == "number[]") {
      ASSERT_TRUE(def.is_array());
      EXPECT_GE(double(def.items().size()), entry.find("minItems")->as_number());
      EXPECT_LE(double(def.items().size()), entry.find("maxItems")->as_number());
    } else {
      ADD_FAILURE() << "unknown type " << type;
    }
  }
}

// Invalid values for a schema entry, derived only from its type, range and choices. An
// unknown type yields none and fails the calling test.
std::vector<Json> invalid_values(const Json& entry) {
  const std::string type = entry.find("type")->as_string();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<Json> bad;
  if (type == "integer" || type == "number") {
    const double lo = entry.find("min")->as_number(), hi = entry.find("max")->as_number();
    // The nearest doubles outside the range: the limits are exact, not approximate.
    const double below = std::nextafter(lo, -inf);
    bad = {Json("1"),
           Json(true),
           Json(),
           Json::array(),
           Json::object(),
           Json(below),
           Json(std::nextafter(hi, inf)),
           Json(nan),
           Json(inf),
           Json(-inf)};
    if (type == "integer") bad.push_back(Json(lo + 0.5));
  } else if (type == "boolean") {
    bad = {Json(0), Json(1), Json("true"), Json(), Json::array()};
  } else if (type == "choice") {
    const std::string first = entry.find("choices")->items()[0].as_string();
    std::string upper = first;
    for (char& ch : upper) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    Json wrapped = Json::array();
    wrapped.push_back(first);
    bad = {Json("no-such-choice"), Json(upper), Json(""), Json(0), Json(), wrapped};
  } else if (type == "integer[]" || type == "number[]") {
    const double lo = entry.find("min")->as_number(), hi = entry.find("max")->as_number();
    const int max_items = int(entry.find("maxItems")->as_number());
    const auto list = [](std::vector<Json> items) {
      Json a = Json::array();
      for (Json& j : items) a.push_back(std::move(j));
      return a;
    };
    bad = {Json(lo),
           Json("[8]"),
           Json(),
           list({Json(std::nextafter(lo, -inf))}),
           list({Json(std::nextafter(hi, inf))}),
           list({Json("8")}),
           list({Json()}),
           list({Json(nan)}),
           list({Json(inf)}),
           list(std::vector<Json>(max_items + 1, Json(lo)))};
    if (type == "integer[]") bad.push_back(list({Json(lo + 0.5)}));
    if (entry.find("minItems")->as_number() > 0) bad.push_back(Json::array());
  } else if (type == "choice[]") {
    const Json& choices = *entry.find("choices");
    const std::string first = choices.items()[0].as_string();
    const auto list = [](std::vector<Json> items) {
      Json a = Json::array();
      for (Json& j : items) a.push_back(std::move(j));
      return a;
    };
    std::vector<Json> too_many;
    for (int i = 0; i <= int(entry.find("maxItems")->as_number()); ++i)
      too_many.push_back(choices.items()[i % choices.items().size()]);
    bad = {Json(first),
           Json(),
           list({Json(first), Json(first)}),
           list({Json("no-such-choice")}),
           list({Json(0)}),
           list(too_many)};
    if (entry.find("minItems")->as_number() > 0) bad.push_back(Json::array());
  }
  return bad;
}

TEST(Config, EveryFieldRejectsEveryKindOfInvalidValueNamingTheField) {
  const Json schema = config_schema();
  for (const Json& entry : schema.items()) {
    const std::string name = entry.find("name")->as_string();
    const std::string requirement = entry.find("requirement")->as_string();
    const std::vector<Json> bad = invalid_values(entry);
    EXPECT_FALSE(bad.empty()) << name << ": no invalid values known for type "
                              << entry.find("type")->as_string();
    for (const Json& value : bad) {
      SCOPED_TRACE(name + " = " + value.dump());
      const ConfigError e = config_error(object_with(name, value));
      EXPECT_EQ(names_of(e.errors()), std::vector<std::string>{name});
      const std::string message = e.what();
      EXPECT_NE(message.find(name + ": must be " + requirement), std::string::npos) << message;
    }
  }
}

// A base that leaves room for every field's extremes: with 5000 samples the training set
// holds the largest batch, and a batch of 2 fits the smallest training set.
Json roomy_base() {
  Json base = Json::object();
  base.set("samples", 5000);
  base.set("batchSize", 2);
  return base;
}

TEST(Config, RangeEndpointsAreAcceptedAndReadBackExactly) {
  const Json schema = config_schema();
  for (const Json& entry : schema.items()) {
    const std::string name = entry.find("name")->as_string();
    const std::string type = entry.find("type")->as_string();
    if (type != "integer" && type != "number") continue;
    const double lo = entry.find("min")->as_number(), hi = entry.find("max")->as_number();
    for (const double v : {lo, hi}) {
      SCOPED_TRACE(name + " = " + Json(v).dump());
      Json j = roomy_base();
      j.set(name, v);
      const Json back = config_to_json(parse_config(j));
      EXPECT_EQ(back.find(name)->as_number(), v);
    }
  }
}

TEST(Config, PositiveFieldsRefuseZeroAndTheirMinimumsSurviveFloat32) {
  // The three fields where 0 is meaningless (no step, all-equal weights, division by 0). The
  // core computes in float, so the smallest accepted value must still be positive as a float.
  for (const char* name : {"learningRate", "initStd", "bnEps"}) {
    SCOPED_TRACE(name);
    ASSERT_NE(schema_entry(name), nullptr);
    const double lo = schema_entry(name)->find("min")->as_number();
    EXPECT_GT(static_cast<float>(lo), 0.0f);
    EXPECT_EQ(names_of(config_error(object_with(name, 0)).errors()),
              std::vector<std::string>{name});
    EXPECT_EQ(names_of(config_error(object_with(name, 1e-50)).errors()),
              std::vector<std::string>{name});
    EXPECT_EQ(config_to_json(parse_config(object_with(name, lo))).find(name)->as_number(), lo);
  }
}

TEST(Config, HiddenAcceptsZeroToTenLayersOfWidthOneTo128) {
  EXPECT_TRUE(parse_config(std::string(R"({"hidden":[]})")).hidden.empty());
  EXPECT_EQ(parse_config(std::string(R"({"hidden":[1,2,3,4,5,6,7,8,9,10]})")).hidden.size(), 10u);
  EXPECT_EQ(parse_config(std::string(R"({"hidden":[1,128]})")).hidden, (std::vector<int>{1, 128}));
  for (const char* bad : {R"({"hidden":[1,2,3,4,5,6,7,8,9,10,11]})", R"({"hidden":[0]})",
                          R"({"hidden":[129]})", R"({"hidden":[8,-8]})"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(names_of(config_error(Json::parse(bad)).errors()),
              std::vector<std::string>{"hidden"});
  }
}

TEST(Config, ArmsAcceptOneToFourDifferentNames) {
  EXPECT_EQ(parse_config(std::string(R"({"arms":["bn-after"]})")).arms,
            (std::vector<ArmKind>{ArmKind::BnAfter}));
  EXPECT_EQ(parse_config(std::string(R"({"arms":["bn-after","plain","bn-before"]})")).arms,
            (std::vector<ArmKind>{ArmKind::BnAfter, ArmKind::Plain, ArmKind::BnBefore}));
  EXPECT_EQ(
      parse_config(std::string(R"({"arms":["ln-before","bn-noisy","dropout","plain"]})")).arms,
      (std::vector<ArmKind>{ArmKind::LnBefore, ArmKind::BnNoisy, ArmKind::Dropout,
                            ArmKind::Plain}));
  for (const char* bad :
       {R"({"arms":[]})", R"({"arms":["plain","plain"]})", R"({"arms":["plain","bn"]})"}) {
    SCOPED_TRACE(bad);
    EXPECT_EQ(names_of(config_error(Json::parse(bad)).errors()), std::vector<std::string>{"arms"});
  }
}

TEST(Config, UnknownFieldIsRejectedWithItsName) {
  const ConfigError e = config_error(Json::parse(R"({"learningrate":0.1})"));
  EXPECT_EQ(names_of(e.errors()), std::vector<std::string>{"learningrate"});
  EXPECT_NE(std::string(e.what()).find("learningrate"), std::string::npos);
  // The message lists the real fields, so the typo is easy to spot.
  EXPECT_NE(std::string(e.what()).find("learningRate"), std::string::npos);
}

// Found by the fuzzer (tests/fuzz/regressions/config/empty-key-names-no-field): the key "" gave
// the refusal ": is not a configuration field".
TEST(Config, AnUnknownKeyThatIsEmptyLongOrHasControlCharactersIsNamedAsJsonWritesIt) {
  const auto field_of = [](const std::string& key) {
    return config_error(object_with(key, 1)).errors().at(0).field;
  };
  EXPECT_EQ(field_of(""), "\"\"");
  EXPECT_EQ(field_of("a\nb"), "\"a\\nb\"");
  EXPECT_EQ(field_of(std::string(1000, 'k')), "\"" + std::string(36, 'k') + "...");
  EXPECT_EQ(field_of(std::string(40, 'k')), std::string(40, 'k'));
  EXPECT_EQ(field_of("h\xC3\xB6he"), "h\xC3\xB6he");
}

TEST(Config, SeveralInvalidFieldsAreReportedTogether) {
  const ConfigError e = config_error(
      Json::parse(R"({"seed":-1,"dataset":"moons","typo":1,"batchSize":0,"noise":0.2})"));
  EXPECT_EQ(names_of(e.errors()),
            (std::vector<std::string>{"seed", "dataset", "typo", "batchSize"}));
  const std::string message = e.what();
  for (const char* name : {"seed: must", "dataset: must", "typo: is not", "batchSize: must"})
    EXPECT_NE(message.find(name), std::string::npos) << name;
  EXPECT_EQ(message.find("noise: "), std::string::npos) << "the valid field is not blamed";
}

TEST(Config, BatchSizeAboveTheTrainingSetSizeIsRejectedNamingBatchSize) {
  // 25 x 0.5 = 12.5 examples: the training set has floor(12.5) = 12.
  EXPECT_EQ(
      parse_config(std::string(R"({"samples":25,"trainFraction":0.5,"batchSize":12})")).batchSize,
      12);
  const ConfigError e =
      config_error(Json::parse(R"({"samples":25,"trainFraction":0.5,"batchSize":13})"));
  EXPECT_EQ(names_of(e.errors()), std::vector<std::string>{"batchSize"});
  EXPECT_NE(std::string(e.what()).find("12"), std::string::npos) << e.what();
  // The default batch of 32 needs 64 samples at the default fraction of one half.
  EXPECT_EQ(names_of(config_error(object_with("samples", 63)).errors()),
            std::vector<std::string>{"batchSize"});
  EXPECT_EQ(parse_config(object_with("samples", 64)).samples, 64);
}

TEST(Config, TrainSizeIsTheFloorOfSamplesTimesTheDecimalFraction) {
  // Exact integer arithmetic on the fraction as the user writes it, in hundredths:
  // floor(samples * percent / 100). The product of the doubles must not lose an example
  // to rounding (90 x 0.7 is 62.99999999999999 in double arithmetic).
  int wrong = 0;
  std::string first;
  for (int samples = 20; samples <= 200; ++samples)
    for (int percent = 10; percent <= 90; ++percent) {
      Config c;
      c.samples = samples;
      c.trainFraction = percent / 100.0;
      if (train_size(c) != samples * percent / 100) {
        if (!wrong++)
          first = std::to_string(samples) + " x 0." + std::to_string(percent) + " gave " +
                  std::to_string(train_size(c)) + ", want " +
                  std::to_string(samples * percent / 100);
      }
    }
  EXPECT_EQ(wrong, 0) << "first: " << first;
}

TEST(Config, NonObjectJsonIsAConfigError) {
  for (const char* text : {"[]", "3", "\"spiral\"", "null", "true"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(names_of(config_error(Json::parse(text)).errors()),
              std::vector<std::string>{"(configuration)"});
    EXPECT_THROW(parse_config(std::string(text)), ConfigError);
  }
}

TEST(Config, MalformedJsonTextIsAConfigErrorWithTheOffset) {
  try {
    parse_config(std::string(R"({"seed": 1,})"));
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(names_of(e.errors()), std::vector<std::string>{"(configuration)"});
    EXPECT_NE(std::string(e.what()).find("offset 11"), std::string::npos) << e.what();
  }
}

TEST(Config, AListErrorNamesTheBadItemAndWhatIsWrongWithIt) {
  const auto message = [](const char* json) {
    const auto errors = config_error(Json::parse(json)).errors();
    EXPECT_EQ(errors.size(), 1u) << json;
    return errors.empty() ? std::string() : errors[0].message;
  };
  const std::string hidden = "must be an array of 0 to 10 integers, each from 1 to 128; ";
  EXPECT_EQ(message(R"({"hidden":[16,200]})"), hidden + "item 2 is 200, more than 128");
  EXPECT_EQ(message(R"({"hidden":[0]})"), hidden + "item 1 is 0, less than 1");
  EXPECT_EQ(message(R"({"hidden":[8,-5,8]})"), hidden + "item 2 is -5, less than 1");
  EXPECT_EQ(message(R"({"hidden":[8,1.5]})"), hidden + "item 2 is 1.5, not an integer");
  EXPECT_EQ(message(R"({"hidden":["abc"]})"), hidden + "item 1 is \"abc\", not a number");
  EXPECT_EQ(message(R"({"hidden":[1,2,3,4,5,6,7,8,9,10,11]})"),
            hidden + "got an array of 11 items");
  const std::string arms =
      "must be an array of 1 to 4 different names, each \"plain\", \"bn-before\", \"bn-after\", "
      "\"ln-before\", \"bn-noisy\" or \"dropout\"; ";
  EXPECT_EQ(message(R"({"arms":["plain","plain"]})"),
            arms + "item 2 repeats \"plain\" (item 1): each name at most once");
  EXPECT_EQ(message(R"({"arms":["plain","bn"]})"), arms + "item 2 is \"bn\", not one of the names");
  EXPECT_EQ(message(R"({"arms":[3]})"), arms + "item 1 is 3, not a name");
  EXPECT_EQ(
      message(R"({"landscapeSteps":[1,0]})"),
      "must be an array of 1 to 16 numbers, each from 1e-09 to 100; item 2 is 0, less than 1e-09");
  // Scalars keep saying what they got.
  EXPECT_EQ(message(R"({"learningRate":-1})"), "must be a number from 1e-06 to 1000; got -1");
}

}  // namespace
}  // namespace bnlab

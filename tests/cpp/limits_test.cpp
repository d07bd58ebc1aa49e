// The most each reader of outside bytes accepts, and that beyond it a stranger's input is
// refused at once: the JSON reader's text length, nesting and keys; the configuration, sweep
// and calculator documents; a sweep's cells; a shard of the largest grid; a CSV table's bytes,
// rows and columns. Each reader is timed (in processor time, so a busy machine does not count)
// at its limit with its worst shape of input (README, "Limits"); the bounds are many times the
// time measured here, so a reader that is quadratic or reads the whole of a huge text fails (a 1
// MiB object of 96,335 keys, each looked up among those before it as the reader once did, took 19
// s).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bnlab/io/config.hpp"
#include "bnlab/io/csv.hpp"
#include "bnlab/io/json.hpp"
#include "bnlab/lab/calculator.hpp"
#include "bnlab/lab/sweep.hpp"
#include "bnlab/lab/sweep_threads.hpp"
#include "test_util.hpp"

namespace bnlab {
namespace {

// The message of the exception of type E that fn throws; "" when it throws none.
template <class E, class F>
std::string refusal(F&& fn) {
  try {
    fn();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

// A JSON array of `count` zeros; the shape that makes the most values of a text.
std::string zeros(std::size_t count) {
  std::string text = "[";
  for (std::size_t i = 0; i < count; ++i) text += i ? ",0" : "0";
  return text + "]";
}

// An object of distinct keys "k0", "k1", ... filling `bytes` bytes of text, padded with spaces.
std::string many_keys(std::size_t bytes) {
  std::string text = "{";
  for (int i = 0;; ++i) {
    const std::string member = std::string(i ? "," : "") + "\"k" + std::to_string(i) + "\":0";
    if (text.size() + member.size() + 1 > bytes) break;
    text += member;
  }
  text += "}";
  return text + std::string(bytes - text.size(), ' ');
}

// Padded with spaces to exactly `bytes` bytes.
std::string padded(std::string text, std::size_t bytes) {
  return text + std::string(bytes - text.size(), ' ');
}

TEST(Limits, JsonTextOfTheLimitIsReadAndOneByteMoreIsRefusedAtOnce) {
  const std::string largest = padded(zeros(Json::kMaxBytes / 2 - 1), Json::kMaxBytes);
  Json value;
  EXPECT_LT(test::release_seconds([&] { value = Json::parse(largest); }), 2.0);
  EXPECT_EQ(value.items().size(), Json::kMaxBytes / 2 - 1);  // 524,287 values
  EXPECT_EQ(refusal<JsonError>([&] { Json::parse(largest + " "); }),
            "invalid JSON at offset 1048576: longer than 1048576 bytes, this reader's limit");
  const std::string huge(100 << 20, '[');  // 100 MB of open brackets
  EXPECT_LT(
      test::release_seconds([&] { EXPECT_NE(refusal<JsonError>([&] { Json::parse(huge); }), ""); }),
      0.01);
}

TEST(Limits, JsonObjectOf96000KeysIsReadInNLogNAndARepeatedKeyIsRefusedAtItsOffset) {
  const std::string text = many_keys(Json::kMaxBytes);
  Json value;
  EXPECT_LT(test::release_seconds([&] { value = Json::parse(text); }), 2.0);
  EXPECT_EQ(value.members().size(), 96335u);
  EXPECT_EQ(refusal<JsonError>([] { Json::parse(R"({"a": 1, "b": {"a": 2}, "a": 3})"); }),
            "invalid JSON at offset 24: the key \"a\" is given twice in one object");
  std::string repeated = many_keys(1000);
  repeated.replace(repeated.find("}"), 1, ",\"k5\":1}");
  EXPECT_NE(refusal<JsonError>([&] { Json::parse(repeated); }).find("\"k5\" is given twice"),
            std::string::npos);
}

TEST(Limits, JsonNesting64DeepIsReadAndAHundredThousandDeepIsRefusedWithoutRecursing) {
  const std::string deepest = std::string(Json::kMaxDepth, '[') + std::string(Json::kMaxDepth, ']');
  EXPECT_EQ(refusal<JsonError>([&] { Json::parse(deepest); }), "");
  EXPECT_NE(refusal<JsonError>([&] { Json::parse("[" + deepest + "]"); }).find("64 levels"),
            std::string::npos);
  const std::string deep(100000, '[');
  EXPECT_LT(
      test::release_seconds([&] { EXPECT_NE(refusal<JsonError>([&] { Json::parse(deep); }), ""); }),
      0.01);
}

TEST(Limits, DocumentsOf64KiBAreReadAndLongerOnesAreRefusedNamingTheDocument) {
  const std::string config = padded(config_to_json(Config{}).dump(), kMaxDocumentBytes);
  EXPECT_EQ(parse_config(config), Config{});
  EXPECT_EQ(refusal<ConfigError>([&] { parse_config(config + " "); }),
            "invalid configuration: (configuration): invalid JSON at offset 65536: longer than "
            "65536 bytes, this reader's limit");
  const std::string sweep = padded(default_sweep_json().dump(), kMaxDocumentBytes);
  EXPECT_EQ(refusal<ConfigError>([&] { parse_sweep(sweep); }), "");
  EXPECT_NE(refusal<ConfigError>([&] { parse_sweep(sweep + " "); }).find("(sweep): invalid JSON"),
            std::string::npos);
  const std::string huge(100 << 20, ' ');
  EXPECT_LT(test::release_seconds(
                [&] { EXPECT_NE(refusal<ConfigError>([&] { parse_config(huge); }), ""); }),
            0.01);
}

TEST(Limits, AConfigurationOfThousandsOfUnknownKeysIsRefusedQuicklyWithAMessageOfBoundedSize) {
  const std::string text = many_keys(kMaxDocumentBytes);
  std::string message;
  EXPECT_LT(
      test::release_seconds([&] { message = refusal<ConfigError>([&] { parse_config(text); }); }),
      1.0);
  EXPECT_NE(message.find("k0: is not a configuration field"), std::string::npos);
  EXPECT_NE(message.find("(more): and 6565 more problems not listed"), std::string::npos);
  EXPECT_LE(message.size(), 100u * 1024);
}

TEST(Limits, TheLargestSweepOf24By24CellsIsValidatedQuicklyAnd25ValuesAreRefused) {
  std::string xs, ys;
  for (int i = 0; i < Sweep::kMaxValues; ++i) {
    xs += (i ? "," : "") + std::to_string(i + 1);
    ys += (i ? "," : "") + Json(0.9 * i / Sweep::kMaxValues).dump();
  }
  const std::string text = R"({"x": {"field": "seed", "values": [)" + xs +
                           R"(]}, "y": {"field": "noise", "values": [)" + ys +
                           R"(]}, "steps": 1000000})";
  Sweep sweep;
  EXPECT_LT(test::release_seconds([&] { sweep = parse_sweep(text); }), 1.0);
  EXPECT_EQ(sweep.cells(), 576);
  EXPECT_EQ(sweep.steps, Sweep::kMaxSteps);
  const std::string over = R"({"x": {"field": "seed", "values": [)" + xs + R"(,25]}})";
  EXPECT_NE(refusal<ConfigError>([&] {
              parse_sweep(over);
            }).find("x.values: must be an array of 1 to 24 values; got an array of 25 items"),
            std::string::npos);
}

TEST(Limits, AShardOfTheLargestGridFitsHalfTheReadersLimitAndReadsBackQuickly) {
  // 576 cells of four arms, every number with 17 digits, each arm diverged at the last of the
  // most steps a sweep takes: the largest shard bnlab-run writes.
  std::string xs, ys;
  for (int i = 0; i < Sweep::kMaxValues; ++i) {
    xs += (i ? "," : "") + Json(0.1234567890123456 + i).dump();
    ys += (i ? "," : "") + Json(0.01234567890123456 * (i + 1)).dump();
  }
  const Sweep sweep =
      parse_sweep(R"({"base": {"arms": ["plain", "bn-before", "bn-noisy", "dropout"]},)"
                  R"( "x": {"field": "learningRate", "values": [)" +
                  xs + R"(]}, "y": {"field": "initStd", "values": [)" + ys + R"(]}, "steps": )" +
                  std::to_string(Sweep::kMaxSteps) + "}");
  std::vector<CellResult> cells(static_cast<std::size_t>(sweep.cells()));
  for (int c = 0; c < sweep.cells(); ++c) {
    cells[c].index = c;
    cells[c].arms.assign(
        4, {0.123456789f, 1.23456789e-7f, 0.987654321f, 12345.6789f, Sweep::kMaxSteps});
  }
  const std::string text = sweep_results_json(sweep, cells).dump();
  EXPECT_LT(text.size(), Json::kMaxBytes / 2);
  Sweep back;
  std::vector<CellResult> read;
  EXPECT_LT(test::release_seconds([&] {
              read = merge_shard_documents({{"shard", text}}, back);
            }),
            1.0);
  EXPECT_EQ(read.size(), 576u);
}

TEST(Limits, TheCalculatorTakes1024ValuesAndRefuses1025) {
  // Every value with 17 digits and an exponent: the longest input it takes.
  std::string values;
  for (int i = 0; i < 1024; ++i) values += (i ? "," : "") + Json(-1.2345678901234567e-300).dump();
  const std::string text = R"({"values": [)" + values + R"(], "gamma": 1, "beta": 0, "eps": 1e-5})";
  EXPECT_LT(text.size(), kMaxDocumentBytes / 2);
  BnCalculated out;
  EXPECT_LT(test::release_seconds([&] {
              out = calculate_bn(parse_bn_calculation(parse_document(text, "(calculator)")));
            }),
            0.5);
  EXPECT_EQ(out.y.size(), 1024u);
  const std::string over = R"({"values": [)" + values + R"(,1], "gamma": 1, "beta": 0, "eps": 1})";
  EXPECT_EQ(refusal<ConfigError>([&] { parse_bn_calculation(Json::parse(over)); }),
            "invalid configuration: values: must be 1 to 1024 numbers; got an array of 1025 items");
}

// A table of `rows` rows of `features` values written as `value`, and a label of two classes.
std::string table(int rows, int features, const std::string& value) {
  std::string text;
  for (int j = 0; j < features; ++j) text += "f" + std::to_string(j) + ",";
  text += "label\n";
  for (int i = 0; i < rows; ++i) {
    for (int j = 0; j < features; ++j) text += value + ",";
    text += i % 2 ? "yes\n" : "no\n";
  }
  return text;
}

TEST(Limits, TheLargestCsvTableIsReadQuicklyAndMoreRowsColumnsOrBytesAreRefusedAtOnce) {
  // 5,000 rows of 64 features, each value with 17 digits: 3.6 MB, under the 4 MB limit.
  const std::string largest = table(CsvTable::kMaxRows, CsvTable::kMaxFeatures,
                                    Json(-0.12345678901234567).dump().substr(0, 11));
  ASSERT_LT(largest.size(), CsvTable::kMaxBytes);
  EXPECT_GT(largest.size(), CsvTable::kMaxBytes * 4 / 5);
  CsvTable t;
  EXPECT_LT(test::release_seconds([&] { t = read_csv(largest); }), 2.0);
  EXPECT_EQ(t.rows(), 5000);
  EXPECT_EQ(t.features(), 64);

  EXPECT_EQ(refusal<CsvError>([&] { read_csv(table(CsvTable::kMaxRows + 1, 2, "1")); }),
            "row 5002: more than 5000 rows of data; bnlab reads at most 5000");
  EXPECT_EQ(refusal<CsvError>([&] { read_csv(table(10, CsvTable::kMaxFeatures + 1, "1")); }),
            "row 1: 65 feature columns besides the label; at most 64");
  const std::string over = largest + std::string(CsvTable::kMaxBytes + 1 - largest.size(), '\n');
  EXPECT_LT(
      test::release_seconds([&] { EXPECT_NE(refusal<CsvError>([&] { read_csv(over); }), ""); }),
      0.01);

  // A header of 800,000 distinct names (4 MB): its columns are counted before its names are
  // compared with each other, which would take hours.
  std::string wide;
  for (int j = 0; wide.size() < CsvTable::kMaxBytes - 8; ++j) wide += std::to_string(j) + "x,";
  std::string message;
  EXPECT_LT(
      test::release_seconds([&] { message = refusal<CsvError>([&] { read_csv(wide + "y\n"); }); }),
      1.0);
  EXPECT_EQ(message.substr(0, 7), "row 1: ");
  // A label named by a stranger (bnlab-run --label) is shown briefly, as UTF-8: 100,000 bytes
  // that are not UTF-8 as twelve U+FFFD (36 bytes) and an ellipsis.
  std::string replacements;
  for (int i = 0; i < 12; ++i) replacements += "\xEF\xBF\xBD";
  EXPECT_EQ(
      refusal<CsvError>([&] { read_csv(table(10, 2, "1"), std::string(100000, '\xA8')); }),
      "the label column \"" + replacements + "...\" is not in the header (columns: f0, f1, label)");
}

}  // namespace
}  // namespace bnlab

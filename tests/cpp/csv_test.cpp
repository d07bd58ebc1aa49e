// The one CSV reader (io/csv.hpp): the hostile files of tests/fixtures/csv/hostile.json, each
// refused with its row and column or read as documented (the wasm test runs the same table
// through the bindings and bnlab-run); a table written back reads to the same doubles; a
// "csv" configuration validated against the table's shape and trained on it.
#include "bnlab/io/csv.hpp"

#include <gtest/gtest.h>

#include "bnlab/io/config.hpp"
#include "bnlab/lab/experiment.hpp"
#include "test_util.hpp"

namespace bnlab {
namespace {

// A case's file as bytes: text as UTF-8, latin1 one byte a character, or generated.
std::string file_of(const Json& c) {
  if (const Json* text = c.find("text")) return text->as_string();
  if (const Json* latin1 = c.find("latin1")) {
    std::string out;
    const std::string& s = latin1->as_string();  // UTF-8: decode the two-byte forms
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto b = static_cast<unsigned char>(s[i]);
      out += b >= 0xC0 ? char(((b & 0x1F) << 6) | (s[++i] & 0x3F)) : char(b);
    }
    return out;
  }
  const Json& g = *c.find("generate");
  std::string out = g.find("header")->as_string() + "\n";
  if (const Json* bytes = g.find("bytes")) {
    const std::string row = g.find("row")->as_string() + "\n";
    while (out.size() < std::size_t(bytes->as_number())) out += row;
  } else {
    const auto& rows = g.find("rows")->items();
    for (int i = 0; i < int(g.find("count")->as_number()); ++i)
      out += rows[i % rows.size()].as_string() + "\n";
  }
  return out;
}

std::vector<std::string> strings(const Json& list) {
  std::vector<std::string> out;
  for (const Json& s : list.items()) out.push_back(s.as_string());
  return out;
}

const Json& cases() {
  static const Json fixture =
      Json::parse(test::read_file(BNLAB_SOURCE_DIR "/tests/fixtures/csv/hostile.json"));
  return *fixture.find("cases");
}

TEST(Csv, EveryHostileFileIsRefusedWithItsRowAndColumnOrReadAsDocumented) {
  ASSERT_GE(cases().items().size(), 20u);
  for (const Json& c : cases().items()) {
    SCOPED_TRACE(c.find("name")->as_string());
    const std::string file = file_of(c);
    const std::string label = c.find("label") ? c.find("label")->as_string() : "";
    if (const Json* error = c.find("error")) {
      try {
        read_csv(file, label);
        ADD_FAILURE() << "read, expected: " << error->as_string();
      } catch (const CsvError& e) {
        EXPECT_EQ(e.what(), error->as_string());
      }
      continue;
    }
    const Json& read = *c.find("read");
    const CsvTable t = read_csv(file, label);
    EXPECT_EQ(t.rows(), int(read.find("rows")->as_number()));
    EXPECT_EQ(t.feature_names, strings(*read.find("featureNames")));
    EXPECT_EQ(t.label_name, read.find("labelName")->as_string());
    EXPECT_EQ(t.class_names, strings(*read.find("classNames")));
  }
}

TEST(Csv, TheFirstRowsValuesAndClassesAreTheFilesAndClassesGoInNumericOrder) {
  const CsvTable t =
      read_csv("x, y ,label\n1.5,-2e3,10\n0.25, 7 ,9\n" + std::string("1,1,10\n1,1,9\n"
                                                                      "1,1,10.0\n1,1,9\n"
                                                                      "1,1,10\n1,1,9\n"
                                                                      "1,1,10\n1,1,9\n"));
  ASSERT_EQ(t.rows(), 10);
  EXPECT_EQ(t.values[0], 1.5);
  EXPECT_EQ(t.values[1], -2000.0);
  EXPECT_EQ(t.values[2], 0.25);
  EXPECT_EQ(t.values[3], 7.0);
  // 9 before 10 as numbers (as text "10" < "9"); "10.0" is the class "10".
  EXPECT_EQ(t.class_names, (std::vector<std::string>{"9", "10"}));
  EXPECT_EQ(t.labels[0], 1);
  EXPECT_EQ(t.labels[1], 0);
  EXPECT_EQ(t.labels[4], 1);
}

TEST(Csv, ATenMegabyteFileIsRefusedBeforeItIsParsed) {
  const std::string big(10u << 20, '1');  // no commas or line ends: parsing would be slow
  EXPECT_LT(test::release_seconds([&] { EXPECT_THROW(read_csv(big), CsvError); }), 0.005);
}

TEST(Csv, ATableWrittenBackReadsToTheSameTableBitForBit) {
  for (const Json& c : cases().items()) {
    if (!c.find("read")) continue;
    SCOPED_TRACE(c.find("name")->as_string());
    const CsvTable t =
        read_csv(file_of(c), c.find("label") ? c.find("label")->as_string() : std::string());
    const std::string text = csv_text(t);
    EXPECT_TRUE(read_csv(text) == t) << text.substr(0, 200);
    EXPECT_EQ(csv_text(read_csv(text)), text);
    EXPECT_EQ(csv_fingerprint(read_csv(text)), csv_fingerprint(t));
  }
  // Values that need 17 digits, a negative zero and a tiny number come back as the same doubles.
  const CsvTable t = read_csv(
      "a,b\n0.1,x\n-0,y\n0.30000000000000004,x\n1e-300,y\n123456789.123456789,x\n"
      "3.4e38,y\n-7,x\n2,y\n3,x\n4,y\n");
  const CsvTable back = read_csv(csv_text(t));
  EXPECT_TRUE(back == t);
  EXPECT_TRUE(std::signbit(back.values[1]));
  EXPECT_NE(csv_fingerprint(t), csv_fingerprint(read_csv("a,b\n0.1,x\n-0,y\n0.3,x\n1e-300,y\n"
                                                         "123456789.123456789,x\n3.4e38,y\n"
                                                         "-7,x\n2,y\n3,x\n4,y\n")));
}

TEST(Csv, ACsvConfigurationIsValidatedAgainstTheTablesShape) {
  provide_csv(read_csv(test::read_file(BNLAB_SOURCE_DIR "/examples/heights-weights.csv")));
  Config c =
      parse_config(std::string(R"({"dataset": "csv", "trainFraction": 0.5, "batchSize": 100})"));
  EXPECT_EQ(train_size(c), 100);
  EXPECT_EQ(dataset_features(DatasetKind::Csv), 2);
  try {
    parse_config(std::string(R"({"dataset": "csv", "batchSize": 101})"));
    ADD_FAILURE() << "a batch larger than the training set was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.errors().at(0).field, "batchSize");
    EXPECT_NE(e.errors()[0].message.find("100 examples (200 rows x trainFraction)"),
              std::string::npos)
        << e.errors()[0].message;
  }
  try {
    parse_config(std::string(R"({"dataset": "csv", "covariateShift": 0.5})"));
    ADD_FAILURE() << "covariate shift on a table was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.errors().at(0).field, "covariateShift");
  }
}

TEST(Csv, AnExperimentTrainsOnTheTablesRowsAsTheyAreWithItsMapForTwoFeatures) {
  const CsvTable table =
      read_csv(test::read_file(BNLAB_SOURCE_DIR "/examples/heights-weights.csv"));
  provide_csv(table);
  Experiment e(parse_config(std::string(R"({"dataset": "csv", "hidden": [8], "noise": 0.5})")));
  const Dataset& d = e.data();
  EXPECT_EQ(d.features, 2);
  EXPECT_EQ(d.classes, 2);
  EXPECT_EQ(d.feature_names, table.feature_names);
  EXPECT_EQ(d.train_raw.rows() + d.test_raw.rows(), 200);
  // The noise does not apply: every training example is one of the table's rows, as a float.
  for (Eigen::Index i = 0; i < d.train_raw.rows(); ++i) {
    bool found = false;
    for (int r = 0; r < table.rows() && !found; ++r)
      found = d.train_raw(i, 0) == float(table.values[2 * r]) &&
              d.train_raw(i, 1) == float(table.values[2 * r + 1]) &&
              d.train_y[i] == table.labels[r];
    EXPECT_TRUE(found) << "training row " << i;
  }
  EXPECT_EQ(e.grid_info().size, 48);
  e.step(50);
  EXPECT_TRUE(std::isfinite(e.evaluate(0, Split::Test).loss));

  // Three classes: no map of P(class 1).
  provide_csv(
      read_csv("a,b,c\n1,2,x\n2,3,y\n3,4,z\n4,5,x\n5,6,y\n6,7,z\n7,8,x\n8,9,y\n9,1,z\n"
               "1,3,x\n2,4,y\n3,5,z\n"));
  Experiment three(
      parse_config(std::string(R"({"dataset": "csv", "hidden": [4], "batchSize": 4})")));
  EXPECT_EQ(three.data().classes, 3);
  EXPECT_EQ(three.grid_info().size, 0);
}

}  // namespace
}  // namespace bnlab

// The CSV reader (cpp/bnlab/io/csv: your own table, from a file picked on the page, a share
// link's data= or bnlab-run --data-csv): any bytes give a table within the reader's limits or a
// CsvError, never another exception, a crash or a hang. A refusal is short UTF-8 (it is shown
// at the file field and printed by bnlab-run); a table has 10 to 5,000 rows, 1 to 64 features,
// 2 to 10 classes each used by some row, finite float32-range values and UTF-8 names, and what
// csv_text writes of it (what a share link carries) reads back as the same table, bit for bit.
//
// The input is the file; when it holds a NUL byte, what comes before the first is the label
// column's name (the page's Label column menu, bnlab-run --label) and the rest the file.
#include <cfloat>
#include <cmath>
#include <set>
#include <string>

#include "bnlab/io/csv.hpp"
#include "fuzz.hpp"

namespace {

using bnlab::CsvTable;
using bnlab::fuzz::check;
using bnlab::fuzz::valid_utf8;

// A refusal names at most a few fields, each cut to 40 characters: far below this.
constexpr std::size_t kMaxMessage = 600;

void check_table(const CsvTable& t) {
  check(t.rows() >= CsvTable::kMinRows && t.rows() <= CsvTable::kMaxRows, "10 to 5,000 rows");
  check(t.features() >= 1 && t.features() <= CsvTable::kMaxFeatures, "1 to 64 features");
  check(t.classes() >= 2 && t.classes() <= CsvTable::kMaxClasses, "2 to 10 classes");
  check(t.values.size() == std::size_t(t.rows()) * std::size_t(t.features()),
        "a value per row and feature");
  for (const double v : t.values)
    check(std::isfinite(v) && std::fabs(v) <= FLT_MAX, "values are finite float32s");
  std::set<std::int32_t> used;
  for (const std::int32_t k : t.labels) {
    check(k >= 0 && k < t.classes(), "a label is a class");
    used.insert(k);
  }
  check(int(used.size()) == t.classes(), "every class is some row's");
  std::set<std::string> names(t.feature_names.begin(), t.feature_names.end());
  names.insert(t.label_name);
  check(int(names.size()) == t.features() + 1, "the columns' names are distinct");
  for (const std::string& name : names)
    check(!name.empty() && valid_utf8(name), "a column's name is UTF-8 text", name);
  for (const std::string& name : t.class_names)
    check(!name.empty() && valid_utf8(name), "a class's name is UTF-8 text", name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input = bnlab::fuzz::text(data, size);
  const std::size_t nul = input.find('\0');
  const std::string label = nul == std::string::npos ? "" : input.substr(0, nul);
  const std::string file = nul == std::string::npos ? input : input.substr(nul + 1);
  CsvTable t;
  try {
    t = bnlab::read_csv(file, label);
  } catch (const bnlab::CsvError& e) {
    const std::string message = e.what();
    check(!message.empty() && message.size() <= kMaxMessage, "a refusal is short", message);
    check(valid_utf8(message), "a refusal is UTF-8", message);
    return 0;
  }
  check_table(t);
  const std::string text = bnlab::csv_text(t);
  CsvTable back;
  try {
    back = bnlab::read_csv(text);
  } catch (const bnlab::CsvError& e) {
    bnlab::fuzz::fail("csv_text reads back", std::string(e.what()) + "\n" + text);
  }
  check(back == t, "csv_text reads back as the same table", text);
  check(bnlab::csv_fingerprint(back) == bnlab::csv_fingerprint(t), "the same fingerprint");
  return 0;
}

// Your own data: a table of numeric features and a class label, read from CSV text by one
// reader, so the page (through the bindings) and bnlab-run refuse the same files with the same
// messages, each naming the row and the column ("row 17, column weight: "abc" is not a number").
//
// What it reads (RFC 4180 with the leniencies a spreadsheet's export needs):
//   - comma-separated; a field may be quoted ("a, b"; "" is a quote inside quotes), and a quoted
//     field may span lines; a UTF-8 byte-order mark is skipped; lines end in \n, \r\n or \r;
//   - blank lines are skipped; spaces around an unquoted field are ignored;
//   - the first row is the header unless every one of its fields is a number (then the columns
//     are named "column 1", "column 2", ...);
//   - the label column is the one named (label_column), or the last; every other column is a
//     feature and holds finite numbers within float32's range (bnlab computes in float32);
//   - rows count as a spreadsheet shows them: the file's first line is row 1.
// Limits: at most kMaxBytes bytes (checked before anything is parsed), kMaxRows rows of data,
// kMaxFeatures features, 2 to kMaxClasses classes, at least kMinRows rows.
// The classes are the label column's distinct values, in numeric order when every one is a
// number, else in byte order.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace bnlab {

struct CsvTable {
  static constexpr std::size_t kMaxBytes = 4u << 20;  // 4 MB
  static constexpr int kMaxRows = 5000;
  static constexpr int kMinRows = 10;
  static constexpr int kMaxFeatures = 64;
  static constexpr int kMaxClasses = 10;

  std::vector<std::string> feature_names;  // (F)
  std::string label_name;
  std::vector<std::string> class_names;  // (K) each class's label as first written
  std::vector<double> values;            // (rows, F) row-major
  std::vector<std::int32_t> labels;      // (rows) in [0, K)

  int rows() const { return static_cast<int>(labels.size()); }
  int features() const { return static_cast<int>(feature_names.size()); }
  int classes() const { return static_cast<int>(class_names.size()); }
  bool operator==(const CsvTable& o) const;
};

// Why a file was refused: the message names the row (counted from 1, the header's included)
// and the column where there is one.
class CsvError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Throws CsvError. label_column: the label's header name; empty for the last column.
CsvTable read_csv(std::string_view text, const std::string& label_column = "");

// The table as CSV that read_csv reads back to the same table, bit for bit: the header, the
// label last, every number in the fewest digits that give the same double. What a share link
// carries.
std::string csv_text(const CsvTable& table);

// 16 hex digits (FNV-1a, 64 bits, of csv_text): tells two tables apart in a link or a script.
std::string csv_fingerprint(const CsvTable& table);

// The process's table, once provided (bnlab-run --data-csv; the page's file field); nullptr
// before. Experiments on dataset "csv" take their data from here, and the validator its shape.
void provide_csv(CsvTable table);
const CsvTable* loaded_csv();

}  // namespace bnlab

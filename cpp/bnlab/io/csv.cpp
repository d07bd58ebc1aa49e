#include "bnlab/io/csv.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <memory>

#include "bnlab/io/json.hpp"

namespace bnlab {
namespace {

struct Record {
  int row = 0;  // the line it starts on, from 1
  std::vector<std::string> fields;
  bool blank() const {
    return fields.size() == 1 && fields[0].find_first_not_of(" \t") == std::string::npos;
  }
};

[[noreturn]] void refuse(const std::string& message) { throw CsvError(message); }

std::string row_text(int row) { return "row " + std::to_string(row); }

// Splits CSV text into records: fields split at commas, quotes honoured, line ends of any kind.
class Splitter {
 public:
  explicit Splitter(std::string_view text) : s_(text) {}

  // The next record; false at the end of the text.
  bool next(Record& r) {
    if (pos_ >= s_.size()) return false;
    r.row = line_;
    r.fields.assign(1, "");
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ',') {
        r.fields.emplace_back();
        ++pos_;
      } else if (c == '\n' || c == '\r') {
        end_line();
        return true;
      } else if (c == '"' && r.fields.back().find_first_not_of(" \t") == std::string::npos) {
        quoted(r);
      } else {
        r.fields.back() += c;
        ++pos_;
      }
    }
    return true;
  }

 private:
  void end_line() {
    if (s_[pos_] == '\r' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }

  // A quoted field from its opening quote; what follows the closing quote must end the field.
  void quoted(Record& r) {
    const int opened = line_;
    const std::size_t column = r.fields.size();  // from 1
    std::string& field = r.fields.back();
    field.clear();
    ++pos_;
    for (;;) {
      if (pos_ >= s_.size())
        refuse(row_text(opened) + ", column " + std::to_string(column) +
               ": a quote opens a field and is never closed");
      const char c = s_[pos_];
      if (c == '"') {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '"') {
          field += '"';
          pos_ += 2;
          continue;
        }
        ++pos_;
        break;
      }
      if (c == '\n' || (c == '\r' && !(pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n'))) ++line_;
      field += c;
      ++pos_;
    }
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
    if (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != '\n' && s_[pos_] != '\r')
      refuse(row_text(opened) + ", column " + std::to_string(column) +
             ": text after the closing quote of a quoted field");
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// The length of the well-formed UTF-8 character at s[i] (no overlong forms, surrogates or
// values past U+10FFFF), or 0 when the bytes there are not one.
std::size_t utf8_char(const std::string& s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  int extra = 0;
  std::uint32_t code = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    extra = 1, code = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    extra = 2, code = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    extra = 3, code = c & 0x07;
  } else {
    return 0;
  }
  if (i + extra >= s.size()) return 0;
  for (int k = 1; k <= extra; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3F);
  }
  if ((extra == 2 && (code < 0x800 || (code >= 0xD800 && code <= 0xDFFF))) ||
      (extra == 3 && (code < 0x10000 || code > 0x10FFFF)))
    return 0;
  return std::size_t(extra) + 1;
}

bool utf8(const std::string& s) {
  for (std::size_t i = 0, n; i < s.size(); i += n)
    if ((n = utf8_char(s, i)) == 0) return false;
  return true;
}

// Text as a message shows it (a column's name, a value, a label given on the command line): at
// most 40 bytes, cut after a whole character, each byte that is not UTF-8 shown as U+FFFD, so
// a message is short UTF-8 whatever the file holds.
std::string readable(const std::string& s) {
  std::string out;
  for (std::size_t i = 0, n; i < s.size(); i += n ? n : 1)
    out += (n = utf8_char(s, i)) ? s.substr(i, n) : "\xEF\xBF\xBD";
  if (out.size() <= 40) return out;
  std::size_t cut = 37;
  while ((static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  return out.substr(0, cut) + "...";
}

// A decimal number as CSV files write them: [+-](digits[.digits]|.digits)[(e|E)[+-]digits].
bool decimal_syntax(const std::string& s) {
  std::size_t i = 0;
  const auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t mantissa = digits();
  if (i < s.size() && s[i] == '.') {
    ++i;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

bool is_number(const std::string& text) { return decimal_syntax(trimmed(text)); }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

// A field as shown in a message: readable, and quoted.
std::string shown(const std::string& text) { return Json(readable(text)).dump(); }

struct Columns {
  std::vector<std::string> names;  // as the header gives them, or "column N"
  bool header = false;
  int label = 0;
  std::string where(int row, std::size_t column) const {
    return row_text(row) + ", column " + readable(names[column]);
  }
};

Columns read_header(const Record& first, const std::string& label_column) {
  Columns c;
  c.header = !std::all_of(first.fields.begin(), first.fields.end(), is_number);
  // Counted first: the names are compared pairwise, which a header of a million columns would
  // make a hang.
  if (static_cast<int>(first.fields.size()) - 1 > CsvTable::kMaxFeatures)
    refuse(row_text(first.row) + ": " + std::to_string(first.fields.size() - 1) +
           " feature columns besides the label; at most " + std::to_string(CsvTable::kMaxFeatures));
  for (std::size_t j = 0; j < first.fields.size(); ++j) {
    const std::string name = trimmed(first.fields[j]);
    if (c.header && !utf8(name))
      refuse(row_text(first.row) + ", column " + std::to_string(j + 1) +
             ": bytes that are not UTF-8 text (save the file as UTF-8)");
    c.names.push_back(c.header && !name.empty() ? name : "column " + std::to_string(j + 1));
    for (std::size_t k = 0; k < j; ++k)
      if (c.names[k] == c.names[j])
        refuse(row_text(first.row) + ", column " + std::to_string(j + 1) + ": the name " +
               shown(c.names[j]) + " repeats column " + std::to_string(k + 1) + "'s");
  }
  if (c.names.size() < 2) {
    const std::string hint = first.fields[0].find(';') != std::string::npos    ? "semicolons"
                             : first.fields[0].find('\t') != std::string::npos ? "tabs"
                                                                               : "";
    refuse(
        row_text(first.row) + ": one column; bnlab needs at least one feature and a label" +
        (hint.empty() ? "" : " (the values seem separated by " + hint + ": bnlab reads commas)"));
  }
  c.label = static_cast<int>(c.names.size()) - 1;
  if (!label_column.empty()) {
    const auto found = std::find(c.names.begin(), c.names.end(), label_column);
    if (!c.header || found == c.names.end()) {
      // The first few names: a message names what it must, briefly.
      constexpr std::size_t kListed = 8;
      std::string names;
      for (std::size_t j = 0; j < std::min(c.names.size(), kListed); ++j)
        names += (j ? ", " : "") + readable(c.names[j]);
      if (c.names.size() > kListed)
        names += " and " + std::to_string(c.names.size() - kListed) + " more";
      refuse("the label column " + shown(label_column) + " is not in the header (" +
             (c.header ? "columns: " + names : "the file has no header") + ")");
    }
    c.label = static_cast<int>(found - c.names.begin());
  }
  return c;
}

// A feature's value, or a CsvError naming the row and the column.
double feature_value(const std::string& field, const std::string& where) {
  const std::string text = trimmed(field);
  if (text.empty()) refuse(where + ": empty; every feature needs a number");
  if (!decimal_syntax(text)) {
    const std::string l = lower(text);
    const std::string bare = l[0] == '+' || l[0] == '-' ? l.substr(1) : l;
    if (bare == "nan" || bare == "inf" || bare == "infinity")
      refuse(where + ": " + shown(text) + " is not a finite number");
    if (!utf8(text)) refuse(where + ": bytes that are not UTF-8 text (save the file as UTF-8)");
    if (text.find(',') != std::string::npos &&
        decimal_syntax(std::string(text).replace(text.find(','), 1, ".")))
      refuse(where + ": " + shown(text) + " is not a number (a decimal comma? write " +
             readable(std::string(text).replace(text.find(','), 1, ".")) + ")");
    refuse(where + ": " + shown(text) + " is not a number");
  }
  const double v = std::strtod(text.c_str(), nullptr);
  if (!(std::fabs(v) <= FLT_MAX))
    refuse(where + ": " + readable(text) +
           " is beyond float32's range (about ±3.4e38), which bnlab computes in");
  return v;
}

// The classes in their order: numeric when every label is a number, else by bytes.
void number_classes(std::vector<std::string>& labels_seen, std::vector<std::int32_t>& labels) {
  const bool numeric = std::all_of(labels_seen.begin(), labels_seen.end(), is_number);
  std::vector<std::size_t> order(labels_seen.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (numeric)
      return std::strtod(labels_seen[a].c_str(), nullptr) <
             std::strtod(labels_seen[b].c_str(), nullptr);
    return labels_seen[a] < labels_seen[b];
  });
  std::vector<std::int32_t> rank(order.size());
  std::vector<std::string> names(order.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    rank[order[k]] = static_cast<std::int32_t>(k);
    names[k] = labels_seen[order[k]];
  }
  for (std::int32_t& label : labels) label = rank[label];
  labels_seen = std::move(names);
}

// The label's class index as first seen, or -1 for a new class. Numeric labels that are equal
// as numbers ("1" and "1.0") are one class.
int class_of(const std::vector<std::string>& seen, const std::string& label) {
  const bool numeric = is_number(label);
  for (std::size_t k = 0; k < seen.size(); ++k) {
    if (seen[k] == label) return static_cast<int>(k);
    if (numeric && is_number(seen[k]) &&
        std::strtod(seen[k].c_str(), nullptr) == std::strtod(label.c_str(), nullptr))
      return static_cast<int>(k);
  }
  return -1;
}

std::string ordinal(int n) {
  const int tens = n % 100, ones = n % 10;
  const char* suffix = tens >= 11 && tens <= 13 ? "th"
                       : ones == 1              ? "st"
                       : ones == 2              ? "nd"
                       : ones == 3              ? "rd"
                                                : "th";
  return std::to_string(n) + suffix;
}

void read_row(const Record& r, const Columns& c, CsvTable& t, std::vector<std::string>& seen) {
  const std::size_t columns = c.names.size();
  if (r.fields.size() < columns)
    refuse(c.where(r.row, r.fields.size()) + ": missing; the row has " +
           std::to_string(r.fields.size()) + " values, the " +
           (c.header ? "header " : "first row ") + std::to_string(columns));
  if (r.fields.size() > columns)
    refuse(row_text(r.row) + ", column " + std::to_string(columns + 1) + ": a " +
           ordinal(static_cast<int>(columns) + 1) + " value, but the " +
           (c.header ? "header has " : "first row has ") + std::to_string(columns) + " columns");
  for (std::size_t j = 0; j < columns; ++j) {
    if (static_cast<int>(j) == c.label) continue;
    t.values.push_back(feature_value(r.fields[j], c.where(r.row, j)));
  }
  const std::string label = trimmed(r.fields[c.label]);
  const std::string where = c.where(r.row, c.label);
  if (label.empty()) refuse(where + ": empty; every row needs its class");
  if (!utf8(label)) refuse(where + ": bytes that are not UTF-8 text (save the file as UTF-8)");
  int k = class_of(seen, label);
  if (k < 0) {
    if (static_cast<int>(seen.size()) == CsvTable::kMaxClasses)
      refuse(where + ": " + shown(label) + " is an " + ordinal(CsvTable::kMaxClasses + 1) +
             " class; bnlab trains on at most " + std::to_string(CsvTable::kMaxClasses));
    k = static_cast<int>(seen.size());
    seen.push_back(label);
  }
  t.labels.push_back(k);
}

std::unique_ptr<const CsvTable>& store() {
  static std::unique_ptr<const CsvTable> table;
  return table;
}

// A field as csv_text writes it: quoted when it would not read back as itself (a name that
// starts with a byte-order mark, which the reader skips at the start of a file, included).
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos && trimmed(s) == s && !s.empty() &&
      s.rfind("\xEF\xBB\xBF", 0) != 0)
    return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

bool CsvTable::operator==(const CsvTable& o) const {
  return feature_names == o.feature_names && label_name == o.label_name &&
         class_names == o.class_names && labels == o.labels &&
         std::equal(
             values.begin(), values.end(), o.values.begin(), o.values.end(),
             [](double a, double b) { return std::signbit(a) == std::signbit(b) && a == b; });
}

CsvTable read_csv(std::string_view text, const std::string& label_column) {
  if (text.size() > CsvTable::kMaxBytes)
    refuse("the file is larger than 4 MB (" + std::to_string(CsvTable::kMaxBytes) +
           " bytes); bnlab reads tables of up to " + std::to_string(CsvTable::kMaxRows) +
           " rows and " + std::to_string(CsvTable::kMaxFeatures) + " features");
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  Splitter split(text);
  Record r;
  bool have_first = false;
  while ((have_first = split.next(r)) && r.blank()) {
  }
  if (!have_first) refuse("the file is empty");
  const Columns c = read_header(r, label_column);

  CsvTable t;
  for (std::size_t j = 0; j < c.names.size(); ++j)
    if (static_cast<int>(j) != c.label) t.feature_names.push_back(c.names[j]);
  t.label_name = c.names[c.label];
  std::vector<std::string> seen;
  if (!c.header) read_row(r, c, t, seen);
  while (split.next(r)) {
    if (r.blank()) continue;
    if (t.rows() == CsvTable::kMaxRows)
      refuse(row_text(r.row) + ": more than " + std::to_string(CsvTable::kMaxRows) +
             " rows of data; bnlab reads at most " + std::to_string(CsvTable::kMaxRows));
    read_row(r, c, t, seen);
  }
  if (t.rows() == 0) refuse("no rows of data under the header");
  if (t.rows() < CsvTable::kMinRows)
    refuse(std::to_string(t.rows()) + " rows of data; bnlab needs at least " +
           std::to_string(CsvTable::kMinRows));
  if (seen.size() < 2)
    refuse("column " + readable(t.label_name) + ": every row has the class " + shown(seen[0]) +
           "; a classifier needs 2 to " + std::to_string(CsvTable::kMaxClasses) + " classes");
  number_classes(seen, t.labels);
  t.class_names = std::move(seen);
  return t;
}

std::string csv_text(const CsvTable& t) {
  std::string out;
  for (const std::string& name : t.feature_names) out += csv_field(name) + ",";
  out += csv_field(t.label_name) + "\n";
  const int f = t.features();
  for (int i = 0; i < t.rows(); ++i) {
    for (int j = 0; j < f; ++j) out += Json(t.values[std::size_t(i) * f + j]).dump() + ",";
    out += csv_field(t.class_names[t.labels[i]]) + "\n";
  }
  return out;
}

std::string csv_fingerprint(const CsvTable& table) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (const char c : csv_text(table)) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  static const char* kHex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[i] = kHex[h & 15];
  return out;
}

void provide_csv(CsvTable table) { store() = std::make_unique<const CsvTable>(std::move(table)); }

const CsvTable* loaded_csv() { return store().get(); }

}  // namespace bnlab

// The data a module is given before it builds a run on it, in both modules (the page's engine
// and the PyTorch export's): the digits file and your own table.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bindings/js.hpp"
#include "bnlab/io/csv.hpp"
#include "bnlab/lab/digits.hpp"

using namespace bnlab;
using namespace bnlab::bindings;

namespace {

std::vector<std::uint8_t> bytes_of(const val& bytes, const char* what) {
  if (!val::global("ArrayBuffer").call<bool>("isView", bytes)) throw std::invalid_argument(what);
  return emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
}

// The digits data (web/data/digits.bin) for experiments on "digits"; once per module.
void load_digits(const val& bytes) {
  guarded([&] {
    const std::vector<std::uint8_t> data = bytes_of(bytes, "loadDigits: expected a Uint8Array");
    provide_digits(decode_digits(data.data(), data.size()));
  });
}
bool digits_loaded() { return loaded_digits() != nullptr; }

// The table loaded, in words: { rows, features, classes, featureNames, labelName, classNames,
// text (csv_text: what a share link carries), fingerprint }.
val csv_summary(const CsvTable& t) {
  Json out = Json::object();
  out.set("rows", t.rows());
  out.set("features", t.features());
  out.set("classes", t.classes());
  out.set("featureNames", Json::array_of(t.feature_names));
  out.set("labelName", t.label_name);
  out.set("classNames", Json::array_of(t.class_names));
  out.set("text", csv_text(t));
  out.set("fingerprint", csv_fingerprint(t));
  return from_json(out);
}

// Your own table (a CSV file's bytes) for experiments on "csv": read by the one reader, whose
// refusals arrive as Errors naming the row and the column. label: the label column's name, or
// empty for the last column.
val load_csv(const val& bytes, const std::string& label) {
  return guarded([&] {
    const std::vector<std::uint8_t> data =
        bytes_of(bytes, "loadCsv: expected a Uint8Array of the file's bytes");
    provide_csv(
        read_csv(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), label));
    return csv_summary(*loaded_csv());
  });
}
// The table loaded (as loadCsv describes it), or null.
val loaded_table() { return loaded_csv() ? csv_summary(*loaded_csv()) : val::null(); }

}  // namespace

EMSCRIPTEN_BINDINGS(bnlab_data) {
  emscripten::function("loadDigits", &load_digits);
  emscripten::function("digitsLoaded", &digits_loaded);
  emscripten::function("loadCsv", &load_csv);
  emscripten::function("loadedTable", &loaded_table);
}

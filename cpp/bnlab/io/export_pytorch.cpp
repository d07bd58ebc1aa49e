#include "bnlab/io/export_pytorch.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "bnlab/io/pytorch_template.hpp"  // generated from pytorch_template.py
#include "bnlab/lab/experiment.hpp"

namespace bnlab {
namespace {

std::string base64(const unsigned char* bytes, std::size_t n) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  for (std::size_t i = 0; i < n; i += 3) {
    const std::uint32_t chunk = (std::uint32_t(bytes[i]) << 16) |
                                (i + 1 < n ? std::uint32_t(bytes[i + 1]) << 8 : 0) |
                                (i + 2 < n ? std::uint32_t(bytes[i + 2]) : 0);
    out += kAlphabet[(chunk >> 18) & 63];
    out += kAlphabet[(chunk >> 12) & 63];
    out += i + 1 < n ? kAlphabet[(chunk >> 6) & 63] : '=';
    out += i + 2 < n ? kAlphabet[chunk & 63] : '=';
  }
  return out;
}

// A Python string literal of base64 text, wrapped in parentheses over lines of 96 characters
// (Python joins adjacent literals), indented to sit in DATA.
std::string wrapped(const std::string& text) {
  constexpr std::size_t kLine = 96;
  if (text.size() <= kLine) return '"' + text + '"';
  std::string out = "(\n";
  for (std::size_t i = 0; i < text.size(); i += kLine)
    out += "        \"" + text.substr(i, kLine) + "\"\n";
  return out + "    )";
}

// Float32 values, little-endian (both targets are), as a base64 literal; when they take at most
// 256 distinct values (the digits' pixels), as a table of those values and one byte per entry.
std::string floats(const float* v, std::size_t n) {
  std::vector<std::uint32_t> bits(n);
  std::memcpy(bits.data(), v, n * sizeof(float));
  std::vector<std::uint32_t> distinct(bits);
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  const auto as_bytes = [](const auto& vec) {
    return reinterpret_cast<const unsigned char*>(vec.data());
  };
  if (n < 1024 || distinct.size() > 256) return wrapped(base64(as_bytes(bits), n * sizeof(float)));
  std::vector<std::uint8_t> codes(n);
  for (std::size_t i = 0; i < n; ++i)
    codes[i] = static_cast<std::uint8_t>(
        std::lower_bound(distinct.begin(), distinct.end(), bits[i]) - distinct.begin());
  return "{\n    \"values\": " + wrapped(base64(as_bytes(distinct), distinct.size() * 4)) +
         ",\n    \"codes\": " + wrapped(base64(codes.data(), n)) + ",\n    }";
}

std::string labels(const std::vector<std::int32_t>& y) {
  std::vector<std::uint8_t> bytes(y.begin(), y.end());  // classes < 256
  return wrapped(base64(bytes.data(), bytes.size()));
}

// JSON as a Python literal: true, false and null are Python's True, False and None (JSON's
// numbers, strings and arrays read the same in Python). An object one member a line.
std::string python(const Json& v) {
  if (v.is_bool()) return v.as_bool() ? "True" : "False";
  if (v.is_null()) return "None";
  if (!v.is_object()) return v.dump();
  std::string out = "{\n";
  for (const auto& [key, value] : v.members())
    out += "    " + Json(key).dump() + ": " + python(value) + ",\n";
  return out + "}";
}

// DATA: the examples in original units, the standardization, the labels, the initial weights.
std::string data_literal(Experiment& e) {
  const Dataset& d = e.data();
  std::string out = "{\n";
  const auto member = [&](const char* key, const std::string& value) {
    out += std::string("    \"") + key + "\": " + value + ",\n";
  };
  member("features", std::to_string(d.features));
  member("classes", std::to_string(d.classes));
  member("inputMean", floats(d.input_mean.data(), d.input_mean.size()));
  member("inputStd", floats(d.input_std.data(), d.input_std.size()));
  member("trainRaw", floats(d.train_raw.data(), d.train_raw.size()));
  member("trainY", labels(d.train_y));
  member("testRaw", floats(d.test_raw.data(), d.test_raw.size()));
  member("testY", labels(d.test_y));
  // Every arm starts from the same weights (Experiment): the first arm's are everyone's.
  Mlp<float>& net = e.network(0);
  std::string weights = "[\n";
  for (int l = 0; l <= net.depth(); ++l) {
    const Matrix<float>& w = l < net.depth() ? net.hidden(l).dense.W : net.output_layer().W;
    weights += "    " + floats(w.data(), w.size()) + ",\n";
  }
  member("weights", weights + "    ]");
  return out + "}";
}

std::string title(const Config& c) {
  std::string arms;
  for (std::size_t i = 0; i < c.arms.size(); ++i)
    arms += std::string(i ? (i + 1 == c.arms.size() ? " and " : ", ") : "") + name_of(c.arms[i]);
  return std::string("bnlab in PyTorch: ") + name_of(c.dataset) + ", " + arms + ", seed " +
         std::to_string(c.seed);
}

void replace(std::string& text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  if (at == std::string::npos) throw std::logic_error("pytorch_template.py has no " + from);
  text.replace(at, from.size(), to);
}

struct Cell {
  std::string kind;  // "code", "markdown", "script" (code, the script only), "notebook"
  std::vector<std::string> lines;
};

// The template's cells, in the percent format ("# %%", "# %% [markdown]", ...).
std::vector<Cell> cells(const std::string& text) {
  std::vector<Cell> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.rfind("# %%", 0) == 0) {
      const auto open = line.find('['), close = line.find(']');
      out.push_back(
          {open == std::string::npos ? "code" : line.substr(open + 1, close - open - 1), {}});
    } else if (!out.empty()) {
      out.back().lines.push_back(line);
    }
  }
  for (Cell& cell : out)
    while (!cell.lines.empty() && cell.lines.back().empty()) cell.lines.pop_back();
  return out;
}

std::string script(const std::vector<Cell>& cs) {
  std::string out = "#!/usr/bin/env python3\n";
  bool first = true;
  for (const Cell& cell : cs) {
    if (cell.kind == "notebook") continue;
    if (!first) out += "\n\n";
    first = false;
    out += cell.kind == "markdown" ? "# %% [markdown]\n" : "# %%\n";
    for (const std::string& line : cell.lines) out += line + "\n";
  }
  return out;
}

std::string notebook(const std::vector<Cell>& cs) {
  Json list = Json::array();
  for (const Cell& cell : cs) {
    if (cell.kind == "script") continue;
    const bool markdown = cell.kind == "markdown";
    Json source = Json::array();
    for (std::size_t i = 0; i < cell.lines.size(); ++i) {
      std::string line = cell.lines[i];
      if (markdown) line = line.rfind("# ", 0) == 0 ? line.substr(2) : line.substr(1);
      source.push_back(line + (i + 1 < cell.lines.size() ? "\n" : ""));
    }
    Json c = Json::object();
    c.set("cell_type", markdown ? "markdown" : "code");
    if (!markdown) c.set("execution_count", Json());
    c.set("metadata", Json::object());
    if (!markdown) c.set("outputs", Json::array());
    c.set("source", source);
    list.push_back(std::move(c));
  }
  Json kernel = Json::object();
  kernel.set("display_name", "Python 3");
  kernel.set("language", "python");
  kernel.set("name", "python3");
  Json language = Json::object();
  language.set("name", "python");
  Json metadata = Json::object();
  metadata.set("kernelspec", kernel);
  metadata.set("language_info", language);
  Json nb = Json::object();
  nb.set("cells", list);
  nb.set("metadata", metadata);
  nb.set("nbformat", 4);
  nb.set("nbformat_minor", 4);
  return nb.dump() + "\n";
}

}  // namespace

ExportFormat export_format_named(const std::string& name) {
  if (name == "pytorch") return ExportFormat::Script;
  if (name == "notebook") return ExportFormat::Notebook;
  throw std::invalid_argument("export format \"" + name +
                              "\": \"pytorch\" (a script) or \"notebook\" (Jupyter)");
}

std::string export_pytorch(const Config& config, ExportFormat format, long steps) {
  if (steps < 0) throw std::invalid_argument("export: steps must not be negative");
  Experiment e(without_measurements(config));
  std::string text = kPytorchTemplate;
  replace(text, "__BNLAB_TITLE__", title(config));
  replace(text, "__BNLAB_CONFIG__", python(config_to_json(config)));
  replace(text, "__BNLAB_STEPS__", std::to_string(steps));
  replace(text, "__BNLAB_DATA__", data_literal(e));
  const std::vector<Cell> cs = cells(text);
  return format == ExportFormat::Script ? script(cs) : notebook(cs);
}

}  // namespace bnlab

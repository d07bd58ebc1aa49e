#include "bindings/js.hpp"

#include <emscripten.h>

#include <cmath>

#include "bnlab/io/config.hpp"

namespace bnlab::bindings {
namespace {

// Throws a JavaScript Error from wasm; nothing on the C++ side needs unwinding by then. A
// configuration error also carries its fields, [{ field, message }], as error.fields.
EM_JS(void, throw_js_error, (const char* message, const char* fields_json), {
  const error = new Error(UTF8ToString(message));
  const fields = UTF8ToString(fields_json);
  if (fields) error.fields = JSON.parse(fields);
  throw error;
});

// The message (and a ConfigError's fields as JSON) of the exception being handled.
std::string error_message, error_fields;

}  // namespace

// One function, not a copy of the handlers in every guarded call (25 of them: 89 KB of wasm,
// 15 KB gzipped, when each had its own).
void describe_current_exception() {
  error_fields.clear();
  try {
    throw;
  } catch (const ConfigError& e) {
    error_message = e.what();
    Json list = Json::array();
    for (const FieldError& error : e.errors()) {
      Json entry = Json::object();
      entry.set("field", error.field);
      entry.set("message", error.message);
      list.push_back(std::move(entry));
    }
    error_fields = list.dump();
  } catch (const std::exception& e) {
    error_message = e.what();
  } catch (...) {
    error_message = "bnlab: unknown C++ error";
  }
}

void throw_described_error() {
  throw_js_error(error_message.c_str(), error_fields.c_str());
  __builtin_unreachable();
}

// Text longer than the readers take is cut to one character more before it is copied into
// wasm memory: the reader refuses it by its length, and a stranger's 100 MB string never
// crosses (a character is at least one byte of UTF-8).
std::string config_text(const val& config) {
  if (config.isUndefined() || config.isNull()) return "{}";
  val text = config.isString() ? config : val::global("JSON").call<val>("stringify", config);
  if (text.isString() && text["length"].as<double>() > double(kMaxDocumentBytes))
    text = text.call<val>("slice", 0, double(kMaxDocumentBytes + 1));
  return text.as<std::string>();
}

val from_json(const Json& json) { return val::global("JSON").call<val>("parse", json.dump()); }

long step_count(double n, const char* what) {
  if (!(n >= 0 && n <= 1e9 && n == std::floor(n)))
    throw std::invalid_argument(std::string(what) + " must be an integer from 0 to 1e9");
  return static_cast<long>(n);
}

}  // namespace bnlab::bindings

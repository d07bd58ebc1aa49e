// What every module's bindings share (the page's engine, bindings.cpp; the PyTorch export's,
// export.cpp): C++ errors as JavaScript Errors, configurations in as text, JSON out as values.
#pragma once

#include <emscripten/val.h>

#include <string>

#include "bnlab/io/json.hpp"

namespace bnlab::bindings {

using emscripten::val;

// Called in a catch block: keeps the message (and a ConfigError's fields) of the exception
// being handled for throw_described_error.
void describe_current_exception();
// Throws the kept message as a JavaScript Error (with error.fields for a configuration error).
[[noreturn]] void throw_described_error();

// Runs f, turning any C++ exception into a JavaScript Error with the same message. JavaScript
// throws once the catch block is left, so that no C++ object is left to destroy by then.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (...) {
    describe_current_exception();
  }
  throw_described_error();
}

// A configuration (or a sweep, or a calculator's input) given as an object, as JSON text, or
// not at all (the defaults), as the text the readers take.
std::string config_text(const val& config);

val from_json(const Json& json);

// A step count from JavaScript: an integer from 0 to 1e9, refused otherwise (NaN and Infinity
// included) before it becomes a C++ integer; `what` names it in the refusal ("step(n): n").
long step_count(double n, const char* what);

}  // namespace bnlab::bindings

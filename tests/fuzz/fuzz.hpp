// What the fuzz targets share: the input as text, and a failed check that libFuzzer keeps as a
// crash (an exception the target does not expect escapes, which libFuzzer also reports).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bnlab/io/config.hpp"

namespace bnlab::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// A fact the target checks does not hold: say which, and abort so libFuzzer saves the input.
[[noreturn]] inline void fail(const char* check, const std::string& detail = "") {
  std::fprintf(stderr, "fuzz check failed: %s\n%s\n", check, detail.substr(0, 2000).c_str());
  std::abort();
}

inline void check(bool ok, const char* what, const std::string& detail = "") {
  if (!ok) fail(what, detail);
}

// UTF-8 as RFC 3629 has it: no overlong forms, no surrogates, nothing above U+10FFFF.
inline bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned c = byte(i);
    std::size_t n;
    unsigned cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 1, cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2, cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size() || (byte(i + k) & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    const unsigned least[] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// A reader's refusal: at least one problem and at most ConfigError::kMaxErrors, each naming a
// field and saying what is wrong, in UTF-8.
inline void check_refusal(const ConfigError& e) {
  check(!e.errors().empty() && e.errors().size() <= ConfigError::kMaxErrors,
        "a refusal lists 1 to kMaxErrors problems", e.what());
  for (const FieldError& f : e.errors())
    check(!f.field.empty() && !f.message.empty(), "each problem has a field and a message",
          e.what());
  check(valid_utf8(e.what()), "every refusal is UTF-8", e.what());
}

}  // namespace bnlab::fuzz

// The JSON reader (cpp/bnlab/io/json): any bytes give a value or a JsonError naming an offset
// inside the text, never another exception, a crash or a stack overflow; a value written out
// reads back as the same text; its strings and every message are UTF-8, describe() short.
#include <string>

#include "bnlab/io/json.hpp"
#include "fuzz.hpp"

namespace {

using bnlab::Json;
using bnlab::fuzz::check;

// Every value of the tree: its strings are UTF-8, and describe(), which error messages quote,
// is short UTF-8.
void check_values(const Json& v) {
  using bnlab::fuzz::valid_utf8;
  const std::string d = v.describe();
  if (!v.is_array() && !v.is_object()) check(d.size() <= 40, "describe() is at most 40 bytes", d);
  check(valid_utf8(d), "describe() is UTF-8", d);
  check(valid_utf8(v.as_string()), "a string is UTF-8", v.as_string());
  for (const Json& item : v.items()) check_values(item);
  for (const auto& member : v.members()) {
    check(valid_utf8(member.first), "a key is UTF-8", member.first);
    check_values(member.second);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = bnlab::fuzz::text(data, size);
  Json value;
  try {
    value = Json::parse(text);
  } catch (const bnlab::JsonError& e) {
    const std::string message = e.what();
    const std::string head = "invalid JSON at offset ";
    check(message.rfind(head, 0) == 0, "a JsonError says where", message);
    check(std::stoul(message.substr(head.size())) <= size, "the offset is inside the text",
          message);
    check(bnlab::fuzz::valid_utf8(message), "the message is UTF-8", message);
    return 0;
  }
  // Written out, the value reads back as the same text (numbers that do not fit a double, and
  // escapes, are normalized by the first reading).
  const std::string once = value.dump();
  const std::string twice = Json::parse(once).dump();
  check(once == twice, "dump(parse(dump(v))) == dump(v)", once + "\n" + twice);
  check_values(value);
  return 0;
}

#include "bnlab/io/json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace bnlab {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  Json parse_document(std::size_t max_bytes) {
    if (s_.size() > max_bytes)
      fail_at(max_bytes,
              "longer than " + std::to_string(max_bytes) + " bytes, this reader's limit");
    Json value = parse_value(0);
    skip_space();
    if (pos_ != s_.size()) fail("unexpected text after the JSON value");
    return value;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  // A byte as a message can show it: a printable ASCII character quoted, any other by its value
  // (half a UTF-8 sequence or a control character would garble the message).
  static std::string byte_text(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) return std::string("character '") + c + "'";
    char hex[16];
    std::snprintf(hex, sizeof hex, "byte 0x%02X", u);
    return hex;
  }
  [[noreturn]] static void fail_at(std::size_t offset, const std::string& what) {
    throw JsonError("invalid JSON at offset " + std::to_string(offset) + ": " + what);
  }
  void skip_space() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool consume(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect_word(const char* word) {
    for (const char* p = word; *p; ++p, ++pos_)
      if (pos_ >= s_.size() || s_[pos_] != *p) fail(std::string("expected ") + word);
  }

  Json parse_value(int depth) {
    if (depth >= Json::kMaxDepth)  // hostile input must not exhaust the stack
      fail("nested more than " + std::to_string(Json::kMaxDepth) + " levels deep");
    skip_space();
    if (pos_ >= s_.size()) fail("unexpected end of input");
    const char c = s_[pos_];
    if (c == '{') return parse_object(depth);
    if (c == '[') return parse_array(depth);
    if (c == '"') return Json(parse_string());
    if (c == 't') return expect_word("true"), Json(true);
    if (c == 'f') return expect_word("false"), Json(false);
    if (c == 'n') return expect_word("null"), Json();
    if (c == '-' || (c >= '0' && c <= '9')) return Json(parse_number());
    fail("unexpected " + byte_text(c));
  }

  Json parse_object(int depth) {
    ++pos_;
    Json obj = Json::object();
    std::vector<std::size_t> key_offsets;
    if (consume('}')) return obj;
    do {
      skip_space();
      if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a string key");
      key_offsets.push_back(pos_);
      std::string key = parse_string();
      if (!consume(':')) fail("expected ':'");
      obj.push_member(std::move(key), parse_value(depth + 1));
    } while (consume(','));
    if (!consume('}')) fail("expected ',' or '}'");
    refuse_repeated_keys(obj, key_offsets);
    return obj;
  }

  // A key given twice makes an object mean different things to different readers (the first
  // value or the last?): refused, at the second. Sorting finds it in n log n, where looking up
  // each key among those before it would take a stranger's 100,000 keys 5 billion comparisons.
  void refuse_repeated_keys(const Json& obj, const std::vector<std::size_t>& key_offsets) const {
    const auto& members = obj.members();
    if (members.size() < 2) return;
    std::vector<std::size_t> order(members.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return members[a].first != members[b].first ? members[a].first < members[b].first : a < b;
    });
    std::size_t repeat = members.size();
    for (std::size_t k = 1; k < order.size(); ++k)
      if (members[order[k]].first == members[order[k - 1]].first)
        repeat = std::min(repeat, order[k]);
    if (repeat < members.size())
      fail_at(key_offsets[repeat], "the key " + Json(members[repeat].first).describe() +
                                       " is given twice in one object");
  }

  Json parse_array(int depth) {
    ++pos_;
    Json arr = Json::array();
    if (consume(']')) return arr;
    do arr.push_back(parse_value(depth + 1));
    while (consume(','));
    if (!consume(']')) fail("expected ',' or ']'");
    return arr;
  }

  double parse_number() {
    const std::size_t start = pos_;
    auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      if (pos_ == from) fail("expected a digit");
    };
    if (s_[pos_] == '-') ++pos_;
    // JSON allows no leading zeros: 0, 0.5 and 10 but not 01.
    if (pos_ + 1 < s_.size() && s_[pos_] == '0' && s_[pos_ + 1] >= '0' && s_[pos_ + 1] <= '9')
      fail("leading zero in a number");
    digits();
    if (pos_ < s_.size() && s_[pos_] == '.') ++pos_, digits();
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      digits();
    }
    return std::strtod(s_.substr(start, pos_ - start).c_str(), nullptr);
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  unsigned parse_hex4() {
    if (pos_ + 4 > s_.size()) fail("truncated \\u escape");
    unsigned cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[pos_++];
      cp <<= 4;
      if (h >= '0' && h <= '9')
        cp |= h - '0';
      else if (h >= 'a' && h <= 'f')
        cp |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F')
        cp |= h - 'A' + 10;
      else
        fail_at(pos_ - 1, "bad \\u escape");
    }
    return cp;
  }

  // The rest of a UTF-8 character whose first byte, c, was just read, checked against RFC 3629's
  // table (no overlong forms, no surrogates, nothing above U+10FFFF): JSON text is UTF-8, and
  // every message that quotes a string must be too.
  void take_utf8(char c, std::string& out) {
    const std::size_t start = pos_ - 1;
    const auto first = static_cast<unsigned char>(c);
    int more = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range; later ones are 80..BF
    if (first >= 0xC2 && first <= 0xDF) {
      more = 1;
    } else if (first >= 0xE0 && first <= 0xEF) {
      more = 2;
      if (first == 0xE0) lo = 0xA0;
      if (first == 0xED) hi = 0x9F;
    } else if (first >= 0xF0 && first <= 0xF4) {
      more = 3;
      if (first == 0xF0) lo = 0x90;
      if (first == 0xF4) hi = 0x8F;
    } else {
      fail_at(start, "invalid UTF-8");
    }
    out += c;
    for (int k = 0; k < more; ++k, lo = 0x80, hi = 0xBF) {
      const auto next = pos_ < s_.size() ? static_cast<unsigned char>(s_[pos_]) : 0;
      if (next < lo || next > hi) fail_at(start, "invalid UTF-8");
      out += s_[pos_++];
    }
  }

  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) fail("unterminated string");
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail_at(pos_ - 1, "control character in string");
      if (static_cast<unsigned char>(c) >= 0x80) {
        take_utf8(c, out);
        continue;
      }
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) fail("unterminated escape");
      const char e = s_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const std::size_t start = pos_ - 2;
          unsigned cp = parse_hex4();
          // A UTF-16 surrogate is only meaningful as a high-low pair.
          if (cp >= 0xDC00 && cp <= 0xDFFF) fail_at(start, "lone low surrogate");
          if (cp >= 0xD800 && cp < 0xDC00) {
            if (!(pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u'))
              fail_at(start, "lone high surrogate");
            pos_ += 2;
            const unsigned low = parse_hex4();
            if (low < 0xDC00 || low > 0xDFFF) fail_at(start, "bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: fail_at(pos_ - 1, "bad escape after \\: " + byte_text(e));
      }
    }
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

void dump_string(const std::string& s, std::string& out) {
  out += '"';
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

Json Json::parse(const std::string& text, std::size_t max_bytes) {
  return Parser(text).parse_document(max_bytes);
}

const Json* Json::find(const std::string& key) const {
  for (const auto& [k, v] : members_)
    if (k == key) return &v;
  return nullptr;
}

Json& Json::set(const std::string& key, Json value) {
  type_ = Type::Object;
  for (auto& [k, v] : members_)
    if (k == key) return v = std::move(value);
  members_.emplace_back(key, std::move(value));
  return members_.back().second;
}

std::string Json::dump() const {
  std::string out;
  dump_to(out);
  return out;
}

void Json::dump_to(std::string& out) const {
  switch (type_) {
    case Type::Null: out += "null"; break;
    case Type::Bool: out += bool_ ? "true" : "false"; break;
    case Type::Number:
      if (!std::isfinite(number_)) {
        out += "null";
      } else {
        // The shortest of 9 and 17 significant digits that reads back as the same double.
        char buf[32];
        if (number_ == std::floor(number_) && std::fabs(number_) < 1e15)
          std::snprintf(buf, sizeof buf, "%.0f", number_);
        else if (std::snprintf(buf, sizeof buf, "%.9g", number_);
                 std::strtod(buf, nullptr) != number_)
          std::snprintf(buf, sizeof buf, "%.17g", number_);
        out += buf;
      }
      break;
    case Type::String: dump_string(string_, out); break;
    case Type::Array:
      out += '[';
      for (std::size_t i = 0; i < items_.size(); ++i) {
        if (i) out += ',';
        items_[i].dump_to(out);
      }
      out += ']';
      break;
    case Type::Object:
      out += '{';
      for (std::size_t i = 0; i < members_.size(); ++i) {
        if (i) out += ',';
        dump_string(members_[i].first, out);
        out += ':';
        members_[i].second.dump_to(out);
      }
      out += '}';
      break;
  }
}

std::string Json::describe() const {
  switch (type_) {
    case Type::Array: return "an array of " + std::to_string(items_.size()) + " items";
    case Type::Object: return "an object";
    default: {
      std::string text = dump();
      if (text.size() <= 40) return text;
      // Cut at a character's first byte: a message must not end in half a UTF-8 sequence.
      std::size_t cut = 37;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      return text.substr(0, cut) + "...";
    }
  }
}

}  // namespace bnlab

// The JSON reader and writer against RFC 8259: every value type, escapes, errors with the
// offset of the offending byte, the nesting limit, and exact round trips of numbers.
#include "bnlab/io/json.hpp"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

namespace bnlab {
namespace {

// Deep equality; numbers compare by bit pattern, so -0.0 differs from 0.0.
bool same(const Json& a, const Json& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Json::Type::Null: return true;
    case Json::Type::Bool: return a.as_bool() == b.as_bool();
    case Json::Type::Number: {
      const double x = a.as_number(), y = b.as_number();
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
    case Json::Type::String: return a.as_string() == b.as_string();
    case Json::Type::Array:
      if (a.items().size() != b.items().size()) return false;
      for (std::size_t i = 0; i < a.items().size(); ++i)
        if (!same(a.items()[i], b.items()[i])) return false;
      return true;
    case Json::Type::Object:
      if (a.members().size() != b.members().size()) return false;
      for (std::size_t i = 0; i < a.members().size(); ++i)
        if (a.members()[i].first != b.members()[i].first ||
            !same(a.members()[i].second, b.members()[i].second))
          return false;
      return true;
  }
  return false;
}

// The message of the JsonError that parsing `text` throws, or "" when it parses.
std::string parse_error(const std::string& text) {
  try {
    Json::parse(text);
  } catch (const JsonError& e) {
    return e.what();
  }
  return "";
}

// Checks that `text` is rejected and that the error names byte `offset`.
void expect_error_at(const std::string& text, std::size_t offset) {
  const std::string message = parse_error(text);
  ASSERT_FALSE(message.empty()) << "accepted: " << text;
  EXPECT_NE(message.find("offset " + std::to_string(offset) + ":"), std::string::npos)
      << "text: " << text << "\nmessage: " << message;
}

TEST(Json, ParsesEveryValueType) {
  EXPECT_TRUE(Json::parse("null").is_null());
  EXPECT_TRUE(Json::parse("true").as_bool());
  EXPECT_TRUE(Json::parse("false").is_bool());
  EXPECT_FALSE(Json::parse("false").as_bool());
  EXPECT_EQ(Json::parse("42").as_number(), 42.0);
  EXPECT_EQ(Json::parse("-12.5e2").as_number(), -1250.0);
  EXPECT_EQ(Json::parse("1E+2").as_number(), 100.0);
  EXPECT_EQ(Json::parse("0.5e-3").as_number(), 0.0005);
  EXPECT_EQ(Json::parse("\"abc\"").as_string(), "abc");
  EXPECT_TRUE(Json::parse("[]").is_array());
  EXPECT_TRUE(Json::parse("[]").items().empty());
  EXPECT_TRUE(Json::parse("{}").is_object());
  EXPECT_TRUE(Json::parse("{}").members().empty());
  EXPECT_TRUE(Json::parse(" \t\r\n 7 \n").is_number());
}

TEST(Json, MinusZeroKeepsItsSign) {
  const double z = Json::parse("-0").as_number();
  EXPECT_EQ(z, 0.0);
  EXPECT_TRUE(std::signbit(z));
}

TEST(Json, ParsesNestedStructuresKeepingMemberOrder) {
  const Json j = Json::parse(R"({"b": [1, {"c": null}, [true, "x"]], "a": {"d": {}}})");
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j.members().size(), 2u);
  EXPECT_EQ(j.members()[0].first, "b");
  EXPECT_EQ(j.members()[1].first, "a");
  const Json& b = *j.find("b");
  ASSERT_EQ(b.items().size(), 3u);
  EXPECT_EQ(b.items()[0].as_number(), 1.0);
  EXPECT_TRUE(b.items()[1].find("c")->is_null());
  EXPECT_EQ(b.items()[1].find("missing"), nullptr);
  EXPECT_TRUE(b.items()[2].items()[0].as_bool());
  EXPECT_EQ(b.items()[2].items()[1].as_string(), "x");
  EXPECT_TRUE(j.find("a")->find("d")->is_object());
}

TEST(Json, DecodesSimpleEscapes) {
  EXPECT_EQ(Json::parse(R"("\"\\\/\b\f\n\r\t")").as_string(), "\"\\/\b\f\n\r\t");
}

TEST(Json, DecodesUnicodeEscapesToUtf8) {
  EXPECT_EQ(Json::parse(R"("\u0041")").as_string(), "A");
  EXPECT_EQ(Json::parse(R"("\u00e9")").as_string(), "\xC3\xA9");      // e acute, 2 bytes
  EXPECT_EQ(Json::parse(R"("\u20AC")").as_string(), "\xE2\x82\xAC");  // euro sign, 3 bytes
  // U+1F600 = 0x10000 + (0x3D << 10) + 0x200: 11110000 10011111 10011000 10000000.
  EXPECT_EQ(Json::parse(R"("\ud83d\ude00")").as_string(), "\xF0\x9F\x98\x80");
  // Raw UTF-8 passes through untouched.
  EXPECT_EQ(Json::parse("\"\xF0\x9F\x98\x80\"").as_string(), "\xF0\x9F\x98\x80");
}

TEST(Json, RejectsAHighSurrogateFollowedByANonLowSurrogate) {
  EXPECT_NE(parse_error(R"("\ud83d\u0041")"), "");
}

TEST(Json, ErrorsNameTheOffsetOfTheOffendingByte) {
  expect_error_at("[1,2,]", 5);       // trailing comma: the ']' where a value must be
  expect_error_at(R"({"a":1,})", 7);  // trailing comma in an object: '}' where a key must be
  expect_error_at(R"("abc)", 4);      // unterminated string: the end of input
  expect_error_at("tru", 3);          // truncated literal: the end of input
  expect_error_at("trUe", 2);         // bad literal: the 'U'
  expect_error_at("[nulx]", 4);       // bad literal inside an array: the 'x'
  expect_error_at("{} x", 3);         // trailing garbage: the 'x'
  expect_error_at("1 2", 2);          // a second value
  expect_error_at("", 0);             // no value at all
  expect_error_at("[1 2]", 3);        // missing comma
  expect_error_at(R"({"a" 1})", 5);   // missing colon
  expect_error_at("{1:2}", 1);        // key that is not a string
}

TEST(Json, ControlCharacterInStringIsRejectedAtItsOffset) {
  // RFC 8259 section 7: characters below U+0020 must be escaped. The raw newline is byte 2.
  expect_error_at("\"a\nb\"", 2);
  expect_error_at("\"\tb\"", 1);
}

TEST(Json, RejectsNumbersJsonDoesNotAllow) {
  // RFC 8259 section 6: int = zero / ( digit1-9 *DIGIT ); no leading '+', no bare '.', no
  // leading zeros, and at least one digit after '.', 'e' and '-'.
  for (const char* text : {"01", "-01", "00", "+1", ".5", "1.", "1.e5", "1e", "-", "--1", "NaN",
                           "Infinity", "-Infinity", "0x10"})
    EXPECT_NE(parse_error(text), "") << "accepted: " << text;
}

TEST(Json, NestingOf64IsAcceptedAndDeeperIsRejected) {
  const auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  EXPECT_EQ(parse_error(nested(64)), "");
  EXPECT_NE(parse_error(nested(66)), "");
  const std::string message = parse_error(nested(66));
  EXPECT_NE(message.find("64"), std::string::npos) << message;
}

TEST(Json, HundredThousandOpenBracketsGiveAnErrorNotAStackOverflow) {
  EXPECT_NE(parse_error(std::string(100000, '[')).find("64"), std::string::npos);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_NE(parse_error(objects).find("64"), std::string::npos);
}

TEST(Json, NumbersRoundTripExactlyThroughDump) {
  const double values[] = {0.1,
                           1e-5,
                           4294967295.0,
                           -0.5,
                           1.0 / 3,
                           0.1 + 0.2,
                           1e300,
                           -1e-300,
                           DBL_MAX,
                           DBL_MIN,
                           5e-324,
                           1e15 + 1,
                           123456789012345678.0,
                           2.0 / 3 * 1e20,
                           -0.0,
                           0.0,
                           std::nextafter(1.0, 2.0)};
  for (const double v : values) {
    const std::string text = Json(v).dump();
    const Json back = Json::parse(text);
    ASSERT_TRUE(back.is_number()) << text;
    EXPECT_TRUE(same(back, Json(v))) << "dumped " << text << ", read " << back.as_number();
  }
}

TEST(Json, IntegersDumpWithoutExponentOrFraction) {
  EXPECT_EQ(Json(4294967295.0).dump(), "4294967295");
  EXPECT_EQ(Json(-7).dump(), "-7");
  EXPECT_EQ(Json(0).dump(), "0");
}

TEST(Json, NonFiniteNumbersDumpAsNull) {
  EXPECT_EQ(Json(std::numeric_limits<double>::quiet_NaN()).dump(), "null");
  EXPECT_EQ(Json(std::numeric_limits<double>::infinity()).dump(), "null");
  EXPECT_EQ(Json(-std::numeric_limits<double>::infinity()).dump(), "null");
  Json a = Json::array();
  a.push_back(1);
  a.push_back(std::nan(""));
  EXPECT_EQ(a.dump(), "[1,null]");
}

TEST(Json, StringsDumpWithQuotesBackslashesAndControlCharactersEscaped) {
  const std::string s = "a\"b\\c\nd\te\rf\x01g\x1f/\xC3\xA9";
  EXPECT_EQ(Json(s).dump(), "\"a\\\"b\\\\c\\nd\\te\\rf\\u0001g\\u001f/\xC3\xA9\"");
  EXPECT_EQ(Json::parse(Json(s).dump()).as_string(), s);
}

TEST(Json, DocumentsRoundTripThroughDump) {
  const Json doc = Json::parse(
      R"({"name":"x\"y","list":[1,-0.25,1e-7,true,false,null,[],{}],"nested":{"k":[{"z":"\u00e9\ud83d\ude00"}]}})");
  const Json again = Json::parse(doc.dump());
  EXPECT_TRUE(same(doc, again)) << doc.dump() << "\n" << again.dump();
  EXPECT_EQ(again.dump(), doc.dump());
}

TEST(Json, SetReplacesAnExistingKeyAndAppendsANewOne) {
  Json o = Json::object();
  o.set("a", 1);
  o.set("b", 2);
  o.set("a", "x");
  ASSERT_EQ(o.members().size(), 2u);
  EXPECT_EQ(o.find("a")->as_string(), "x");
  EXPECT_EQ(o.dump(), R"({"a":"x","b":2})");
}

TEST(Json, DescribeShortensLongValuesTo40Characters) {
  EXPECT_EQ(Json("abc").describe(), "\"abc\"");
  EXPECT_EQ(Json::parse("[1,2,3]").describe(), "an array of 3 items");
  EXPECT_EQ(Json::object().describe(), "an object");
  const std::string d = Json(std::string(100, 'z')).describe();
  EXPECT_EQ(d.size(), 40u);
  EXPECT_EQ(d.substr(37), "...");
}

}  // namespace
}  // namespace bnlab

namespace bnlab {
namespace {

TEST(Json, RejectsLoneSurrogatesAtTheEscapesOffset) {
  // A UTF-16 surrogate half alone is not a character; decoding it would emit invalid UTF-8.
  for (const auto& [text, offset] : std::vector<std::pair<std::string, int>>{
           {R"("\ud83d")", 1}, {R"("ab\ude00")", 3}, {R"("\ud83dx")", 1}}) {
    try {
      Json::parse(text);
      ADD_FAILURE() << text << " parsed";
    } catch (const JsonError& e) {
      EXPECT_NE(std::string(e.what()).find("at offset " + std::to_string(offset) + ": lone"),
                std::string::npos)
          << text << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace bnlab

namespace bnlab {
namespace {

// Found by the fuzzer (tests/fuzz/regressions/json/describe-cuts-utf8): a long string of
// two-byte characters was cut after half of one.
TEST(Json, DescribeCutsALongStringAtACharacterNotInsideOne) {
  std::string e_acute;
  for (int i = 0; i < 30; ++i) e_acute += "\xC3\xA9";
  const std::string d = Json(e_acute).describe();
  // '"' and 18 characters of 2 bytes fill 37 bytes; a 19th would end at byte 39.
  EXPECT_EQ(d, "\"" + e_acute.substr(0, 36) + "...");
  const std::string z = Json(std::string(100, 'z')).describe();
  EXPECT_EQ(z.size(), 40u);
}

// RFC 8259 section 8.1: JSON text is UTF-8. Each byte sequence RFC 3629 forbids is refused at
// the offset of its first byte; the message shows a byte that is no character by its value.
TEST(Json, RefusesStringsThatAreNotUtf8AtTheFirstByteOfTheBadSequence) {
  for (const std::string& bad : {
           std::string("\"ab\xC0\x80\""),          // overlong NUL
           std::string("\"ab\xE0\x9F\xBF\""),      // overlong 3-byte form
           std::string("\"ab\xED\xA0\x80\""),      // a UTF-16 surrogate, encoded
           std::string("\"ab\xF4\x90\x80\x80\""),  // above U+10FFFF
           std::string("\"ab\xF5\x80\x80\x80\""),  // a byte that never starts a character
           std::string("\"ab\x80\""),              // a lone continuation byte
           std::string("\"ab\xE2\x82\""),          // cut short by the closing quote
           std::string("\"ab\xE2"),                // cut short by the end
       }) {
    expect_error_at(bad, 3);
    EXPECT_NE(parse_error(bad).find("invalid UTF-8"), std::string::npos) << parse_error(bad);
  }
  EXPECT_EQ(Json::parse("\"\xF4\x8F\xBF\xBF\xEF\xBF\xBD\"").as_string(),
            "\xF4\x8F\xBF\xBF\xEF\xBF\xBD");  // U+10FFFF and U+FFFD are characters
  EXPECT_EQ(parse_error("[\xC3\xA9]"), "invalid JSON at offset 1: unexpected byte 0xC3");
  EXPECT_EQ(parse_error("[@]"), "invalid JSON at offset 1: unexpected character '@'");
  EXPECT_EQ(parse_error("\"\\\xC3\xA9\""),
            "invalid JSON at offset 2: bad escape after \\: byte 0xC3");
}

}  // namespace
}  // namespace bnlab

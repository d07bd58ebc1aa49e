// A small JSON value with a strict parser and a writer: enough for configurations and
// metric output, so the core needs no library beyond Eigen.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace bnlab {

class Json {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : type_(Type::Bool), bool_(b) {}
  Json(double n) : type_(Type::Number), number_(n) {}
  Json(int n) : type_(Type::Number), number_(n) {}
  Json(long n) : type_(Type::Number), number_(static_cast<double>(n)) {}
  Json(long long n) : type_(Type::Number), number_(static_cast<double>(n)) {}
  Json(unsigned n) : type_(Type::Number), number_(n) {}
  Json(const char* s) : type_(Type::String), string_(s) {}
  Json(std::string s) : type_(Type::String), string_(std::move(s)) {}

  static Json array() {
    Json j;
    j.type_ = Type::Array;
    return j;
  }
  static Json object() {
    Json j;
    j.type_ = Type::Object;
    return j;
  }
  template <class Seq>
  static Json array_of(const Seq& values) {
    Json j = array();
    for (const auto& v : values) j.push_back(Json(v));
    return j;
  }

  // The most a text may hold: its bytes, and how deep arrays and objects nest. A stranger's
  // 100 MB document or 100,000 open brackets is refused at once, not read or recursed into.
  // The largest document bnlab writes for reading back, a shard of a 24 x 24 sweep with four
  // arms, is under half of kMaxBytes (about 400 KB).
  static constexpr std::size_t kMaxBytes = std::size_t(1) << 20;
  static constexpr int kMaxDepth = 64;

  // Throws JsonError with the byte offset of the first problem: text that is not JSON, longer
  // than max_bytes, nested deeper than kMaxDepth, or an object that gives a key twice.
  static Json parse(const std::string& text, std::size_t max_bytes = kMaxBytes);
  // Compact text; numbers read back exactly, non-finite numbers as null.
  std::string dump() const;

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::Null; }
  bool is_bool() const { return type_ == Type::Bool; }
  bool is_number() const { return type_ == Type::Number; }
  bool is_string() const { return type_ == Type::String; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_object() const { return type_ == Type::Object; }

  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<Json>& items() const { return items_; }
  const std::vector<std::pair<std::string, Json>>& members() const { return members_; }

  // Object access: find() gives nullptr for a missing key; set() replaces or appends.
  const Json* find(const std::string& key) const;
  Json& set(const std::string& key, Json value);
  Json& push_back(Json value) {
    items_.push_back(std::move(value));
    return items_.back();
  }
  // Appends a member without looking for its key among the others (the reader, which refuses
  // a repeated key once the object is read).
  void push_member(std::string key, Json value) {
    type_ = Type::Object;
    members_.emplace_back(std::move(key), std::move(value));
  }

  // A short description for error messages: the value itself, or its type when long.
  std::string describe() const;

 private:
  void dump_to(std::string& out) const;

  Type type_ = Type::Null;
  bool bool_ = false;
  double number_ = 0.0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

class JsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace bnlab

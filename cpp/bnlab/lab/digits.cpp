#include "bnlab/lab/digits.hpp"

#include <memory>
#include <stdexcept>
#include <string>

namespace bnlab {
namespace {

std::unique_ptr<const Digits>& store() {
  static std::unique_ptr<const Digits> digits;
  return digits;
}

[[noreturn]] void bad(const std::string& what) {
  throw std::invalid_argument("digits data: " + what);
}

}  // namespace

Digits decode_digits(const std::uint8_t* bytes, std::size_t size) {
  constexpr std::size_t kHeader = Digits::kHeaderBytes;
  constexpr int kBits = Digits::kPixelBits;
  if (size < kHeader || bytes[0] != 'B' || bytes[1] != 'N' || bytes[2] != 'L' || bytes[3] != 'D')
    bad("not a bnlab data file (no BNLD header)");
  if (bytes[4] != 1) bad("format version " + std::to_string(bytes[4]) + ", expected 1");
  const int count = bytes[6] | (bytes[7] << 8);
  if (bytes[5] != kBits || count != Digits::kCount || bytes[8] != Digits::kFeatures ||
      bytes[9] != Digits::kClasses)
    bad("expected 1797 examples of 64 five-bit pixels and 10 classes");
  const std::size_t pixels = std::size_t(count) * Digits::kFeatures;
  const std::size_t packed = (pixels * kBits + 7) / 8;
  if (size != Digits::kFileBytes)
    bad(std::to_string(size) + " bytes, expected " + std::to_string(Digits::kFileBytes));

  Digits d;
  d.pixels.resize(pixels);
  const std::uint8_t* bits = bytes + kHeader;
  for (std::size_t i = 0; i < pixels; ++i) {
    int value = 0;
    for (int b = 0; b < kBits; ++b) {
      const std::size_t bit = i * kBits + b;
      value |= ((bits[bit >> 3] >> (bit & 7)) & 1) << b;
    }
    if (value > Digits::kMaxPixel) bad("a pixel of " + std::to_string(value) + ", above 16");
    d.pixels[i] = static_cast<std::uint8_t>(value);
  }
  const std::uint8_t* labels = bits + packed;
  d.labels.resize(count);
  for (int i = 0; i < count; ++i) {
    if (labels[i] >= Digits::kClasses) bad("a label of " + std::to_string(labels[i]));
    d.labels[i] = labels[i];
  }
  return d;
}

void provide_digits(Digits digits) { store() = std::make_unique<const Digits>(std::move(digits)); }

const Digits* loaded_digits() { return store().get(); }

}  // namespace bnlab

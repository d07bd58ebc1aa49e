// The UCI handwritten digits (1797 examples, 8x8 pixels of 0..16, 10 classes), decoded from
// the packed file web/data/digits.bin (its format: web/data/make-digits.mjs). The core reads
// no files: the command-line runner and the page's worker hand it the bytes once, and
// experiments on "digits" take them from here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "bnlab/io/config.hpp"

namespace bnlab {

// kCount, kFeatures, kClasses: the shape the validator knows them by.
struct Digits : DigitsShape {
  static constexpr int kMaxPixel = 16;
  // The file: a 10-byte header, the pixels packed 5 bits each, a byte per label.
  static constexpr std::size_t kHeaderBytes = 10;
  static constexpr int kPixelBits = 5;
  static constexpr std::size_t kFileBytes =
      kHeaderBytes + (std::size_t(kCount) * kFeatures * kPixelBits + 7) / 8 + kCount;
  std::vector<std::uint8_t> pixels;  // kCount * kFeatures, 0..16
  std::vector<std::int32_t> labels;  // kCount, 0..9
};

// Throws std::invalid_argument saying what is wrong with the bytes.
Digits decode_digits(const std::uint8_t* bytes, std::size_t size);

// The process's digits, once provided; nullptr before.
void provide_digits(Digits digits);
const Digits* loaded_digits();

}  // namespace bnlab

// The digits file decoder (decode_digits: web/data/digits.bin, which the page fetches and
// bnlab-run reads from --data): any bytes give 1797 digits of pixels 0..16 and labels 0..9, or
// std::invalid_argument saying what is wrong. The decoder refuses any other size at once, so
// the input is also read as a file of the right size: its first 10 bytes the header, the rest
// repeated to fill the body, which reaches the pixel and label checks.
#include <stdexcept>
#include <string>
#include <vector>

#include "bnlab/lab/digits.hpp"
#include "fuzz.hpp"

namespace {

using bnlab::Digits;
using bnlab::fuzz::check;

constexpr std::size_t kHeader = Digits::kHeaderBytes;
constexpr std::size_t kFileBytes = Digits::kFileBytes;

void decode(const std::uint8_t* bytes, std::size_t size) {
  Digits d;
  try {
    d = bnlab::decode_digits(bytes, size);
  } catch (const std::invalid_argument&) {
    return;
  }
  check(size == kFileBytes, "only a file of the one size decodes");
  check(d.pixels.size() == std::size_t(Digits::kCount) * Digits::kFeatures, "every pixel");
  check(d.labels.size() == std::size_t(Digits::kCount), "every label");
  for (const std::uint8_t p : d.pixels) check(p <= Digits::kMaxPixel, "pixels are 0..16");
  for (const std::int32_t l : d.labels) check(l >= 0 && l < Digits::kClasses, "labels are 0..9");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  decode(data, size);
  if (size < kHeader) return 0;
  std::vector<std::uint8_t> file(kFileBytes);
  for (std::size_t i = 0; i < kFileBytes; ++i)
    file[i] = i < kHeader || size == kHeader ? data[i % size]
                                             : data[kHeader + (i - kHeader) % (size - kHeader)];
  decode(file.data(), file.size());
  return 0;
}

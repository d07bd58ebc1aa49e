// What the page's own canvas drawings (maps, digits, confusion matrices, notices) and its
// charts share: the label font size, colours from hex, and round tick steps.

export const FONT_PX = 11; // tick labels and axis names, CSS px

// '#4477aa' -> [68, 119, 170].
export function rgbOf(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// The colour with an alpha, for bands and fills.
export const withAlpha = (hex, alpha) => `rgba(${rgbOf(hex).join(', ')}, ${alpha})`;

// Round tick steps around `rough` (the span over the ticks wanted), ascending: half, 1, 2, 5
// and 10 times its power of ten. Callers take the first at least `rough`, or a smaller one when
// that leaves too few ticks.
export function niceSteps(rough) {
  const decade = 10 ** Math.floor(Math.log10(rough));
  return [0.5, 1, 2, 5, 10].map((m) => m * decade);
}

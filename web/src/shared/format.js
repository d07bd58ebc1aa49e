// Numbers in words, the same everywhere on the page: banners, claims, readouts, cards, axes.

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
export const superscript = (n) => String(n).replace(/./g, (c) => SUPERSCRIPT[c]);

// A share as a percentage with one decimal: 0.905 -> "90.5%".
export const pct = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');

// Two significant digits; very small or large values as "9.0×10⁻⁶".
export function num(v) {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a >= 100 && a < 1e4) return Number(v.toPrecision(2)).toLocaleString('en'); // 4,300, not 4.3e+3
  if (a === 0 || (a >= 0.01 && a < 1e4)) return v.toPrecision(2);
  const [mantissa, exponent] = v.toExponential(1).split('e');
  return `${mantissa}×10${superscript(Number(exponent))}`;
}

// A ratio: "3.5×", "12×".
export const times = (v) => (Number.isFinite(v) ? `${v >= 10 ? v.toFixed(0) : v.toFixed(1)}×` : '—');

// An accuracy in whole percent, rounded down: a grid cell reads 90 only when it reached 90%. The
// accuracy is a float32 (0.52 arrives as 0.51999998): 1e-4 percent brings it back over its
// whole percent, far below the 0.02% a test set of 5,000 can resolve.
export const percentDown = (v) => String(Math.floor(100 * v + 1e-4));

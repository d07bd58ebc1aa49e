// One colour and one label per arm, the same in every chart (Paul Tol's colour-blind-safe
// "bright" scheme).
export const ARMS = {
  plain: { color: '#cc6677', label: 'plain', short: 'plain' },
  'bn-before': { color: '#4477aa', label: 'BN before activation', short: 'BN before' },
  'bn-after': { color: '#228833', label: 'BN after activation', short: 'BN after' },
};

export const armColor = (name) => ARMS[name]?.color ?? '#666666';
export const armLabel = (name) => ARMS[name]?.label ?? name;
export const armShortLabel = (name) => ARMS[name]?.short ?? name;

// Whether an arm has BatchNorm layers: every arm but plain, when there is a hidden layer.
export const hasBn = (name, depth) => name !== 'plain' && depth > 0;

// The colour with an alpha, for bands and fills.
export function withAlpha(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

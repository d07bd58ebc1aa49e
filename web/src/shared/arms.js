// One colour (and its dark-theme twin) and one name per arm, the same everywhere: scoreboard,
// cards, legends, settings, claims. Chosen so that every pair stays apart under simulated
// protanopia, deuteranopia and tritanopia (CIEDE2000 at least 8 light, 10 dark) and each reads
// at 3:1 or more on its background (tests/web/palette.test.mjs). `about` says what the name means.
// `bn`: the arm has BatchNorm layers (its batch statistics, running averages and jitter are
// shown). Adding an arm is one entry here (and its kind in the engine's config.cpp).
export const ARMS = {
  plain: { color: '#cc6677', dark: '#ff8899', label: 'plain', about: 'no normalization', bn: false },
  'bn-before': {
    color: '#4477aa',
    dark: '#4477aa',
    label: 'BN before',
    about: "BN before each nonlinearity, the paper's z = g(BN(Wu))",
    bn: true,
  },
  'bn-after': { color: '#228833', dark: '#33aa55', label: 'BN after', about: 'BN after each nonlinearity', bn: true },
  'ln-before': {
    color: '#332288',
    dark: '#9988dd',
    label: 'LayerNorm',
    about: 'LayerNorm before each nonlinearity: each example normalized over its own layer, no batch statistics',
    bn: false,
  },
  'bn-noisy': {
    color: '#009988',
    dark: '#55ccbb',
    label: 'noisy BN',
    about:
      'BN before each nonlinearity, then a random shift and scale per unit, redrawn every step (Santurkar et al. 2018)',
    bn: true,
  },
  dropout: {
    color: '#b35806',
    dark: '#eebb44',
    label: 'dropout',
    about: "plain with dropout on each hidden layer's output (off at inference)",
    bn: false,
  },
};

// The page's theme decides which colour the arms take (the page sets it; DOM-free here).
let dark = false;
export const setArmTheme = (isDark) => {
  dark = isDark;
};
export const armColor = (name) => (dark ? ARMS[name]?.dark : ARMS[name]?.color) ?? '#888888';
// An arm's colour for text: its colour darkened (light theme) or lightened (dark theme) in
// steps toward black or white until it reads at 4.5:1 on every background text sits on (the
// stylesheet's --paper, --panel and --banner-bg), so coloured names and answers pass WCAG AA.
const TEXT_BACKGROUNDS = { light: ['#ffffff', '#f6f7f9', '#eef4fb'], dark: ['#121417', '#1b1f24', '#16243a'] };
const channels = (hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
const luminance = (rgb) =>
  rgb
    .map((c) => c / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
const ratio = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
export function textColor(hex, isDark) {
  const backgrounds = TEXT_BACKGROUNDS[isDark ? 'dark' : 'light'].map(channels);
  const target = isDark ? 255 : 0;
  const start = channels(hex);
  for (let t = 0; t <= 1; t += 0.02) {
    const rgb = start.map((c) => Math.round(c + (target - c) * t));
    if (backgrounds.every((b) => ratio(rgb, b) >= 4.5)) {
      return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    }
  }
  return isDark ? '#ffffff' : '#000000';
}
export const armInk = (name) => textColor(armColor(name), dark);
export const inkFor = (hex) => (/^#[0-9a-f]{6}$/i.test(hex) ? textColor(hex, dark) : hex);
export const armLabel = (name) => ARMS[name]?.label ?? name;
export const armAbout = (name) => ARMS[name]?.about ?? name;

// Whether an arm has BatchNorm layers, when there is a hidden layer.
export const hasBn = (name, depth) => Boolean(ARMS[name]?.bn) && depth > 0;

// The symbols of BatchNorm's formula, each with one colour: the same in the formulas (rendered
// at build time by web/render-math.mjs), in the live numbers beside them and in the Inside a BN
// layer view's drawing, so a student can match a symbol to its place in the picture. Each colour
// reads at 4.5:1 or more on white.
export const SYMBOL_COLORS_LIGHT = {
  z: '#444444', // the unit's input to BN, one per example of the batch
  mean: '#0077bb', // μ_B
  var: '#bb5500', // σ²_B (and σ_B)
  xHat: '#aa4499', // x̂
  gamma: '#117733', // γ
  beta: '#882255', // β
  eps: '#cc3311', // ε
  y: '#1a5e63', // y = γ x̂ + β
};
// The same symbols on a dark page (each at 4.5:1 or more on it).
export const SYMBOL_COLORS_DARK = {
  z: '#c9ced5',
  mean: '#66b3ff',
  var: '#ff9955',
  xHat: '#e28bd3',
  gamma: '#6fd08a',
  beta: '#ff8fb5',
  eps: '#ff8a70',
  y: '#5fd3da',
};
// The colours the drawings use now (the page's theme sets which; the formulas follow by CSS).
export const SYMBOL_COLORS = { ...SYMBOL_COLORS_LIGHT };
export const setSymbolTheme = (dark) => Object.assign(SYMBOL_COLORS, dark ? SYMBOL_COLORS_DARK : SYMBOL_COLORS_LIGHT);

// TeX macros for the formulas: \bnz, \bnmu, \bnvar, \bnsig, \bnxh, \bngamma, \bnbeta, \bneps
// and \bny each draw their symbol in its colour. (In a macro's body # starts an argument: the
// colour goes without it, as KaTeX allows.)
const colored = (key, tex) => `\\textcolor{${SYMBOL_COLORS_LIGHT[key].slice(1)}}{${tex}}`;
export const TEX_MACROS = {
  '\\bnz': colored('z', 'z'),
  '\\bnmu': colored('mean', '\\mu_{\\mathcal{B}}'),
  '\\bnvar': colored('var', '\\sigma_{\\mathcal{B}}^2'),
  '\\bnsig': colored('var', '\\sigma_{\\mathcal{B}}'),
  '\\bnxh': colored('xHat', '\\hat{x}'),
  '\\bngamma': colored('gamma', '\\gamma'),
  '\\bnbeta': colored('beta', '\\beta'),
  '\\bneps': colored('eps', '\\varepsilon'),
  '\\bny': colored('y', 'y'),
};

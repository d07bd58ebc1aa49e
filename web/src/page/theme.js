// Light or dark: a link's theme (light, dark, or auto: the reader's system) decides; the page's
// colours follow from the stylesheet (light-dark() pairs), the arms' and the formulas' symbols'
// from their tables, and Chart.js's text and grid from the stylesheet too. onChange() is called
// when the theme a page shows changes (the drawings are made again in the new colours).
import { setArmTheme } from '../shared/arms.js';
import { setSymbolTheme } from '../shared/symbols.js';

const system = window.matchMedia('(prefers-color-scheme: dark)');
let choice = 'auto';
let shown = null;

const isDark = () => (choice === 'auto' ? system.matches : choice === 'dark');

function apply(onChange) {
  const dark = isDark();
  if (choice === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  setArmTheme(dark);
  setSymbolTheme(dark);
  if (shown !== null && shown !== dark) onChange();
  shown = dark;
}

export function applyTheme(theme = 'auto', onChange = () => {}) {
  choice = theme;
  apply(onChange);
  system.onchange = () => apply(onChange);
}

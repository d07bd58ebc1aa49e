// The page's colours as a reader with a colour-vision deficiency or on a dark page sees them:
// every pair of networks stays apart under simulated protanopia, deuteranopia and tritanopia
// (Machado et al. 2009) by a CIEDE2000 difference above a stated threshold, every network's
// colour reads at 3:1 or more on its background (WCAG 2.1 for graphics), and BN's symbols, which
// colour text in the formulas, at 4.5:1.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ARMS, textColor } from '../../web/src/shared/arms.js';
import { SYMBOL_COLORS_DARK, SYMBOL_COLORS_LIGHT } from '../../web/src/shared/symbols.js';
import { contrast, deltaE2000, hex, lab, MACHADO, simulate } from './color-science.mjs';

const BACKGROUND = { color: '#ffffff', dark: '#121417' }; // the stylesheet's --paper, light and dark
const THRESHOLD = { color: 8, dark: 10 };

test("CIEDE2000 gives the published value for Sharma, Wu and Dalal's first test pair", () => {
  assert.equal(deltaE2000([50, 2.6772, -79.7751], [50, 0, -82.7485]).toFixed(4), '2.0425');
  assert.equal(deltaE2000([50, -1, 2], [50, 0, 0]).toFixed(4), '2.3669');
});

for (const theme of ['color', 'dark']) {
  test(`${theme === 'color' ? 'light' : 'dark'}: every pair of networks differs by ΔE2000 ≥ ${THRESHOLD[theme]} seen normally and with each deficiency`, () => {
    const names = Object.keys(ARMS);
    for (const [kind, matrix] of [['normal', null], ...Object.entries(MACHADO)]) {
      for (let i = 0; i < names.length; ++i) {
        for (let j = i + 1; j < names.length; ++j) {
          const seen = (name) => lab(matrix ? simulate(ARMS[name][theme], matrix) : hex(ARMS[name][theme]));
          const d = deltaE2000(seen(names[i]), seen(names[j]));
          assert.ok(d >= THRESHOLD[theme], `${kind}: ${names[i]} and ${names[j]} differ by ${d.toFixed(1)}`);
        }
      }
    }
  });

  test(`${theme === 'color' ? 'light' : 'dark'}: every network's colour reads at 3:1 or more on the page`, () => {
    for (const [name, arm] of Object.entries(ARMS)) {
      const c = contrast(arm[theme], BACKGROUND[theme]);
      assert.ok(c >= 3, `${name} ${arm[theme]}: ${c.toFixed(2)}:1`);
    }
  });
}

test("BN's symbols read at 4.5:1 or more in their formulas, light and dark", () => {
  for (const [symbols, background] of [
    [SYMBOL_COLORS_LIGHT, BACKGROUND.color],
    [SYMBOL_COLORS_DARK, BACKGROUND.dark],
  ]) {
    for (const [name, color] of Object.entries(symbols)) {
      const c = contrast(color, background);
      assert.ok(c >= 4.5, `${name} ${color} on ${background}: ${c.toFixed(2)}:1`);
    }
  }
});

test("a network's colour as text (its name, its answers) reads at 4.5:1 on every background text sits on, light and dark, and keeps its hue", () => {
  const backgrounds = { color: ['#ffffff', '#f6f7f9', '#eef4fb'], dark: ['#121417', '#1b1f24', '#16243a'] };
  for (const theme of ['color', 'dark']) {
    for (const [name, arm] of Object.entries(ARMS)) {
      const ink = textColor(arm[theme], theme === 'dark');
      for (const background of backgrounds[theme]) {
        const c = contrast(ink, background);
        assert.ok(c >= 4.5, `${theme} ${name}: ${ink} on ${background} is ${c.toFixed(2)}:1`);
      }
      // Only the lightness moves: the hue angle in CIELAB stays within 15 degrees.
      const hue = (l) => (Math.atan2(l[2], l[1]) * 180) / Math.PI;
      const [a, b] = [hue(lab(hex(arm[theme]))), hue(lab(hex(ink)))];
      const d = Math.abs(((a - b + 540) % 360) - 180);
      assert.ok(d <= 15, `${theme} ${name}: ${arm[theme]} -> ${ink} turns the hue by ${d.toFixed(1)} degrees`);
    }
  }
});

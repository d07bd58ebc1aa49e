// Accessibility checks both browsers run (Playwright's Chromium and puppeteer's Firefox share
// page.evaluate and page.keyboard.press): axe-core's WCAG 2.1 A/AA violations, the elements Tab
// reaches, and the visible controls Tab misses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { root } from './browser.mjs';

const AXE = readFileSync(join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// The violations axe finds in a page or frame: "rule: the elements" lines.
export async function violations(target) {
  // axe's 500 KB of source is read once a page, not at every check.
  if (!(await target.evaluate(() => typeof window.axe?.run === 'function'))) await target.evaluate(AXE);
  const found = await target.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
    WCAG,
  );
  return found.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// The elements Tab reaches, in order, each with what a test needs to know of it.
export async function tabThrough(page, limit = 400) {
  const reached = [];
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < limit; ++i) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      return {
        id: e.id,
        tag: e.tagName,
        cls: e.className?.baseVal ?? e.className,
        key: e.id || e.name || e.textContent.trim().slice(0, 30),
        control: e.dataset?.control,
      };
    });
    if (!el || reached.some((r) => r.same === `${el.tag}#${el.id}.${el.key}` && r.index === 0)) break;
    const same = `${el.tag}#${el.id}.${el.key}`;
    if (reached.length && reached[0].same === same) break; // wrapped around
    reached.push({ ...el, same, index: reached.length });
  }
  return reached;
}

// Numbers every visible, enabled control, tabs through the page and names those Tab never reached.
export async function controlsTabMisses(page) {
  const controls = await page.evaluate(() =>
    [...document.querySelectorAll('button, select, input, textarea, a[href], summary')]
      .filter(
        (e) =>
          !e.disabled &&
          e.getClientRects().length > 0 &&
          !e.closest('[hidden], dialog:not([open])') &&
          !(e.closest('details:not([open])') && !e.matches('details > summary')),
      )
      .map((e, i) => {
        e.dataset.control = String(i);
        return e.id || e.getAttribute('href') || e.textContent.trim().slice(0, 30);
      }),
  );
  const again = await tabThrough(page, 600);
  const seen = new Set(again.map((r) => r.control));
  const missed = controls.filter((_, i) => !seen.has(String(i)));
  return { count: controls.length, names: missed };
}

// Run inside an embed's frame: its scroll overflow, where its lowest picture ends, its smallest
// picture's side and its height, to tell whether the host sized the frame to its content.
export function embedFit() {
  const d = document.documentElement;
  const pictures = [
    ...document.querySelectorAll('.view:not([hidden]) .chart canvas, .view:not([hidden]) .boundary canvas'),
  ].map((c) => c.getBoundingClientRect());
  return {
    scroll: [d.scrollWidth - d.clientWidth, d.scrollHeight - d.clientHeight],
    lowest: Math.max(...pictures.map((r) => r.bottom)),
    smallest: Math.min(...pictures.map((r) => Math.min(r.width, r.height))),
    height: innerHeight,
  };
}

// What is wrong with an embed sized by the snippet's script in a column `width` px wide, given
// embedFit's measures and the iframe's box: nothing, when it fits its content.
export function embedMisfits(inside, box, width) {
  const problems = [];
  if (Math.abs(box.width - width) > 1) problems.push(`the iframe is ${box.width} px wide`);
  if (Math.round(box.height) === 480) problems.push('the snippet left the frame at 480 px');
  if (inside.scroll[0] || inside.scroll[1]) problems.push(`it scrolls inside by ${inside.scroll}`);
  if (inside.lowest > inside.height + 0.5) problems.push(`a picture ends at ${inside.lowest}, below ${inside.height}`);
  if (inside.height - inside.lowest >= 120) problems.push(`${inside.height - inside.lowest} px blank below`);
  if (inside.smallest < 90) problems.push(`the smallest picture side is ${inside.smallest} px`);
  return problems;
}

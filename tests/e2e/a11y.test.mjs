// Accessibility as WCAG 2.1 AA asks, checked by axe-core in headless Chromium on the page as
// readers meet it: training, each view scrolled into place, each dialog open, a grid of runs,
// the embed, a phone, the one-file page, light and dark; and by keyboard: every control, a
// decision-boundary map and a grid's cell reached with Tab, a cell opened with the arrow keys
// and Enter, and a focus ring that can be seen.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

import { controlsTabMisses, tabThrough, violations } from './a11y-checks.mjs';
import { root, screenshotDir, useBrowser, watchErrors } from './browser.mjs';

const session = useBrowser();
const WAIT = { timeout: 30000 };
const SMALL_SWEEP = 'dataset=circle&hidden=8,8&sweepX=learningRate:0.1,1&sweepY=initStd:0.1,1&sweepSteps=100';

async function open(fragment, { viewport = { width: 1280, height: 800 }, colorScheme = 'light', url } = {}) {
  const page = await session.browser().newPage({ viewport, colorScheme });
  const errors = watchErrors(page);
  await page.goto(url ?? `${session.url()}${fragment}`);
  await page.waitForFunction(
    () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 20,
    null,
    WAIT,
  );
  return { page, errors };
}

for (const colorScheme of ['light', 'dark']) {
  test(`${colorScheme}: the page training has no WCAG 2.1 AA violation, with each view in place and each dialog open`, async () => {
    const { page, errors } = await open('', { colorScheme });
    const views = await page.locator('main .view').evaluateAll((vs) => vs.map((v) => v.id));
    for (const id of views) {
      await page.evaluate((v) => document.getElementById(v).scrollIntoView({ block: 'start' }), id);
      await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
      assert.deepEqual(await violations(page), [], `scrolled to ${id}`);
    }
    for (const button of ['#copy-link', '#embed']) {
      await page.click(button);
      assert.deepEqual(await violations(page), [], `${button}'s dialog open`);
      await page.click('#share-close');
    }
    await page.screenshot({ path: join(screenshotDir, `a11y-${colorScheme}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a finished grid of runs, the embed, a phone and the one-file page have no WCAG 2.1 AA violation', async () => {
  const grid = await open(`#${SMALL_SWEEP}`);
  await grid.page.waitForFunction(
    () => /^Done/.test(document.getElementById('sweep-progress').textContent),
    null,
    WAIT,
  );
  assert.deepEqual(await violations(grid.page), [], 'a finished grid');
  await grid.page.close();
  for (const [what, fragment, options] of [
    ['the embed', '#embed=1&views=boundary,layer,loss', {}],
    ['the embed, dark', '#embed=1&theme=dark', {}],
    ['a phone', '', { viewport: { width: 390, height: 844 } }],
    ['the one-file page', '', { url: pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href }],
  ]) {
    const { page, errors } = await open(fragment, options);
    assert.deepEqual(await violations(page), [], what);
    assert.deepEqual(errors, [], what);
    await page.close();
  }
});

test('by keyboard alone: Tab reaches every control, a decision-boundary map and a grid cell; arrows and Enter open a cell', async () => {
  const { page, errors } = await open(`#${SMALL_SWEEP}`);
  await page.waitForFunction(() => /^Done/.test(document.getElementById('sweep-progress').textContent), null, WAIT);
  const reached = await tabThrough(page);
  const ids = new Set(reached.map((r) => r.id));
  for (const id of [
    'play',
    'step',
    'reset',
    'speed',
    'copy-link',
    'embed',
    'download',
    'bn-arm',
    'bn-undo',
    'focus-layer',
    'sweep-run',
  ])
    assert.ok(ids.has(id), `Tab reaches #${id}`);
  const missed = await controlsTabMisses(page);
  assert.deepEqual(missed.names, [], `of ${missed.count} controls, Tab misses these`);
  assert.ok(
    reached.some((r) => r.tag === 'CANVAS' && r.cls === ''),
    'a decision-boundary map is reached',
  );
  // Run by keyboard: the focus moves to Cancel while the grid trains, and back to Run after.
  // (A small grid may finish before a poll would see Cancel focused: the focus moves are recorded.)
  await page.focus('#sweep-run');
  await page.evaluate(() => {
    window.focusTrail = [];
    document.addEventListener('focusin', (e) => window.focusTrail.push(e.target.id));
  });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.focusTrail.at(-1) === 'sweep-run', null, WAIT);
  await page.waitForFunction(() => /^Done/.test(document.getElementById('sweep-progress').textContent), null, WAIT);
  assert.deepEqual(await page.evaluate(() => window.focusTrail), ['sweep-cancel', 'sweep-run']);
  // A grid map: the arrows move to the top-right cell, the readout says its numbers, Enter opens it.
  const map = page.locator('.sweep-map canvas').first();
  await map.focus();
  for (const key of ['ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
  const readout = await page.locator('#sweep-hover').textContent();
  assert.match(readout, /^Learning rate 1, Initial std \(Gaussian\) 1: .*test accuracy/);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => /learningRate=1&/.test(window.location.hash) && /initStd=1&/.test(window.location.hash),
    null,
    WAIT,
  );
  // The focus went with the page to the opened run's map, not left on the grid below.
  await page.waitForFunction(() => document.activeElement?.closest('#boundaries') !== null, null, WAIT);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every control shows where the focus is: its pixels change when it takes the focus', async () => {
  const { page, errors } = await open('');
  await page.click('#play'); // pause: nothing else moves between the two pictures
  const targets = [
    '#play',
    '#speed',
    '#copy-link',
    '#field-learningRate',
    '#bn-undo',
    '.boundary canvas',
    '#lessons > summary',
  ];
  for (const selector of targets) {
    const element = page.locator(selector).first();
    await element.scrollIntoViewIfNeeded();
    await page.evaluate(() => document.activeElement?.blur());
    const box = await element.boundingBox();
    const clip = {
      x: Math.max(0, box.x - 6),
      y: Math.max(0, box.y - 6),
      width: box.width + 12,
      height: box.height + 12,
    };
    const before = await page.screenshot({ clip });
    await page.keyboard.press('Tab'); // focus by keyboard, so :focus-visible applies
    await element.focus();
    await page.evaluate((s) => document.querySelector(s).focus({ focusVisible: true }), selector);
    const after = await page.screenshot({ clip });
    const changed = await page.evaluate(
      async ([a, b]) => {
        const load = async (b64) => {
          const img = new Image();
          img.src = `data:image/png;base64,${b64}`;
          await img.decode();
          const c = new OffscreenCanvas(img.width, img.height);
          c.getContext('2d').drawImage(img, 0, 0);
          return c.getContext('2d').getImageData(0, 0, img.width, img.height).data;
        };
        const [p, q] = [await load(a), await load(b)];
        let n = 0;
        for (let i = 0; i < p.length; i += 4)
          if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 60) n++;
        return n;
      },
      [before.toString('base64'), after.toString('base64')],
    );
    assert.ok(changed > 40, `${selector}: only ${changed} pixels change with the focus`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('with prefers-reduced-motion: reduce the page opens paused and says why; Play trains', async () => {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
  const errors = watchErrors(page);
  await page.goto(session.url());
  await page.waitForFunction(() => !document.getElementById('play').disabled, null, WAIT);
  await page.waitForFunction(() => /reduced motion/.test(document.getElementById('status').textContent), null, WAIT);
  assert.equal((await page.locator('#play').textContent()).trim(), 'Play');
  const before = Number((await page.locator('#steps').textContent()).replaceAll(',', ''));
  assert.equal(before, 0, 'nothing trained before Play');
  await page.click('#play');
  await page.waitForFunction(
    () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 50,
    null,
    WAIT,
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('the first Tab shows a skip link; Enter on it moves the focus past the panel to the lesson and the charts', async () => {
  const { page, errors } = await open('');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const e = document.activeElement;
    const r = e.getBoundingClientRect();
    return { text: e.textContent, visible: r.top >= 0 && r.bottom <= innerHeight && r.width > 0 };
  });
  assert.equal(first.text, 'Skip to the lesson and the charts');
  assert.ok(first.visible, 'the skip link is on screen when focused');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'main', null, WAIT);
  await page.keyboard.press('Tab');
  assert.ok(
    await page.evaluate(() => document.activeElement.closest('#main') !== null),
    'the next Tab stop is inside the lesson and the charts',
  );
  assert.deepEqual(errors, []);
  await page.close();
});

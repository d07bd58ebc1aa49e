// Embeds as a blog shows them: in a 640x480 iframe, every chart and map of the chosen views is
// readable (at least 150x90 CSS px, a map at least 150 px square) and inside the frame, or its
// view is named in the note of what was left out; never cut silently.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { screenshotDir, useBrowser, watchErrors } from './browser.mjs';
import { embedFit, embedMisfits } from './a11y-checks.mjs';

const session = useBrowser();

const CASES = [
  ['views=boundary,loss', ['view-boundary', 'view-loss']],
  ['views=boundary,loss,ics', ['view-boundary', 'view-loss', 'view-ics']],
  ['views=noise', ['view-noise']],
  ['views=gradients', ['view-gradients']],
  ['views=layer', ['view-layer']],
  ['arms=plain,bn-before,bn-after', ['view-boundary', 'view-loss']],
  ['arms=plain,bn-before,ln-before,dropout', ['view-boundary', 'view-loss']],
  ['dataset=digits&hidden=16', ['view-boundary', 'view-loss']],
  [
    'views=boundary,loss,ics,gradients,noise',
    ['view-boundary', 'view-loss', 'view-ics', 'view-gradients', 'view-noise'],
  ],
];
const NAMES = {
  'view-boundary': 'predictions',
  'view-layer': 'inside a BN layer',
  'view-loss': 'loss',
  'view-ics': 'covariate shift',
  'view-gradients': 'gradients',
  'view-noise': 'BN noise',
};

for (const [query, chosen] of CASES) {
  test(`embed ${query}: every chart readable and inside a 640x480 frame, or its view named as left out`, async () => {
    const page = await session.browser().newPage({ viewport: { width: 800, height: 600 } });
    const errors = watchErrors(page);
    await page.setContent(
      `<!doctype html><iframe src="${session.url()}#embed=1&${query}" width="640" height="480" style="border:0"></iframe>`,
    );
    const frame = page.frames()[1];
    await frame.waitForFunction(
      () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 100,
      null,
      { timeout: 30000 },
    );
    const state = await frame.evaluate((ids) => {
      const box = (e) => e.getBoundingClientRect();
      const shown = ids.filter((id) => !document.getElementById(id).hidden);
      const pictures = shown.flatMap((id) => {
        const view = document.getElementById(id);
        const digits = view.querySelector('.digits:not([hidden])');
        if (digits)
          return [{ id, kind: 'digits', ...box(digits).toJSON(), cells: digits.querySelectorAll('.digit').length }];
        return [...view.querySelectorAll('.chart canvas, .boundary canvas')].map((c) => ({
          id,
          kind: c.closest('.boundary') ? 'map' : 'chart',
          ...box(c).toJSON(),
        }));
      });
      const d = document.documentElement;
      return {
        shown,
        pictures,
        note: document.getElementById('embed-note').hidden ? '' : document.getElementById('embed-note').textContent,
        width: innerWidth,
        height: innerHeight,
        scroll: [d.scrollWidth - d.clientWidth, d.scrollHeight - d.clientHeight],
      };
    }, chosen);
    assert.deepEqual(state.scroll, [0, 0], 'no scrollbars');
    assert.ok(state.shown.length >= 1, 'at least one view');
    for (const p of state.pictures) {
      const what = `${p.id} ${p.kind} ${Math.round(p.width)}x${Math.round(p.height)} at ${Math.round(p.left)},${Math.round(p.top)}`;
      assert.ok(
        p.left >= 0 && p.top >= 0 && p.right <= state.width + 0.5 && p.bottom <= state.height + 0.5,
        `inside the frame: ${what}`,
      );
      if (p.kind === 'digits')
        assert.ok(p.cells >= 12 && p.height >= 200, `the digits are shown: ${what}, ${p.cells} digits`);
      else assert.ok(p.width >= 150 && p.height >= (p.kind === 'map' ? 150 : 90), `readable: ${what}`);
    }
    assert.ok(
      state.pictures.length >= state.shown.length,
      `every shown view has pictures: ${JSON.stringify(state.pictures)}`,
    );
    // What is not shown is named.
    for (const id of chosen.filter((v) => !state.shown.includes(v))) {
      assert.ok(state.note.includes(NAMES[id]), `left out ${id} but the note says "${state.note}"`);
    }
    if (state.shown.length === chosen.length) assert.equal(state.note, '');
    await page.screenshot({
      path: join(screenshotDir, `embed-${query.replace(/[^a-z0-9]+/gi, '-').slice(0, 40)}.png`),
    });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// The Embed dialog's snippet, pasted into a blog column 320, 640 and 960 px wide: the frame posts
// the height its views want at that width and the snippet's few lines size the iframe to it,
// so nothing scrolls inside the frame and no blank space is left below.
for (const width of [320, 640, 960]) {
  test(`the embed snippet sizes its iframe to its content in a ${width} px column, with no scrollbar`, async () => {
    const source = await session.browser().newPage({ viewport: { width: 1100, height: 900 } });
    await source.goto(session.url());
    await source.locator('#embed:not([disabled])').waitFor({ timeout: 30000 });
    await source.click('#embed');
    const snippet = await source.locator('#share-text').inputValue();
    await source.close();
    assert.match(snippet, /^<iframe [^>]*height="480"[^>]*data-bnlab><\/iframe>\n<script>/);
    const page = await session.browser().newPage({ viewport: { width: 1100, height: 900 } });
    const errors = watchErrors(page);
    await page.setContent(
      `<!doctype html><body style="margin:0"><div style="width:${width}px">${snippet}</div></body>`,
    );
    const iframe = page.locator('iframe');
    await page.waitForFunction(() => document.querySelector('iframe').style.height !== '', null, { timeout: 30000 });
    const frame = page.frames()[1];
    await frame.waitForFunction(
      () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 50,
      null,
      {
        timeout: 30000,
      },
    );
    const box = await iframe.boundingBox();
    assert.deepEqual(embedMisfits(await frame.evaluate(embedFit), box, width), []);
    await page.screenshot({ path: join(screenshotDir, `embed-snippet-${width}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("the Embed dialog's options: colours ride in the snippet, a wrong width is marked at its field, no view chosen says so", async () => {
  const page = await session.browser().newPage({ viewport: { width: 1100, height: 900 } });
  const errors = watchErrors(page);
  await page.goto(session.url());
  await page.locator('#embed:not([disabled])').waitFor({ timeout: 30000 });
  await page.click('#embed');
  await page.selectOption('#embed-theme', 'dark');
  assert.match(await page.locator('#share-text').inputValue(), /(#|&amp;)theme=dark(&amp;|")/);
  await page.fill('#embed-width', 'abc');
  assert.equal(await page.getAttribute('#embed-width', 'aria-invalid'), 'true');
  assert.match(
    await page.locator('#embed-width-error').textContent(),
    /^width: "abc" is not a width.*Still using 100%/,
  );
  assert.match(await page.locator('#share-text').inputValue(), /width="100%"/);
  await page.fill('#embed-width', '600');
  assert.equal(await page.getAttribute('#embed-width', 'aria-invalid'), 'false');
  assert.match(await page.locator('#share-text').inputValue(), /width="600px"/);
  const checked = page.locator('#embed-views input:checked');
  while ((await checked.count()) > 0) await checked.first().uncheck();
  assert.match(await page.locator('#embed-views-note').textContent(), /^No view chosen: the snippet shows/);
  assert.match(await page.locator('#share-text').inputValue(), /views=boundary,loss/);
  assert.deepEqual(errors, []);
  await page.close();
});

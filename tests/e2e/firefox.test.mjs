// The page in Firefox ESR (Debian's firefox-esr, driven by puppeteer-core over WebDriver BiDi):
// it trains with no console error over http and from file://, the page, the embed and the one-file
// page each under its Content-Security-Policy with no violation (a script in a link, a field or a
// table is shown as text, one inserted into the page is refused), the embed view works in a
// 640x480 frame, a link gives the same numbers as in Chromium, bit for bit, and the one-file
// page runs a sweep from file:// with the numbers bnlab-run --sweep writes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import puppeteer from 'puppeteer-core';

import { controlsTabMisses, embedFit, embedMisfits, tabThrough, violations } from './a11y-checks.mjs';
import { assertRefused, insertForbidden, launchBrowser, recordViolations, root, serveDist } from './browser.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const downloads = mkdtempSync(join(tmpdir(), 'bnlab-firefox-'));
let server;
let firefox;

before(async () => {
  server = await serveDist();
  firefox = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    defaultViewport: { width: 1280, height: 800 }, // Firefox takes the viewport at launch only
    extraPrefsFirefox: {
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      'browser.download.useDownloadDir': true,
      'browser.helperApps.neverAsk.saveToDisk': 'application/json',
    },
  });
});
after(async () => {
  await firefox?.close();
  server?.close();
});

// A page; with violations, its Content-Security-Policy's violations go to window.violations from
// its first script on (every frame's).
async function open(url, { violations = false } = {}) {
  const page = await firefox.newPage();
  if (violations) await page.evaluateOnNewDocument(recordViolations);
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  await page.goto(url);
  return { page, errors };
}

const stepsAtLeast = (frame, n) =>
  frame.waitForFunction(
    (target) => Number(document.getElementById('steps').textContent.replaceAll(',', '')) >= target,
    { timeout: 30000 },
    n,
  );

test('Firefox: the page trains over http with no console error', async () => {
  const { page, errors } = await open(server.url);
  await stepsAtLeast(page, 200);
  assert.match(await page.$eval('#status', (e) => e.textContent), /^Training\.$/);
  assert.equal(await page.$$eval('#boundaries canvas', (cs) => cs.length), 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test("Firefox: Inside a BN layer shows its formulas as MathML and the batch's numbers, and the calculator answers", async () => {
  const { page, errors } = await open(server.url);
  await stepsAtLeast(page, 50);
  await page.$eval('#view-layer', (e) => e.scrollIntoView({ block: 'start' }));
  await page.waitForFunction(() => /^μ_B = -?[0-9]/.test(document.getElementById('bn-mean').textContent), {
    timeout: 30000,
  });
  // Firefox draws MathML itself: the formulas have a height of their own.
  const formula = await page.$eval('#bn-algorithm .formula math', (m) => m.getBoundingClientRect().height);
  assert.ok(formula > 15, `the first formula is ${formula} px high`);
  await page.waitForFunction(() => /μ_B = 3 /.test(document.getElementById('calc-result').textContent), {
    timeout: 30000,
  });
  assert.deepEqual(errors, []);
  await page.close();
});

// A script in a link's values, a typed field, and a table's column and class names (dropped on
// Your own data's field): shown as text, never run; one inserted into the page is refused.
test('Firefox: the page trains under its Content-Security-Policy; a script in a link, a field or a table does not run, one inserted is refused', async () => {
  const attempt = '<img src=x onerror=window.pwned=1><script>window.pwned=2</script>';
  const page = await firefox.newPage();
  await page.evaluateOnNewDocument(recordViolations);
  await page.goto(
    `${server.url}#lesson=${encodeURIComponent(attempt)}&dataset=${encodeURIComponent(attempt)}&views=${encodeURIComponent(attempt)}`,
  );
  await stepsAtLeast(page, 200);
  await page.evaluate((a) => {
    const rows = Array.from({ length: 100 }, (_, i) => `${i % 7},${(i * 3) % 5},"${a.replaceAll('"', '""')}${i % 2}"`);
    const data = new DataTransfer();
    data.items.add(new File([[`"${a}",b${a},label${a}`, ...rows].join('\n')], `${a}.csv`, { type: 'text/csv' }));
    const field = document.getElementById('own-data-field');
    field.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    field.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, attempt);
  await page.waitForFunction(() => document.getElementById('field-dataset').value === 'csv', { timeout: 30000 });
  assert.match(await page.$eval('#table-status', (e) => e.textContent), /2 classes of label<img src=x/);
  await page.$eval(
    '#field-hidden',
    (input, a) => {
      input.value = a;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    attempt,
  );
  await page.waitForFunction(() => document.getElementById('error-hidden').textContent.includes('<img'), {
    timeout: 30000,
  });
  assert.equal(await page.evaluate(() => document.querySelectorAll('img, script:not([src])').length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assertRefused(assert, await page.evaluate(insertForbidden));
  await page.close();
});

test('Firefox: the one-file page trains from file:// under its policy with no violation', async () => {
  const { page, errors } = await open(pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href, {
    violations: true,
  });
  await stepsAtLeast(page, 200);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox: the embed view trains inside a 640x480 frame without scrollbars, with no violation', async () => {
  const { page, errors } = await open('about:blank', { violations: true });
  await page.setContent(
    `<!doctype html><p>A blog post.</p><iframe src="${server.url}#dataset=circle&hidden=8,8&embed=1" width="640" height="480"></iframe>`,
  );
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  await stepsAtLeast(frame, 200);
  const scroll = await frame.evaluate(() => {
    const d = document.documentElement;
    return [d.scrollWidth - d.clientWidth, d.scrollHeight - d.clientHeight];
  });
  assert.deepEqual(scroll, [0, 0]);
  assert.deepEqual(await frame.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// Accessibility in Firefox, as in Chromium (a11y.test.mjs, embed.test.mjs): axe-core's WCAG 2.1
// AA on the page, the dark theme, the embed and the one-file page; Tab reaching every control and
// a grid cell opened with the arrows and Enter; the embed snippet sizing its frame.
test('Firefox: no WCAG 2.1 AA violation on the page with each view in place, dark, the embed and the one-file page', async () => {
  for (const [what, url, scroll] of [
    ['the page', server.url, true],
    ['the page, dark', `${server.url}#theme=dark`, true],
    ['the embed', `${server.url}#embed=1&views=boundary,layer,loss`, false],
    ['the one-file page', pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href, false],
  ]) {
    const { page, errors } = await open(url);
    await stepsAtLeast(page, 20);
    const views = scroll ? await page.$$eval('main .view', (vs) => vs.map((v) => v.id)) : [null];
    for (const id of views) {
      if (id) await page.$eval(`#${id}`, (v) => v.scrollIntoView({ block: 'start' }));
      assert.deepEqual(await violations(page), [], `${what}${id ? `, scrolled to ${id}` : ''}`);
    }
    assert.deepEqual(errors, [], what);
    await page.close();
  }
});

test('Firefox: Tab reaches every control and a grid map; arrows and Enter open a cell', async () => {
  const { page, errors } = await open(
    `${server.url}#dataset=circle&hidden=8,8&sweepX=learningRate:0.1,1&sweepY=initStd:0.1,1&sweepSteps=100`,
  );
  await page.waitForFunction(() => /^Done/.test(document.getElementById('sweep-progress').textContent), {
    timeout: 60000,
  });
  const reached = await tabThrough(page);
  assert.ok(
    reached.some((r) => r.tag === 'CANVAS'),
    'Tab reaches a map',
  );
  const missed = await controlsTabMisses(page);
  assert.deepEqual(missed.names, [], `of ${missed.count} controls, Tab misses these`);
  await page.$eval('.sweep-map canvas', (c) => c.focus());
  for (const key of ['ArrowRight', 'ArrowUp']) await page.keyboard.press(key);
  assert.match(
    await page.$eval('#sweep-hover', (e) => e.textContent),
    /^Learning rate 1, Initial std \(Gaussian\) 1: /,
  );
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /learningRate=1&/.test(location.hash) && /initStd=1&/.test(location.hash), {
    timeout: 30000,
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox: the embed snippet sizes its iframe to its content in 320, 640 and 960 px columns', async () => {
  const { page: source } = await open(server.url);
  await source.waitForSelector('#embed:not([disabled])', { timeout: 30000 });
  await source.click('#embed');
  const snippet = await source.$eval('#share-text', (t) => t.value);
  await source.close();
  for (const width of [320, 640, 960]) {
    const { page, errors } = await open('about:blank');
    await page.setContent(
      `<!doctype html><body style="margin:0"><div style="width:${width}px">${snippet}</div></body>`,
    );
    const iframe = await page.waitForSelector('iframe');
    const frame = await iframe.contentFrame();
    await stepsAtLeast(frame, 50);
    await page.waitForFunction(() => document.querySelector('iframe').style.height !== '', { timeout: 30000 });
    const box = await iframe.boundingBox();
    assert.deepEqual(embedMisfits(await frame.evaluate(embedFit), box, width), [], `${width} px`);
    assert.deepEqual(errors, [], `${width} px`);
    await page.close();
  }
});

// The recorded losses of the first 200 steps of a link, by step, from the page's Download data.
function byStep(data, last = 200) {
  return new Map(
    data.history.step
      .map((step, i) => [
        step,
        data.history.arms.map((arm) => [arm.trainLoss[i], arm.testLoss[i], arm.testAccuracy[i], arm.layers[0].p50[i]]),
      ])
      .filter(([step]) => step <= last),
  );
}

// Clicks a download button and returns the JSON Firefox saved. Written by the browser process,
// which may create the file before it has written all of it: waits until a new file holds a
// whole JSON text.
async function downloadJson(page, button) {
  const before = new Set(readdirSync(downloads));
  await page.click(button);
  let saved;
  for (const deadline = Date.now() + 20000; !saved && Date.now() < deadline; ) {
    const file = readdirSync(downloads).find((f) => !before.has(f) && f.endsWith('.json'));
    try {
      if (file) saved = JSON.parse(readFileSync(join(downloads, file), 'utf8'));
    } catch {
      /* not complete yet */
    }
    if (!saved)
      await new Promise((resolve) => {
        setTimeout(resolve, 100);
      });
  }
  assert.ok(saved, 'Firefox saved the download, whole');
  return saved;
}

test('Firefox: the one-file page runs a sweep from file://, with the numbers bnlab-run --sweep writes', async () => {
  const link =
    '#dataset=circle&hidden=8,8&activation=tanh&sweepX=learningRate:0.1,1,10&sweepY=initStd:0.1,1&sweepSteps=300';
  const { page, errors } = await open(`${pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href}${link}`);
  await page.waitForFunction(() => document.getElementById('sweep-progress').textContent.startsWith('Done'), {
    timeout: 60000,
  });
  const grid = await downloadJson(page, '#sweep-download');
  assert.equal(grid.cells.length, 6);
  const file = join(downloads, 'sweep-spec.json');
  const { base, x, y, steps, metric } = grid.sweep;
  writeFileSync(file, JSON.stringify({ base, x, y, steps, metric }));
  const native = JSON.parse(
    execFileSync(join(root, 'build/native/bnlab-run'), ['--sweep', file, '--threads', '2'], { encoding: 'utf8' }),
  );
  assert.deepEqual(grid.cells, native.cells);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Firefox and Chromium give the same numbers for the same link, bit for bit', async () => {
  const link = '#seed=5&dataset=circle&hidden=8,8&learningRate=0.5&recordEvery=20&arms=plain,bn-before';
  const { page, errors } = await open(`${server.url}${link}`);
  await stepsAtLeast(page, 240);
  const saved = await downloadJson(page, '#download');
  const fromFirefox = byStep(saved);
  assert.deepEqual(errors, []);
  await page.close();

  const chromium = await launchBrowser();
  try {
    const other = await chromium.newPage({ acceptDownloads: true });
    await other.goto(`${server.url}${link}`);
    await other.waitForFunction(
      () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) >= 240,
      null,
      { timeout: 30000 },
    );
    const [download] = await Promise.all([other.waitForEvent('download'), other.click('#download')]);
    const fromChromium = byStep(JSON.parse(readFileSync(await download.path(), 'utf8')));
    const common = [...fromFirefox.keys()].filter((step) => fromChromium.has(step));
    assert.ok(common.length >= 5 && common.at(-1) === 200, `common steps ${common}`);
    for (const step of common) assert.deepEqual(fromFirefox.get(step), fromChromium.get(step), `step ${step}`);
  } finally {
    await chromium.close();
  }
});

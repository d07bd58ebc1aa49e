// Inside a BN layer as a student meets it: paused and stepped, the view shows the numbers Node
// computes for the same run, draws the batch's dots, undoes the normalization on request, and
// its calculator works an example and refuses bad input at its field. On a phone it fits.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { configToFragment } from '../../web/src/shared/link.js';
import { SYMBOL_COLORS } from '../../web/src/shared/symbols.js';
import { loadEngine } from '../wasm/engine.mjs';
import { countColors, screenshotDir, useBrowser, watchErrors } from './browser.mjs';

const m = await loadEngine();
const schema = m.configSchema();
const defaults = m.defaultConfig();
const session = useBrowser();
const WAIT = { timeout: 30000 };
const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

// The view's four significant digits, as bn-layer.js writes them.
const n4 = (v) => Number(v.toPrecision(4)).toString();

async function open(fragment, viewport = { width: 1280, height: 800 }) {
  const page = await session.browser().newPage({ viewport });
  const errors = watchErrors(page);
  await page.goto(`${session.url()}${fragment}`);
  await page.locator('#step:not([disabled])').waitFor(WAIT);
  return { page, errors };
}

test('paused at step 5, the view shows the batch numbers Node computes, its dots, and the arithmetic of the followed example', async () => {
  const { page, errors } = await open(configToFragment(defaults, schema, { paused: true }));
  await page.evaluate(() => document.getElementById('view-layer').scrollIntoView({ block: 'start' }));
  for (let i = 0; i < 5; ++i) await page.click('#step');
  await page.waitForFunction(() => document.getElementById('steps').textContent === '5', null, WAIT);
  const exp = new m.Experiment(defaults);
  exp.step(5);
  const depth = defaults.hidden.length;
  const b = exp.bnBatch(1, depth - 1, exp.trackedUnit(depth - 1));
  exp.delete();
  const meanText = `μ_B = ${n4(b.mean)} over B = ${b.z.length} examples, at step 5`;
  await page.waitForFunction((t) => document.getElementById('bn-mean').textContent === t, meanText, WAIT);
  assert.equal(await page.locator('#bn-var').textContent(), `σ²_B = ${n4(b.var)}, so σ_B = ${n4(Math.sqrt(b.var))}`);
  assert.equal(await page.locator('#bn-affine').textContent(), `γ = ${n4(b.gamma)}, β = ${n4(b.beta)}, learned`);
  const follow = await page.locator('#bn-follow').textContent();
  assert.ok(follow.includes(`example ${b.examples[0]} of the training set`), follow);
  assert.ok(follow.includes(`z = ${n4(b.z[0])}`) && follow.includes(`= ${n4(b.xHat[0])};`), follow);
  assert.ok(follow.includes(`= ${n4(b.y[0])}.`) && follow.includes(`${n4(b.yInference[0])}.`), follow);
  // The dots: x̂'s colour and y's on the picture.
  await page.waitForFunction(() => document.getElementById('bn-lines').width > 300, null, WAIT);
  const colors = { xHat: rgb(SYMBOL_COLORS.xHat), y: rgb(SYMBOL_COLORS.y) };
  const deadline = Date.now() + 20000;
  let counts = await countColors(page, '#bn-lines', colors);
  while ((counts.xHat < 50 || counts.y < 50) && Date.now() < deadline) {
    await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
    counts = await countColors(page, '#bn-lines', colors);
  }
  assert.ok(counts.xHat >= 50 && counts.y >= 50, JSON.stringify(counts));
  // Following another row changes the arithmetic to that example's.
  await page.selectOption('#bn-example', '3');
  assert.ok((await page.locator('#bn-follow').textContent()).includes(`example ${b.examples[3]} of the training set`));
  await page.locator('#view-layer').screenshot({ path: join(screenshotDir, 'bn-layer-1280x800.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the undo button sets γ = √(σ²_B + ε) and β = μ_B: the layer gives its input back, to float rounding', async () => {
  const { page, errors } = await open(configToFragment(defaults, schema, { paused: true }));
  await page.evaluate(() => document.getElementById('view-layer').scrollIntoView({ block: 'start' }));
  await page.click('#step');
  await page.waitForFunction(() => document.getElementById('bn-mean').textContent !== '', null, WAIT);
  await page.click('#bn-undo');
  const text = await page.locator('#bn-undo-result').textContent();
  const gap = Number(
    text
      .match(/is ([0-9.e×⁻⁰-⁹-]+)/)?.[1]
      ?.replace('×10', 'e')
      .replace(/[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]/g, (c) => '-0123456789'['⁻⁰¹²³⁴⁵⁶⁷⁸⁹'.indexOf(c)]),
  );
  assert.ok(gap >= 0 && gap < 1e-5, `${text} (${gap})`);
  assert.equal(await page.locator('#bn-undo').getAttribute('aria-pressed'), 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the calculator works the example it opens with, explains a batch of one, and marks refusals at their field until fixed', async () => {
  const { page, errors } = await open(configToFragment(defaults, schema, { paused: true }));
  await page.evaluate(() => document.getElementById('calculator').scrollIntoView({ block: 'start' }));
  await page.waitForFunction(
    () => /μ_B = 3 \(the mean of the 4 values\); σ²_B = 3\.5/.test(document.getElementById('calc-result').textContent),
    null,
    WAIT,
  );
  const calc = page.locator('#calculator');
  const values = calc.getByLabel('values', { exact: true });
  await values.fill('1, x, 3');
  await page.click('#calculator button[type=submit]');
  await page.waitForFunction(() => document.getElementById('calc-error-values').textContent !== '', null, WAIT);
  assert.equal(await page.locator('#calc-error-values').textContent(), 'values: item 2 is "x", not a finite number');
  assert.equal(await values.getAttribute('aria-invalid'), 'true');
  await values.fill('5');
  await calc.getByLabel('ε', { exact: true }).fill('0');
  await page.click('#calculator button[type=submit]');
  await page.waitForFunction(() => document.getElementById('calc-error-eps').textContent !== '', null, WAIT);
  assert.equal(
    await page.locator('#calc-error-eps').textContent(),
    'ε: must be a number greater than 0; got 0 (BN divides by the square root of var + eps, and a batch of equal values has var 0)',
  );
  assert.equal(await values.getAttribute('aria-invalid'), null, 'the fixed field is no longer marked');
  await calc.getByLabel('ε', { exact: true }).fill('0.00001');
  await calc.getByLabel('β', { exact: true }).fill('-1.5');
  await page.click('#calculator button[type=submit]');
  await page.waitForFunction(
    () => /A batch of one/.test(document.getElementById('calc-result').textContent),
    null,
    WAIT,
  );
  assert.equal(await page.locator('#calc-error-eps').textContent(), '');
  assert.equal(await page.locator('#calc-result td').last().textContent(), '-1.5');
  await page.locator('#view-layer').screenshot({ path: join(screenshotDir, 'calculator-1280x800.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link within the page (the glossary) moves there and leaves the run and its address alone', async () => {
  const { page, errors } = await open(configToFragment(defaults, schema, { paused: true }));
  const steps = () => page.evaluate(() => Number(document.getElementById('steps').textContent.replaceAll(',', '')));
  await page.click('#step');
  await page.waitForFunction(() => document.getElementById('steps').textContent === '1', null, WAIT);
  const hash = await page.evaluate(() => window.location.hash);
  await page.click('nav.start a[href="#glossary"]');
  const top = await page.evaluate(() => document.getElementById('glossary').getBoundingClientRect().top);
  assert.ok(Math.abs(top) < 5, `the glossary is at ${top} px from the top`);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'glossary');
  // The same run goes on: one more step makes 2 (a restarted run would count from 0, and play).
  await page.click('#step');
  await page.waitForFunction(() => document.getElementById('steps').textContent !== '1', null, WAIT);
  assert.equal(await steps(), 2);
  assert.equal(await page.evaluate(() => window.location.hash), hash);
  assert.equal(await page.locator('#link-notes').textContent(), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test("on a phone (390x844) the view fits the screen's width and draws its dots", async () => {
  const { page, errors } = await open(`${configToFragment(defaults, schema)}`, { width: 390, height: 844 });
  await page.evaluate(() => document.getElementById('view-layer').scrollIntoView({ block: 'start' }));
  await page.waitForFunction(() => document.getElementById('bn-mean').textContent !== '', null, WAIT);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
  const box = await page.locator('#bn-lines').boundingBox();
  assert.ok(box.width <= 390 && box.width > 250, JSON.stringify(box));
  await page.screenshot({ path: join(screenshotDir, 'bn-layer-390x844.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('embedded with views=layer in a 640x480 frame, the picture draws the batch', async () => {
  const page = await session.browser().newPage({ viewport: { width: 800, height: 600 } });
  const errors = watchErrors(page);
  await page.setContent(
    `<!doctype html><iframe src="${session.url()}#embed=1&views=layer" width="640" height="480" style="border:0"></iframe>`,
  );
  const frame = page.frames()[1];
  await frame.waitForFunction(() => /^μ_B = /.test(document.getElementById('bn-mean').textContent), null, WAIT);
  const colors = { xHat: rgb(SYMBOL_COLORS.xHat) };
  await frame.waitForFunction(
    (c) => {
      const canvas = document.getElementById('bn-lines');
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - c[0]) + Math.abs(data[i + 1] - c[1]) + Math.abs(data[i + 2] - c[2]) < 40) n++;
      }
      return n > 30;
    },
    colors.xHat,
    WAIT,
  );
  await page.screenshot({ path: join(screenshotDir, 'embed-layer-640x480.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

// The page as a user meets it, in headless Chromium: it trains, every view draws data, the
// controls do what they say, a diverging arm is reported while the others go on, and it
// looks right from a phone to a desktop.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { pngStats, screenshotDir, steps, stepsAbove, useBrowser, waitForArmPixels, watchErrors } from './browser.mjs';

const CHARTS = ['chart-loss', 'chart-shift', 'chart-gradnorm', 'chart-saturation', 'chart-modes'];
const BN_CHARTS = ['chart-batch-mean', 'chart-batch-var', 'chart-jitter', 'chart-spread'];

const session = useBrowser();

async function openPage(viewport = { width: 1280, height: 800 }) {
  const page = await session.browser().newPage({ viewport });
  const errors = watchErrors(page);
  await page.goto(session.url());
  await page.waitForFunction(() => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 0, null, {
    timeout: 15000,
  });
  return { page, errors };
}

async function setField(page, name, value) {
  const field = page.locator(`#field-${name}`);
  if ((await field.getAttribute('type')) === 'checkbox') await field.setChecked(value);
  else if (await field.evaluate((e) => e.tagName === 'SELECT')) await field.selectOption(String(value));
  else await field.fill(String(value));
  await field.dispatchEvent('change');
}

// A screenshot that is not blank: it has many colours and plenty of ink.
async function assertNotBlank(page, png, what) {
  const { colors, inked } = await pngStats(page, png);
  assert.ok(colors > 200, `${what}: only ${colors} colours`);
  assert.ok(inked > 0.03, `${what}: only ${(100 * inked).toFixed(1)}% of pixels inked`);
}

// The first n different step counts the page shows (above 0), in ascending order.
async function distinctCounts(page, n) {
  const seen = new Set();
  while (seen.size < n) {
    seen.add(
      await page
        .waitForFunction(
          (shown) => {
            const count = Number(document.getElementById('steps').textContent.replaceAll(',', ''));
            return count > 0 && !shown.includes(count) ? count : null;
          },
          [...seen],
          { timeout: 20000 },
        )
        .then((h) => h.jsonValue()),
    );
  }
  return [...seen].sort((a, b) => a - b);
}

test("every chart draws both arms by the default lesson's horizon, and their losses differ", async () => {
  const { page, errors } = await openPage();
  // The default experiment pauses by itself at its horizon (10,000 steps); max speed gets there
  // sooner.
  await page.locator('#speed').selectOption('0');
  await page.waitForFunction(() => /horizon/.test(document.getElementById('status').textContent), null, {
    timeout: 120000,
  });
  for (const id of [...CHARTS, ...BN_CHARTS]) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    // Each chart draws at the frames after it comes into view.
    await waitForArmPixels(page, `#${id}`, 'bn-before');
    if (!BN_CHARTS.includes(id)) await waitForArmPixels(page, `#${id}`, 'plain');
  }
  // One percentile chart per arm, each drawing its arm.
  const percentile = await page.locator('#percentile-charts canvas').count();
  assert.equal(percentile, 2);
  await waitForArmPixels(page, '#percentile-charts .chart:nth-child(2) canvas', 'bn-before');
  // The boundary heatmaps: one per arm, not blank.
  assert.equal(await page.locator('#boundaries canvas').count(), 2);

  const rows = await page.locator('#scoreboard tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({
      arm: tr.dataset.arm,
      trainLoss: Number(tr.cells[1].textContent),
      testAccuracy: parseFloat(tr.cells[3].textContent),
    })),
  );
  assert.deepEqual(
    rows.map((r) => r.arm),
    ['plain', 'bn-before'],
  );
  // By the horizon BN has learned the spiral and the plain network has not.
  assert.ok(rows[0].trainLoss - rows[1].trainLoss > 0.1, JSON.stringify(rows));
  assert.deepEqual(errors, []);
  await page.close();
});

test('pause, step and reset do what they say; speed slows the run', async () => {
  const { page, errors } = await openPage();
  await page.click('#play');
  await page.waitForTimeout(300);
  const paused = await steps(page);
  await page.waitForTimeout(600);
  assert.equal(await steps(page), paused, 'paused: no steps');
  assert.equal(await page.locator('#status').textContent(), 'Paused.');

  await page.click('#step');
  await page.waitForFunction(
    (n) => Number(document.getElementById('steps').textContent.replaceAll(',', '')) === n + 1,
    paused,
  );
  await page.click('#step');
  await page.waitForFunction(
    (n) => Number(document.getElementById('steps').textContent.replaceAll(',', '')) === n + 2,
    paused,
  );

  await page.click('#reset');
  await page.waitForFunction(() => document.getElementById('steps').textContent === '0');
  await page.waitForTimeout(400);
  assert.equal(await steps(page), 0, 'reset keeps a paused run paused');

  // At 100 steps/s the worker takes 10 steps per 100 ms tick: every count the page shows is a
  // multiple of 10, and the smallest gap between two counts is under the 50 steps a tick takes
  // at the default 500 steps/s (at full speed, thousands).
  await page.locator('#speed').selectOption('100');
  await page.click('#play');
  const counts = await distinctCounts(page, 6);
  for (const n of counts) assert.equal(n % 10, 0, `counts at 100 steps/s: ${counts}`);
  const gaps = counts.slice(1).map((n, i) => n - counts[i]);
  assert.ok(Math.min(...gaps) < 50, `counts at 100 steps/s: ${counts}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a change to the network restarts the run; a learning rate change does not', async () => {
  const { page, errors } = await openPage();
  const before = await steps(page);
  await setField(page, 'learningRate', 0.5);
  await page.waitForFunction(() => /learningRate=0.5&/.test(window.location.hash), null, { timeout: 20000 });
  await stepsAbove(page, before); // the run goes on after a learning rate change
  assert.equal(await page.locator('#field-learningRate').inputValue(), '0.5');

  // A restart counts from 0 again: the counter drops below what it showed before the edits
  // (how far below depends on the machine's speed: the worker trains thousands of steps
  // between two snapshots).
  const latest = await steps(page);
  await setField(page, 'dataset', 'circle');
  await page.waitForFunction(
    (count) => Number(document.getElementById('steps').textContent.replaceAll(',', '')) < count,
    latest,
  );
  const restarted = await steps(page);
  assert.ok(restarted < latest, `restarted: ${latest} -> ${restarted}`);
  assert.equal(await page.locator('#field-dataset').inputValue(), 'circle');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an invalid value is refused at its field and the run goes on', async () => {
  const { page, errors } = await openPage();
  await setField(page, 'hidden', '8, 0, 8');
  await page.waitForFunction(() => document.getElementById('status').classList.contains('error'));
  assert.match(
    await page.locator('#status').textContent(),
    /^Invalid configuration: hidden: must be an array of 0 to 10 integers, each from 1 to 128; item 2 is 0, less than 1\. The previous run goes on\.$/,
  );
  assert.match(await page.locator('#error-hidden').textContent(), /must be an array of 0 to 10 integers/);
  assert.equal(await page.locator('#field-hidden').getAttribute('aria-invalid'), 'true');
  const now = await steps(page);
  await stepsAbove(page, now); // the previous run goes on
  assert.deepEqual(errors, []);
  await page.close();
});

test('a diverging plain arm is reported while the BN arm keeps training', async () => {
  const { page, errors } = await openPage();
  // ReLU with N(0, 1) weights at learning rate 0.5: the plain network's activations grow layer
  // by layer until its loss overflows; BN rescales every layer.
  await setField(page, 'activation', 'relu');
  await setField(page, 'initStd', 1);
  await setField(page, 'learningRate', 0.5);
  // A restart with all of the above, told apart by its seed: the runs started by the edits
  // before it can diverge too (the worker trains thousands of steps a second), and their
  // stopped arms vanish when it starts. Seed 2's plain arm diverges at step 5 (bnlab-run).
  await setField(page, 'seed', 2);
  await page.waitForFunction(() => window.location.hash.includes('seed=2&'));
  await page.waitForSelector('#arm-states li.diverged', { timeout: 10000 }).catch(async (err) => {
    const state = await page.evaluate(() => ({
      status: document.getElementById('status').textContent,
      hash: window.location.hash,
      steps: document.getElementById('steps').textContent,
    }));
    throw new Error(`${err.message}\npage: ${JSON.stringify(state)}`);
  });
  assert.match(
    await page.locator('#arm-states li.diverged').textContent(),
    /^plain stopped: plain diverged at step \d+: the training loss became (NaN|infinite)/,
  );
  assert.equal(await page.locator('#arm-states li.diverged').count(), 1);
  const now = await steps(page);
  await stepsAbove(page, now); // training goes on
  const bn = await page.locator('#scoreboard tbody tr[data-arm="bn-before"] td').allTextContents();
  assert.ok(parseFloat(bn[2]) > 70, `the BN arm learns: ${bn}`);
  const plain = await page.locator('#scoreboard tbody tr[data-arm="plain"] td').allTextContents();
  assert.equal(plain[0], '—', 'the diverged arm has no loss to show');
  await page.locator('#view-boundary').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshotDir, 'diverged-1280x800.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('an answer to an earlier edit leaves a field that is being typed into alone', async () => {
  const { page, errors } = await openPage();
  // Typed, not yet committed (no change event): then another edit restarts the run, and its
  // answer resets the form to the accepted configuration -- all but the field being typed in.
  await page.locator('#field-initStd').fill('1');
  await page.evaluate(() => {
    const select = document.getElementById('field-activation');
    select.value = 'relu';
    select.dispatchEvent(new Event('change'));
  });
  await page.waitForFunction(() => window.location.hash.includes('activation=relu'));
  assert.equal(await page.locator('#field-initStd').inputValue(), '1');
  await page.locator('#field-initStd').dispatchEvent('change');
  await page.waitForFunction(() => window.location.hash.includes('&initStd=1&'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('the controls are reachable by keyboard with a visible focus', async () => {
  const { page } = await openPage();
  const reached = new Set();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      const style = getComputedStyle(e);
      return { id: e.id, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    if (focused.id) reached.add(focused.id);
    if (['play', 'field-dataset', 'field-learningRate'].includes(focused.id))
      assert.ok(focused.outline, `${focused.id} shows focus`);
  }
  for (const id of ['play', 'step', 'reset', 'speed', 'field-dataset', 'field-learningRate', 'field-batchSize'])
    assert.ok(reached.has(id), `Tab reaches #${id}`);
  // Space on the focused play button pauses.
  await page.focus('#play');
  await page.keyboard.press('Space');
  assert.equal(await page.locator('#play').textContent(), 'Play');
  await page.close();
});

test('on a phone the settings start folded and open on request', async () => {
  const { page } = await openPage({ width: 390, height: 844 });
  assert.equal(await page.locator('#settings').getAttribute('open'), null);
  assert.equal(await page.locator('#field-dataset').isVisible(), false);
  await page.click('#settings > summary');
  assert.equal(await page.locator('#field-dataset').isVisible(), true);
  await page.close();
});

for (const [width, height] of [
  [1280, 800],
  [390, 844],
  [360, 740],
]) {
  test(`at ${width}x${height} nothing overflows, the layout holds still while training, and the screenshot is not blank`, async () => {
    const { page, errors } = await openPage({ width, height });
    await page.waitForTimeout(1500);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `horizontal overflow of ${overflow}px`);
    // Nothing spills out of the side panel's box (a fieldset sizes to its widest content).
    const spilled = await page.evaluate(() => {
      const panel = document.querySelector('.panel').getBoundingClientRect();
      return [...document.querySelectorAll('.panel *')]
        .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().right > panel.right + 1)
        .map((e) => `${e.tagName}${e.id ? `#${e.id}` : ''}.${e.className}`);
    });
    assert.deepEqual(spilled, [], 'every element of the panel inside it');
    const boxes = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.view, .panel, .chart, #boundaries')].map((e) => {
          const r = e.getBoundingClientRect();
          return [r.x, r.y + window.scrollY, r.width, r.height].map(Math.round).join(',');
        }),
      );
    const first = await boxes();
    await page.waitForTimeout(1500);
    assert.deepEqual(await boxes(), first, 'no layout jumps while training');
    const png = await page.screenshot({ path: join(screenshotDir, `page-${width}x${height}.png`) });
    await assertNotBlank(page, png, `${width}x${height}`);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

// The message at a field: it names the item, says what is still in use, and goes when fixed.
const fieldMessage = (page, name) => page.locator(`#error-${name}`).textContent();

test('a refused value is marked at its field with the item named, the old value stays in use, and fixing it clears the mark', async () => {
  const { page, errors } = await openPage();
  await page.waitForFunction(() => /learningRate=2&/.test(window.location.hash));
  for (const [text, got] of [
    ['-1', 'got -1'],
    ['0', 'got 0'],
    ['', 'got ""'],
    ['0.0000001', 'got 1e-07'],
  ]) {
    await setField(page, 'learningRate', text);
    await page.waitForFunction((g) => document.getElementById('error-learningRate').textContent.includes(g), got, {
      timeout: 20000,
    });
    assert.equal(
      await fieldMessage(page, 'learningRate'),
      `Learning rate: must be a number from 1e-06 to 1000; ${got}. Still using 2.`,
    );
    assert.equal(await page.locator('#field-learningRate').getAttribute('aria-invalid'), 'true');
    assert.match(await page.evaluate(() => window.location.hash), /learningRate=2&/, 'the old value stays in use');
  }
  await setField(page, 'learningRate', '1.5');
  await page.waitForFunction(() => document.getElementById('error-learningRate').textContent === '', null, {
    timeout: 20000,
  });
  assert.equal(await page.locator('#field-learningRate').getAttribute('aria-invalid'), null);
  assert.doesNotMatch(await page.locator('#status').textContent(), /Invalid/, 'no stale error in the status line');

  const items = [
    ['abc', 'item 1 is "abc", not a number'],
    ['0', 'item 1 is 0, less than 1'],
    ['16,200', 'item 2 is 200, more than 128'],
    ['16,1.5', 'item 2 is 1.5, not an integer'],
  ];
  for (const [text, problem] of items) {
    await setField(page, 'hidden', text);
    await page.waitForFunction((p) => document.getElementById('error-hidden').textContent.includes(p), problem, {
      timeout: 20000,
    });
    assert.equal(
      await fieldMessage(page, 'hidden'),
      `Hidden layers: must be an array of 0 to 10 integers, each from 1 to 128; ${problem}. Still using 32,32,32,32.`,
    );
    assert.match(await page.evaluate(() => window.location.hash), /hidden=32,32,32,32&/);
  }
  await page.locator('#field-hidden').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshotDir, 'field-refused.png') });
  await setField(page, 'hidden', '16,16');
  await page.waitForFunction(() => /hidden=16,16&/.test(window.location.hash), null, { timeout: 20000 });
  assert.equal(await fieldMessage(page, 'hidden'), '');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone (390x844) the first screen shows the scoreboard and the two maps side by side', async () => {
  const { page, errors } = await openPage({ width: 390, height: 844 });
  const boxes = await page.evaluate(() => {
    const box = (e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
    };
    return {
      maps: [...document.querySelectorAll('#boundaries canvas')].map(box),
      scoreboard: box(document.getElementById('scoreboard')),
      height: window.innerHeight,
      width: window.innerWidth,
    };
  });
  assert.equal(boxes.maps.length, 2);
  const [a, b] = boxes.maps;
  assert.ok(Math.abs(a.top - b.top) < 1 && a.right <= b.left, `side by side: ${JSON.stringify(boxes.maps)}`);
  for (const r of [a, b, boxes.scoreboard]) {
    assert.ok(
      r.top >= 0 && r.bottom <= boxes.height && r.right <= boxes.width,
      `on the first screen: ${JSON.stringify(r)}`,
    );
  }
  assert.ok(a.right - a.left >= 150, `each map at least 150 px wide: ${a.right - a.left}`);
  await page.screenshot({ path: join(screenshotDir, 'phone-first-screen.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a run that is no lesson trains at the speed the menu shows from the start', async () => {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(`${session.url()}#batchSize=64`);
  await page.waitForFunction(() => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 0, null, {
    timeout: 30000,
  });
  assert.equal(await page.locator('#speed').inputValue(), '500');
  // 500 steps/s: 50 steps per 100 ms tick, so every count is a multiple of 50 and two counts in
  // a row are a tick or a few apart (at full speed: thousands).
  const counts = await distinctCounts(page, 6);
  for (const n of counts) assert.equal(n % 50, 0, `counts at 500 steps/s: ${counts}`);
  const gaps = counts.slice(1).map((n, i) => n - counts[i]);
  assert.ok(Math.min(...gaps) < 500, `counts at 500 steps/s: ${counts}`);
  assert.deepEqual(errors, []);
  await page.close();
});

// Chart.js patches the push of an array it draws; a chart once drew the page's own history array
// for a newly chosen layer, the history pushed onto it, and every redraw threw from then on.
test('choosing another layer while training keeps the per-layer charts drawing, with no error', async () => {
  const { page, errors } = await openPage();
  await page.evaluate(() => document.getElementById('view-ics').scrollIntoView({ block: 'start' }));
  for (const layer of ['2', '0']) {
    const from = await steps(page);
    await page.locator('#focus-layer').selectOption(layer);
    // At 500 steps/s, a few hundred more steps: many snapshots appended and redrawn.
    await stepsAbove(page, from + 600, 30000);
    await page.waitForFunction(
      (l) =>
        document
          .getElementById('chart-shift')
          .getAttribute('aria-label')
          .includes(`layer ${Number(l) + 1}`),
      layer,
      { timeout: 10000 },
    );
  }
  assert.deepEqual(errors, []);
  await page.close();
});

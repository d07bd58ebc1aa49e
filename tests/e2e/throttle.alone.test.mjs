// The page on a slow CPU: with Chromium's CPU throttling at 4x (Lighthouse's mid-tier phone),
// training at full speed, the page still paints (frames within 500 ms) and Pause takes effect,
// with each view on screen in turn. A test of the mechanism (one snapshot in flight, drawing
// within a per-frame budget), not of a speed: without it the page stopped painting here.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { frameTime, steps, useBrowser, watchErrors } from './browser.mjs';

const session = useBrowser();
const VIEWS = ['view-boundary', 'view-loss', 'view-ics', 'view-gradients', 'view-noise'];

test('at 4x CPU throttling, training at max speed, every view keeps painting and Pause stops the run', async () => {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  // A run that is no lesson: it has no horizon to pause at.
  await page.goto(`${session.url()}#learningRate=1.5`);
  await page.waitForFunction(() => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 0, null, {
    timeout: 30000,
  });
  await page.locator('#speed').selectOption('0');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  try {
    for (const view of VIEWS) {
      await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'start' }), view);
      // Let the view's charts fill and fall behind if they are going to.
      const until = Date.now() + 3000;
      const times = [];
      while (Date.now() < until) times.push(await frameTime(page));
      times.sort((a, b) => a - b);
      const median = times[times.length >> 1];
      const worst = times[times.length - 1];
      // The page answers: the typical frame comes within 500 ms (the page before back-pressure:
      // 1.2 s, and frames over 5 s), and none waits past the 5 s cap. (The worst frame is left
      // to the benchmark: with other processes on the cores it measures them too.)
      assert.ok(median < 500, `${view}: median frame ${median.toFixed(0)} ms (worst ${worst.toFixed(0)} ms)`);
      assert.ok(Number.isFinite(worst), `${view}: no frame within 5 s`);
    }
    // Pause takes effect: the counter stops within a second of the click.
    await page.evaluate(() => document.getElementById('play').click());
    await page.waitForFunction(() => document.getElementById('play').textContent === 'Play', null, { timeout: 5000 });
    await page.waitForTimeout(1000);
    const paused = await steps(page);
    await page.waitForTimeout(1000);
    assert.equal(await steps(page), paused, 'no steps after Pause');
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('at 4x CPU throttling, while a sweep fills its heatmaps, the page keeps painting and Cancel ends it', async () => {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  // A sweep whose cells take a while, so that it is still running when Cancel is clicked.
  await page.goto(
    `${session.url()}#dataset=circle&hidden=16,16,16&activation=tanh&sweepX=learningRate:0.01,0.1,1,10&sweepY=initStd:0.1,1&sweepSteps=50000`,
  );
  await page.waitForFunction(() => /^1 of/.test(document.getElementById('sweep-progress').textContent), null, {
    timeout: 60000,
  });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  try {
    await page.evaluate(() => document.getElementById('view-sweep').scrollIntoView({ block: 'start' }));
    const until = Date.now() + 3000;
    const times = [];
    while (Date.now() < until) times.push(await frameTime(page));
    times.sort((a, b) => a - b);
    const median = times[times.length >> 1];
    assert.ok(median < 500, `median frame ${median.toFixed(0)} ms while the sweep runs`);
    assert.ok(Number.isFinite(times[times.length - 1]), 'no frame within 5 s');
    assert.ok(!(await page.locator('#sweep-progress').textContent()).startsWith('Done'), 'the sweep was still running');
    await page.click('#sweep-cancel');
    await page.waitForFunction(
      () =>
        document.getElementById('sweep-progress').textContent.startsWith('Cancelled') &&
        !document.getElementById('sweep-run').disabled,
      null,
      { timeout: 5000 },
    );
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  }
  assert.deepEqual(errors, []);
  await page.close();
});

// The page `./build.sh serve` serves loads the engine in a worker and trains.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { screenshotDir, steps, stepsAbove, useBrowser, watchErrors } from './browser.mjs';

const session = useBrowser();

test('the page trains: the step counter advances, no console error', async () => {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(session.url());
  await page.waitForFunction(() => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 0, null, {
    timeout: 15000,
  });
  const first = await steps(page);
  await stepsAbove(page, first); // the step counter advances
  assert.equal(await page.locator('#status').textContent(), 'Training.');
  // The settings form is made from the engine's schema: the data set menu lists its choices.
  assert.deepEqual(await page.locator('#field-dataset option').allTextContents(), [
    'circle',
    'xor',
    'gauss',
    'spiral',
    'scales',
    'digits',
    'csv',
  ]);
  await page.screenshot({ path: join(screenshotDir, 'smoke-1280x800.png') });
  assert.deepEqual(errors, []);
});

test('pause stops the steps', async () => {
  const page = await session.browser().newPage();
  await page.goto(session.url());
  await page.waitForFunction(() => !document.getElementById('play').disabled, null, { timeout: 15000 });
  await page.click('#play');
  await page.waitForTimeout(300); // a snapshot already in flight may still arrive
  const paused = await steps(page);
  await page.waitForTimeout(700);
  assert.equal(await steps(page), paused);
  assert.equal(await page.locator('#play').textContent(), 'Play');
});

test('a wasm load failure is shown on the page, not only in the console', async () => {
  const page = await session.browser().newPage();
  await page.route('**/bnlab.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto(session.url());
  await page.waitForFunction(() => document.getElementById('status').classList.contains('error'), null, {
    timeout: 15000,
  });
  assert.match(
    await page.locator('#status').textContent(),
    /^The WebAssembly engine failed to load: could not fetch http:\/\/localhost:\d+\/bnlab\.wasm: HTTP 404/,
  );
});

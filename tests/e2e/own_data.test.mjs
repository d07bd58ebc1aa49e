// Your own data on the page: a CSV dropped on the file field trains (its columns name the map's
// axes, the link carries it, a sweep from the link trains on it in the pool's workers), a refused file is shown at the field with the reader's row and
// column while the run goes on, a link whose table was too large asks for the file by name and
// waits, and the one-file page reads a CSV from file:// (Open in PyTorch: pytorch_export.test.mjs).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { root, screenshotDir, steps, stepsAbove, useBrowser, watchErrors } from './browser.mjs';

const session = useBrowser();
const example = readFileSync(join(root, 'examples', 'heights-weights.csv'), 'utf8');
const badRow = example.split('\n').map((line, i) => (i === 16 ? line.replace(/,[\d.]+,/, ',abc,') : line));

async function openPage(url) {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(url);
  await page.waitForSelector('#own-data-field');
  return { page, errors };
}

// Drops a file on the field the way a browser does: a drop event with the file in its dataTransfer.
function drop(page, name, text) {
  return page.evaluate(
    ([n, t]) => {
      const data = new DataTransfer();
      data.items.add(new File([t], n, { type: 'text/csv' }));
      const field = document.getElementById('own-data-field');
      field.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
      field.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    },
    [name, text],
  );
}

const tableRead = (page) =>
  page.waitForFunction(() => /rows, 2 features/.test(document.getElementById('table-status').textContent), null, {
    timeout: 15000,
  });

test('a dropped CSV trains, its columns name the map, and the link carries it', async () => {
  const { page, errors } = await openPage(session.url());
  await stepsAbove(page, 0);
  await drop(page, 'heights.csv', example);
  await tableRead(page);
  assert.match(
    await page.locator('#table-status').textContent(),
    /^heights\.csv: 200 rows, 2 features \(height_m, weight_kg\), 2 classes of bmi_25_or_more \(no, yes\)/,
  );
  await page.waitForFunction(() => document.getElementById('field-dataset').value === 'csv', null, { timeout: 15000 });
  await stepsAbove(page, 0);
  const label = await page.locator('#boundaries canvas').first().getAttribute('aria-label');
  assert.match(label, /over height_m and weight_kg/);
  await page.waitForFunction(() => /&data=[\w-]{100,}/.test(window.location.hash), null, { timeout: 15000 });
  const link = await page.evaluate(() => window.location.href);
  assert.match(link, /dataset=csv/);
  assert.match(link, /dataName=heights\.csv/);
  await page.screenshot({ path: join(screenshotDir, 'own-data-1280x800.png') });

  // The link opened elsewhere reads the same table (the same fingerprint) and trains on it.
  const { page: again, errors: againErrors } = await openPage(link);
  await tableRead(again);
  await stepsAbove(again, 0);
  assert.equal(await again.locator('#field-dataset').inputValue(), 'csv');
  assert.match(await again.locator('#table-status').textContent(), /200 rows/);
  assert.equal(await again.locator('#table-error').textContent(), '');

  // A sweep on the table, from a link, in two pool workers: each is sent the table with its
  // first cell, and every cell trains (a worker without it would refuse the data set).
  const sweepLink = link.replace('#', '?sweepWorkers=2#') + '&sweepX=learningRate:0.1,0.3,1,3&sweepSteps=50';
  const { page: grid, errors: gridErrors } = await openPage(sweepLink);
  await grid.waitForFunction(() => document.getElementById('sweep-progress').textContent.startsWith('Done'), null, {
    timeout: 60000,
  });
  assert.match(await grid.locator('#sweep-progress').textContent(), /^Done: 4 of 4 cells/);
  assert.deepEqual([...errors, ...againErrors, ...gridErrors], []);
});

test('a refused file is shown at the file field, with its row and column; the run goes on', async () => {
  const { page, errors } = await openPage(session.url());
  await stepsAbove(page, 0);
  await page.setInputFiles('#table-file', {
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(badRow.join('\n')),
  });
  await page.waitForFunction(() => document.getElementById('table-error').textContent !== '', null, { timeout: 15000 });
  assert.equal(
    await page.locator('#table-error').textContent(),
    'bad.csv: row 17, column weight_kg: "abc" is not a number',
  );
  assert.equal(await page.locator('#table-file').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#field-dataset').inputValue(), 'spiral');
  await stepsAbove(page, await steps(page));
  assert.deepEqual(errors, []);
});

test('a link whose table was too large asks for the file by name, and runs once it is loaded', async () => {
  const { page, errors } = await openPage(
    `${session.url()}#dataset=csv&hidden=8&dataName=heights.csv&dataId=0123456789abcdef`,
  );
  await page.waitForFunction(() =>
    /load heights\.csv here again/.test(document.getElementById('table-error').textContent),
  );
  assert.equal(await steps(page), 0);
  await page.setInputFiles('#table-file', { name: 'heights.csv', mimeType: 'text/csv', buffer: Buffer.from(example) });
  await tableRead(page);
  await stepsAbove(page, 0);
  assert.equal(await page.locator('#field-dataset').inputValue(), 'csv');
  assert.equal(await page.locator('#field-hidden').inputValue(), '8');
  // Another table than the link's is run, and said to be another.
  assert.match(await page.locator('#table-error').textContent(), /not the table this link was made with/);
  assert.deepEqual(errors, []);
});

test('the one-file page reads a CSV from file:// and trains on it', async () => {
  const { page, errors } = await openPage(pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href);
  await stepsAbove(page, 0);
  await page.setInputFiles('#table-file', { name: 'heights.csv', mimeType: 'text/csv', buffer: Buffer.from(example) });
  await tableRead(page);
  await page.waitForFunction(() => document.getElementById('field-dataset').value === 'csv', null, { timeout: 15000 });
  await stepsAbove(page, 0);
  assert.deepEqual(errors, []);
});

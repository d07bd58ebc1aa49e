// Figures to take away and the charts' text alternatives, held against Download data: a chart's
// screen-reader table and its CSV carry the run's own numbers at the steps they show, and its PNG
// is a real PNG at twice the chart's size, with something drawn in it.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import { pngStats, useBrowser, watchErrors } from './browser.mjs';

const session = useBrowser();
const WAIT = { timeout: 30000 };

// Four significant digits, as the page prints a number (written again here, not imported).
const shown = (v) => (Number.isFinite(v) ? String(Number(Number(v).toPrecision(4))) : '—');

async function saved(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download', WAIT), click()]);
  return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
}

// A paused run with a few hundred steps, its loss view in place, and its Download data.
async function pausedRun() {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const errors = watchErrors(page);
  await page.goto(`${session.url()}#hidden=8,8`);
  await page.waitForFunction(
    () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 300,
    null,
    WAIT,
  );
  await page.click('#play');
  await page.waitForFunction(() => document.getElementById('play').textContent.trim() === 'Play', null, WAIT);
  await page.evaluate(() => document.getElementById('view-loss').scrollIntoView({ block: 'start' }));
  const { bytes } = await saved(page, () => page.click('#download'));
  const run = JSON.parse(bytes.toString('utf8'));
  return { page, errors, run };
}

// The JSON's value of `series` for the arm labelled `label` at `step`.
function fromRun(run, label, series, step) {
  const index = run.history.step.indexOf(step);
  assert.ok(index >= 0, `step ${step} is a recorded step of the run`);
  const arm = run.history.arms.find((a) => labelOf(a.name) === label);
  assert.ok(arm, `an arm labelled ${label}`);
  return arm[series][index];
}
const labelOf = (name) => ({ plain: 'plain', 'bn-before': 'BN before' })[name] ?? name;

test("the loss chart's screen-reader table holds the run's numbers up to the step it is paused at", async () => {
  const { page, errors, run } = await pausedRun();
  const lastStep = run.history.step.at(-1);
  // The table is rebuilt at most every 2 s; the last one reaches the paused run's last step.
  await page.waitForFunction(
    (last) => {
      const rows = document.querySelectorAll('#view-loss table.chart-numbers tr');
      return (
        rows.length > 2 && rows[rows.length - 1].querySelector('th').textContent.replaceAll(',', '') === String(last)
      );
    },
    lastStep,
    WAIT,
  );
  const table = await page.evaluate(() => {
    const rows = [...document.querySelectorAll('#view-loss table.chart-numbers tr')];
    return rows.map((r) => [...r.children].map((c) => c.textContent));
  });
  const [head, ...rows] = table;
  assert.deepEqual(head.slice(1), ['plain: train', 'plain: test', 'BN before: train', 'BN before: test']);
  assert.ok(rows.length >= 10, `${rows.length} rows`);
  for (const [stepText, ...values] of rows) {
    const step = Number(stepText.replaceAll(',', ''));
    head.slice(1).forEach((column, k) => {
      const [label, kind] = column.split(': ');
      const expected = shown(fromRun(run, label, kind === 'train' ? 'trainLoss' : 'testLoss', step));
      assert.equal(values[k], expected, `${column} at step ${step}`);
    });
  }
  // The canvas's label states the latest values.
  const label = await page.locator('#view-loss canvas').first().getAttribute('aria-label');
  const latest = shown(fromRun(run, 'plain', 'trainLoss', lastStep));
  assert.ok(label.includes(`plain: train ${latest}`), `label "${label}" has plain's train loss ${latest}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the loss chart's CSV equals the chart's points, each the run's number at its step", async () => {
  const { page, errors, run } = await pausedRun();
  const { name, bytes } = await saved(page, () =>
    page.locator('#view-loss .figure-save button', { hasText: 'CSV' }).click(),
  );
  assert.match(name, /^bnlab-loss-.*\.csv$/);
  const [header, ...lines] = bytes.toString('utf8').trimEnd().split('\n');
  const columns = header.split(',');
  assert.equal(columns[0], 'step');
  assert.ok(lines.length >= 20, `${lines.length} rows`);
  for (const line of lines) {
    const [step, ...values] = line.split(',').map(Number);
    columns.slice(1).forEach((column, k) => {
      const [label, kind] = column.split(': ');
      assert.equal(
        values[k],
        fromRun(run, label, kind === 'train' ? 'trainLoss' : 'testLoss', step),
        `${column} at ${step}`,
      );
    });
  }
  assert.equal(Number(lines.at(-1).split(',')[0]), run.history.step.at(-1), 'the last row is the last recorded step');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a PNG saved from a chart and from a decision-boundary map is a PNG at twice its size, not blank', async () => {
  const { page, errors } = await pausedRun();
  for (const [what, container, canvas] of [
    ['the loss chart', '#view-loss .chart', '#view-loss canvas'],
    ['a decision-boundary map', '#boundaries .boundary', '#boundaries canvas'],
  ]) {
    const size = await page
      .locator(canvas)
      .first()
      .evaluate((c) => ({ w: c.clientWidth, h: c.clientHeight }));
    const { name, bytes } = await saved(page, () =>
      page.locator(`${container} .figure-save button`, { hasText: 'PNG' }).first().click(),
    );
    assert.match(name, /\.png$/, what);
    assert.deepEqual([...bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], `${what}: the PNG signature`);
    assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', what);
    const width = bytes.readUInt32BE(16);
    const height = bytes.readUInt32BE(20);
    assert.equal(width, 2 * size.w, `${what}: width ${width} for a ${size.w} px canvas`);
    assert.ok(height > 2 * size.h, `${what}: height ${height} holds the ${size.h} px canvas and a caption`);
    // Decoded by the browser: many colours, not a blank rectangle.
    const { colors: colours } = await pngStats(page, bytes);
    assert.ok(colours > 50, `${what}: ${colours} colours`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test("printed, a lesson is a handout: its claims and charts within the paper, the run's link, no controls", async () => {
  const page = await session.browser().newPage({ viewport: { width: 900, height: 1200 } });
  const errors = watchErrors(page);
  await page.goto(session.url());
  await page.waitForFunction(
    () =>
      document.querySelectorAll('#claims li').length > 0 &&
      Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 200,
    null,
    WAIT,
  );
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  const printed = await page.evaluate(() => {
    const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
    const width = document.documentElement.clientWidth;
    return {
      buttons: [...document.querySelectorAll('button')].filter(visible).map((b) => b.textContent.trim()),
      claims: [...document.querySelectorAll('#claims li')].filter(visible).length,
      charts: [...document.querySelectorAll('.view:not([hidden]) canvas')].filter(visible).length,
      overflowing: [...document.querySelectorAll('canvas')].filter(
        (c) => visible(c) && c.getBoundingClientRect().right > width + 1,
      ).length,
      link: document.getElementById('print-link').textContent,
    };
  });
  assert.deepEqual(printed.buttons, [], 'no button is printed');
  assert.ok(printed.claims > 0, 'the claims are printed');
  assert.ok(printed.charts >= 5, `${printed.charts} charts printed`);
  assert.equal(printed.overflowing, 0, 'every chart within the paper');
  assert.match(printed.link, /^This run: http:\/\/.*#.*seed=/);
  assert.deepEqual(errors, []);
  await page.close();
});

// Open in PyTorch: the export's module (bnlab-export.js and .wasm) is not part of the page's
// first load; the first click fetches it, and what downloads is bnlab-run --export's text for the
// same run: the default lesson's, and runs on the digits and on your own table (which the worker
// hands to the export's module). The one-file page exports from file:// with its one module.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { encodeTable } from '../../web/src/shared/table-link.js';
import { root, steps, stepsAbove, useBrowser, watchErrors } from './browser.mjs';

const session = useBrowser();
const run = join(root, 'build', 'native', 'bnlab-run');
const EXPORT_FILES = ['bnlab-export.js', 'bnlab-export.wasm'];

const table = join(root, 'examples', 'heights-weights.csv');

// bnlab-run --export's text for a configuration (JSON) and a step count; extra: more options.
const exported = (config, format, n, extra = []) =>
  execFileSync(run, ['--export', format, '--steps', String(n), ...extra, '-'], {
    input: JSON.stringify(config),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });

// A page whose requests (its workers' too) are listed by file name as they are made.
async function openPage(url) {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname.split('/').pop()));
  await page.goto(url);
  return { page, errors, requested };
}

// The text of the download a click on Open in PyTorch's `format` button starts.
async function download(page, format) {
  if (!(await page.locator(`#pytorch-${format}`).isVisible())) await page.click('#pytorch-export summary');
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`#pytorch-${format}`)]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

const trained = (page) => stepsAbove(page, 0);

test("the first load does not fetch the export's module; the click does, and downloads bnlab-run --export's script and notebook", async () => {
  const { page, errors, requested } = await openPage(session.url());
  await trained(page);
  assert.ok(requested.includes('bnlab.wasm'), JSON.stringify(requested));
  for (const file of EXPORT_FILES) assert.ok(!requested.includes(file), `${file} in the first load`);

  // The default lesson: the default configuration, to its horizon (10,000 steps).
  const script = await download(page, 'pytorch');
  assert.equal(script.name, 'bnlab-spiral-seed1.py');
  assert.equal(script.text, exported({}, 'pytorch', 10000));
  for (const file of EXPORT_FILES) assert.equal(requested.filter((f) => f === file).length, 1, file);
  const notebook = await download(page, 'notebook');
  assert.equal(notebook.name, 'bnlab-spiral-seed1.ipynb');
  assert.equal(notebook.text, exported({}, 'notebook', 10000));
  for (const file of EXPORT_FILES) assert.equal(requested.filter((f) => f === file).length, 1, `${file} once`);
  assert.ok(await steps(page));
  assert.deepEqual(errors, []);
  await page.close();
});

test("runs on the digits and on a table export with their data handed to the export's module", async () => {
  // Paused at step 0, and not lessons: the scripts train at least 1,000 steps.
  const data = await encodeTable(readFileSync(table, 'utf8'));
  for (const { link, config, extra = [], name } of [
    { link: 'dataset=digits&noise=0&hidden=16', config: { dataset: 'digits', noise: 0, hidden: [16] }, name: 'digits' },
    {
      link: `dataset=csv&hidden=4&data=${data}&dataName=heights.csv`,
      config: { dataset: 'csv', hidden: [4] },
      extra: ['--data-csv', table],
      name: 'csv',
    },
  ]) {
    const { page, errors } = await openPage(`${session.url()}#${link}&paused=1`);
    await page.waitForFunction((d) => document.getElementById('field-dataset')?.value === d, config.dataset, {
      timeout: 20000,
    });
    const script = await download(page, 'pytorch');
    assert.equal(script.name, `bnlab-${name}-seed1.py`);
    assert.equal(script.text, exported(config, 'pytorch', 1000, extra), name);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('the one-file page exports from file:// with its one module', async () => {
  const { page, errors, requested } = await openPage(pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href);
  await trained(page);
  const script = await download(page, 'pytorch');
  assert.equal(script.text, exported({}, 'pytorch', 10000));
  assert.deepEqual(
    requested.filter((f) => f.startsWith('bnlab')),
    ['bnlab-standalone.html'],
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test("when the export's module fails to load, the page says so, the buttons work again, and the next click exports", async () => {
  const { page, errors } = await openPage(session.url());
  await trained(page);
  let refuse = true;
  await page
    .context()
    .route('**/bnlab-export.wasm', (route) =>
      refuse ? route.fulfill({ status: 404, body: 'gone' }) : route.continue(),
    );
  await page.click('#pytorch-export summary');
  // By keyboard: the focus must stay on the button.
  await page.focus('#pytorch-pytorch');
  await page.keyboard.press('Enter');
  // Read as it appears: the status line goes on to say how the run is doing.
  const status = await page
    .waitForFunction(
      () => {
        const text = document.getElementById('status').textContent;
        return /^Could not export the run to PyTorch/.test(text) && text;
      },
      null,
      { timeout: 20000 },
    )
    .then((handle) => handle.jsonValue());
  assert.match(status, /bnlab-export\.wasm: HTTP 404/);
  for (const [id, label] of [
    ['#pytorch-pytorch', 'Python script'],
    ['#pytorch-notebook', 'Jupyter notebook'],
  ]) {
    assert.equal(await page.locator(id).getAttribute('aria-disabled'), 'false', `${id} works again`);
    assert.equal(await page.locator(id).textContent(), label);
  }
  // Clicked, the button kept the focus (a disabled one would have dropped it to the page).
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'pytorch-pytorch');
  // The run goes on, and the next click fetches the module again.
  const before = await steps(page);
  await stepsAbove(page, before);
  refuse = false;
  const script = await download(page, 'pytorch');
  assert.equal(script.text, exported({}, 'pytorch', 10000));
  assert.deepEqual(
    errors.filter((e) => !/404/.test(e)),
    [],
  );
  await page.close();
});

// Share links, the embed view, the single-file page and the lessons, as people meet them:
// a link restores the run exactly, a hostile link never breaks or hijacks the page, an
// embedded view fits its frame, and the standalone file works from disk.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { DEFAULT_LESSON } from '../../web/src/lessons/lessons.js';
import { root, screenshotDir, steps, stepsAbove, useBrowser, waitForArmPixels, watchErrors } from './browser.mjs';

const session = useBrowser();

async function open(fragment = '', viewport = { width: 1280, height: 800 }) {
  const page = await session.browser().newPage({ viewport, acceptDownloads: true });
  const errors = watchErrors(page);
  await page.goto(`${session.url()}${fragment}`);
  await page.waitForFunction(
    () => document.getElementById('status').textContent !== 'Loading the WebAssembly engine…',
    null,
    { timeout: 15000 },
  );
  return { page, errors };
}

const waitForStep = (page, n) =>
  page.waitForFunction(
    (target) => Number(document.getElementById('steps').textContent.replaceAll(',', '')) >= target,
    n,
    { timeout: 20000 },
  );

// The history the page's "Download data" button saves.
async function downloadHistory(page) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  return JSON.parse(await readFile(await file.path(), 'utf8'));
}

test('a link restores the run exactly: two loads give identical losses for the first 100 steps', async () => {
  const link =
    '#seed=7&dataset=circle&hidden=8,8&activation=tanh&init=xavier&learningRate=0.3&recordEvery=10&arms=plain,bn-after';
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const { page, errors } = await open(link);
    await waitForStep(page, 120);
    const data = await downloadHistory(page);
    assert.equal(data.config.seed, 7);
    assert.equal(data.config.recordEvery, 10);
    assert.deepEqual(data.config.arms, ['plain', 'bn-after']);
    // Losses by recorded step up to 100. A long run's bounded history keeps every other row
    // once full, so the two downloads are compared on the steps both hold.
    runs.push(
      new Map(
        data.history.step
          .map((step, i) => [
            step,
            data.history.arms.map((arm) => [arm.trainLoss[i], arm.testLoss[i], arm.batchLoss[i]]),
          ])
          .filter(([step]) => step <= 100),
      ),
    );
    assert.deepEqual(errors, []);
    await page.close();
  }
  const common = [...runs[0].keys()].filter((step) => runs[1].has(step));
  assert.ok(common.length >= 4 && common[0] === 0 && common.at(-1) === 100, `common steps ${common}`);
  for (const step of common) assert.deepEqual(runs[0].get(step), runs[1].get(step), `step ${step}`);
  assert.ok(
    common.every((step) => runs[0].get(step).every(([train]) => train > 0)),
    'losses were recorded',
  );
});

test('the address follows the settings, and Copy link offers it', async () => {
  const { page, errors } = await open();
  await page.waitForFunction(() => window.location.hash.includes('dataset=spiral'));
  await page.locator('#field-dataset').selectOption('xor');
  await page.waitForFunction(() => window.location.hash.includes('dataset=xor'));
  const hash = await page.evaluate(() => window.location.hash);
  // Every field is written, so the link keeps its meaning if a default changes.
  for (const field of ['seed', 'samples', 'noise', 'hidden', 'learningRate', 'bnMomentum', 'bnEps', 'arms'])
    assert.match(hash, new RegExp(`[#&]${field}=`), field);
  await page.click('#copy-link');
  assert.equal(await page.locator('#share-dialog').getAttribute('open'), '');
  assert.equal(await page.locator('#share-text').inputValue(), `${session.url()}${hash}`);
  await page.click('#share-close');

  // The link opened in a fresh page runs the same settings.
  const fresh = await open(hash);
  await fresh.page.waitForFunction(() => document.getElementById('field-dataset').value === 'xor');
  assert.equal(await fresh.page.locator('#field-hidden').inputValue(), '32,32,32,32');
  assert.deepEqual([...errors, ...fresh.errors], []);
  await fresh.page.close();
  await page.close();
});

test('refused and unknown link values are named in a note, and the rest of the link applies', async () => {
  const { page, errors } = await open(
    '#dataset=xor&learningRate=5000&hidden=8,0&colour=red&batchSize=16&arms=plain,plain',
  );
  await page.waitForFunction(() => document.querySelectorAll('#link-notes li').length >= 4);
  const notes = await page.locator('#link-notes li').allTextContents();
  assert.ok(
    notes.some((n) => n === 'Ignored the unknown setting "colour".'),
    notes.join(' | '),
  );
  assert.ok(
    notes.some((n) => /^learningRate: must be a number from 1e-06 to 1000; got 5000; using the default\.$/.test(n)),
    notes.join(' | '),
  );
  assert.ok(
    notes.some((n) => n.startsWith('hidden: must be an array') && n.includes('item 2 is 0, less than 1')),
    notes.join(' | '),
  );
  assert.ok(
    notes.some((n) => n.startsWith('arms: ') && n.includes('item 2 repeats "plain" (item 1)')),
    notes.join(' | '),
  );
  assert.equal(await page.locator('#field-dataset').inputValue(), 'xor');
  assert.equal(await page.locator('#field-batchSize').inputValue(), '16');
  assert.equal(await page.locator('#field-learningRate').inputValue(), '2');
  const now = await steps(page);
  await stepsAbove(page, now); // it trains
  assert.deepEqual(errors, []);
  await page.close();
});

// A sample of hostile fragments; tests/wasm/url_state.test.mjs runs thousands against the
// parser in Node.
const HOSTILE = [
  '#dataset=<script>window.pwned=1</script>',
  '#hidden=%3Cimg%20src%3Dx%20onerror%3D%22window.pwned%3D1%22%3E',
  '#"><img src=x onerror=window.pwned=1>=1',
  '#__proto__=1&constructor=2&arms=__proto__',
  `#hidden=${Array(10000).fill(1).join(',')}`,
  '#samples=1e309&noise=NaN&seed=-1&batchSize=-5',
  '#learningRate=Infinity&momentum=-0&bnEps=1e-400',
  '#%E0%A4%A&%zz=%&&&===&=',
  '#dataset=%F0%9F%A7%A0&activation=%E2%80%AEdiomgis',
  '#embed=1&views=<b>x</b>,loss,boundary,boundary',
  '#scenario=<img src=x onerror=window.pwned=1>',
  '#lesson=<img src=x onerror=window.pwned=1>',
  `#${'a=b&'.repeat(3000)}`,
];

// Four pages at a time: each link mostly waits for its page to load and settle.
describe('hostile links end in a working page or a clear message, never injected markup', { concurrency: 4 }, () => {
  for (const fragment of HOSTILE) {
    const label = fragment.slice(0, 60);
    test(label, async () => {
      const { page, errors } = await open(fragment);
      // Settled: training, or a message saying why not.
      await page
        .waitForFunction(
          () =>
            Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 0 ||
            /Invalid|could not/i.test(document.getElementById('status').textContent),
          null,
          { timeout: 30000 },
        )
        .catch(() => {}); // the assertions below say what the page shows instead
      assert.deepEqual(errors, [], label);
      const state = await page.evaluate(() => ({
        pwned: window.pwned,
        injected: document.querySelectorAll('img, script:not([src]):not(#bnlab-worker-source), iframe').length,
        status: document.getElementById('status').textContent,
        steps: Number(document.getElementById('steps').textContent.replaceAll(',', '')),
        lessonBanner: document.getElementById('lesson-banner').hidden
          ? null
          : document.getElementById('lesson-title').textContent,
      }));
      assert.equal(state.pwned, undefined, label);
      assert.equal(state.injected, 0, label);
      assert.ok(state.steps > 0 || /Invalid|could not/i.test(state.status), `${label}: ${state.status}`);
      // No lesson banner for an unknown lesson; a link that fell back to the defaults is the
      // default lesson.
      assert.ok(
        state.lessonBanner === null || state.lessonBanner === DEFAULT_LESSON.title,
        `${label}: banner "${state.lessonBanner}"`,
      );
      await page.close();
    });
  }
});

test('the embed view fits a 640x480 frame without scrollbars, with play/pause and a link back', async () => {
  const page = await session.browser().newPage({ viewport: { width: 900, height: 700 } });
  const errors = watchErrors(page);
  const src = `${session.url()}#dataset=circle&hidden=8,8&embed=1&views=boundary,ics`;
  await page.setContent(`<!doctype html><p>A blog post.</p><iframe src="${src}" width="640" height="480"></iframe>`);
  const frame = page.frames()[1];
  await frame.waitForFunction(
    () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 200,
    null,
    { timeout: 15000 },
  );
  const layout = await frame.evaluate(() => {
    const d = document.documentElement;
    const shown = [...document.querySelectorAll('.view')].filter((v) => !v.hidden).map((v) => v.id);
    return {
      scroll: [d.scrollWidth - d.clientWidth, d.scrollHeight - d.clientHeight],
      shown,
      playVisible: getComputedStyle(document.getElementById('play')).display !== 'none',
      link: document.getElementById('open-full').href,
      linkHidden: document.getElementById('open-full').hidden,
    };
  });
  assert.deepEqual(layout.scroll, [0, 0], 'no scrollbars');
  assert.deepEqual(layout.shown, ['view-boundary', 'view-ics']);
  assert.ok(layout.playVisible);
  assert.equal(layout.linkHidden, false);
  assert.match(layout.link, /#seed=1&dataset=circle&.*hidden=8,8/);
  assert.doesNotMatch(layout.link, /embed=1/);
  // Its charts have data: the percentile chart of the BN arm carries the BN colour.
  await waitForArmPixels(frame, '#percentile-charts .chart:nth-child(2) canvas', 'bn-before');
  await page.screenshot({ path: join(screenshotDir, 'embed-640x480.png') });
  await frame.click('#play');
  assert.equal(await frame.locator('#play').textContent(), 'Play');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the standalone file trains and draws its charts when opened from disk', async () => {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  await page.goto(pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href);
  await waitForStep(page, 500);
  assert.equal(await page.locator('#status').textContent(), 'Training.');
  for (const id of ['chart-loss', 'chart-shift']) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await waitForArmPixels(page, `#${id}`, 'bn-before'); // drawn from file://
  }
  await page.screenshot({ path: join(screenshotDir, 'standalone-file.png') });
  // Copy link says that a file:// address works on this computer only.
  await page.evaluate(() => document.getElementById('copy-link').click());
  assert.match(await page.locator('#share-help').textContent(), /works only on this computer/);
  assert.match(await page.locator('#share-text').inputValue(), /^file:\/\//);
  await page.evaluate(() => document.getElementById('share-close').click());
  // The digits ride inside the file: a digits link works from disk too.
  await page.goto(
    `${pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href}#dataset=digits&noise=0&hidden=16`,
  );
  await page.waitForFunction(
    () =>
      document.querySelectorAll('#digits .digit').length > 0 &&
      Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 100,
    null,
    { timeout: 20000 },
  );
  // A sweep from disk: its pool's workers start from the same Blob as the training worker, and
  // the digits ride inside the file for them too.
  await page.goto(
    `${pathToFileURL(join(root, 'dist', 'bnlab-standalone.html')).href}#dataset=digits&noise=0&hidden=16&sweepX=learningRate:0.1,1&sweepSteps=50`,
  );
  await page.waitForFunction(
    () => document.getElementById('sweep-progress').textContent.startsWith('Done: 2 of 2 cells'),
    null,
    { timeout: 60000 },
  );
  assert.equal(await page.locator('.sweep-map canvas').count(), 2);
  assert.deepEqual(errors, []);
  await page.close();
});

test('every lesson is a link that runs its settings and explains itself', async () => {
  const { page, errors } = await open();
  await page.click('#lessons > summary');
  const links = await page.locator('#lesson-list a.variant').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.length >= 8, `${links.length} lesson links`);
  const lessons = new Set(links.map((href) => new URLSearchParams(href.slice(1)).get('lesson')));
  for (const id of ['vanishing', 'rescaling', 'covariate-shift', 'batch-noise', 'placement', 'inference'])
    assert.ok(lessons.has(id), id);
  // Batch noise: three variants at batch sizes 4, 32 and 256.
  const batches = links
    .filter((h) => h.includes('lesson=batch-noise'))
    .map((h) => new URLSearchParams(h.slice(1)).get('batchSize'));
  assert.deepEqual(batches, ['4', '32', '256']);

  await page.click('#lesson-list a.variant >> text=standardized');
  await page.waitForFunction(
    () =>
      document.getElementById('field-dataset').value === 'scales' &&
      document.getElementById('field-standardize').checked,
  );
  assert.equal(await page.locator('#lesson-title').textContent(), 'Rescaling the inputs');
  assert.match(await page.locator('#lesson-text').textContent(), /Height in metres next to weight in kilograms/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Figure 1 lesson on the digits shows test digits, answers and confusion matrices', async () => {
  const { page, errors } = await open('', { width: 1280, height: 900 });
  await page.click('#lessons > summary');
  await page.click('#lesson-list a.variant[href*="lesson=figure1"]');
  await page.waitForFunction(() => document.getElementById('field-dataset').value === 'digits');
  await waitForStep(page, 300);
  await page.waitForTimeout(500);
  assert.equal(await page.locator('#lesson-title').textContent(), 'Ioffe & Szegedy 2015, Figure 1');
  assert.equal(await page.locator('#boundaries').isHidden(), true, 'no 2-D boundary picture for the digits');
  const cells = await page.locator('#digits .digit').count();
  assert.ok(cells >= 24, `${cells} test digits shown`);
  // Each digit shows its true label and one answer per network, each a digit 0-9.
  const answers = await page.locator('#digits .digit').first().locator('.digit-answer').allTextContents();
  assert.equal(answers.length, 2);
  for (const a of answers) assert.match(a, /^[0-9]$/);
  // By step 300 the BN network is right far more often than the plain one (95% against chance).
  const wrong = await page
    .locator('#digits .digit')
    .evaluateAll((digits) =>
      [0, 1].map(
        (arm) => digits.filter((d) => d.querySelectorAll('.digit-answer')[arm].classList.contains('wrong')).length,
      ),
    );
  assert.ok(wrong[1] < wrong[0], `wrong answers: plain ${wrong[0]}, BN ${wrong[1]}`);
  const matrices = await page
    .locator('#digits canvas[role="img"]')
    .evaluateAll((cs) => cs.map((c) => c.getAttribute('aria-label')));
  assert.ok(matrices.filter((label) => /accuracy/i.test(label)).length >= 2, matrices.join(' | '));
  await page.locator('#view-boundary').screenshot({ path: join(screenshotDir, 'digits-1280.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a browser without String.prototype.toWellFormed (Firefox < 119) still opens a link with settings', async () => {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = watchErrors(page);
  await page.addInitScript(() => {
    delete String.prototype.toWellFormed;
  });
  await page.goto(`${session.url()}#dataset=circle&hidden=8,8&learningRate=0.5&seed=3`);
  await waitForStep(page, 100);
  assert.equal(await page.evaluate(() => typeof ''.toWellFormed), 'undefined');
  assert.match(await page.evaluate(() => window.location.hash), /dataset=circle&.*hidden=8,8&.*learningRate=0.5&/);
  assert.deepEqual(errors, []);
  await page.close();
});

// Lessons as a student meets them: each lesson opened from its link runs at its own pace to
// its horizon, pauses there, and shows for every claim the verdict and numbers that the same
// predicates give on the same run in Node (the engine is deterministic, so they must agree to
// the character); a changed setting turns the banner into "modified from" and drops
// lesson= from the link; choosing a lesson brings its explanation into view.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { evaluateClaims, makeRun } from '../../web/src/lessons/claims.js';
import { configToFragment } from '../../web/src/shared/link.js';
import { bottomLine, DEFAULT_LESSON, LESSONS, variantClaims } from '../../web/src/lessons/lessons.js';
import { loadEngine } from '../wasm/engine.mjs';
import { root, screenshotDir, steps, useBrowser, watchErrors } from './browser.mjs';

const session = useBrowser();
const m = await loadEngine();
m.loadDigits(new Uint8Array(readFileSync(join(root, 'web/data/digits.bin'))));
const schema = m.configSchema();
const defaults = m.defaultConfig();

// The claims' verdicts at the horizon, computed here with the engine in Node.
function expectedClaims(lesson, variant) {
  const exp = new m.Experiment({ ...defaults, ...variant.config });
  try {
    exp.step(lesson.horizon);
    return evaluateClaims(variantClaims(lesson, variant), makeRun(exp));
  } finally {
    exp.delete();
  }
}

const lessonLink = (lesson, variant) =>
  `${configToFragment({ ...defaults, ...variant.config }, schema)}${lesson.id === 'default' ? '' : `&lesson=${lesson.id}`}`;

async function open(fragment, viewport = { width: 1280, height: 800 }) {
  const page = await session.browser().newPage({ viewport });
  const errors = watchErrors(page);
  await page.goto(`${session.url()}${fragment}`);
  return { page, errors };
}

// The vanishing gradients lesson's point is plain's first-layer bar, its smallest: on the log
// axis it must be drawn, not sit at the axis's floor with no height. Plain's colour in the
// chart's left fifth (the axis and layer 1's bars) says it is there.
// Plain's colour in the left fifth of the gradient norm chart (the axis and layer 1's bars), when
// more than `min` pixels have it (else false).
function plainInFirstSlot(min) {
  const canvas = document.getElementById('chart-gradnorm');
  const { data } = canvas.getContext('2d').getImageData(0, 0, Math.round(canvas.width / 5), canvas.height);
  let plain = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - 0xcc) + Math.abs(data[i + 1] - 0x66) + Math.abs(data[i + 2] - 0x77) < 40) plain++;
  }
  return plain > min ? plain : false;
}

async function assertEveryGradientBarDrawn(page) {
  await page.evaluate(() => document.getElementById('chart-gradnorm').scrollIntoView({ block: 'center' }));
  // Drawn at the frames after it comes into view: wait for it, or say what was there.
  const pixels = await page.waitForFunction(plainInFirstSlot, 30, { timeout: 20000 }).then(
    (handle) => handle.jsonValue(),
    () => page.evaluate(plainInFirstSlot, -1),
  );
  assert.ok(pixels > 30, `plain's layer-1 gradient bar: ${pixels} pixels of its colour`);
}

const atHorizon = (page, timeout) =>
  page.waitForFunction(() => /the lesson's horizon/.test(document.getElementById('status').textContent), null, {
    timeout,
  });

// Several lessons run at once, each in its own page.
const AT_ONCE = 4;

describe('every lesson in its own page', { concurrency: AT_ONCE }, () => {
  for (const lesson of [DEFAULT_LESSON, ...LESSONS])
    for (const variant of lesson.variants) {
      // The default lesson plays at its pace; the others, once their pace is shown, at max speed
      // (the horizon must stop a run that steps in large chunks just as exactly), which takes the
      // lessons from 400 s to about 60 s one after another.
      const atPace = lesson === DEFAULT_LESSON;
      test(`${lesson.id} / ${variant.label}: opens at ${lesson.pace} steps/s, runs ${atPace ? 'at that pace' : 'at max speed'} to step ${lesson.horizon}, pauses, and shows ✓ for each claim, with the numbers Node computes`, async () => {
        const expected = expectedClaims(lesson, variant);
        const { page, errors } = await open(lessonLink(lesson, variant));
        await page.waitForFunction(() => !document.getElementById('lesson-banner').hidden, null, { timeout: 30000 });
        assert.equal(
          await page.locator('#speed').inputValue(),
          String(lesson.pace),
          "the speed menu shows the lesson's pace",
        );
        assert.equal(await page.locator('#lesson-title').textContent(), lesson.title);
        if (!atPace) await page.locator('#speed').selectOption('0');
        // A generous bound: on a busy machine the worker may fall behind its pace.
        await atHorizon(page, (lesson.horizon / lesson.pace) * 1000 * 6 + 30000);
        assert.equal(await steps(page), lesson.horizon, 'paused exactly at the horizon');
        const shown = await page.locator('#claims .claim').evaluateAll((lis) =>
          lis.map((li) => ({
            mark: li.querySelector('.mark').textContent,
            text: li.querySelector('.claim-text').textContent,
            detail: li.querySelector('.claim-detail').textContent,
          })),
        );
        assert.equal(shown.length, expected.length);
        shown.forEach((claim, i) => {
          assert.equal(claim.text, expected[i].text);
          assert.equal(claim.mark, expected[i].ok ? '✓' : '✗', `${claim.text}: ${claim.detail}`);
          // The seed a lesson ships with is one on which every claim holds.
          assert.equal(claim.mark, '✓', `${claim.text}: ${claim.detail}`);
          assert.ok(
            claim.detail.includes(expected[i].detail),
            `shown "${claim.detail}", computed "${expected[i].detail}"`,
          );
        });
        // The lesson ends with its bottom line, made from the same verdicts.
        assert.equal(
          await page.locator('#lesson-bottom-line span').textContent(),
          bottomLine(lesson, variant, expected),
        );
        if (lesson.id === 'vanishing') await assertEveryGradientBarDrawn(page);
        // Still paused: the horizon stops the run until Play.
        await page.waitForTimeout(300);
        assert.equal(await steps(page), lesson.horizon);
        await page
          .locator('#lesson-banner')
          .screenshot({ path: join(screenshotDir, `lesson-${lesson.id}-${variant.label.replaceAll(' ', '-')}.png`) });
        assert.deepEqual(errors, []);
        await page.close();
      });
    }
});

// Lessons were called scenarios once, and their links said scenario=: such a link must still
// open its lesson, with the same run, and the address then says lesson=.
test('an old link with scenario= opens the same lesson and the same run as its lesson= link', async () => {
  const lesson = LESSONS.find((s) => s.id === 'inference');
  const fragment = configToFragment({ ...defaults, ...lesson.variants[0].config }, schema, { paused: true });
  const afterSteps = async (link) => {
    const { page, errors } = await open(link);
    await page.waitForFunction(() => document.querySelectorAll('#claims .claim').length > 0, null, { timeout: 30000 });
    for (let i = 0; i < 3; ++i) await page.click('#step');
    await page.waitForFunction(() => document.getElementById('steps').textContent === '3', null, { timeout: 30000 });
    const state = await page.evaluate(() => ({
      title: document.getElementById('lesson-title').textContent,
      hash: window.location.hash,
      scoreboard: document.getElementById('scoreboard').tBodies[0].textContent,
    }));
    assert.deepEqual(errors, []);
    await page.close();
    return state;
  };
  const old = await afterSteps(`${fragment}&scenario=${lesson.id}`);
  const now = await afterSteps(`${fragment}&lesson=${lesson.id}`);
  assert.equal(old.title, lesson.title);
  assert.match(old.hash, /&lesson=inference/);
  assert.doesNotMatch(old.hash, /scenario=/);
  assert.equal(old.hash, now.hash);
  assert.equal(old.scoreboard, now.scoreboard);
  assert.match(old.scoreboard, /\d\.\d{3}/, 'the scoreboard shows numbers');
});

test('a changed setting turns the banner into "modified from" and drops lesson= from the link; another seed stays the lesson', async () => {
  const lesson = LESSONS.find((s) => s.id === 'vanishing');
  const { page, errors } = await open(lessonLink(lesson, lesson.variants[0]));
  await page.waitForFunction(() => document.querySelectorAll('#claims .claim').length > 0, null, { timeout: 30000 });
  assert.match(await page.evaluate(() => window.location.hash), /lesson=vanishing/);

  // A seed is not a different lesson: its claims are tested over seeds 1-20.
  await page.locator('#settings').evaluate((d) => {
    d.open = true;
  });
  await page.locator('#field-seed').fill('7');
  await page.locator('#field-seed').dispatchEvent('change');
  await page.waitForFunction(() => /seed=7&/.test(window.location.hash), null, { timeout: 30000 });
  assert.match(await page.evaluate(() => window.location.hash), /lesson=vanishing/);
  assert.equal(await page.locator('#lesson-title').textContent(), lesson.title);

  await page.locator('#field-batchSize').fill('16');
  await page.locator('#field-batchSize').dispatchEvent('change');
  await page.waitForFunction(() => /batchSize=16&/.test(window.location.hash), null, { timeout: 30000 });
  await page.waitForFunction(() => /^Modified from/.test(document.getElementById('lesson-title').textContent), null, {
    timeout: 30000,
  });
  assert.doesNotMatch(await page.evaluate(() => window.location.hash), /lesson=/);
  assert.equal(await page.locator('#claims .claim').count(), 0, 'no claims for settings they were not tested on');
  // Copy link offers the modified run, without the lesson.
  await page.click('#copy-link');
  assert.doesNotMatch(await page.locator('#share-text').inputValue(), /lesson=/);
  assert.deepEqual(errors, []);
  await page.close();
});

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
]) {
  test(`at ${viewport.width}x${viewport.height}, choosing a lesson while scrolled to the bottom brings its explanation into view and marks the variant`, async () => {
    const { page, errors } = await open('', viewport);
    await page.waitForFunction(
      () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 0,
      null,
      { timeout: 30000 },
    );
    await page.locator('#lessons').evaluate((d) => {
      d.open = true;
    });
    const link = page.locator('#lesson-list a.variant[href*="lesson=batch-noise"]').nth(1);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await link.evaluate((a) => a.click()); // as a click from wherever the menu is: it is a plain link
    await page.waitForFunction(
      () =>
        document.getElementById('lesson-title').textContent === 'Regularization noise and batch size' &&
        document.querySelector('#lesson-list a[aria-current]'),
      null,
      { timeout: 30000 },
    );
    await page.waitForFunction(
      () => {
        const box = document.getElementById('lesson-text').getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      },
      null,
      { timeout: 10000 },
    );
    const current = await page.locator('#lesson-list a[aria-current]').textContent();
    assert.equal(current, 'batch 32');
    await page.screenshot({ path: join(screenshotDir, `lesson-chosen-${viewport.width}.png`) });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

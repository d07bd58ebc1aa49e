// Every lesson's claims over seeds 1-20: each claim states how many of those seeds it holds
// for at the lesson's horizon (`held`), and this test recomputes that figure with the same
// predicates the page evaluates (web/src/lessons/claims.js), on the same engine. The page then shows,
// for the seed a link carries, exactly the verdict and numbers computed here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, test } from 'node:test';

import { makeRun } from '../../web/src/lessons/claims.js';
import { watch } from '../../web/src/lessons/readouts.js';
import { bottomLine, DEFAULT_LESSON, LESSONS, SEEDS, variantClaims } from '../../web/src/lessons/lessons.js';
import { checkBottomLine } from './bottom-line.mjs';
import { loadEngine, root } from './engine.mjs';
import { seedPool } from './seed-pool.mjs';

const m = await loadEngine();
m.loadDigits(new Uint8Array(readFileSync(`${root}web/data/digits.bin`)));

const ALL_LESSONS = [DEFAULT_LESSON, ...LESSONS];
const pool = seedPool();
after(() => pool.close());
const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);

test('every lesson has a pace, a horizon reached in 10 to 60 s at that pace, and claims', () => {
  for (const lesson of ALL_LESSONS) {
    const seconds = lesson.horizon / lesson.pace;
    assert.ok(seconds >= 10 && seconds <= 60, `${lesson.id}: ${seconds} s to the horizon`);
    for (const variant of lesson.variants) {
      const claims = variantClaims(lesson, variant);
      assert.ok(claims.length > 0, `${lesson.id}/${variant.label} states no claim`);
      for (const claim of claims) {
        assert.ok(
          Number.isInteger(claim.held) && claim.held >= 0 && claim.held <= SEEDS,
          `${claim.text}: held ${claim.held}`,
        );
      }
    }
  }
});

for (const lesson of ALL_LESSONS) {
  lesson.variants.forEach((variant, index) => {
    test(`${lesson.id} / ${variant.label}: each claim holds in as many of seeds 1-${SEEDS} as it says, and the bottom line quotes them`, async () => {
      const claims = variantClaims(lesson, variant);
      const held = claims.map(() => 0);
      const failures = claims.map(() => []);
      const perSeed = await Promise.all(
        seeds.map((seed) => pool.verdicts({ kind: 'run', lesson: lesson.id, variant: index, seed })),
      );
      perSeed.forEach((results, s) => {
        const seed = seeds[s];
        assert.equal(results.length, claims.length);
        results.forEach((result, i) => {
          assert.equal(result.text, claims[i].text);
          if (result.ok) held[i]++;
          else failures[i].push(`seed ${seed}: ${result.detail}`);
        });
        checkBottomLine((rs) => bottomLine(lesson, variant, rs), results, `${lesson.id}/${variant.label} seed ${seed}`);
      });
      claims.forEach((claim, i) => {
        assert.equal(
          held[i],
          claim.held,
          `"${claim.text}" held in ${held[i]} of ${SEEDS} seeds; it says ${claim.held}. Failed: ${failures[i].join('; ')}`,
        );
      });
    });
  });
}

test('a watch puts inference collapsing into words, with the numbers, and stays quiet otherwise', () => {
  const raw = LESSONS.find((s) => s.id === 'rescaling').variants[0].config;
  const run = (config, steps) => {
    const exp = new m.Experiment(config);
    try {
      exp.step(steps);
      return makeRun(exp);
    } finally {
      exp.delete();
    }
  };
  // Raw inputs, seed 5: BN's batch statistics reach 88% while its running statistics lag
  // behind weights facing a feature of size 80 (inference at chance).
  const lagging = run({ ...raw, seed: 5 }, 5000);
  const batch = lagging.metrics.testAccuracyBatchStats[1];
  const inference = lagging.metrics.testAccuracy[1];
  assert.ok(batch - inference >= 0.2, `batch ${batch}, inference ${inference}`);
  const words = watch(lagging);
  assert.equal(words.length, 1, words.join(' | '));
  assert.match(
    words[0],
    /^BN before: test accuracy 50\.0% in inference mode against 8\d\.\d% with batch statistics at step 5,000/,
  );
  assert.match(words[0], /learning rate 0\.5/);
  // The default lesson at its horizon: BN's inference is the better mode; nothing to report.
  assert.deepEqual(watch(run({ seed: 1 }, DEFAULT_LESSON.horizon)), []);
});

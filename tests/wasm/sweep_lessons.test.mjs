// Every sweep lesson's claims over seeds 1-20: each states how many of those seeds it holds
// for (`held`), and this test recomputes that figure with the predicates the page evaluates
// (web/src/lessons/sweep-claims.js) on grids the engine trains cell by cell, as the page's workers do
// (the seeds in worker threads: seed-pool.mjs).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { SEEDS } from '../../web/src/lessons/lessons.js';
import { SWEEP_LESSONS } from '../../web/src/lessons/sweep-lessons.js';
import { checkBottomLine } from './bottom-line.mjs';
import { seedPool } from './seed-pool.mjs';

const pool = seedPool();
after(() => pool.close());
const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);

for (const lesson of SWEEP_LESSONS) {
  lesson.variants.forEach((variant, index) => {
    test(`${lesson.id} / ${variant.label}: each claim holds in as many of seeds 1-${SEEDS} as it says, and the bottom line quotes them`, async () => {
      const held = variant.claims.map(() => 0);
      const failures = variant.claims.map(() => []);
      const perSeed = await Promise.all(
        seeds.map((seed) => pool.verdicts({ kind: 'grid', lesson: lesson.id, variant: index, seed })),
      );
      perSeed.forEach((results, s) => {
        const seed = seeds[s];
        assert.equal(results.length, variant.claims.length);
        results.forEach((result, i) => {
          assert.equal(result.text, variant.claims[i].text);
          if (result.ok) held[i]++;
          else failures[i].push(`seed ${seed}: ${result.detail}`);
        });
        checkBottomLine(variant.bottomLine, results, `${lesson.id}/${variant.label} seed ${seed}`);
      });
      variant.claims.forEach((claim, i) => {
        assert.equal(
          held[i],
          claim.held,
          `"${claim.text}" held in ${held[i]} of ${SEEDS} seeds; it says ${claim.held}. Failed: ${failures[i].join('; ')}`,
        );
      });
    });
  });
}

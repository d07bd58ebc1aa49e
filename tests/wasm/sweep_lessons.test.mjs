// Every sweep lesson's claims over seeds 1-20: each states how many of those seeds it holds
// for (`held`), and this test recomputes that figure with the predicates the page evaluates
// (web/src/lessons/sweep-claims.js) on grids the engine trains cell by cell, as the page's workers do.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { evaluateClaims } from '../../web/src/lessons/claims.js';
import { SEEDS } from '../../web/src/lessons/lessons.js';
import { emptyGrid, placeCell } from '../../web/src/shared/sweep-grid.js';
import { SWEEP_LESSONS, lessonSweep } from '../../web/src/lessons/sweep-lessons.js';
import { checkBottomLine } from './bottom-line.mjs';
import { loadEngine, root } from './engine.mjs';

const m = await loadEngine();
m.loadDigits(new Uint8Array(readFileSync(`${root}web/data/digits.bin`)));

export function runGrid(engine, spec) {
  const sweep = engine.parseSweep(spec);
  const grid = emptyGrid(sweep);
  grid.cells.forEach((_, i) => placeCell(grid, engine.sweepCell(sweep, i)));
  return grid;
}

for (const lesson of SWEEP_LESSONS) {
  for (const variant of lesson.variants) {
    test(`${lesson.id} / ${variant.label}: each claim holds in as many of seeds 1-${SEEDS} as it says, and the bottom line quotes them`, () => {
      const held = variant.claims.map(() => 0);
      const failures = variant.claims.map(() => []);
      for (let seed = 1; seed <= SEEDS; ++seed) {
        const results = evaluateClaims(variant.claims, runGrid(m, lessonSweep(variant, seed)));
        results.forEach((result, i) => {
          if (result.ok) held[i]++;
          else failures[i].push(`seed ${seed}: ${result.detail}`);
        });
        checkBottomLine(variant.bottomLine, results, `${lesson.id}/${variant.label} seed ${seed}`);
      }
      variant.claims.forEach((claim, i) => {
        assert.equal(
          held[i],
          claim.held,
          `"${claim.text}" held in ${held[i]} of ${SEEDS} seeds; it says ${claim.held}. Failed: ${failures[i].join('; ')}`,
        );
      });
    });
  }
}

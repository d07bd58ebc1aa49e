// The claims over seeds 1-20 in worker threads, one engine each, as many as the machine has
// cores: every seed of every lesson is a run of its own, and running them one after another was
// the suite's longest wait. The tests still count, and check, every seed's verdicts themselves;
// a worker only computes them, with the page's predicates on the page's engine.
import { availableParallelism } from 'node:os';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';

import { evaluateClaims, makeRun } from '../../web/src/lessons/claims.js';
import { DEFAULT_LESSON, LESSONS, variantClaims } from '../../web/src/lessons/lessons.js';
import { SWEEP_LESSONS, lessonSweep } from '../../web/src/lessons/sweep-lessons.js';
import { emptyGrid, placeCell } from '../../web/src/shared/sweep-grid.js';

// A grid trained cell by cell, as the page's workers train it.
export function runGrid(engine, spec) {
  const sweep = engine.parseSweep(spec);
  const grid = emptyGrid(sweep);
  grid.cells.forEach((_, i) => placeCell(grid, engine.sweepCell(sweep, i)));
  return grid;
}

// One task: { kind: 'run' | 'grid', lesson: id, variant: index, seed } -> the claims' results.
function verdicts(m, { kind, lesson: id, variant: index, seed }) {
  if (kind === 'grid') {
    const variant = SWEEP_LESSONS.find((l) => l.id === id).variants[index];
    return evaluateClaims(variant.claims, runGrid(m, lessonSweep(variant, seed)));
  }
  const lesson = [DEFAULT_LESSON, ...LESSONS].find((l) => l.id === id);
  const variant = lesson.variants[index];
  const exp = new m.Experiment({ ...variant.config, seed });
  try {
    exp.step(lesson.horizon);
    return evaluateClaims(variantClaims(lesson, variant), makeRun(exp));
  } finally {
    exp.delete();
  }
}

if (!isMainThread) {
  const { readFileSync } = await import('node:fs');
  const { loadEngine, root } = await import('./engine.mjs');
  const m = await loadEngine();
  m.loadDigits(new Uint8Array(readFileSync(`${root}web/data/digits.bin`)));
  parentPort.on('message', ({ id, task }) => {
    try {
      parentPort.postMessage({ id, results: verdicts(m, task) });
    } catch (err) {
      parentPort.postMessage({ id, error: `${err.stack ?? err}` });
    }
  });
}

// verdicts(task) -> a promise of the claims' results; close() ends the workers.
export function seedPool(size = availableParallelism()) {
  const workers = Array.from({ length: size }, () => new Worker(new URL(import.meta.url)));
  const idle = [...workers];
  const queue = [];
  const pending = new Map();
  let next = 0;
  const dispatch = () => {
    while (idle.length && queue.length) {
      const worker = idle.pop();
      const { id, task } = queue.shift();
      pending.get(id).worker = worker;
      worker.postMessage({ id, task });
    }
  };
  for (const worker of workers) {
    worker.on('message', ({ id, results, error }) => {
      const { resolve, reject } = pending.get(id);
      pending.delete(id);
      idle.push(worker);
      dispatch();
      if (error) reject(new Error(error));
      else resolve(results);
    });
    worker.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
    });
  }
  return {
    verdicts(task) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        queue.push({ id, task });
        dispatch();
      });
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

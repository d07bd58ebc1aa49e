// One cell of a sweep, trained in a worker of the page's pool (the same script as the training
// worker, with its own engine). A slice of steps at a time, back to the event loop every
// SLICE_MS, so that Cancel (terminate) ends the worker at once: a worker busy in one long call
// is stopped only after Chromium's grace period of about 2 s.
import { ensureDigits } from './engine.js';

const CELL_STEPS = 10; // a cell's steps between two looks at the clock
const SLICE_MS = 50; // and its time between two returns to the event loop

// The next task of this worker's event loop, without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const nextTask = () =>
  new Promise((resolve) => {
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(null);
  });

// Resolves to the cell's numbers: { index, x, y, arms: [...] } (sweep-grid.js).
export async function trainCell(engine, sweep, index) {
  if (sweep.base.dataset === 'digits') await ensureDigits(engine);
  const run = new engine.SweepCellRun(sweep, index);
  try {
    let slice = performance.now();
    while (run.step(CELL_STEPS) > 0) {
      if (performance.now() - slice > SLICE_MS) {
        await nextTask();
        slice = performance.now();
      }
    }
    return run.result();
  } finally {
    run.delete();
  }
}

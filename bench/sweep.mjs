// Sweeps, as the benchmark measures them: cells per second of the default sweep in Chromium
// with 1 and 2 workers and natively with 1 and 2 threads (each scaling measured within a
// round), how long the default sweep takes in Chromium with the page's own pool size, the
// page's frames while it runs at 4x CPU throttling, and what a cell costs beyond its training
// steps (wasm in Node: a sweep cell against the same configuration run as a plain experiment).
// Measures and reports; the budgets are judged in run.mjs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { frameTime, launchBrowser, root, serveDist } from '../tests/e2e/browser.mjs';
import { cellConfig, cellCount } from '../web/src/shared/sweep-grid.js';

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

// The default sweep in the page (at pool size `workers`, or the page's own when null): the
// Sweep view scrolled into place starts the pool's engines (timed: `warm`), then Run is timed
// to "Done". With `throttle`, also the frames measured while it runs.
async function pageSweep(browser, url, workers, throttle = 1) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  try {
    const query = workers ? `?sweepWorkers=${workers}` : '';
    await page.goto(`${url}${query}#paused=1`);
    await page.waitForFunction(() => !document.getElementById('sweep-run').disabled, null, { timeout: 60000 });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const w0 = performance.now();
    await page.evaluate(() => document.getElementById('view-sweep').scrollIntoView({ block: 'start' }));
    await page.waitForFunction(() => / ready\.$/.test(document.getElementById('sweep-progress').textContent), null, {
      timeout: 60000,
      polling: 10,
    });
    const n = workers ?? (await page.evaluate(() => Math.max(1, Math.min(8, navigator.hardwareConcurrency - 1))));
    await page.waitForFunction(
      (k) => document.getElementById('sweep-progress').textContent === `${k} worker${k > 1 ? 's' : ''} ready.`,
      n,
      { timeout: 60000, polling: 10 },
    );
    const warm = (performance.now() - w0) / 1000;
    const t0 = performance.now();
    await page.click('#sweep-run');
    const frames = [];
    let first = null; // { seconds, cells }: when the first cells were seen done
    const done = async () => {
      const text = await page.evaluate(() => document.getElementById('sweep-progress').textContent);
      const cells = Number(text.match(/^(?:Done: )?(\d+) of/)?.[1] ?? 0);
      if (!first && cells > 0) first = { seconds: (performance.now() - t0) / 1000, cells };
      return text.startsWith('Done');
    };
    while (!(await done())) {
      if (throttle > 1) frames.push(Math.min(5000, await frameTime(page)));
      else
        await new Promise((resolve) => {
          setTimeout(resolve, 20);
        });
      if (performance.now() - t0 > 300000) throw new Error('the default sweep did not finish in 5 minutes');
    }
    const seconds = (performance.now() - t0) / 1000;
    const progress = await page.locator('#sweep-progress').textContent();
    const total = Number(progress.match(/of (\d+) cells/)[1]);
    // The pool's throughput once its first cells are done: without the time to the first
    // cells (the sweep validated, the cells sent, a worker's first cell in code still tiering up).
    const steady = first && first.cells < total ? (total - first.cells) / (seconds - first.seconds) : NaN;
    return { seconds, progress, frames, warm, steady };
  } finally {
    await page.close();
  }
}

function nativeSweep(file, threads) {
  const t0 = performance.now();
  execFileSync(join(root, 'build/native/bnlab-run'), ['--sweep', file, '--threads', String(threads)], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return (performance.now() - t0) / 1000;
}

// m: the wasm engine (Node). Cells of the default sweep as sweep cells and as plain experiments
// of the same configuration (probes off, no recording while training), interleaved cell by cell.
function cellOverhead(m, sweep) {
  const ratios = [];
  const cells = cellCount(sweep);
  for (let i = 0; i < cells; i++) {
    const config = { ...cellConfig(sweep, i), probes: false, recordEvery: 100000 };
    let t0 = performance.now();
    m.sweepCell(sweep, i);
    const cell = performance.now() - t0;
    t0 = performance.now();
    const exp = new m.Experiment(config);
    exp.step(sweep.steps);
    exp.delete();
    ratios.push(cell / (performance.now() - t0));
  }
  return median(ratios);
}

export async function measureSweeps(m, { rounds = 3 } = {}) {
  const sweep = m.defaultSweep();
  const cells = cellCount(sweep);
  const dir = mkdtempSync(join(tmpdir(), 'bnlab-sweep-'));
  const file = join(dir, 'sweep.json');
  writeFileSync(file, JSON.stringify(sweep));
  const out = {
    cells,
    steps: sweep.steps,
    chromium: { 1: [], 2: [] },
    steady: { 1: [], 2: [] },
    warm: { 1: [], 2: [] },
    native: { 1: [], 2: [] },
    overhead: [],
    own: null,
    throttled: null,
  };
  const server = await serveDist();
  const browser = await launchBrowser();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const n of [1, 2]) {
        const run = await pageSweep(browser, server.url, n);
        out.chromium[n].push(run.seconds);
        out.steady[n].push(run.steady);
        out.warm[n].push(run.warm);
      }
      for (const n of [1, 2]) out.native[n].push(nativeSweep(file, n));
      out.overhead.push(cellOverhead(m, sweep));
    }
    out.own = await pageSweep(browser, server.url, null);
    const throttled = await pageSweep(browser, server.url, null, 4);
    out.throttled = {
      seconds: throttled.seconds,
      medianFrame: median(throttled.frames),
      worstFrame: Math.max(...throttled.frames),
    };
  } finally {
    await browser.close();
    server.close();
  }
  const perSecond = (seconds) => cells / seconds;
  const scaling = (where) => median(where[1].map((s, i) => s / where[2][i]));
  return {
    ...out,
    chromiumCellsPerSecond: { 1: perSecond(median(out.chromium[1])), 2: perSecond(median(out.chromium[2])) },
    nativeCellsPerSecond: { 1: perSecond(median(out.native[1])), 2: perSecond(median(out.native[2])) },
    chromiumScaling: scaling(out.chromium),
    steadyCellsPerSecond: { 1: median(out.steady[1]), 2: median(out.steady[2]) },
    steadyScaling: median(out.steady[2].map((v, i) => v / out.steady[1][i])),
    warmSeconds: { 1: median(out.warm[1]), 2: median(out.warm[2]) },
    nativeScaling: scaling(out.native),
    overheadRatio: median(out.overhead),
  };
}

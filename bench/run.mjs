// ./build.sh bench: how fast bnlab trains, against native and against TensorFlow.js, and
// what it weighs. A benchmark, not a test: it measures and reports, asserting nothing.
//
// Every engine trains the same models on mini-batches of the same shape; in each round every
// engine is measured once per model, one after the other (interleaved), so the machine's
// noise falls on all of them alike; the table gives medians over the rounds, and each ratio is
// the median over the rounds of the ratio measured within a round. Results go to
// bench/results.md and bench/results.json, with the budgets and what held.
//   node bench/run.mjs [--rounds R] [--seconds S]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

import { root } from '../tests/e2e/browser.mjs';
import { loadEngine } from '../tests/wasm/engine.mjs';
import { bytesTable, FIRST_LOAD, measureBytes } from './bytes.mjs';
import { measureLayerView, measurePage } from './page.mjs';
import { measureSweeps } from './sweep.mjs';
import { createTfjsTrainer, selfCheck, setBackend } from './tfjs.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = option('--rounds', 5);
const SECONDS = option('--seconds', 0.4);
const HEAP_MINUTES = option('--heap-minutes', 10); // how long the page trains for the heap figure

// The models: TensorFlow Playground's size, deep and narrow, and the Figure 1 digits network.
const MODELS = [
  {
    name: 'playground: 2-8-8-2 tanh, batch 10',
    bnlab: { dataset: 'circle', hidden: [8, 8], activation: 'tanh', batchSize: 10 },
    tfjs: { inputs: 2, hidden: [8, 8], activation: 'tanh', classes: 2, batchSize: 10 },
  },
  {
    name: 'deep: 2-16x6-2 sigmoid, batch 32',
    bnlab: { dataset: 'circle', hidden: [16, 16, 16, 16, 16, 16], batchSize: 32 },
    tfjs: { inputs: 2, hidden: [16, 16, 16, 16, 16, 16], activation: 'sigmoid', classes: 2, batchSize: 32 },
  },
  {
    name: 'digits: 64-100x3-10 sigmoid, batch 60',
    bnlab: { dataset: 'digits', noise: 0, hidden: [100, 100, 100], batchSize: 60 },
    tfjs: { inputs: 64, hidden: [100, 100, 100], activation: 'sigmoid', classes: 10, batchSize: 60 },
  },
];
// A training step only: no probes, no evaluations.
const STEP_ONLY = { probes: false, recordEvery: 100000, gridSize: 2, learningRate: 0.1, initStd: 0.1 };
const VARIANTS = [
  { name: 'plain', arm: 'plain', bn: false },
  { name: 'BN before', arm: 'bn-before', bn: 'before' },
];

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

// Steps per second of step() over about SECONDS, after a warm-up.
function timeSteps(step, batch = 10) {
  for (let i = 0; i < batch * 5; i++) step();
  let steps = 0;
  const start = performance.now();
  while (performance.now() - start < SECONDS * 1000) {
    for (let i = 0; i < batch; i++) step();
    steps += batch;
  }
  return steps / ((performance.now() - start) / 1000);
}

function native(binary, config) {
  return Number(
    execFileSync(
      join(root, 'build/native', binary),
      ['--config', JSON.stringify(config), '--seconds', String(SECONDS)],
      { encoding: 'utf8' },
    ),
  );
}

const m = await loadEngine();
m.loadDigits(new Uint8Array(readFileSync(join(root, 'web/data/digits.bin'))));

function wasm(config) {
  const exp = new m.Experiment(config);
  try {
    return timeSteps(() => exp.step(1));
  } finally {
    exp.delete();
  }
}

async function tfjs(backend, config) {
  await setBackend(backend);
  const trainer = await createTfjsTrainer(backend, config);
  try {
    return timeSteps(() => trainer.step(), 2);
  } finally {
    trainer.dispose();
  }
}

const ENGINES = [
  { key: 'wasm', label: 'bnlab wasm (Node)', run: (model, variant, config) => wasm(config) },
  {
    key: 'native',
    label: 'bnlab native (as built for bnlab-run)',
    run: (model, variant, config) => native('bnlab-bench', config),
  },
  {
    key: 'nativeSimd',
    label: 'bnlab native, Eigen SSE2 too',
    run: (model, variant, config) => native('bnlab-bench-simd', config),
  },
  {
    key: 'tfjsWasm',
    label: 'TensorFlow.js wasm',
    run: (model, variant) => tfjs('wasm', { ...model.tfjs, bn: variant.bn, learningRate: 0.1, initStd: 0.1 }),
  },
  {
    key: 'tfjsCpu',
    label: 'TensorFlow.js cpu',
    run: (model, variant) => tfjs('cpu', { ...model.tfjs, bn: variant.bn, learningRate: 0.1, initStd: 0.1 }),
  },
];

console.error(`TensorFlow.js self-check: training accuracy ${(await selfCheck()).toFixed(3)} (must be > 0.9)`);
const samples = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const model of MODELS) {
    for (const variant of VARIANTS) {
      const config = { ...model.bnlab, ...STEP_ONLY, arms: [variant.arm] };
      for (const engine of ENGINES) {
        const key = `${model.name} | ${variant.name} | ${engine.key}`;
        (samples[key] ??= []).push(await engine.run(model, variant, config));
      }
    }
  }
  console.error(`round ${round + 1} of ${ROUNDS} done`);
}
const runs = (model, variant, engine) => samples[`${model.name} | ${variant.name} | ${engine}`];
const speed = (model, variant, engine) => median(runs(model, variant, engine));
// a / b as the median over rounds of the ratio within each round: the two were measured
// seconds apart, so a slow stretch of the shared machine falls on both sides of a ratio.
const ratio = (model, variant, a, b) => median(runs(model, variant, a).map((v, i) => v / runs(model, variant, b)[i]));

// What the probes cost, in wasm: the default experiment with probes off and on.
const PROBE_VARIANTS = {
  'probes off': { probes: false },
  'probes at the default interval': {},
  'probes and gradient-ICS': { gradientIcs: true },
  'probes and the loss landscape (5 step sizes)': { landscape: true },
};
const probeCost = Object.fromEntries(Object.keys(PROBE_VARIANTS).map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++)
  for (const [name, config] of Object.entries(PROBE_VARIANTS)) probeCost[name].push(wasm(config));

// Every arm the engine has, alone on the default network with probes off, in wasm: what each
// normalization or noise costs against plain (the arms are the schema's, so a new one is measured).
const ARM_KINDS = m.configSchema().find((f) => f.name === 'arms').choices;
const armSpeed = Object.fromEntries(ARM_KINDS.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++)
  for (const name of ARM_KINDS) armSpeed[name].push(wasm({ ...STEP_ONLY, arms: [name] }));

// In Chromium: the page's main thread at CPU throttling 1x, 4x and 6x, each view in turn, the
// worker's speed, Pause, and the heap over a long run (page.mjs).
console.error(`the page in Chromium (about ${HEAP_MINUTES + 2} minutes)`);
const page = await measurePage({ heapMinutes: HEAP_MINUTES });
const atRate = (rate) => page.views.filter((v) => v.rate === rate);

// Inside a BN layer on screen and off it, interleaved (page.mjs).
console.error('Inside a BN layer on and off screen (Chromium)');
const layerView = await measureLayerView({ rounds: ROUNDS });

// Sweeps: the default sweep's cells per second on 1 and 2 workers (Chromium) and threads
// (native), the page's own pool, and a cell's cost beyond its steps (sweep.mjs).
console.error('sweeps (Chromium and native)');
const sweeps = await measureSweeps(m, { rounds: ROUNDS });

// Bytes, raw and gzipped (level 9; bytes.mjs).
const bytes = measureBytes();

// The report.
const machine = `${cpus().length} × ${cpus()[0].model.trim()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const fmt = (n) => (n >= 100 ? Math.round(n).toLocaleString('en') : n.toFixed(1));
const lines = [
  '# bnlab benchmark',
  '',
  `Made by \`./build.sh bench\` (bench/run.mjs) on ${machine}; ${ROUNDS} interleaved rounds of ${SECONDS} s per measurement. ` +
    'Speeds are medians over the rounds; a ratio is the median over the rounds of the ratio measured within each round.',
  '',
  '## Training steps per second (forward, backward, SGD update on one mini-batch)',
  '',
  `| model | BN | ${ENGINES.map((e) => e.label).join(' | ')} | wasm / native | wasm / native SSE2 | wasm / TF.js wasm | wasm / TF.js cpu |`,
  `| --- | --- | ${ENGINES.map(() => '---').join(' | ')} | --- | --- | --- | --- |`,
];
const table = [];
for (const model of MODELS) {
  for (const variant of VARIANTS) {
    const s = Object.fromEntries(ENGINES.map((e) => [e.key, speed(model, variant, e.key)]));
    const row = {
      model: model.name,
      variant: variant.name,
      ...s,
      wasmOverNative: ratio(model, variant, 'wasm', 'native'),
      wasmOverNativeSimd: ratio(model, variant, 'wasm', 'nativeSimd'),
      wasmOverTfjsWasm: ratio(model, variant, 'wasm', 'tfjsWasm'),
      wasmOverTfjsCpu: ratio(model, variant, 'wasm', 'tfjsCpu'),
    };
    table.push(row);
    lines.push(
      `| ${model.name} | ${variant.name} | ${ENGINES.map((e) => fmt(s[e.key])).join(' | ')} | ` +
        `${row.wasmOverNative.toFixed(2)}× | ${row.wasmOverNativeSimd.toFixed(2)}× | ${row.wasmOverTfjsWasm.toFixed(1)}× | ${row.wasmOverTfjsCpu.toFixed(1)}× |`,
    );
  }
}
const probeMedians = Object.fromEntries(Object.entries(probeCost).map(([k, v]) => [k, median(v)]));
lines.push(
  '',
  '## What measuring costs (wasm, default experiment: 2 arms, 4×32 sigmoid, batch 32)',
  '',
  '| variant | steps/s | extra time per step |',
  '| --- | --- | --- |',
  ...Object.entries(probeMedians).map(
    ([k, v]) => `| ${k} | ${fmt(v)} | ${((probeMedians['probes off'] / v - 1) * 100).toFixed(1)}% |`,
  ),
);
const armMedians = Object.fromEntries(ARM_KINDS.map((name) => [name, median(armSpeed[name])]));
lines.push(
  '',
  '## Each arm alone (wasm, the default network: 4×32 sigmoid, batch 32, probes off)',
  '',
  '| arm | steps/s | time per step against plain |',
  '| --- | --- | --- |',
  ...ARM_KINDS.map(
    (name) => `| ${name} | ${fmt(armMedians[name])} | ${(armMedians.plain / armMedians[name]).toFixed(2)}× |`,
  ),
);
lines.push(
  '',
  '## The page in Chromium (headless, the default network at max speed, each view scrolled into place)',
  '',
  'Time to the next animation frame, the longest main-thread task, the snapshots the page drew and the steps the worker trained, ' +
    "per second, at each CPU throttling rate (`Emulation.setCPUThrottlingRate`; 4× is Lighthouse's mid-tier phone).",
  '',
  '| throttling | view | median frame | worst frame | longest task | snapshots/s | steps/s |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...page.views.map(
    (v) =>
      `| ${v.rate}× | ${v.view.replace('view-', '')} | ${v.medianFrame.toFixed(0)} ms | ${v.worstFrame.toFixed(0)} ms | ` +
      `${v.longestTask.toFixed(0)} ms | ${v.snapshotsPerSecond.toFixed(1)} | ${fmt(v.stepsPerSecond)} |`,
  ),
  '',
  `Pause at 4×: the last step counted ${page.pause.seconds.toFixed(2)} s after the click. JS heap after 1 minute at max speed ` +
    `${(page.heap.early.heap / 1e6).toFixed(1)} MB (step ${page.heap.early.steps.toLocaleString('en')}), after ${page.heap.minutes} minutes ` +
    `${(page.heap.late.heap / 1e6).toFixed(1)} MB (step ${page.heap.late.steps.toLocaleString('en')}): ${((page.heap.ratio - 1) * 100).toFixed(1)}%.`,
);
lines.push(
  '',
  '## Inside a BN layer, on screen and off it',
  '',
  `The default network at max speed, the view scrolled into place and then the Sweep view (far below it), ${ROUNDS} interleaved rounds: ` +
    `the worker trained ${fmt(layerView.visible.stepsPerSecond)} steps/s with the view on screen, updating its numbers ` +
    `${layerView.visible.updatesPerSecond.toFixed(1)} times a second, and ${fmt(layerView.hidden.stepsPerSecond)} steps/s with it off screen, ` +
    `updating them ${layerView.hidden.updatesPerSecond.toFixed(1)} times a second at the most (the worker measures the batch only while the view can be seen); ` +
    `on screen / off screen: ${layerView.ratio.toFixed(2)}×, the median of the rounds' ratios.`,
);
lines.push(
  '',
  `## Sweeps (the default sweep: ${sweeps.cells} cells of 2 arms × ${sweeps.steps.toLocaleString('en')} steps, the default network)`,
  '',
  'Cells per second from Run to the last cell, medians over the rounds; the scaling from 1 to 2 is the median of the ratios measured within each round. ' +
    `In Chromium the pool's engines load when the Sweep view comes near the screen, before Run: ${sweeps.warmSeconds[1].toFixed(1)} s for 1 worker, ` +
    `${sweeps.warmSeconds[2].toFixed(1)} s for 2 (a worker's first engine in a page compiles the wasm).`,
  '',
  '| where | 1 | 2 | scaling 1 → 2 |',
  '| --- | --- | --- | --- |',
  `| Chromium, workers | ${sweeps.chromiumCellsPerSecond[1].toFixed(1)} | ${sweeps.chromiumCellsPerSecond[2].toFixed(1)} | ${sweeps.chromiumScaling.toFixed(2)}× |`,
  `| Chromium, workers, once the first cells are done | ${sweeps.steadyCellsPerSecond[1].toFixed(1)} | ${sweeps.steadyCellsPerSecond[2].toFixed(1)} | ${sweeps.steadyScaling.toFixed(2)}× |`,
  `| native (bnlab-run --sweep), threads | ${sweeps.nativeCellsPerSecond[1].toFixed(1)} | ${sweeps.nativeCellsPerSecond[2].toFixed(1)} | ${sweeps.nativeScaling.toFixed(2)}× |`,
  '',
  `With the page's own pool (${sweeps.own.progress.replace(/^Done: /, '')}) the default sweep took ${sweeps.own.seconds.toFixed(1)} s from the click to the last cell. ` +
    `At 4× CPU throttling it took ${sweeps.throttled.seconds.toFixed(1)} s, with the page's median frame ${sweeps.throttled.medianFrame.toFixed(0)} ms and the worst ${sweeps.throttled.worstFrame.toFixed(0)} ms meanwhile. ` +
    `A sweep cell (wasm, Node) took ${sweeps.overheadRatio.toFixed(3)}× the time of the same configuration trained as a plain experiment with probes off (the cell also validates the whole sweep and evaluates both sets at the end).`,
);
lines.push('', '## Bytes', '', ...bytesTable(bytes));

// The budgets, each with the figure this run measured.
const withBn = table.filter((r) => r.variant !== 'plain');
const smallWithBn = withBn.filter((r) => !r.model.startsWith('digits'));
const digitsWithBn = withBn.find((r) => r.model.startsWith('digits'));
const worstOf = (rows, key) => Math.max(...rows.map((v) => v[key]));
const at4 = atRate(4);
const at1 = atRate(1);
const worst = (rows, key) => rows.reduce((a, r) => (r[key] < a[key] ? r : a));
const digits = table.filter((r) => r.model.startsWith('digits'));
const nativeWorst = Math.min(...digits.map((r) => Math.min(r.wasmOverNative, r.wasmOverNativeSimd)));
const probeExtra = (probeMedians['probes off'] / probeMedians['probes at the default interval'] - 1) * 100;
const kb = (key) => bytes[key].gzip / 1024;
const budgets = [
  // Restated for the digits network (its products already run at 89% of wasm SIMD's peak).
  [
    'wasm ≥ 25× TensorFlow.js wasm, the small models with BN',
    `${worst(smallWithBn, 'wasmOverTfjsWasm').wasmOverTfjsWasm.toFixed(1)}× at the least (${worst(smallWithBn, 'wasmOverTfjsWasm').model})`,
    worst(smallWithBn, 'wasmOverTfjsWasm').wasmOverTfjsWasm >= 25,
  ],
  [
    'wasm ≥ 20× TensorFlow.js wasm, the digits network with BN',
    `${digitsWithBn.wasmOverTfjsWasm.toFixed(1)}×`,
    digitsWithBn.wasmOverTfjsWasm >= 20,
  ],
  [
    'wasm ≥ 100× TensorFlow.js cpu, every model with BN',
    `${worst(withBn, 'wasmOverTfjsCpu').wasmOverTfjsCpu.toFixed(1)}× at the least (${worst(withBn, 'wasmOverTfjsCpu').model})`,
    worst(withBn, 'wasmOverTfjsCpu').wasmOverTfjsCpu >= 100,
  ],
  [
    'wasm ≥ 0.6× native on the digits network',
    `${nativeWorst.toFixed(2)}× at the least (both variants, both native builds)`,
    nativeWorst >= 0.6,
  ],
  ['probes at the default interval ≤ 25% of a step', `${probeExtra.toFixed(1)}%`, probeExtra <= 25],
  [
    'Inside a BN layer off screen: the worker measures nothing for it (its numbers never change)',
    `${layerView.hidden.updatesPerSecond.toFixed(1)} updates/s`,
    layerView.hidden.updatesPerSecond === 0,
  ],
  [
    'Inside a BN layer on screen: training at ≥ 0.9× the steps/s with it off screen',
    `${layerView.ratio.toFixed(2)}×`,
    layerView.ratio >= 0.9,
  ],
  [
    'worker ≥ 1,000 steps/s in Chromium (1×, every view)',
    `${fmt(Math.min(...at1.map((v) => v.stepsPerSecond)))} steps/s at the least`,
    Math.min(...at1.map((v) => v.stepsPerSecond)) >= 1000,
  ],
  [
    '1×: no main-thread task over 50 ms, every view',
    `longest ${worstOf(at1, 'longestTask').toFixed(0)} ms`,
    worstOf(at1, 'longestTask') <= 50,
  ],
  [
    '4×: median frame within 100 ms, every view',
    `${worstOf(at4, 'medianFrame').toFixed(0)} ms at the most`,
    worstOf(at4, 'medianFrame') <= 100,
  ],
  [
    '4×: worst frame within 500 ms, every view',
    `${worstOf(at4, 'worstFrame').toFixed(0)} ms at the most`,
    worstOf(at4, 'worstFrame') <= 500,
  ],
  ['4×: Pause takes effect within 1 s', `${page.pause.seconds.toFixed(2)} s`, page.pause.seconds <= 1],
  [
    `JS heap after ${page.heap.minutes} minutes within 10% of the heap after 1`,
    `${((page.heap.ratio - 1) * 100).toFixed(1)}%`,
    page.heap.ratio <= 1.1,
  ],
  [
    'sweeps: ≥ 1.8× the cells per second from 1 to 2 workers in Chromium (Run to the last cell)',
    `${sweeps.chromiumScaling.toFixed(2)}× (${sweeps.steadyScaling.toFixed(2)}× once the first cells are done)`,
    sweeps.chromiumScaling >= 1.8,
  ],
  [
    'sweeps: ≥ 1.8× the cells per second from 1 to 2 threads natively',
    `${sweeps.nativeScaling.toFixed(2)}×`,
    sweeps.nativeScaling >= 1.8,
  ],
  [
    "the default sweep finishes in ≤ 10 s in Chromium (the page's own pool)",
    `${sweeps.own.seconds.toFixed(1)} s`,
    sweeps.own.seconds <= 10,
  ],
  [
    'a sweep cell costs ≤ 10% more than its steps as a plain experiment',
    `${((sweeps.overheadRatio - 1) * 100).toFixed(1)}%`,
    sweeps.overheadRatio <= 1.1,
  ],
  [
    '4×: median frame within 100 ms while a sweep runs',
    `${sweeps.throttled.medianFrame.toFixed(0)} ms`,
    sweeps.throttled.medianFrame <= 100,
  ],
  ['wasm + glue ≤ 150 KB gzipped', `${kb('bnlab.wasm + bnlab.js').toFixed(1)} KB`, kb('bnlab.wasm + bnlab.js') <= 150],
  ['the page ≤ 300 KB gzipped', `${kb(FIRST_LOAD).toFixed(1)} KB`, kb(FIRST_LOAD) <= 300],
  [
    'the standalone file ≤ 400 KB gzipped',
    `${kb('bnlab-standalone.html').toFixed(1)} KB`,
    kb('bnlab-standalone.html') <= 400,
  ],
];
lines.push(
  '',
  '## Budgets',
  '',
  '| budget | measured | held |',
  '| --- | --- | --- |',
  ...budgets.map(([what, measured, held]) => `| ${what} | ${measured} | ${held ? 'yes' : '**no**'} |`),
  '| a training step allocates nothing | tests/cpp/no_alloc_test.cpp (malloc counter and EIGEN_RUNTIME_NO_MALLOC), run by `./build.sh test` | test |',
  '',
);
// bench/torch.mjs's section (bnlab-run against the PyTorch export) is measured apart: kept.
const previous = (() => {
  try {
    return readFileSync(join(root, 'bench/results.md'), 'utf8');
  } catch {
    return '';
  }
})();
// So are bench/torch.mjs's and bench/lighthouse.mjs's sections: kept as they were.
for (const name of ['torch', 'lighthouse']) {
  const section = new RegExp(`<!-- ${name}:begin -->[\\s\\S]*<!-- ${name}:end -->`).exec(previous)?.[0];
  if (section) lines.push(section, '');
}
writeFileSync(join(root, 'bench/results.md'), lines.join('\n'));
writeFileSync(
  join(root, 'bench/results.json'),
  `${JSON.stringify(
    {
      machine,
      rounds: ROUNDS,
      seconds: SECONDS,
      steps: table,
      probes: probeMedians,
      arms: armMedians,
      page,
      sweeps,
      bytes,
      budgets: budgets.map(([budget, measured, held]) => ({ budget, measured, held })),
    },
    null,
    2,
  )}\n`,
);
console.log(lines.join('\n'));

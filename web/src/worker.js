// The training worker: owns the engine and the experiment, steps it, and posts snapshots to
// the page: one at a time, the next only once the page says it has drawn the last (a page that
// falls behind, on a slow phone, gets fewer snapshots instead of a growing queue; training
// goes on meanwhile). It only translates between the engine and messages.
//
// Page -> worker
//   { type: 'load' }                 load the engine (answered by 'loaded')
//   { type: 'start', config, id, lenient, scenario }
//                                    build a new experiment (also: reset), then train; the
//                                    answer (ready or error) carries the same id. lenient (a
//                                    share link): fields the validator refuses are dropped,
//                                    with notes, instead of refusing the whole configuration.
//                                    scenario: the scenario the link names, if any. A run that
//                                    is a lesson (matchLesson) trains at the lesson's pace,
//                                    pauses by itself at its horizon, and every snapshot
//                                    carries its claims evaluated on the run
//   { type: 'play' } / { type: 'pause' }
//   { type: 'step', n }              n steps now (while paused), then one snapshot
//   { type: 'speed', stepsPerSecond }  0 = as fast as possible
//   { type: 'learningRate', value, id }  without restarting (an error carries the id)
//   { type: 'focus', layer }         the hidden layer the per-layer views show
//   { type: 'export' }               the whole run's configuration and history, as JSON text
//   { type: 'drawn', seq }           the page has drawn snapshot seq: the next may come
//   { type: 'sweep', sweep, id }     validate a sweep (answered by 'sweep' or an error with fields)
//   { type: 'cell', sweep, index, id }  train one cell of a sweep (the page's pool of workers
//                                    runs this same script, each with its own engine)
// Worker -> page
//   { type: 'loaded', schema, defaults, sweepDefaults, sweepMetrics, sweepFields }  the engine is ready
//   { type: 'ready', id, config, notes, arms, depth, grid, data, lesson }  an experiment was
//                                    built; lesson: { id, variant, pace, horizon } or
//                                    { modifiedFrom: id } or null
//   { type: 'configChanged', config, lesson }                  a live change (learning rate)
//   { type: 'export', json }
//   { type: 'sweep', id, sweep }                               the sweep, normalized
//   { type: 'cell', id, cell }                                 a cell's numbers (sweep-claims.js)
//   { type: 'snapshot', ... }                                  see snapshot() below; at the
//                                    lesson's horizon, horizonReached: true (once)
//   { type: 'error', where, message, fields?, id? }            where: load | start | step | ...
/* global createBnLab, importScripts */
import { hasBn } from './arms.js';
import { evaluateClaims, makeRun, readouts, watch } from './claims.js';
import { ARM_SERIES, LATEST_SERIES, LAYER_SERIES, snapshotTransferables } from './protocol.js';
import { matchLesson, variantClaims } from './scenarios.js';
import { resolveConfig } from './url-state.js';

// The engine's glue: beside this script in dist/, or already in the standalone page's
// worker source, with the wasm inlined (self.bnlabSingleFile).
if (!self.bnlabSingleFile) importScripts('bnlab.js');

const SNAPSHOT_MS = 100;  // at least 10 snapshots a second
const JITTER_REPEATS = 32;
const SWEEP_BATCHES = 400;
const SWEEP_EVERY = 10;  // snapshots: the batch-size sweep about once a second
const CELL_STEPS = 10;   // a sweep cell's steps between two looks at the clock
const SLICE_MS = 50;     // and its time between two returns to the event loop

// The next task of this worker's event loop, without setTimeout's 4 ms clamp.
const channel = new MessageChannel();
const nextTask = () => new Promise((resolve) => {
  channel.port1.onmessage = resolve;
  channel.port2.postMessage(null);
});

let engine = null;
let experiment = null;
let running = false;
let stepsPerSecond = 0;
let focusLayer = 0;
let sentRows = 0;       // history rows the page already has
let sentStride = 1;     // the history's stride when they were sent
let snapshots = 0;
let timer = null;
let lesson = null;        // { id, variant, horizon, claims } of the running lesson, or null
let scenarioId = null;    // the scenario the run was started from
let horizonClaims = null; // the claims' verdicts at the horizon, once reached
let trainSize = 0;
let seq = 0;              // the latest snapshot's number
let startId = 0;          // the id of the start that built the experiment
let inFlight = false;     // it is not drawn yet
let wanted = false;       // another snapshot is due once it is

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

// err.fields, from the engine's validator: [{ field, message }] for a configuration error.
function fail(where, err, id) {
  post({ type: 'error', where, message: err?.message ?? String(err), fields: err?.fields, id });
}

// A file beside this script, as bytes; a failure says which file and why.
async function fetchBytes(name) {
  const url = new URL(name, self.location.href).href;
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`could not fetch ${url}: ${err.message}`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`.trim());
  return { url, bytes: await response.arrayBuffer() };
}

// The digits data, once, before the first experiment on it: beside this script in dist/, or
// inlined as base64 in the standalone page (self.bnlabDigits).
async function ensureDigits() {
  if (engine.digitsLoaded()) return;
  engine.loadDigits(self.bnlabDigits
    ? Uint8Array.from(atob(self.bnlabDigits), (c) => c.charCodeAt(0))
    : new Uint8Array((await fetchBytes('digits.bin')).bytes));
}

// Fetches the wasm bytes here rather than in the glue, so a failure can say what happened.
async function loadEngine() {
  if (self.bnlabSingleFile) return createBnLab();
  const { url, bytes } = await fetchBytes('bnlab.wasm');
  try {
    return await createBnLab({ wasmBinary: bytes });
  } catch (err) {
    throw new Error(`${url} is not a working bnlab module: ${err.message ?? err}`);
  }
}

// Rows of the history the page has not seen. When the bounded history compacted (its stride
// grew), the page's copy is stale: send it whole.
function historyUpdate(history) {
  const rows = history.step.length;
  const stride = history.step.length > 1 ? history.step[1] - history.step[0] : sentStride;
  const reset = stride !== sentStride || rows < sentRows;
  const from = reset ? 0 : sentRows;
  const slice = (a) => a.slice(from);
  const update = {
    reset,
    step: slice(history.step),
    // Only the series the page draws (protocol.js): the full history is Download data's.
    arms: history.arms.map((arm) => ({
      name: arm.name,
      ...Object.fromEntries(ARM_SERIES.map((key) => [key, slice(arm[key])])),
      layers: arm.layers.map((layer) => Object.fromEntries(
        [...LAYER_SERIES, ...LATEST_SERIES].map((key) => [key, slice(layer[key])]))),
    })),
  };
  sentRows = rows;
  sentStride = stride;
  return update;
}

function snapshot() {
  const names = experiment.arms().map((a) => a.name);
  const depth = experiment.config().hidden.length;
  const grid = experiment.gridInfo();
  // What the claims and the watches read, built as the tests build it.
  const run = makeRun(experiment, trainSize);
  const claims = lesson ? evaluateClaims(lesson.claims, run) : [];
  const message = {
    type: 'snapshot',
    seq: ++seq,
    start: startId,
    steps: run.steps,
    running,
    focusLayer,
    arms: experiment.arms(),
    metrics: run.metrics,
    claims: lesson ? { horizon: lesson.horizon, atHorizon: horizonClaims, now: claims } : null,
    watches: watch(run),
    readouts: readouts(run, focusLayer),
    history: historyUpdate(run.history),
    grids: grid.size > 0 ? names.map((_, a) => experiment.grid(a)) : [],
    // Without a 2-D grid (the digits), each arm's predicted class of every test example.
    predictions: grid.size > 0 ? [] : names.map((_, a) => experiment.predict(a)),
    // Per arm, for the focused layer: BN's batch statistics, and the same-example jitter.
    traces: names.map((name, a) => (hasBn(name, depth) ? experiment.bnTrace(a, focusLayer) : null)),
    jitter: names.map((name, a) => (hasBn(name, depth)
      ? experiment.sameExampleJitter(a, focusLayer, JITTER_REPEATS) : null)),
    // One test example alone, in training mode and in inference mode.
    single: run.single,
    // The spread of the batch mean against sigma / sqrt(B), now and then.
    sweep: depth > 0 && snapshots++ % SWEEP_EVERY === 0
      ? names.map((_, a) => experiment.batchSizeSweep(a, focusLayer, SWEEP_BATCHES)) : null,
  };
  return message;
}

// Posts a snapshot, or, while the page has not drawn the last one, notes that one is due. The
// first one at or past the lesson's horizon pauses the run and keeps the claims' verdicts there.
function sendSnapshot() {
  if (inFlight) {
    wanted = true;
    return;
  }
  wanted = false;
  inFlight = true;
  const message = snapshot();
  if (stepsToHorizon() <= 0) {
    running = false;
    horizonClaims = message.claims.now;
    message.claims.atHorizon = horizonClaims;
    message.running = false;
    message.horizonReached = true;
  }
  post(message, snapshotTransferables(message));
}

// Steps to take before the lesson's horizon (Infinity without one, or once it is passed).
function stepsToHorizon() {
  return lesson && !horizonClaims ? lesson.horizon - experiment.steps() : Infinity;
}

// Trains for one tick of SNAPSHOT_MS, at the chosen speed, never past the lesson's horizon,
// then posts a snapshot. At the horizon it pauses and freezes the claims' verdicts there.
function tick() {
  timer = null;
  if (!running || !experiment) return;
  const start = performance.now();
  try {
    if (stepsPerSecond > 0) {
      experiment.step(Math.min(stepsToHorizon(), Math.max(1, Math.round(stepsPerSecond * SNAPSHOT_MS / 1000))));
    } else {
      while (performance.now() - start < SNAPSHOT_MS * 0.8 && stepsToHorizon() > 0) {
        experiment.step(Math.min(10, stepsToHorizon()));
      }
    }
    if (stepsToHorizon() <= 0) running = false;
    sendSnapshot();
    if (!running) return;
  } catch (err) {
    running = false;
    fail('step', err);
    return;
  }
  timer = setTimeout(tick, Math.max(0, SNAPSHOT_MS - (performance.now() - start)));
}

function play() {
  running = true;
  if (timer === null) tick();
}

// Which lesson the running configuration is (it stops being one when a live edit changes it),
// for the page: { id, variant, pace, horizon }, { modifiedFrom }, or null.
function matchRunLesson() {
  const match = matchLesson(experiment.config(), scenarioId, engine.defaultConfig());
  const { lesson: found, variant } = match;
  lesson = found && lesson?.id === found.id && lesson.variant === variant ? lesson
    : found ? { id: found.id, variant, pace: found.pace, horizon: found.horizon, claims: variantClaims(found, found.variants[variant]) }
      : null;
  if (lesson) return { id: lesson.id, variant, pace: lesson.pace, horizon: lesson.horizon };
  return match.modifiedFrom ? { modifiedFrom: match.modifiedFrom.id } : null;
}

function start(config, id, notes = [], scenario = null) {
  // Built before the old one goes: an invalid configuration throws here and the run goes on.
  const next = new engine.Experiment(config);
  experiment?.delete();
  experiment = next;
  scenarioId = scenario;
  inFlight = false;  // what is in flight is the old experiment's
  startId = id;
  horizonClaims = null;
  const lessonInfo = matchRunLesson();
  if (lesson) stepsPerSecond = lesson.pace;
  trainSize = experiment.data().trainY.length;
  sentRows = 0;
  sentStride = 1;
  snapshots = 0;
  focusLayer = Math.min(focusLayer, Math.max(0, experiment.config().hidden.length - 1));
  post({
    type: 'ready',
    id,
    config: experiment.config(),
    notes,
    arms: experiment.arms().map((a) => a.name),
    depth: experiment.config().hidden.length,
    grid: experiment.gridInfo(),
    data: experiment.data(),
    lesson: lessonInfo,
  });
  sendSnapshot();
}

// A slice of steps at a time, back to the event loop every SLICE_MS, so that Cancel
// (terminate) ends the worker at once: a worker busy in one long call is stopped only after
// Chromium's grace period of about 2 s.
async function trainCell({ sweep, index, id }) {
  if (sweep.base.dataset === 'digits') await ensureDigits();
  const run = new engine.SweepCellRun(sweep, index);
  try {
    let slice = performance.now();
    while (run.step(CELL_STEPS) > 0) {
      if (performance.now() - slice > SLICE_MS) {
        await nextTask();
        slice = performance.now();
      }
    }
    post({ type: 'cell', id, cell: run.result() });
  } finally {
    run.delete();
  }
}
let cellQueue = Promise.resolve();

const handlers = {
  load: () => {},
  start: async ({ config, paused, id, lenient, scenario }) => {
    const resolved = lenient
      ? resolveConfig(config, (c) => engine.validateConfig(c), engine.configSchema())
      : { config, notes: [] };
    if (resolved.config.dataset === 'digits') await ensureDigits();
    start(resolved.config, id, resolved.notes, scenario);
    if (paused) running = false;
    else play();
  },
  play: () => play(),
  pause: () => {
    running = false;
    sendSnapshot();
  },
  step: ({ n }) => {
    running = false;
    experiment.step(n ?? 1);
    sendSnapshot();
  },
  speed: ({ stepsPerSecond: value }) => {
    stepsPerSecond = value;
  },
  learningRate: ({ value }) => {
    // Judged by the one validator, so a refused value is named at its field like any other.
    engine.validateConfig({ ...experiment.config(), learningRate: value });
    experiment.setLearningRate(value);
    post({ type: 'configChanged', config: experiment.config(), lesson: matchRunLesson() });
  },
  export: () => {
    const history = experiment.history();
    const plain = (value) => (ArrayBuffer.isView(value) ? Array.from(value, (v) => (Number.isFinite(v) ? v : null))
      : Array.isArray(value) ? value.map(plain)
        : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) : value);
    post({
      type: 'export',
      json: JSON.stringify({ config: experiment.config(), steps: experiment.steps(), arms: experiment.arms(), history: plain(history) }),
    });
  },
  drawn: ({ seq: drawn }) => {
    if (drawn !== seq) return;  // an older snapshot, of an experiment since replaced
    inFlight = false;
    if (wanted) sendSnapshot();
  },
  sweep: ({ sweep, id }) => {
    post({ type: 'sweep', id, sweep: engine.parseSweep(sweep) });
  },
  // One cell after another: the pool keeps a second cell queued here, so the worker never
  // waits for the page between two cells.
  cell: (message) => {
    cellQueue = cellQueue.catch(() => {}).then(() => trainCell(message));
    return cellQueue;
  },
  focus: ({ layer }) => {
    focusLayer = layer;
    snapshots = 0;  // a fresh sweep for the new layer
    if (!running) sendSnapshot();
  },
};

self.onmessage = async ({ data }) => {
  if (!engine) {
    try {
      engine = await loadEngine();
      post({
        type: 'loaded', schema: engine.configSchema(), defaults: engine.defaultConfig(),
        sweepDefaults: engine.defaultSweep(), sweepMetrics: engine.sweepMetrics(), sweepFields: engine.sweepFields(),
      });
    } catch (err) {
      fail('load', err);
      return;
    }
  }
  const handler = handlers[data.type];
  // The speed is a setting of the worker, kept for the experiments to come; a sweep and its
  // cells stand alone; everything else needs an experiment.
  const alone = ['start', 'speed', 'sweep', 'cell'];
  if (!handler || (!alone.includes(data.type) && !experiment)) return;
  try {
    await handler(data);
  } catch (err) {
    fail(data.type, err, data.id);
  }
};

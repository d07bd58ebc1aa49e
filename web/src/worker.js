// Owns the experiment: loads the engine, steps it, posts metric snapshots to the page.
/* global createBnLab */
importScripts('../bnlab.js');

const STEPS_PER_TICK = 25;
const SNAPSHOT_MS = 100;

let engine = null;
let experiment = null;
let running = false;

function snapshot() {
  return {
    type: 'snapshot',
    steps: experiment.steps(),
    arms: experiment.arms(),
    metrics: experiment.evaluate(),
  };
}

function loop() {
  if (!running || !experiment) return;
  const until = performance.now() + SNAPSHOT_MS;
  while (performance.now() < until) experiment.step(STEPS_PER_TICK);
  postMessage(snapshot());
  setTimeout(loop, 0);
}

// Fetches the wasm bytes here rather than in the glue, so a failure can say what happened.
async function loadEngine() {
  const url = new URL('../bnlab.wasm', self.location.href).href;
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`could not fetch ${url}: ${err.message}`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`.trim());
  try {
    return await createBnLab({ wasmBinary: await response.arrayBuffer() });
  } catch (err) {
    throw new Error(`${url} is not a working bnlab module: ${err.message ?? err}`);
  }
}

function fail(where, err) {
  postMessage({ type: 'error', where, message: err?.message ?? String(err) });
}

self.onmessage = async ({ data }) => {
  if (data.type === 'start' && !engine) {
    try {
      engine = await loadEngine();
    } catch (err) {
      fail('load', err);
      return;
    }
  }
  try {
    if (data.type === 'start') {
      experiment?.delete();
      experiment = new engine.Experiment(data.config ?? {});
      postMessage({ type: 'ready', config: experiment.config() });
      running = true;
      loop();
    } else if (data.type === 'pause') {
      running = false;
    } else if (data.type === 'play') {
      if (!running) { running = true; loop(); }
    }
  } catch (err) {
    running = false;
    fail(data.type, err);
  }
};

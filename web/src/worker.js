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

function fail(where, err) {
  postMessage({ type: 'error', where, message: err?.message ?? String(err) });
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'start') {
      // The glue looks for bnlab.wasm beside this worker; it lives one folder up.
      engine ??= await createBnLab({ locateFile: (file) => new URL(`../${file}`, self.location.href).href });
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

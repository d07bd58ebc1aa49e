// The page: starts the training worker, shows its snapshots, sends the user's changes.
// It only displays; the engine in the worker computes and validates everything.
import { armColor, armLabel, armShortLabel } from './arms.js';
import { createCharts } from './charts.js';
import { createControls } from './controls.js';
import { createBoundaries } from './heatmap.js';

const $ = (id) => document.getElementById(id);
const status = $('status');
const buttons = { play: $('play'), step: $('step'), reset: $('reset'), speed: $('speed') };

let controls = null;
let accepted = null;  // the configuration of the running experiment
let playing = true;
let lastStart = 0;    // id of the latest start: older answers must not overwrite newer edits
let runningStart = 0; // id of the start whose experiment is running

function start(config) {
  worker.postMessage({ type: 'start', config, paused: !playing, id: ++lastStart });
}
const charts = createCharts(document);
const boundaries = createBoundaries($('boundaries'));

function setStatus(text, isError = false) {
  status.textContent = text;  // text, never markup: messages can carry user input
  status.classList.toggle('error', isError);
}

function setPlaying(value) {
  playing = value;
  buttons.play.textContent = value ? 'Pause' : 'Play';
  buttons.play.setAttribute('aria-pressed', String(value));
}

function showArmStates(arms) {
  const list = $('arm-states');
  const items = arms.map((arm) => {
    const li = document.createElement('li');
    li.className = arm.diverged ? 'diverged' : '';
    li.dataset.arm = arm.name;
    li.textContent = arm.diverged ? `${armLabel(arm.name)} stopped: ${arm.message}` : '';
    return li;
  }).filter((li) => li.textContent);
  list.replaceChildren(...items);
}

// One row per arm: the losses and accuracy the engine just measured.
function showScoreboard(arms, metrics) {
  const body = $('scoreboard').tBodies[0];
  if (body.rows.length !== arms.length) {
    body.replaceChildren(...arms.map((arm) => {
      const row = document.createElement('tr');
      row.dataset.arm = arm.name;
      const name = document.createElement('th');
      name.scope = 'row';
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = armColor(arm.name);
      name.title = armLabel(arm.name);
      name.append(swatch, armShortLabel(arm.name));
      row.append(name, ...[0, 1, 2].map(() => document.createElement('td')));
      return row;
    }));
  }
  const format = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
  arms.forEach((arm, i) => {
    const cells = body.rows[i].cells;
    cells[1].textContent = format(metrics.trainLoss[i], 3);
    cells[2].textContent = format(metrics.testLoss[i], 3);
    cells[3].textContent = Number.isFinite(metrics.testAccuracy[i]) ? `${(100 * metrics.testAccuracy[i]).toFixed(1)}%` : '—';
  });
}

function fillLayers(depth, focus) {
  const select = $('focus-layer');
  select.replaceChildren(...Array.from({ length: depth }, (_, l) => new Option(`${l + 1} of ${depth}`, String(l))));
  select.value = String(Math.min(focus, depth - 1));
  select.disabled = depth === 0;
}

// On a phone the views come first: the settings start folded.
if (window.matchMedia('(max-width: 760px)').matches) $('settings').open = false;

const worker = new Worker('worker.js');
worker.onerror = (event) => setStatus(`The training worker failed: ${event.message}`, true);

const handlers = {
  loaded({ schema }) {
    controls = createControls($('controls'), schema, (config, { live }) => {
      if (live) worker.postMessage({ type: 'learningRate', value: config.learningRate });
      else start(config);
    });
    for (const b of Object.values(buttons)) b.disabled = false;
  },
  ready(message) {
    accepted = message.config;
    runningStart = message.id;
    if (message.id === lastStart) controls?.set(accepted);
    fillLayers(message.depth, Number($('focus-layer').value) || message.depth - 1);
    worker.postMessage({ type: 'focus', layer: Number($('focus-layer').value) || 0 });
    $('scoreboard').tBodies[0].replaceChildren();
    charts.reset(message);
    boundaries.reset(message);
    setStatus(playing ? 'Training.' : 'Paused.');
  },
  snapshot(message) {
    $('steps').textContent = message.steps.toLocaleString('en');
    showArmStates(message.arms);
    showScoreboard(message.arms, message.metrics);
    charts.update(message);
    boundaries.update(message);
  },
  configChanged({ config }) {
    accepted = config;
    if (runningStart === lastStart) controls?.set(config);
  },
  error({ where, message, fields, id }) {
    if (where === 'load') {
      setStatus(`The WebAssembly engine failed to load: ${message}`, true);
      return;
    }
    if (fields) {
      if (id === lastStart) controls?.showErrors(fields);
      const kept = accepted ? ' The previous run goes on.' : '';
      setStatus(`Invalid configuration: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}.${kept}`, true);
      return;
    }
    setStatus(`Could not ${where === 'start' ? 'start the experiment' : where}: ${message}`, true);
  },
};

worker.onmessage = ({ data }) => handlers[data.type]?.(data);

buttons.play.addEventListener('click', () => {
  setPlaying(!playing);
  worker.postMessage({ type: playing ? 'play' : 'pause' });
  setStatus(playing ? 'Training.' : 'Paused.');
});
buttons.step.addEventListener('click', () => {
  setPlaying(false);
  worker.postMessage({ type: 'step', n: 1 });
  setStatus('Paused.');
});
buttons.reset.addEventListener('click', () => {
  if (accepted) start(accepted);
});
buttons.speed.addEventListener('change', () => {
  worker.postMessage({ type: 'speed', stepsPerSecond: Number(buttons.speed.value) });
});
$('focus-layer').addEventListener('change', (event) => {
  worker.postMessage({ type: 'focus', layer: Number(event.target.value) });
});
$('loss-log').addEventListener('change', (event) => charts.setLossLog(event.target.checked));

start({});

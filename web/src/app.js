// The page: starts the training worker, shows its snapshots, sends the user's changes.
// It only displays; the engine in the worker computes and validates everything.
import { armAbout, armColor, armLabel } from './arms.js';
import { createCharts } from './charts.js';
import { createControls } from './controls.js';
import { createDigits } from './digits.js';
import { createBoundaries, drawHeatScale } from './heatmap.js';
import { layoutEmbed } from './embed-layout.js';
import { renderScenarios, revealLesson, showClaims, showLesson } from './lesson-view.js';
import {
  DEFAULT_EMBED_VIEWS, applyEmbed, download, embedSnippet, initShareDialog, openShareDialog, pageUrl,
} from './share.js';
import { configToFragment, parseFragment } from './url-state.js';

const $ = (id) => document.getElementById(id);
const status = $('status');
const buttons = { play: $('play'), step: $('step'), reset: $('reset'), speed: $('speed') };

let controls = null;
let accepted = null;  // the configuration of the running experiment
let playing = true;
let lastStart = 0;    // id of the latest start: older answers must not overwrite newer edits
let runningStart = 0; // id of the start whose experiment is running
let liveEdits = {};   // live settings (learning rate) changed since the latest start
let schema = null;
let defaults = null;
let options = {};     // the link's page options: embed, views, paused, scenario
let linkNotes = [];   // what reading the link ignored
let writtenHash = null;
let lesson = null;    // what the worker says the run is: { id, variant, pace, horizon }, { modifiedFrom }, null
let reveal = false;   // bring the lesson into view when its run is ready (chosen from the menu)
let horizonPause = false;  // paused by the lesson's horizon, not by the user
let embedViews = [];  // the sections an embed shows

function start(config, lenient = false) {
  liveEdits = {};
  // A pause at a horizon is the lesson's, not the user's: a new run plays.
  if (horizonPause) setPlaying(true);
  // The worker trains at the speed the menu shows (a lesson sets its own pace when it starts).
  worker.postMessage({ type: 'speed', stepsPerSecond: Number(buttons.speed.value) });
  worker.postMessage({ type: 'start', config, paused: !playing, id: ++lastStart, lenient, scenario: options.scenario });
}

// The link names a scenario only while the run is one of its variants: a changed setting
// makes it a run of its own.
const linkOptions = (extra = {}) => ({ ...options, ...extra, scenario: lesson?.id && lesson.id !== 'default' ? lesson.id : undefined });

// The speed menu shows the lesson's pace (adding it when it is not one of the listed speeds).
function showSpeed(stepsPerSecond) {
  const value = String(stepsPerSecond);
  if (![...buttons.speed.options].some((o) => o.value === value)) {
    buttons.speed.add(new Option(`${stepsPerSecond.toLocaleString('en')} steps/s`, value), 1);
  }
  buttons.speed.value = value;
}

function setLesson(info) {
  lesson = info;
  showLesson(info, schema, defaults);
  if (info?.pace) showSpeed(info.pace);
}

function sendLive(name, value) {
  if (name === 'learningRate') worker.postMessage({ type: 'learningRate', value, id: lastStart });
}

// The configuration and page options in the address bar, so the address is a share link.
function writeHash() {
  if (!accepted || !schema) return;
  writtenHash = configToFragment(accepted, schema, linkOptions());
  if (window.location.hash !== writtenHash) window.history.replaceState(null, '', writtenHash);
}

function fullPageUrl() {
  return pageUrl(configToFragment(accepted, schema, { scenario: linkOptions().scenario }));
}

// Reads the address's fragment and starts what it describes; every value goes through the
// engine's validator (in the worker), which drops what it refuses and says so.
function openLink() {
  const link = parseFragment(window.location.hash, schema);
  options = link.options;
  linkNotes = link.notes;
  // A link opened plays, unless it says paused=1.
  setPlaying(!options.paused);
  embedViews = applyEmbed(options, window.location.href);
  start(link.config, true);
}

function showNotes(notes) {
  $('link-notes').replaceChildren(...notes.map((note) => {
    const li = document.createElement('li');
    li.textContent = note;
    return li;
  }));
}
const charts = createCharts(document);
const boundaries = createBoundaries($('boundaries'));
const digits = createDigits($('boundaries'));
drawHeatScale($('heat-scale'));

function setStatus(text, isError = false) {
  status.textContent = text;  // text, never markup: messages can carry user input
  status.classList.toggle('error', isError);
}

function setPlaying(value) {
  playing = value;
  horizonPause = false;
  buttons.play.textContent = value ? 'Pause' : 'Play';
  buttons.play.setAttribute('aria-pressed', String(value));
}

// Diverged arms, and what the watches (claims.js) saw happen in this run, in words.
function showArmStates(arms, watches = []) {
  const list = $('arm-states');
  const item = (className, text) => {
    const li = document.createElement('li');
    li.className = className;
    li.textContent = text;
    return li;
  };
  const items = [
    ...arms.filter((arm) => arm.diverged).map((arm) => item('diverged', `${armLabel(arm.name)} stopped: ${arm.message}`)),
    ...watches.map((text) => item('watch', text)),
  ];
  const text = items.map((li) => li.textContent).join('\n');
  if (list.dataset.text !== text) {
    list.dataset.text = text;
    list.replaceChildren(...items);
  }
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
      name.title = armAbout(arm.name);
      name.append(swatch, armLabel(arm.name));
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

// The layer menu; focus is the layer to show, when the network has it (else the last one).
function fillLayers(depth, focus) {
  const select = $('focus-layer');
  select.replaceChildren(...Array.from({ length: depth }, (_, l) => new Option(`${l + 1} of ${depth}`, String(l))));
  select.value = String(Number.isInteger(focus) && focus >= 0 && focus < depth ? focus : depth - 1);
  select.disabled = depth === 0;
}

// A snapshot on the page: the step counter, the lesson's claims, the readouts, the scoreboard
// and every view.
function showSnapshot(message) {
  $('steps').textContent = message.steps.toLocaleString('en');
  if (message.horizonReached) {
    setPlaying(false);
    horizonPause = true;
    setStatus(`Paused at step ${message.steps.toLocaleString('en')}, the lesson's horizon: its claims are checked above the charts. Play goes on.`);
  }
  showClaims(message.claims, message.steps);
  $('readout-ics').textContent = message.readouts.ics;
  $('readout-gradients').textContent = message.readouts.gradients;
  showArmStates(message.arms, message.watches);
  showScoreboard(message.arms, message.metrics);
  charts.update(message);
  boundaries.update(message);
  digits.update(message);
}

// On a phone the views come first: the settings start folded.
if (window.matchMedia('(max-width: 760px)').matches) $('settings').open = false;

// The standalone page carries its worker's code (engine included) in a text script: a worker
// made from a Blob runs from file://, where Chromium refuses worker files.
const workerSource = document.getElementById('bnlab-worker-source');
const worker = workerSource
  ? new Worker(URL.createObjectURL(new Blob([workerSource.textContent], { type: 'text/javascript' })))
  : new Worker('worker.js');
worker.onerror = (event) => setStatus(`The training worker failed: ${event.message}`, true);

const handlers = {
  loaded(message) {
    ({ schema, defaults } = message);
    controls = createControls($('controls'), schema, (config, { live, field }) => {
      if (!live) {
        start(config);
        return;
      }
      liveEdits[field] = config[field];
      sendLive(field, config[field]);
    });
    renderScenarios(schema, defaults);
    for (const b of [...Object.values(buttons), $('copy-link'), $('embed'), $('download')]) b.disabled = false;
    openLink();
  },
  ready(message) {
    accepted = message.config;
    runningStart = message.id;
    if (message.id === lastStart) {
      // A live edit made while this start was on its way applies to the new run too.
      for (const [name, value] of Object.entries(liveEdits)) sendLive(name, value);
      controls?.set({ ...accepted, ...liveEdits });
    }
    showNotes([...linkNotes, ...(message.notes ?? [])]);
    linkNotes = [];
    setLesson(message.lesson);  // before the address is written: it names the scenario or not
    writeHash();
    $('open-full').href = fullPageUrl();
    // A lesson's texts speak of the last layer; another run keeps the layer the user chose.
    const chosen = $('focus-layer').value === '' ? NaN : Number($('focus-layer').value);
    fillLayers(message.depth, message.lesson?.id ? message.depth - 1 : chosen);
    worker.postMessage({ type: 'focus', layer: Number($('focus-layer').value) || 0 });
    $('scoreboard').tBodies[0].replaceChildren();
    charts.reset(message);
    boundaries.reset(message);
    digits.reset(message);
    // The boundary picture's explanation fits the 2-D data sets only.
    for (const e of document.querySelectorAll('#view-boundary .two-d')) e.hidden = message.grid.size === 0;
    layoutEmbed(embedViews);
    if (message.id === lastStart && reveal) {
      reveal = false;
      revealLesson();
    }
    setStatus(playing ? 'Training.' : 'Paused.');
  },
  // Drawn at the next animation frame; the worker sends the next snapshot once told so.
  snapshot(message) {
    requestAnimationFrame(() => {
      try {
        // A snapshot of an experiment replaced while it waited for its frame is dropped.
        if (message.start === runningStart) showSnapshot(message);
      } finally {
        worker.postMessage({ type: 'drawn', seq: message.seq });
      }
    });
  },
  configChanged({ config, lesson: info }) {
    accepted = config;
    // Said where the run is watched: the charts do not mark the change (an earlier refusal is
    // stale now, too).
    setStatus(`Learning rate ${config.learningRate} from step ${$('steps').textContent} on, without a restart.`);
    setLesson(info);
    if (runningStart === lastStart) controls?.set({ ...config, ...liveEdits });
    writeHash();
  },
  export({ json }) {
    download(`bnlab-${accepted.dataset}-seed${accepted.seed}.json`, json);
  },
  error({ where, message, fields, id }) {
    if (where === 'load') {
      setStatus(`The WebAssembly engine failed to load: ${message}`, true);
      return;
    }
    if (fields) {
      if (id === lastStart) controls?.showErrors(fields, accepted);
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
$('shift-units').addEventListener('change', (event) => charts.setShiftUnits(event.target.value));

initShareDialog();
window.addEventListener('resize', () => layoutEmbed(embedViews));
// A link pasted into the address bar of an open page: run what it describes.
window.addEventListener('hashchange', () => {
  if (schema && window.location.hash !== writtenHash) {
    reveal = true;
    openLink();
  }
});
// A page opened from a file (the one-file page) has a file:// address that works on this
// computer only: the dialogs say so rather than offer it as if it could be shared.
const LOCAL_NOTE = window.location.protocol === 'file:'
  ? ' This page was opened from a file, so this address works only on this computer: to share the run, '
    + 'put bnlab-standalone.html on a web server (a blog that hosts one file will do) and copy the link there.'
  : '';
$('copy-link').addEventListener('click', () => openShareDialog('Share this run',
  `The link holds every setting, the seed included: whoever opens it sees the same run, step for step.${LOCAL_NOTE}`,
  fullPageUrl()));
$('embed').addEventListener('click', () => {
  const views = options.views?.length ? options.views : DEFAULT_EMBED_VIEWS;
  const url = pageUrl(configToFragment(accepted, schema, { embed: true, views }));
  openShareDialog('Embed this run', `Paste this into a page. It shows the ${views.join(' and ')} views `
    + `with a play/pause button; views= in the address picks others (boundary, loss, ics, gradients, noise).${LOCAL_NOTE}`,
  embedSnippet(url, `bnlab: ${accepted.dataset}, ${accepted.arms.join(' vs ')}`));
});
$('download').addEventListener('click', () => worker.postMessage({ type: 'export' }));
worker.postMessage({ type: 'load' });

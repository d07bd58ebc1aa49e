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
import { evaluateClaims } from './claims.js';
import { emptyGrid } from './sweep-claims.js';
import { matchSweepLesson } from './sweep-lessons.js';
import { createSweepPool, poolSize } from './sweep-pool.js';
import { createSweepView } from './sweep-view.js';
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
let sweepView = null;
let sweepSpec = null;     // the axes, steps and metric of the sweep shown (they ride in the link)
let pendingSweep = null;  // a link's sweep, asked for once its configuration's run is ready
let sweepId = 0;          // the latest sweep asked of the validator
let sweepLesson = null;   // the sweep lesson the grid is ({ lesson, variant }), or null
let resumeAfterSweep = false;  // the run above was playing when the sweep paused it
let cellSteps = null;     // a sweep cell opened: train its run to the cell's step, then pause
let sweepClock = null;    // the progress line's timer while a sweep runs

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
const linkOptions = (extra = {}) => ({
  ...options,
  ...extra,
  scenario: lesson?.id && lesson.id !== 'default' ? lesson.id : sweepLesson?.lesson.id,
  sweep: sweepSpec ?? undefined,
});

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
  const { scenario, sweep } = linkOptions();
  return pageUrl(configToFragment(accepted, schema, { scenario, sweep }));
}

// Reads the address's fragment and starts what it describes; every value goes through the
// engine's validator (in the worker), which drops what it refuses and says so.
function openLink(fragment = window.location.hash) {
  const link = parseFragment(fragment, schema);
  options = link.options;
  linkNotes = link.notes;
  // A link opened plays, unless it says paused=1.
  setPlaying(!options.paused);
  embedViews = applyEmbed(options, window.location.href);
  pendingSweep = options.sweep ?? null;
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
const workerUrl = workerSource
  ? URL.createObjectURL(new Blob([workerSource.textContent], { type: 'text/javascript' }))
  : 'worker.js';
const makeWorker = () => new Worker(workerUrl);
const worker = makeWorker();
// A sweep's cells train in workers of their own: ?sweepWorkers=N sets how many (the benchmark
// and the tests), else the cores but one.
const pool = createSweepPool(makeWorker, Number(new URLSearchParams(window.location.search).get('sweepWorkers')) || poolSize(),
  (ready) => {
    if (!pool.running()) sweepView?.progress(`${ready} worker${ready > 1 ? 's' : ''} ready.`, false);
  });
// The pool's engines load while the Sweep view comes near the screen, not for every visitor.
new IntersectionObserver((entries, observer) => {
  if (!entries.some((e) => e.isIntersecting)) return;
  pool.warm();
  observer.disconnect();
}, { rootMargin: '100% 0px' }).observe($('view-sweep'));

// The run above pauses while a sweep trains (the sweep gets the cores) and plays again after.
function sweepEnded(text) {
  clearInterval(sweepClock);
  sweepView.progress(text, false);
  if (resumeAfterSweep && !playing) {
    setPlaying(true);
    worker.postMessage({ type: 'play' });
    setStatus('Training.');
  }
  resumeAfterSweep = false;
}

// A cell of the grid opened: its run, trained to the cell's step and paused there, so the
// scoreboard shows the cell's numbers (Play goes on). In an embed, which shows only the grid,
// the full page opens with it.
function openCell(config, steps) {
  if (document.body.classList.contains('embed')) {
    const { scenario, sweep } = linkOptions();
    window.open(pageUrl(configToFragment(config, schema, { scenario, sweep, paused: true })), '_blank', 'noopener');
    return;
  }
  setPlaying(false);
  cellSteps = steps;
  start(config);
  $('view-boundary').scrollIntoView({ block: 'start' });
}

// Asks the engine to validate a sweep on the running configuration; 'sweep' answers.
function requestSweep(spec) {
  const { steps, metric } = sweepView.defaults;
  const full = { steps, metric, ...spec };
  worker.postMessage({ type: 'sweep', sweep: { base: accepted, ...full }, id: ++sweepId });
}

function runSweep(sweep) {
  const grid = emptyGrid(sweep);
  sweepSpec = { x: sweep.x, ...(sweep.y ? { y: sweep.y } : {}), steps: sweep.steps, metric: sweep.metric };
  sweepLesson = matchSweepLesson(sweep, options.scenario, defaults);
  sweepView.setForm(sweep);
  sweepView.reset(grid);
  $('embed-caption').textContent = sweepView.caption();
  layoutEmbed(embedViews);  // the maps are new cells of an embed's grid (and the caption a line)
  sweepView.showLesson(sweepLesson?.lesson, sweepLesson?.variant, null);
  writeHash();
  $('open-full').href = fullPageUrl();
  if (playing) {
    resumeAfterSweep = true;
    setPlaying(false);
    worker.postMessage({ type: 'pause' });
    setStatus('Paused while the sweep trains (it gets the cores); the run plays again after it.');
  }
  const total = grid.cells.length;
  const workers = Math.min(pool.size, total);
  const began = performance.now();
  const seconds = () => `${((performance.now() - began) / 1000).toFixed(1)} s`;
  const line = (done) => `${done} of ${total} cells · ${workers} worker${workers > 1 ? 's' : ''} · ${seconds()}`;
  sweepView.progress(line(0), true);
  let done = 0;
  clearInterval(sweepClock);
  sweepClock = setInterval(() => sweepView.progress(line(done), true), 1000);
  pool.run(sweep, total, {
    onCell(cell, count) {
      done = count;
      sweepView.cellDone(cell, line(done));
    },
    onDone() {
      sweepView.redraw();
      if (sweepLesson) sweepView.showLesson(sweepLesson.lesson, sweepLesson.variant, evaluateClaims(sweepLesson.variant.claims, grid));
      sweepEnded(`Done: ${line(total)}.`);
    },
    onError(message) {
      sweepEnded(`The sweep stopped: ${message}`);
    },
  });
}
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
    sweepView = createSweepView({
      schema,
      sweepDefaults: message.sweepDefaults,
      sweepFields: message.sweepFields,
      metrics: message.sweepMetrics,
      baseValue: (field) => accepted?.[field] ?? defaults[field],
      onMetric: (metric) => {
        sweepSpec = { ...sweepSpec, metric };
        $('embed-caption').textContent = sweepView.caption();
        writeHash();
      },
      onRun: (spec) => requestSweep(spec),
      onCancel: () => {
        const done = sweepView.grid()?.cells.filter(Boolean).length ?? 0;
        pool.cancel();
        sweepEnded(`Cancelled after ${done} of ${sweepView.grid()?.cells.length ?? 0} cells.`);
      },
      // The grid as bnlab-run --sweep writes it: { sweep, arms, cells }.
      onDownload: (grid) => download(`bnlab-sweep-${grid.sweep.x.field}${grid.sweep.y ? `-${grid.sweep.y.field}` : ''}-seed${grid.sweep.base.seed}.json`, JSON.stringify(grid)),
      onOpen: (config) => openCell(config, sweepView.grid().sweep.steps),
    });
    sweepView.setForm(message.sweepDefaults);
    sweepView.progress('', false);
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
    if (message.id === lastStart && pendingSweep) {
      requestSweep(pendingSweep);
      pendingSweep = null;
      // A link with a sweep is about the grid: it comes into view (an embed lays out its own).
      if (!options.embed) $('view-sweep').scrollIntoView({ block: 'start' });
      reveal = false;
    }
    if (message.id === lastStart && cellSteps !== null) {
      worker.postMessage({ type: 'step', n: cellSteps });
      setStatus(`Paused at step ${cellSteps.toLocaleString('en')}, where the grid measured this cell; Play goes on.`);
      cellSteps = null;
      return;
    }
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
  sweep({ id, sweep }) {
    if (id === sweepId) runSweep(sweep);
  },
  export({ json }) {
    download(`bnlab-${accepted.dataset}-seed${accepted.seed}.json`, json);
  },
  error({ where, message, fields, id }) {
    if (where === 'load') {
      setStatus(`The WebAssembly engine failed to load: ${message}`, true);
      return;
    }
    if (where === 'sweep') {
      if (id !== sweepId) return;
      sweepView.showErrors(fields ?? [{ field: '(sweep)', message }]);
      sweepView.progress('The sweep was refused: see the marked fields. Nothing ran.', false);
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
  resumeAfterSweep = false;  // the user decides now
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
// The event's own address: the page may have rewritten the address for an older run between
// the change and this event (a link pasted while the first run starts), and the link must win.
window.addEventListener('hashchange', (event) => {
  const fragment = new URL(event.newURL).hash;
  if (schema && fragment !== writtenHash) {
    reveal = true;
    window.history.replaceState(null, '', fragment);
    openLink(fragment);
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
  const url = pageUrl(configToFragment(accepted, schema, { embed: true, views, sweep: sweepSpec ?? undefined }));
  openShareDialog('Embed this run', `Paste this into a page. It shows the ${views.join(' and ')} views `
    + `with a play/pause button; views= in the address picks others (boundary, loss, ics, gradients, noise, sweep).${LOCAL_NOTE}`,
  embedSnippet(url, `bnlab: ${accepted.dataset}, ${accepted.arms.join(' vs ')}`));
});
$('download').addEventListener('click', () => worker.postMessage({ type: 'export' }));
worker.postMessage({ type: 'load' });

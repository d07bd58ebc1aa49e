// The page's entry: starts the training worker, and wires the run and the sweep controllers,
// the address bar, the views and the buttons. It only displays; the engine in the worker
// computes and validates everything.
import { ALL_LESSONS, lessonFragment, lessonPagePath } from '../lessons/lesson-links.js';
import { VIEWS } from '../shared/link.js';
import { createBnLayer } from '../views/bn-layer.js';
import { createBoundaries, drawProbabilityScale } from '../views/boundary.js';
import { createCalculator } from '../views/calculator.js';
import { createCharts } from '../views/charts.js';
import { createDigits } from '../views/digits.js';
import { $ } from '../views/kit/dom.js';
import { renderLessonMenu, revealLesson } from '../views/lesson-banner.js';
import * as panel from '../views/panel.js';
import { createControls } from '../views/settings.js';
import { createAddress } from './address.js';
import { applyEmbed, DEFAULT_EMBED_VIEWS, layoutEmbed } from './embed-layout.js';
import { download, embedSnippet, initShareDialog, openShareDialog } from './share.js';
import { RunController } from './run-controller.js';
import { SweepController } from './sweep-controller.js';
import { applyTheme } from './theme.js';
import { makeWorker } from './workers.js';
import { OwnData } from './own-data.js';
import { createPytorchExport, pytorchFailed, savePytorch } from './pytorch-export.js';

const worker = makeWorker();
const address = createAddress();
const page = {
  linkNotes: [], // what reading the link ignored, shown with the validator's notes once it runs
  embedViews: [], // the sections an embed shows
};

// The address names the lesson and the sweep shown, and carries a run's table of your own.
const linkExtras = () => ({
  lesson: run.lessonId ?? sweep.lessonId,
  sweep: sweep.spec,
  table: run.accepted?.dataset === 'csv' ? ownData.linkTable() : undefined,
});

function showAddress() {
  if (!run.accepted || !run.schema) return;
  address.write(run.accepted, run.schema, linkExtras());
  $('open-full').href = fullPageUrl();
}
const fullPageUrl = () => address.url(run.accepted, run.schema, linkExtras());

const views = {
  charts: createCharts(),
  boundaries: createBoundaries($('boundaries')),
  digits: createDigits($('boundaries')),
  // The unit opened up: the worker measures its batch only while the view can be seen.
  bnLayer: createBnLayer({ onInspect: (choice) => worker.postMessage({ type: 'inspect', ...choice }) }),
};
const calculator = createCalculator({ onCompute: (input) => worker.postMessage({ type: 'calculate', input }) });
const run = new RunController({
  worker,
  views,
  // Every start names the lesson the link named: a run whose settings differ from it is
  // "modified from" that lesson.
  namedLesson: () => address.options.lesson,
  onRunChanged: showAddress,
  onReady(message) {
    panel.showNotes([...page.linkNotes, ...(message.notes ?? [])]);
    page.linkNotes = [];
    layoutEmbed(page.embedViews);
  },
});
drawProbabilityScale($('probability-scale'));
// A table read from a file the user gave: a run on it, with the settings in use otherwise.
const ownData = new OwnData({
  worker,
  container: $('own-data'),
  onTable: () => run.start({ ...(run.accepted ?? {}), dataset: 'csv' }),
});

const sweep = new SweepController({
  worker,
  makeWorker,
  run,
  onGridChanged() {
    $('embed-caption').textContent = sweep.caption();
    layoutEmbed(page.embedViews); // the maps are new cells of an embed's grid (and the caption a line)
    showAddress();
  },
  // A cell of the grid opened: its run, trained to the cell's step and paused there, so the
  // scoreboard shows the cell's numbers (Play goes on). In an embed, which shows only the grid,
  // the full page opens with it.
  onOpenCell(config, steps) {
    if (document.body.classList.contains('embed')) {
      window.open(address.url(config, run.schema, { ...linkExtras(), paused: true }), '_blank', 'noopener');
      return;
    }
    // A cell opened by keyboard: the focus goes where the page goes (the new run's first map),
    // not left on the grid far below.
    const byKeyboard = Boolean(document.activeElement?.closest('#view-sweep'));
    run.setPlaying(false);
    run.start(config, {
      then() {
        if (byKeyboard) {
          const map = $('boundaries').hidden ? null : $('boundaries').querySelector('canvas');
          (map ?? $('play')).focus({ preventScroll: true });
        }
        worker.postMessage({ type: 'step', n: steps });
        panel.setStatus(
          `Paused at step ${steps.toLocaleString('en')}, where the grid measured this cell; Play goes on.`,
        );
      },
    });
    $('view-boundary').scrollIntoView({ block: 'start' });
  },
  // The grid as bnlab-run --sweep writes it: { sweep, arms, cells }.
  table: () => ownData.table,
  onDownload: (grid) =>
    download(
      `bnlab-sweep-${grid.sweep.x.field}${grid.sweep.y ? `-${grid.sweep.y.field}` : ''}-seed${grid.sweep.base.seed}.json`,
      JSON.stringify(grid),
    ),
});

// Reads the address's fragment and starts what it describes; every value goes through the
// engine's validator (in the worker), which drops what it refuses and says so. reveal: the
// lesson comes into view once it runs (chosen from the menu).
function openLink(fragment = window.location.hash, reveal = false) {
  const link = address.read(fragment, run.schema);
  const { options } = address;
  page.linkNotes = link.notes;
  // A link opened plays, unless it says paused=1 or the reader's system asks for reduced motion:
  // then nothing moves until Play.
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  run.setPlaying(!options.paused && !still);
  run.pausedWhy =
    still && !options.paused ? 'Paused: your system asks for reduced motion. Play trains the networks.' : null;
  page.embedViews = applyEmbed(options, window.location.href);
  applyTheme(options.theme, () => run.restyle());
  const linkSweep = options.sweep;
  const start = () =>
    run.start(link.config, {
      lenient: true,
      then() {
        if (linkSweep) {
          sweep.request(linkSweep);
          // A link with a sweep is about the grid: it comes into view (an embed lays out its own).
          if (!options.embed) $('view-sweep').scrollIntoView({ block: 'start' });
        } else if (reveal) {
          revealLesson();
        }
      },
    });
  // A run on a table of its own waits for the table (sent first), or for the user to load it.
  ownData.forLink(options.table, link.config, start).then((ready) => ready && start());
}

const handlers = {
  loaded(message) {
    const controls = createControls($('controls'), message.schema, (config, change) => run.edit(config, change));
    run.setSchema(message.schema, message.defaults, controls);
    renderLessonMenu(message.schema, message.defaults);
    sweep.init(message);
    panel.enableControls();
    calculator.start();
    createPytorchExport($('pytorch-export'), worker);
    openLink();
  },
  ready: (message) => run.ready(message),
  snapshot: (message) => run.snapshot(message),
  configChanged: (message) => run.configChanged(message),
  sweep: (message) => sweep.validated(message, address.options.lesson),
  calculated: ({ result }) => calculator.show(result),
  table: (message) => ownData.loaded(message).then(showAddress),
  pytorch: savePytorch,
  export: ({ json }) => download(`bnlab-${run.accepted.dataset}-seed${run.accepted.seed}.json`, json),
  error(message) {
    const { where, fields } = message;
    if (where === 'load') panel.setStatus(`The WebAssembly engine failed to load: ${message.message}`, true);
    else if (where === 'sweep') sweep.refused(message);
    else if (where === 'calculate') calculator.showErrors(fields ?? [{ field: 'values', message: message.message }]);
    else if (where === 'table') ownData.refused(message);
    else if (where === 'pytorch') panel.setStatus(pytorchFailed(message.message), true);
    else if (fields) run.refused(fields, message.id);
    else panel.setStatus(`Could not ${where === 'start' ? 'start the experiment' : where}: ${message.message}`, true);
  },
};
worker.onmessage = ({ data }) => handlers[data.type]?.(data);
worker.onerror = (event) => panel.setStatus(`The training worker failed: ${event.message}`, true);

// On a phone the views come first: the settings start folded.
if (window.matchMedia('(max-width: 760px)').matches) $('settings').open = false;

$('play').addEventListener('click', () => {
  sweep.forgetResume(); // the user decides now
  run.togglePlay();
});
$('step').addEventListener('click', () => {
  run.step(1);
  panel.setStatus('Paused.');
});
$('reset').addEventListener('click', () => run.reset());
$('speed').addEventListener('change', () => worker.postMessage({ type: 'speed', stepsPerSecond: panel.chosenSpeed() }));
$('focus-layer').addEventListener('change', (event) =>
  worker.postMessage({ type: 'focus', layer: Number(event.target.value) }),
);
$('loss-log').addEventListener('change', (event) => views.charts.setLossLog(event.target.checked));
$('shift-units').addEventListener('change', (event) => views.charts.setShiftUnits(event.target.value));

// A printed page says which run it shows.
window.addEventListener('beforeprint', () => {
  $('print-link').textContent = `This run: ${window.location.href}`;
});

initShareDialog();
// The frame resized (the host's script sizing the iframe, or the reader's window): fit the grid
// again. The views' box follows the window, so watching it covers a window's resize too, and a
// frame its host resizes, which gets no resize event in Firefox.
let relayout = 0;
new ResizeObserver(() => {
  cancelAnimationFrame(relayout);
  relayout = requestAnimationFrame(() => layoutEmbed(page.embedViews));
}).observe(document.querySelector('main.views'));
// A link pasted into the address bar of an open page: run what it describes.
// The event's own address: the page may have rewritten the address for an older run between
// the change and this event (a link pasted while the first run starts), and the link must win.
window.addEventListener('hashchange', (event) => {
  const fragment = new URL(event.newURL).hash;
  if (inPageTarget(fragment)) {
    // An anchor typed or followed (#glossary): the run is not a link; the address keeps the run.
    goTo(inPageTarget(fragment));
    showAddress();
    return;
  }
  if (run.schema && !address.wrote(fragment)) {
    window.history.replaceState(null, '', fragment);
    openLink(fragment, true);
  }
});
// Links within the page (#glossary, #g-band-width, #view-noise) move to their target and leave
// the run and its address alone: the address is always the run's share link.
const inPageTarget = (fragment) =>
  /^#[A-Za-z][\w-]*$/.test(fragment) ? document.getElementById(fragment.slice(1)) : null;
function goTo(target) {
  target.scrollIntoView({ block: 'start' });
  // Keyboard users land where they went.
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
}
document.addEventListener('click', (event) => {
  const a = event.target.closest?.('a[href^="#"]');
  const target = a && inPageTarget(a.getAttribute('href'));
  if (!target) return;
  event.preventDefault();
  goTo(target);
});
// A page opened from a file (the one-file page) has a file:// address that works on this
// computer only: the dialogs say so rather than offer it as if it could be shared.
const LOCAL_NOTE =
  window.location.protocol === 'file:'
    ? ' This page was opened from a file, so this address works only on this computer: to share the run, ' +
      'put bnlab-standalone.html on a web server (a blog that hosts one file will do) and copy the link there.'
    : '';
// A lesson as its menu opens it has a page of its own beside this one (lesson/<id>.html), whose
// link shows the lesson's title and picture when pasted into a chat or a course page: the dialog
// offers it for exactly that run. The one-file page has no such pages beside it.
function lessonPageUrl() {
  const lesson = ALL_LESSONS.find((l) => l.id === linkExtras().lesson);
  if (!lesson || !/^https?:$/.test(window.location.protocol) || document.getElementById('bnlab-worker-source'))
    return null;
  const asMenuOpensIt = lessonFragment(lesson, lesson.variants[0], run.schema, run.defaults);
  return fullPageUrl().endsWith(asMenuOpensIt)
    ? { lesson, url: new URL(lessonPagePath(lesson.id), window.location.href).href }
    : null;
}
$('copy-link').addEventListener('click', () => {
  const lessonPage = lessonPageUrl();
  if (lessonPage) {
    openShareDialog(
      'Share this lesson',
      `The link opens the lesson “${lessonPage.lesson.title}” with its settings and seed, as its menu does: ` +
        "whoever opens it sees the same run, step for step. Pasted into a chat or a course page, it shows the lesson's title.",
      lessonPage.url,
    );
    return;
  }
  openShareDialog(
    'Share this run',
    `The link holds every setting, the seed included: whoever opens it sees the same run, step for step.${LOCAL_NOTE}`,
    fullPageUrl(),
  );
});
$('embed').addEventListener('click', () => {
  const views = address.options.views?.length ? address.options.views : DEFAULT_EMBED_VIEWS;
  const { accepted } = run;
  const snippet = (chosen, width, theme) =>
    embedSnippet(
      address.url(accepted, run.schema, { embed: true, views: chosen, sweep: sweep.spec, theme }),
      `bnlab: ${accepted.dataset}, ${accepted.arms.join(' vs ')}`,
      width,
    );
  openShareDialog(
    'Embed this run',
    'Paste this into a page: the frame sizes itself to what it shows (its few lines of script listen to the ' +
      `embed only; without them it is 480 px high). Choose its views, width and colours here; a narrow frame may leave out views that do not fit, and says so.${LOCAL_NOTE}`,
    snippet(views, '100%'),
    { views, all: VIEWS, snippet },
  );
});
$('download').addEventListener('click', () => worker.postMessage({ type: 'export' }));
worker.postMessage({ type: 'load' });

// The training worker: owns the engine and one run (training.js), and trains sweep cells for
// the page's pool (cell.js; the pool's workers run this same script, each with its own engine).
// It only translates between the engine and messages, and imports only DOM-free modules
// (shared/, lessons/; tests/web/worker_purity.test.mjs checks it).
//
// Page -> worker
//   { type: 'load' }                 load the engine (answered by 'loaded')
//   { type: 'start', config, id, lenient, lesson }
//                                    build a new experiment (also: reset), then train; the
//                                    answer (ready or error) carries the same id. lenient (a
//                                    share link): fields the validator refuses are dropped,
//                                    with notes, instead of refusing the whole configuration.
//                                    lesson: the lesson the link names, if any. A run that
//                                    is a lesson (matchLesson) trains at the lesson's pace,
//                                    pauses by itself at its horizon, and every snapshot
//                                    carries its claims evaluated on the run
//   { type: 'play' } / { type: 'pause' }
//   { type: 'step', n }              n steps now (while paused), then one snapshot
//   { type: 'speed', stepsPerSecond }  0 = as fast as possible
//   { type: 'learningRate', value, id }  without restarting (an error carries the id)
//   { type: 'focus', layer }         the hidden layer the per-layer views show
//   { type: 'resend' }               the next snapshot carries the whole history again
//   { type: 'export' }               the whole run's configuration and history, as JSON text
//   { type: 'drawn', seq }           the page has drawn snapshot seq: the next may come
//   { type: 'sweep', sweep, id }     validate a sweep (answered by 'sweep' or an error with fields)
//   { type: 'cell', sweep, index, id }  train one cell of a sweep
//   { type: 'inspect', arm, layer, unit, visible }  the BN unit the Inside a BN layer view shows;
//                                    snapshots carry its batch (bnLayer) while visible
//   { type: 'calculate', input }     the calculator's batch through the engine's BatchNorm
//   { type: 'table', bytes, label, name }  a CSV file (its bytes) for dataset "csv": the engine's
//                                    reader reads it (answered by 'table' or an error)
//   { type: 'pytorch', format }      the run as a PyTorch script or notebook (answered by 'pytorch')
// Worker -> page
//   { type: 'loaded', schema, defaults, sweepDefaults, sweepMetrics, sweepFields }  the engine is ready
//   { type: 'ready', id, config, notes, arms, depth, grid, data, lesson }  an experiment was
//                                    built; lesson: { id, variant, pace, horizon } or
//                                    { modifiedFrom: id } or null
//   { type: 'configChanged', config, lesson }                  a live change (learning rate)
//   { type: 'export', json }
//   { type: 'sweep', id, sweep }                               the sweep, normalized
//   { type: 'cell', id, cell }                                 a cell's numbers (sweep-grid.js)
//   { type: 'calculated', result }                             the calculator's answer
//   { type: 'table', name, table }   the table read: { rows, features, classes, featureNames,
//                                    labelName, classNames, text, fingerprint }
//   { type: 'pytorch', format, text, config }                  the export
//   { type: 'snapshot', ... }                                  see training.js's snapshot(); at
//                                    the lesson's horizon, horizonReached: true (once)
//   { type: 'error', where, message, fields?, id? }            where: load | start | step | ...
import { resolveConfig } from '../shared/link.js';
import { trainCell } from './cell.js';
import { ensureDigits, exporterFor, loadEngine } from './engine.js';
import { Training } from './training.js';

let engine = null;
let loading = null; // the engine's load, once: messages that arrive meanwhile wait for it
let training = null;
let cellQueue = Promise.resolve();

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

// err.fields, from the engine's validator: [{ field, message }] for a configuration error.
function fail(where, err, id) {
  post({ type: 'error', where, message: err?.message ?? String(err), fields: err?.fields, id });
}

const handlers = {
  load: () => {},
  table: ({ bytes, label, name }) => post({ type: 'table', name, table: engine.loadCsv(bytes, label ?? '') }),
  // The script trains to the lesson's horizon, or as far as the page has (at least 1,000 steps).
  // The export's module is fetched on the first export (engine.js).
  pytorch: async ({ format }) => {
    const config = training.experiment.config();
    const steps = training.lesson?.horizon ?? Math.max(1000, training.experiment.steps());
    const exporting = await exporterFor(engine, config);
    post({ type: 'pytorch', format, config, text: exporting.exportRun(config, format, steps) });
  },
  start: async ({ config, paused, id, lenient, lesson }) => {
    const resolved = lenient
      ? resolveConfig(config, (c) => engine.validateConfig(c), engine.configSchema())
      : { config, notes: [] };
    if (resolved.config.dataset === 'digits') await ensureDigits(engine);
    training.start(resolved.config, id, resolved.notes, lesson);
    if (paused) training.stop();
    else training.play();
  },
  play: () => training.play(),
  pause: () => training.pause(),
  step: ({ n }) => training.step(n ?? 1),
  speed: ({ stepsPerSecond }) => training.setSpeed(stepsPerSecond),
  learningRate: ({ value }) => training.setLearningRate(value),
  export: () => post({ type: 'export', json: training.exportJson() }),
  drawn: ({ seq }) => training.drawn(seq),
  focus: ({ layer }) => training.focus(layer),
  resend: () => training.resend(),
  inspect: (choice) => training.inspect(choice),
  calculate: ({ input }) => post({ type: 'calculated', result: engine.batchNormCalculator(input) }),
  sweep: ({ sweep, id }) => post({ type: 'sweep', id, sweep: engine.parseSweep(sweep) }),
  // One cell after another: the pool keeps a second cell queued here, so the worker never
  // waits for the page between two cells.
  // A cell of a sweep on a table carries the table the first time this worker needs it.
  cell: ({ sweep, index, id, table }) => {
    cellQueue = cellQueue
      .catch(() => {})
      .then(async () => {
        if (table) engine.loadCsv(new TextEncoder().encode(table), '');
        post({ type: 'cell', id, cell: await trainCell(engine, sweep, index) });
      });
    return cellQueue;
  },
};

// The speed is a setting of the worker, kept for the experiments to come; a sweep and its
// cells stand alone; everything else needs an experiment.
const ALONE = ['start', 'speed', 'sweep', 'cell', 'calculate', 'table'];

async function load() {
  engine = await loadEngine();
  training = new Training(engine, post);
  post({
    type: 'loaded',
    schema: engine.configSchema(),
    defaults: engine.defaultConfig(),
    sweepDefaults: engine.defaultSweep(),
    sweepMetrics: engine.sweepMetrics(),
    sweepFields: engine.sweepFields(),
  });
}

self.onmessage = async ({ data }) => {
  if (!engine) {
    try {
      loading ??= load();
      await loading;
    } catch (err) {
      if (data.type === 'load') fail('load', err);
      return;
    }
  }
  const handler = handlers[data.type];
  if (!handler || (!ALONE.includes(data.type) && !training.started)) return;
  try {
    await handler(data);
  } catch (err) {
    fail(data.type, err, data.id);
  }
};

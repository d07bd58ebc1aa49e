// The run the training worker owns: one experiment, stepped at the chosen speed, and its
// snapshots, posted one at a time: the next only once the page says it has drawn the last (a
// page that falls behind, on a slow phone, gets fewer snapshots instead of a growing queue;
// training goes on meanwhile). A run that is a lesson trains at the lesson's pace, pauses by
// itself at its horizon, and every snapshot carries its claims evaluated on the run.
import { hasBn } from '../shared/arms.js';
import { snapshotTransferables, ARM_SERIES, LATEST_SERIES, LAYER_SERIES } from '../shared/protocol.js';
import { evaluateClaims, makeRun } from '../lessons/claims.js';
import { matchLesson, variantClaims } from '../lessons/lessons.js';
import { readouts, watch } from '../lessons/readouts.js';

const SNAPSHOT_MS = 100; // at least 10 snapshots a second
const JITTER_REPEATS = 32;
const SPREAD_BATCHES = 400;
const SPREAD_EVERY = 10; // snapshots: the batch-mean spread about once a second
const INSPECT_EVERY = 4; // snapshots: the opened BN unit's batch, while training, 2.5 times a second

// Rows of the history the page has not seen (sent: { rows, stride } already sent). When the
// bounded history compacted (its stride grew), the page's copy is stale: send it whole.
function historyUpdate(history, sent) {
  const rows = history.step.length;
  const stride = history.step.length > 1 ? history.step[1] - history.step[0] : sent.stride;
  const reset = stride !== sent.stride || rows < sent.rows;
  const from = reset ? 0 : sent.rows;
  const slice = (a) => a.slice(from);
  const update = {
    reset,
    step: slice(history.step),
    // Only the series the page draws (protocol.js): the full history is Download data's.
    arms: history.arms.map((arm) => ({
      name: arm.name,
      ...Object.fromEntries(ARM_SERIES.map((key) => [key, slice(arm[key])])),
      layers: arm.layers.map((layer) =>
        Object.fromEntries([...LAYER_SERIES, ...LATEST_SERIES].map((key) => [key, slice(layer[key])])),
      ),
    })),
  };
  sent.rows = rows;
  sent.stride = stride;
  return update;
}

// Typed arrays as plain arrays, NaN as null: the run as JSON text.
const plain = (value) =>
  ArrayBuffer.isView(value)
    ? Array.from(value, (v) => (Number.isFinite(v) ? v : null))
    : Array.isArray(value)
      ? value.map(plain)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
        : value;

// The run's state is this object's; the worker's handlers call its methods.
export class Training {
  constructor(engine, post) {
    this.engine = engine;
    this.post = post;
    this.experiment = null;
    this.running = false;
    this.stepsPerSecond = 0;
    this.focusLayer = 0;
    this.sent = { rows: 0, stride: 1 }; // history rows the page already has, at which stride
    this.snapshots = 0;
    this.timer = null;
    this.lesson = null; // { id, variant, pace, horizon, claims } of the running lesson, or null
    this.lessonId = null; // the lesson the run was started from
    this.horizonClaims = null; // the claims' verdicts at the horizon, once reached
    this.trainSize = 0;
    this.seq = 0; // the latest snapshot's number
    this.startId = 0; // the id of the start that built the experiment
    this.inFlight = false; // it is not drawn yet
    this.wanted = false; // another snapshot is due once it is
    this.inspected = { arm: -1, layer: 0, unit: 0, visible: false }; // the BN unit opened up
  }

  // The unit the Inside a BN layer view opens, and whether it can be seen.
  inspect(choice) {
    this.inspected = choice;
    if (!this.running) this.sendSnapshot();
  }

  // The opened unit's last mini-batch through BN (the engine's bnBatch), when the view can be
  // seen and the choice is a BN layer: every snapshot while paused, every INSPECT_EVERY-th while
  // training, so the dots can be read.
  bnLayer(names, depth) {
    const { arm, layer, unit, visible } = this.inspected;
    // A choice made for the previous run may not fit this one until the page sends another.
    const fits = hasBn(names[arm], depth) && layer < depth && unit < this.experiment.config().hidden[layer];
    if (!visible || !fits) return null;
    if (this.running && this.snapshots % INSPECT_EVERY !== 0) return null;
    return { arm, layer, ...this.experiment.bnBatch(arm, layer, unit) };
  }

  get started() {
    return this.experiment !== null;
  }

  snapshot() {
    const { experiment, focusLayer } = this;
    const names = experiment.arms().map((a) => a.name);
    const depth = experiment.config().hidden.length;
    const grid = experiment.gridInfo();
    // What the claims and the watches read, built as the tests build it.
    const now = makeRun(experiment, this.trainSize);
    const bnArms = (f) => names.map((name, a) => (hasBn(name, depth) ? f(a) : null));
    return {
      type: 'snapshot',
      seq: ++this.seq,
      start: this.startId,
      steps: now.steps,
      running: this.running,
      focusLayer,
      arms: experiment.arms(),
      metrics: now.metrics,
      claims: this.lesson
        ? { horizon: this.lesson.horizon, atHorizon: this.horizonClaims, now: evaluateClaims(this.lesson.claims, now) }
        : null,
      watches: watch(now),
      readouts: readouts(now, focusLayer),
      history: historyUpdate(now.history, this.sent),
      grids: grid.size > 0 ? names.map((_, a) => experiment.grid(a)) : [],
      // Without a 2-D grid (the digits), each arm's predicted class of every test example.
      predictions: grid.size > 0 ? [] : names.map((_, a) => experiment.predict(a)),
      // Per arm, for the focused layer: BN's batch statistics, and the same-example jitter.
      traces: bnArms((a) => experiment.bnTrace(a, focusLayer)),
      jitter: bnArms((a) => experiment.sameExampleJitter(a, focusLayer, JITTER_REPEATS)),
      // One test example alone, in training mode and in inference mode.
      single: now.single,
      inspect: this.inspected.arm >= 0 ? { arm: this.inspected.arm, layer: this.inspected.layer } : null,
      bnLayer: this.bnLayer(names, depth),
      // The spread of the batch mean against sigma / sqrt(B), now and then.
      spread:
        depth > 0 && this.snapshots++ % SPREAD_EVERY === 0
          ? names.map((_, a) => experiment.batchMeanSpread(a, focusLayer, SPREAD_BATCHES))
          : null,
    };
  }

  // Steps to take before the lesson's horizon (Infinity without one, or once it is passed).
  stepsToHorizon() {
    return this.lesson && !this.horizonClaims ? this.lesson.horizon - this.experiment.steps() : Infinity;
  }

  // Posts a snapshot, or, while the page has not drawn the last one, notes that one is due. The
  // first one at or past the lesson's horizon pauses the run and keeps the claims' verdicts there.
  sendSnapshot() {
    if (this.inFlight) {
      this.wanted = true;
      return;
    }
    this.wanted = false;
    this.inFlight = true;
    const message = this.snapshot();
    if (this.stepsToHorizon() <= 0) {
      this.running = false;
      this.horizonClaims = message.claims.now;
      message.claims.atHorizon = this.horizonClaims;
      message.running = false;
      message.horizonReached = true;
    }
    this.post(message, snapshotTransferables(message));
  }

  // Trains for one tick of SNAPSHOT_MS, at the chosen speed, never past the lesson's horizon,
  // then posts a snapshot.
  tick() {
    this.timer = null;
    if (!this.running || !this.experiment) return;
    const start = performance.now();
    try {
      if (this.stepsPerSecond > 0) {
        this.experiment.step(
          Math.min(this.stepsToHorizon(), Math.max(1, Math.round((this.stepsPerSecond * SNAPSHOT_MS) / 1000))),
        );
      } else {
        while (performance.now() - start < SNAPSHOT_MS * 0.8 && this.stepsToHorizon() > 0) {
          this.experiment.step(Math.min(10, this.stepsToHorizon()));
        }
      }
      if (this.stepsToHorizon() <= 0) this.running = false;
      this.sendSnapshot();
      if (!this.running) return;
    } catch (err) {
      this.running = false;
      this.post({ type: 'error', where: 'step', message: err?.message ?? String(err) });
      return;
    }
    this.timer = setTimeout(() => this.tick(), Math.max(0, SNAPSHOT_MS - (performance.now() - start)));
  }

  // Which lesson the running configuration is (it stops being one when a live edit changes it),
  // for the page: { id, variant, pace, horizon }, { modifiedFrom }, or null.
  matchRunLesson() {
    const match = matchLesson(this.experiment.config(), this.lessonId, this.engine.defaultConfig());
    const { lesson: found, variant } = match;
    const same = found && this.lesson?.id === found.id && this.lesson.variant === variant;
    this.lesson = same
      ? this.lesson
      : found
        ? {
            id: found.id,
            variant,
            pace: found.pace,
            horizon: found.horizon,
            claims: variantClaims(found, found.variants[variant]),
          }
        : null;
    if (this.lesson) {
      const { id, pace, horizon } = this.lesson;
      return { id, variant, pace, horizon, layer: found.layer };
    }
    return match.modifiedFrom ? { modifiedFrom: match.modifiedFrom.id } : null;
  }

  // A new experiment (also: reset), answered by 'ready' with the start's id, then a snapshot.
  start(config, id, notes = [], lessonId = null) {
    // Built before the old one goes: an invalid configuration throws here and the run goes on.
    const experiment = new this.engine.Experiment(config);
    this.experiment?.delete();
    Object.assign(this, {
      experiment,
      lessonId,
      startId: id,
      horizonClaims: null,
      snapshots: 0,
      inFlight: false, // what is in flight is the old experiment's
      sent: { rows: 0, stride: 1 },
    });
    const lessonInfo = this.matchRunLesson();
    if (this.lesson) this.stepsPerSecond = this.lesson.pace;
    this.trainSize = experiment.data().trainY.length;
    this.focusLayer = Math.min(this.focusLayer, Math.max(0, experiment.config().hidden.length - 1));
    this.post({
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
    this.sendSnapshot();
  }

  play() {
    this.running = true;
    if (this.timer === null) this.tick();
  }

  pause() {
    this.running = false;
    this.sendSnapshot();
  }

  step(n) {
    this.running = false;
    this.experiment.step(n);
    this.sendSnapshot();
  }

  stop() {
    this.running = false;
  }

  setSpeed(stepsPerSecond) {
    this.stepsPerSecond = stepsPerSecond;
  }

  setLearningRate(value) {
    // Judged by the one validator, so a refused value is named at its field like any other.
    this.engine.validateConfig({ ...this.experiment.config(), learningRate: value });
    this.experiment.setLearningRate(value);
    this.post({ type: 'configChanged', config: this.experiment.config(), lesson: this.matchRunLesson() });
  }

  focus(layer) {
    this.focusLayer = layer;
    this.snapshots = 0; // a fresh batch-mean spread for the new layer
    if (!this.running) this.sendSnapshot();
  }

  resend() {
    this.sent = { rows: 0, stride: 1 };
    if (!this.running) this.sendSnapshot();
  }

  drawn(seq) {
    if (seq !== this.seq) return; // an older snapshot, of an experiment since replaced
    this.inFlight = false;
    if (this.wanted) this.sendSnapshot();
  }

  // The whole run's configuration and history, as JSON text.
  exportJson() {
    const { experiment } = this;
    return JSON.stringify({
      config: experiment.config(),
      steps: experiment.steps(),
      arms: experiment.arms(),
      history: plain(experiment.history()),
    });
  }
}

// The run on the page: what the training worker runs, whether it plays, and the lesson it is.
// It starts runs (every start has an id; an answer to an older start never overwrites a newer
// edit), sends live edits, and shows the worker's snapshots on the views. The state is this
// controller's alone; the views only display.
import { showClaims, showLesson } from '../views/lesson-banner.js';
import * as panel from '../views/panel.js';

export class RunController {
  // views: { charts, boundaries, digits } (each reset(ready) and update(snapshot)).
  // namedLesson(): the lesson the link named, if any.
  // onRunChanged(): the run's configuration or lesson changed (the address follows it).
  // onReady(message): a new run's views are reset (the page lays itself out around them).
  constructor({ worker, views, namedLesson, onRunChanged, onReady }) {
    Object.assign(this, { worker, views, namedLesson, onRunChanged, onReady });
    this.schema = null;
    this.defaults = null;
    this.controls = null; // the settings form, once the schema is known
    this.accepted = null; // the configuration of the running experiment
    this.playing = true;
    this.horizonPause = false; // paused by the lesson's horizon, not by the user
    this.lastStart = 0; // id of the latest start
    this.runningStart = 0; // id of the start whose experiment is running
    this.liveEdits = {}; // live settings (learning rate) changed since the latest start
    this.lesson = null; // what the worker says the run is: { id, variant, pace, horizon }, { modifiedFrom }, null
    this.then = null; // what to do once the latest start is ready
    this.pausedWhy = null; // why a run that starts paused does, when the reader did not ask
    this.lastReady = null; // the running experiment's ready message, to make the views again
  }

  // The lesson the link names: only while the run is one of its variants (a changed setting
  // makes it a run of its own).
  get lessonId() {
    return this.lesson?.id && this.lesson.id !== 'default' ? this.lesson.id : undefined;
  }

  setSchema(schema, defaults, controls) {
    Object.assign(this, { schema, defaults, controls });
  }

  setPlaying(value) {
    this.playing = value;
    this.horizonPause = false;
    panel.showPlaying(value);
  }

  setLesson(info) {
    this.lesson = info;
    showLesson(info, this.schema, this.defaults);
    if (info?.pace) panel.showSpeed(info.pace);
  }

  sendLive(name, value) {
    if (name === 'learningRate') this.worker.postMessage({ type: 'learningRate', value, id: this.lastStart });
  }

  // A new run (also: reset). lenient: a link's configuration, whose refused fields are dropped
  // with notes; then(message): once it is ready (a later start replaces it).
  start(config, { lenient = false, then = null } = {}) {
    this.liveEdits = {};
    // A pause at a horizon is the lesson's, not the user's: a new run plays.
    if (this.horizonPause) this.setPlaying(true);
    // The worker trains at the speed the menu shows (a lesson sets its own pace when it starts).
    this.worker.postMessage({ type: 'speed', stepsPerSecond: panel.chosenSpeed() });
    this.worker.postMessage({
      type: 'start',
      config,
      paused: !this.playing,
      id: ++this.lastStart,
      lenient,
      lesson: this.namedLesson(),
    });
    this.then = then;
  }

  // A setting changed in the form: live ones without a restart.
  edit(config, { live, field }) {
    if (!live) {
      this.start(config);
      return;
    }
    this.liveEdits[field] = config[field];
    this.sendLive(field, config[field]);
  }

  togglePlay() {
    this.pausedWhy = null;
    this.setPlaying(!this.playing);
    this.worker.postMessage({ type: this.playing ? 'play' : 'pause' });
    panel.setStatus(this.playing ? 'Training.' : 'Paused.');
  }

  pause() {
    this.setPlaying(false);
    this.worker.postMessage({ type: 'pause' });
  }

  play() {
    this.setPlaying(true);
    this.worker.postMessage({ type: 'play' });
  }

  step(n) {
    this.setPlaying(false);
    this.worker.postMessage({ type: 'step', n });
  }

  reset() {
    if (this.accepted) this.start(this.accepted);
  }

  // The worker built a run: the views are made for it, and a pending action of the latest
  // start runs.
  ready(message) {
    const latest = message.id === this.lastStart;
    this.accepted = message.config;
    this.depth = message.depth;
    this.runningStart = message.id;
    if (latest) {
      // A live edit made while this start was on its way applies to the new run too.
      for (const [name, value] of Object.entries(this.liveEdits)) this.sendLive(name, value);
      this.controls?.set({ ...this.accepted, ...this.liveEdits });
    }
    this.setLesson(message.lesson); // before the address is written: it names the lesson or not
    this.onRunChanged();
    // A lesson's texts speak of its layer (the last unless it says); another run keeps the layer
    // the user chose.
    const lessonLayer = message.lesson?.layer ?? -1; // from the last layer back, or an index
    panel.fillLayers(
      message.depth,
      message.lesson?.id ? (lessonLayer < 0 ? message.depth + lessonLayer : lessonLayer) : panel.chosenLayer(),
    );
    this.worker.postMessage({ type: 'focus', layer: panel.chosenLayer() || 0 });
    panel.clearScoreboard();
    for (const view of Object.values(this.views)) view.reset(message);
    this.lastReady = message;
    this.onReady(message);
    panel.setStatus(this.playing ? 'Training.' : (this.pausedWhy ?? 'Paused.'));
    if (latest && this.then) {
      const then = this.then;
      this.then = null;
      then(message);
    }
  }

  // The theme changed: the views are made again in its colours, and the worker sends the whole
  // history again to fill them.
  restyle() {
    if (!this.lastReady) return;
    for (const view of Object.values(this.views)) view.reset(this.lastReady);
    this.worker.postMessage({ type: 'resend' });
  }

  // Drawn at the next animation frame; the worker sends the next snapshot once told so.
  snapshot(message) {
    requestAnimationFrame(() => {
      try {
        // A snapshot of an experiment replaced while it waited for its frame is dropped.
        if (message.start === this.runningStart) this.show(message);
      } finally {
        this.worker.postMessage({ type: 'drawn', seq: message.seq });
      }
    });
  }

  // A snapshot on the page: the step counter, the lesson's claims, the readouts, the scoreboard
  // and every view.
  show(message) {
    panel.showSteps(message.steps);
    if (message.horizonReached) {
      this.setPlaying(false);
      this.horizonPause = true;
      panel.setStatus(
        `Paused at step ${message.steps.toLocaleString('en')}, the lesson's horizon: its claims are checked in the lesson's box. Play goes on.`,
      );
    }
    showClaims(message.claims, message.steps);
    panel.showReadouts(message.readouts);
    panel.showArmStates(message.arms, message.watches);
    panel.showScoreboard(message.arms, message.metrics, {
      depth: this.depth,
      shifted: this.accepted.covariateShift > 0,
    });
    for (const view of Object.values(this.views)) view.update(message);
  }

  configChanged({ config, lesson }) {
    this.accepted = config;
    // Said where the run is watched: the charts do not mark the change (an earlier refusal is
    // stale now, too).
    panel.setStatus(`Learning rate ${config.learningRate} from step ${panel.stepsText()} on, without a restart.`);
    this.setLesson(lesson);
    if (this.runningStart === this.lastStart) this.controls?.set({ ...config, ...this.liveEdits });
    this.onRunChanged();
  }

  // The validator refused a configuration: at its fields when it is the latest start's.
  refused(fields, id) {
    if (id === this.lastStart) this.controls?.showErrors(fields, this.accepted);
    const kept = this.accepted ? ' The previous run goes on.' : '';
    panel.setStatus(`Invalid configuration: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}.${kept}`, true);
  }
}

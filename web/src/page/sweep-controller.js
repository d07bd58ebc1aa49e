// A sweep on the page: the grid of runs asked for (by the form, or by a link), validated by the
// engine in the training worker, trained by the pool's workers, shown by the Sweep view. The run
// above pauses while a sweep trains (the sweep gets the cores) and plays again after it.
import { evaluateClaims } from '../lessons/claims.js';
import { matchSweepLesson } from '../lessons/sweep-lessons.js';
import { cellConfig, emptyGrid } from '../shared/sweep-grid.js';
import { $ } from '../views/kit/dom.js';
import * as panel from '../views/panel.js';
import { createSweepView } from '../views/sweep/view.js';
import { createSweepPool, poolSize } from './sweep-pool.js';

// The progress line: cells done, workers, time since Run.
function progressLine(total, workers) {
  const began = performance.now();
  const seconds = () => `${((performance.now() - began) / 1000).toFixed(1)} s`;
  return (done) => `${done} of ${total} cells · ${workers} worker${workers > 1 ? 's' : ''} · ${seconds()}`;
}

export class SweepController {
  // run: the run controller; makeWorker: a new worker of the training script; onGridChanged():
  // the sweep shown changed (the address and the embed's layout follow it); onOpenCell(config,
  // steps): a cell clicked; onDownload(grid).
  // table(): the table of your own, for sweeps on it (sweep-pool.js).
  constructor({ worker, makeWorker, run, onGridChanged, onOpenCell, onDownload, table }) {
    Object.assign(this, { worker, run, onGridChanged, onOpenCell, onDownload });
    this.view = null;
    this.defaults = null; // the engine's default sweep
    this.shown = null; // the axes, steps and metric of the sweep shown (they ride in the link)
    this.asked = 0; // the latest sweep asked of the validator
    this.lesson = null; // the sweep lesson the grid is ({ lesson, variant }), or null
    this.resume = false; // the run above was playing when the sweep paused it
    this.clock = null; // the progress line's timer while a sweep runs
    // A sweep's cells train in workers of their own: ?sweepWorkers=N sets how many (the
    // benchmark and the tests), else the cores but one.
    const size = Number(new URLSearchParams(window.location.search).get('sweepWorkers')) || poolSize();
    this.pool = createSweepPool(
      makeWorker,
      size,
      (ready) => {
        if (!this.pool.running()) this.view?.progress(`${ready} worker${ready > 1 ? 's' : ''} ready.`, false);
      },
      table,
    );
    // The pool's engines load while the Sweep view comes near the screen, not for every visitor.
    new IntersectionObserver(
      (entries, observer) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        this.pool.warm();
        observer.disconnect();
      },
      { rootMargin: '100% 0px' },
    ).observe($('view-sweep'));
  }

  // The engine is loaded: the form from its schema, its sweep fields and metrics.
  init({ schema, sweepDefaults, sweepFields, sweepMetrics }) {
    this.defaults = sweepDefaults;
    this.view = createSweepView({
      schema,
      sweepFields,
      metrics: sweepMetrics,
      baseValue: (field) => this.run.accepted?.[field] ?? this.run.defaults[field],
      onMetric: (metric) => {
        this.shown = { ...this.shown, metric };
        this.onGridChanged();
      },
      onRun: (spec) => this.request(spec),
      onCancel: () => this.cancel(),
      onDownload: () => this.onDownload(this.view.grid()),
      onOpen: (index) => {
        const { sweep } = this.view.grid();
        this.onOpenCell(cellConfig(sweep, index), sweep.steps);
      },
    });
    this.view.setForm(sweepDefaults);
    this.view.progress('', false);
  }

  // The sweep shown, for the link (undefined before one).
  get spec() {
    return this.shown ?? undefined;
  }

  get lessonId() {
    return this.lesson?.lesson.id;
  }

  caption() {
    return this.view.caption();
  }

  // Asks the engine to validate a sweep on the running configuration; validated() answers.
  request(spec) {
    const { steps, metric } = this.defaults;
    this.worker.postMessage({
      type: 'sweep',
      sweep: { base: this.run.accepted, steps, metric, ...spec },
      id: ++this.asked,
    });
  }

  // The worker's answers: a validated sweep (the latest asked), or its refusal.
  validated({ id, sweep }, lessonId) {
    if (id === this.asked) this.train(sweep, lessonId);
  }

  refused({ id, fields, message }) {
    if (id !== this.asked) return;
    this.view.showErrors(fields ?? [{ field: '(sweep)', message }]);
    this.view.progress('The sweep was refused: see the marked fields. Nothing ran.', false);
  }

  // The user pressed Play or Pause: the run's state is theirs now.
  forgetResume() {
    this.resume = false;
  }

  cancel() {
    const grid = this.view.grid();
    const done = grid?.cells.filter(Boolean).length ?? 0;
    this.pool.cancel();
    this.ended(`Cancelled after ${done} of ${grid?.cells.length ?? 0} cells.`);
  }

  ended(text) {
    clearInterval(this.clock);
    this.view.progress(text, false);
    if (this.resume && !this.run.playing) {
      this.run.play();
      panel.setStatus('Training.');
    }
    this.resume = false;
  }

  // Shows an empty grid for a validated sweep and trains its cells in the pool.
  train(sweep, lessonId) {
    const grid = emptyGrid(sweep);
    this.shown = { x: sweep.x, ...(sweep.y ? { y: sweep.y } : {}), steps: sweep.steps, metric: sweep.metric };
    this.lesson = matchSweepLesson(sweep, lessonId, this.run.defaults);
    this.view.setForm(sweep);
    this.view.reset(grid);
    this.view.showLesson(this.lesson?.lesson, this.lesson?.variant, null);
    this.onGridChanged();
    if (this.run.playing) {
      this.resume = true;
      this.run.pause();
      panel.setStatus('Paused while the sweep trains (it gets the cores); the run plays again after it.');
    }
    const total = grid.cells.length;
    const line = progressLine(total, Math.min(this.pool.size, total));
    this.view.progress(line(0), true);
    let done = 0;
    clearInterval(this.clock);
    this.clock = setInterval(() => this.view.progress(line(done), true), 1000);
    this.pool.run(sweep, total, {
      onCell: (cell, count) => {
        done = count;
        this.view.cellDone(cell, line(done));
      },
      onDone: () => {
        this.view.redraw();
        if (this.lesson)
          this.view.showLesson(
            this.lesson.lesson,
            this.lesson.variant,
            evaluateClaims(this.lesson.variant.claims, grid),
          );
        this.ended(`Done: ${line(total)}.`);
      },
      onError: (message) => this.ended(`The sweep stopped: ${message}`),
    });
  }
}

// The chart views: loss, the percentile bands of Ioffe & Szegedy's Figure 1, shift, gradients,
// gradient ICS, BN's batch noise, and training against inference mode.
//
// Charts are made on reset (one per view, per arm where the view is per network) and only
// updated afterwards: at about 10 snapshots a second with up to 2048 points per series, every
// chart runs without animation and reads {x, y} points as they are (parsing off).
import Chart, { Ticks } from 'chart.js/auto';

import { armColor, armLabel, hasBn } from './arms.js';
import {
  axis, createChart, draw, fillPoints, lineDataset, logAxis, logTick, pointDataset, setText, stepAxis,
} from './chart-kit.js';
import { withAlpha } from './drawing.js';
import { appendHistory, createHistory, decimated, layerSeries, positive } from './page-history.js';

const LOSS_NAMES = { softmax: 'cross-entropy', bce: 'binary cross-entropy', mse: 'squared error' };
const DASHED = [6, 4];  // test set
const DOTTED = [2, 3];  // batch statistics

const percent = (value) => `${Math.round(value * 100)}%`;
const format = (value) => (Number.isFinite(value) ? value.toPrecision(2) : '—');

// "…, layer 3": per-layer views name the layer they show (none before the first snapshot).
function layerTitle(state, focus, text) {
  if (state.depth === 0) return `${text}: the network has no hidden layer`;
  return focus === undefined ? text : `${text}, layer ${focus + 1}`;
}

// Most per-layer views show the probes' measurements: without them they would stay empty.
const probesNote = (state) => (state.config.probes ? '' : 'Probes are off: switch them on under Measurement');

// ---- Views -----------------------------------------------------------------------------

// 1. Train loss (solid) and test loss (dashed) per network; the y axis linear or logarithmic.
function lossView(canvas, state) {
  const lossName = LOSS_NAMES[state.config.loss] ?? state.config.loss;
  const chart = createChart(canvas, {
    title: 'Loss on the whole training and test sets',
    x: stepAxis(),
    y: axis(`loss (${lossName})`),
    datasets: state.arms.flatMap((name) => [
      lineDataset(`${armLabel(name)}: train`, armColor(name)),
      lineDataset(`${armLabel(name)}: test`, armColor(name), { dash: DASHED }),
    ]),
  });
  return {
    update(_, fresh) {
      if (!fresh) return;
      state.arms.forEach((_, a) => {
        chart.data.datasets[2 * a].data = decimated(state.history[a].series.trainLoss);
        chart.data.datasets[2 * a + 1].data = decimated(state.history[a].series.testLoss);
      });
      draw(chart);
    },
    setLog(log) {
      const y = chart.options.scales.y;
      y.type = log ? 'logarithmic' : 'linear';
      y.ticks.callback = log ? logTick : Ticks.formatters.numeric;
      y.title.text = log ? `loss (${lossName}, log scale)` : `loss (${lossName})`;
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// 2. Ioffe & Szegedy's Figure 1(b, c) live: the 15th, 50th and 85th percentiles of the input to
// one sigmoid, one chart per network. Each chart has its own y scale: on a shared one the plain
// network's band, often a hundredth as wide as BN's, would be a flat line and its wandering
// invisible. So that the scales cannot mislead, the subtitle states each band's current width
// in the same units for every network.
function percentileView(container, state) {
  const document = container.ownerDocument;
  const boxes = [];
  const charts = state.depth === 0 ? [] : state.arms.map((name) => {
    const box = document.createElement('div');
    box.className = 'chart tall';  // title, subtitle and legend above the band need the room
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${armLabel(name)}: 15th, 50th and 85th percentiles of the input to the nonlinearity over training steps`);
    box.append(canvas);
    boxes.push(box);
    const color = armColor(name);
    return createChart(canvas, {
      x: stepAxis(),
      y: axis('input to the nonlinearity', { grace: '5%' }),
      datasets: [
        lineDataset('15th pct.', color, { width: 1 }),
        // Filled down to the 15th percentile (the dataset before it): the band.
        lineDataset('85th pct.', color, { width: 1, fill: '-1', backgroundColor: withAlpha(color, 0.22) }),
        lineDataset('median', color, { width: 2.5 }),
      ],
    });
  });
  if (state.depth === 0) {
    const note = document.createElement('p');
    note.className = 'explain';
    note.textContent = 'The network has no hidden layer: there is no nonlinearity to look into.';
    boxes.push(note);
  }
  container.replaceChildren(...boxes);

  return {
    update({ focusLayer }, fresh) {
      if (!fresh) return;
      charts.forEach((chart, a) => {
        const [p15, p50, p85] = ['p15', 'p50', 'p85'].map((s) => layerSeries(state, a, focusLayer, s));
        chart.data.datasets[0].data = decimated(p15);
        chart.data.datasets[1].data = decimated(p85);
        chart.data.datasets[2].data = decimated(p50);
        let i = p15.length - 1;
        while (i >= 0 && !(Number.isFinite(p15[i].y) && Number.isFinite(p85[i].y))) --i;
        setText(chart, 'title', `${armLabel(state.arms[a])}: input to the nonlinearity, layer ${focusLayer + 1}`);
        setText(chart, 'subtitle', probesNote(state) || `own y scale; 15–85% band now ${i < 0 ? '—' : format(p85[i].y - p15[i].y)} wide`);
        draw(chart);
      });
    },
    destroy() {
      charts.forEach((chart) => chart.destroy());
      container.replaceChildren();
    },
  };
}

// One line per network of a focused-layer history series (3. shift, 5. gradient ICS).
function layerLineView(canvas, state, { series: initial, title, y, note = () => probesNote(state) }) {
  let series = initial;
  const chart = createChart(canvas, {
    title: layerTitle(state, undefined, title),
    x: stepAxis(),
    y,
    datasets: state.arms.map((name) => lineDataset(armLabel(name), armColor(name))),
  });
  return {
    update({ focusLayer }, fresh) {
      if (!fresh) return;
      state.arms.forEach((_, a) => { chart.data.datasets[a].data = decimated(layerSeries(state, a, focusLayer, series)); });
      setText(chart, 'title', layerTitle(state, focusLayer, title));
      setText(chart, 'subtitle', note(focusLayer));
      draw(chart);
    },
    // Another series of the same kind (the shift in other units), with its axis title.
    show(name, yTitle, snapshot) {
      series = name;
      chart.options.scales.y.title.text = yTitle;
      if (snapshot) this.update(snapshot, true);
    },
    destroy: () => chart.destroy(),
  };
}

const SHIFT_UNITS = { relativeShift: 'shift (own spreads, log scale)', shift: 'shift (input units, log scale)' };

function shiftView(canvas, state, units) {
  const view = layerLineView(canvas, state, {
    series: units,
    title: `How far the input distribution moved in ${state.config.recordEvery} steps`,
    // From the first steps' jumps to a settled network's drift: orders of magnitude.
    y: logAxis(SHIFT_UNITS[units]),
  });
  return view;
}

// The gradient ICS is only measured when switched on; an empty chart would look broken.
function icsView(canvas, state) {
  const { probes, gradientIcs } = state.config;
  return layerLineView(canvas, state, {
    series: 'icsDistance',
    title: 'Gradient change caused by the earlier layers\' update',
    // Proportional to the gradient itself, which vanishes by orders of magnitude without BN.
    y: logAxis('‖G − G′‖ (log scale)'),
    note: (focus) => {
      if (!probes) return probesNote(state);
      if (!gradientIcs) return 'Gradient ICS is off: switch it on under Measurement';
      return focus === 0 ? 'Zero by construction: no layer comes before the first' : '';
    },
  });
}

// Santurkar et al.'s Figure 4: per network, the band [lo, hi] of a landscape series over the
// steps (the lower edge a thin line, the band filled to it). Measured only with `landscape` on.
function landscapeView(canvas, state, { lo, hi, title, y }) {
  const chart = createChart(canvas, {
    title,
    x: stepAxis(),
    y,
    datasets: state.arms.flatMap((name) => [
      lineDataset(`${armLabel(name)}: lowest`, armColor(name), { width: 1, legend: false }),
      lineDataset(armLabel(name), armColor(name), { width: 1, fill: '-1', backgroundColor: withAlpha(armColor(name), 0.25) }),
    ]),
  });
  const { probes, landscape } = state.config;
  const note = !probes ? probesNote(state) : !landscape ? 'The landscape is off: switch on “Loss landscape” under Measurement' : '';
  setText(chart, 'subtitle', note);
  return {
    update(_, fresh) {
      if (!fresh) return;
      state.arms.forEach((_, a) => {
        chart.data.datasets[2 * a].data = decimated(state.history[a].series[lo]);
        chart.data.datasets[2 * a + 1].data = decimated(state.history[a].series[hi]);
      });
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// A bar per hidden layer and network of the layer's latest value (4. gradient norm, saturation).
// Bars have a handful of values: Chart.js parses them itself.
function layerBarView(canvas, state, { series, title, y, transform = (v) => v }) {
  const chart = createChart(canvas, {
    type: 'bar',
    parsing: true,
    title: layerTitle(state, undefined, title),
    subtitle: probesNote(state),
    labels: Array.from({ length: state.depth }, (_, l) => String(l + 1)),
    x: axis('hidden layer (input side first)'),
    y,
    datasets: state.arms.map((name) => ({
      label: armLabel(name),
      data: [],
      backgroundColor: armColor(name),
      pointStyle: 'rect',
    })),
    interaction: { mode: 'index', intersect: false },  // one tooltip lists every network
  });
  return {
    update(_, fresh) {
      if (!fresh) return;
      state.arms.forEach((_, a) => {
        chart.data.datasets[a].data = state.history[a].layers.map((layer) => transform(layer.latest[series]));
      });
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// Vanishing gradients span orders of magnitude: a logarithmic axis.
function gradientNormView(canvas, state) {
  return layerBarView(canvas, state, {
    series: 'gradientNorm',
    title: 'Gradient norm ‖∂L/∂W‖ of each layer, last batch',
    y: logAxis('gradient norm (log scale)'),
    transform: positive,
  });
}

function saturationView(canvas, state) {
  const saturated = state.config.activation === 'relu' ? 'Dead units' : 'Saturated units';
  const definition = state.config.activation === 'relu' ? 'dead: zero on every probe example'
    : 'saturated: derivative below 1% of its maximum';
  return layerBarView(canvas, state, {
    series: 'saturation',
    title: `${saturated} per layer, on the probe set (${definition})`,
    y: axis(`${saturated.toLowerCase()} (%)`, { min: 0, max: 1, ticks: { callback: percent } }),
  });
}

// 6. A BN layer's batch statistics of the tracked unit (small points: one per step, noisy)
// against its running average (thick line), for the networks with BN; plain has none.
function batchStatView(canvas, state, { batch, running, title, y }) {
  const { bnArms } = state;
  const chart = createChart(canvas, {
    title: bnArms.length > 0 ? title : `${title}: no network here has BN`,
    subtitle: probesNote(state),  // the engine traces the batch statistics with the probes
    x: stepAxis(),
    y,
    datasets: bnArms.flatMap(({ name }) => [
      pointDataset(`${armLabel(name)}: batch`, armColor(name), { pointRadius: 1.2, borderWidth: 0 }),
      lineDataset(`${armLabel(name)}: running`, armColor(name), { width: 3 }),
    ]),
  });
  return {
    update({ traces, focusLayer }) {
      bnArms.forEach(({ a }, k) => {
        const trace = traces[a];
        const n = trace?.step.length ?? 0;
        fillPoints(chart.data.datasets[2 * k].data, n, (i) => trace.step[i], (i) => trace[batch][i]);
        fillPoints(chart.data.datasets[2 * k + 1].data, n, (i) => trace.step[i], (i) => trace[running][i]);
      });
      if (bnArms.length > 0) setText(chart, 'title', layerTitle(state, focusLayer, title));
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

function batchMeanView(canvas, state) {
  return batchStatView(canvas, state, {
    batch: 'batchMean',
    running: 'runningMean',
    title: 'Mean of BN\'s input: batch and running',
    y: axis('mean of the tracked unit'),
  });
}

function batchVarView(canvas, state) {
  return batchStatView(canvas, state, {
    batch: 'batchVar',
    running: 'runningVar',
    title: 'Variance of BN\'s input: batch and running',
    y: axis('variance of the tracked unit', { beginAtZero: true }),
  });
}

// 7. The same few examples normalized inside many random batches: each column of points is
// one example's x̂, and its spread is BN's noise. Points are spread sideways by a fixed offset
// per repeat (not a random one, so they stay put between snapshots), and each network gets its
// own side of the column.
function jitterView(canvas, state) {
  const { bnArms } = state;
  const title = 'The same examples normalized in random batches';
  const chart = createChart(canvas, {
    type: 'scatter',
    title: bnArms.length > 0 ? title : `${title}: no network here has BN`,
    x: axis('example', {
      type: 'linear',
      min: 0.5,
      max: 1.5,
      // One tick per example, under its column of points.
      afterBuildTicks: (scale) => {
        scale.ticks = Array.from({ length: Math.round(scale.max - scale.min) }, (_, e) => ({ value: e + 1 }));
      },
    }),
    y: axis('x̂ (normalized input)'),
    datasets: bnArms.map(({ name }) => pointDataset(armLabel(name), armColor(name))),
    interaction: { mode: 'nearest', intersect: true },
  });
  const lane = 0.7 / Math.max(1, bnArms.length);  // the width of each network's side
  return {
    update({ jitter, focusLayer }) {
      const stds = [];
      let examples = 1;
      bnArms.forEach(({ name, a }, k) => {
        const j = jitter[a];
        if (!j) return;
        examples = Math.max(examples, j.examples);
        const center = (k - (bnArms.length - 1) / 2) * lane;
        fillPoints(chart.data.datasets[k].data, j.xHat.length,
          (i) => 1 + Math.floor(i / j.repeats) + center + ((i % j.repeats) / j.repeats - 0.5) * lane * 0.8,
          (i) => j.xHat[i]);
        const meanStd = j.stds.reduce((sum, s) => sum + s, 0) / j.stds.length;
        stds.push(`${armLabel(name)} ${format(meanStd)}`);
      });
      chart.options.scales.x.max = examples + 0.5;
      if (bnArms.length > 0) {
        const repeats = jitter.find(Boolean)?.repeats ?? 0;
        setText(chart, 'title', layerTitle(state, focusLayer, `The same examples normalized in ${repeats} random batches`));
        setText(chart, 'subtitle', `std of an example's x̂ (mean): ${stds.join(', ')}`);
      }
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// 8. The spread of the batch mean against the batch size, measured (points) and predicted for
// sampling without replacement (lines), on log-log axes. The worker sends a sweep about once a
// second: the last one stays until the next.
function sweepView(canvas, state) {
  const title = 'Spread of the batch mean against batch size';
  let sizes = [];
  const chart = createChart(canvas, {
    title: layerTitle(state, undefined, title),
    x: axis('batch size B (log scale)', {
      type: 'logarithmic',
      // Ticks at the measured batch sizes (4, 8, …, 128), not at 1-2-5 decades.
      afterBuildTicks: (scale) => { if (sizes.length) scale.ticks = sizes.map((value) => ({ value })); },
      ticks: { callback: String },
    }),
    y: logAxis('std of batch mean (log)'),
    datasets: state.arms.flatMap((name) => [
      pointDataset(`${armLabel(name)}: measured`, armColor(name), { pointRadius: 4 }),
      lineDataset(`${armLabel(name)}: predicted`, armColor(name), { dash: DASHED, width: 1.5 }),
    ]),
    interaction: { mode: 'nearest', intersect: false },
  });
  return {
    update({ sweep, focusLayer }) {
      if (!sweep) return;
      sweep.forEach((s, a) => {
        const n = s.batchSize.length;
        fillPoints(chart.data.datasets[2 * a].data, n, (i) => s.batchSize[i], (i) => positive(s.measured[i]));
        fillPoints(chart.data.datasets[2 * a + 1].data, n, (i) => s.batchSize[i], (i) => positive(s.predicted[i]));
      });
      sizes = Array.from(sweep[0]?.batchSize ?? []);
      setText(chart, 'title', layerTitle(state, focusLayer, title));
      setText(chart, 'subtitle', `predicted: σ/√B·√((N−B)/(N−1)), N = ${state.trainSize}`);
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// 9. Test accuracy with the running statistics (inference, solid) and with each mini-batch's
// own (dotted). Plain has no statistics to choose: only its solid line.
function modesView(canvas, state) {
  const lines = state.arms.flatMap((name, a) => [
    { a, series: 'testAccuracy', dataset: lineDataset(`${armLabel(name)}: inference`, armColor(name)) },
    ...(hasBn(name, state.depth) ? [{
      a,
      series: 'testAccuracyBatchStats',
      dataset: lineDataset(`${armLabel(name)}: batch statistics`, armColor(name), { dash: DOTTED }),
    }] : []),
  ]);
  const chart = createChart(canvas, {
    title: 'Test accuracy: running statistics (inference) against batch statistics',
    x: stepAxis(),
    y: axis('test accuracy', { min: 0, max: 1, ticks: { callback: percent } }),
    datasets: lines.map(({ dataset }) => dataset),
  });
  return {
    update(_, fresh) {
      if (!fresh) return;
      lines.forEach(({ a, series }, i) => { chart.data.datasets[i].data = decimated(state.history[a].series[series]); });
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// 10. One test example alone, per network with BN: in training mode a batch of one normalizes
// every input to β. The sentence says so only if the engine's numbers show it.
function singleExampleView(paragraph, state) {
  const { bnArms } = state;
  const probabilities = (p) => `p=(${Array.from(p, (v) => (Number.isFinite(v) ? v.toFixed(2) : '—')).join(', ')})`;
  const offBeta = ({ train, beta }) => {
    let gap = 0;
    train.bnOutputs.forEach((out, l) => out.forEach((v, u) => { gap = Math.max(gap, Math.abs(v - beta[l][u])); }));
    return gap;
  };
  let shown = '';
  if (bnArms.length === 0) paragraph.textContent = 'No network here has BN: add one to see an example alone in training mode.';
  return {
    update({ single, arms }) {
      const lines = bnArms.map(({ name, a }) => {
        if (arms[a].diverged) return [name, `: stopped at step ${arms[a].divergedAt.toLocaleString('en')}.`];
        const s = single[a];
        const gap = offBeta(s);
        const beta = gap <= 1e-5 ? 'every BN output equals β' : `BN outputs differ from β by up to ${format(gap)}`;
        return [name, `: one test example (class ${s.label}) alone in training mode — ${beta}, prediction ${probabilities(s.train.probabilities)}; in inference mode ${probabilities(s.inference.probabilities)}.`];
      });
      const text = lines.flat().join('');
      if (bnArms.length === 0 || text === shown) return;
      shown = text;
      const document = paragraph.ownerDocument;
      paragraph.replaceChildren(...lines.flatMap(([name, sentence], i) => {
        const label = document.createElement('strong');
        label.style.color = armColor(name);
        label.textContent = armLabel(name);
        return [...(i > 0 ? [document.createElement('br')] : []), label, document.createTextNode(sentence)];
      }));
    },
    destroy() {
      paragraph.replaceChildren();
    },
  };
}

// ---- The page's interface --------------------------------------------------------------

export function createCharts(document) {
  const $ = (id) => document.getElementById(id);
  // The charts' text in the page's font.
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  let lossLog = false;
  let shiftUnits = 'relativeShift';
  let state = null;
  let views = [];
  let loss = null;
  let shift = null;
  let last = null;  // the latest snapshot, to redraw a view whose options changed

  return {
    // A new experiment: new charts for its networks and layers.
    reset(ready) {
      for (const view of views) view.destroy();
      // An embed's cells are small: smaller text leaves the plots room.
      Chart.defaults.font.size = document.body.classList.contains('embed') ? 10 : 12;
      const { config, arms, depth, data } = ready;
      state = {
        config,
        arms,
        depth,
        trainSize: data.trainY.length,
        history: createHistory(arms, depth),
        // The networks with BN layers, and their index among all: the BN views show only them.
        bnArms: arms.map((name, a) => ({ name, a })).filter(({ name }) => hasBn(name, depth)),
      };
      loss = lossView($('chart-loss'), state);
      loss.setLog(lossLog);
      views = [
        loss,
        percentileView($('percentile-charts'), state),
        (shift = shiftView($('chart-shift'), state, shiftUnits)),
        gradientNormView($('chart-gradnorm'), state),
        saturationView($('chart-saturation'), state),
        icsView($('chart-ics'), state),
        landscapeView($('chart-landscape-loss'), state, {
          lo: 'landscapeLossMin', hi: 'landscapeLossMax', title: `Loss along the gradient: L(W − ηg), η = ${state.config.landscapeSteps.join(', ')} × the learning rate`, y: axis('loss on the step\'s batch') }),
        landscapeView($('chart-landscape-gradient'), state, {
          lo: 'landscapeGradMin', hi: 'landscapeGradMax', title: 'Gradient predictiveness: ‖∇L(W − ηg) − g‖', y: axis('gradient change') }),
        batchMeanView($('chart-batch-mean'), state),
        batchVarView($('chart-batch-var'), state),
        jitterView($('chart-jitter'), state),
        sweepView($('chart-sweep'), state),
        modesView($('chart-modes'), state),
        singleExampleView($('single-example'), state),
      ];
    },
    update(snapshot) {
      if (!state) return;
      // The history views redraw only when there are new rows or another layer to show: at a
      // slow speed most snapshots bring neither.
      const fresh = appendHistory(state, snapshot.history) || snapshot.focusLayer !== state.focusLayer;
      state.focusLayer = snapshot.focusLayer;
      last = snapshot;
      for (const view of views) view.update(snapshot, fresh);
    },
    setShiftUnits(units) {
      shiftUnits = units;
      shift?.show(units, SHIFT_UNITS[units], last);
    },
    setLossLog(log) {
      lossLog = log;
      loss?.setLog(log);
    },
  };
}

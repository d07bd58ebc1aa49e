// BN's noise view: a BN layer's batch statistics against its running averages, the same
// examples normalized in random batches, the spread of the batch mean against the batch size,
// test accuracy in training and inference mode, and one example alone in training mode.
import { armColor, armInk, armLabel, hasBn } from '../shared/arms.js';
import {
  axis,
  createChart,
  draw,
  fillPoints,
  lineDataset,
  logAxis,
  pointDataset,
  setText,
  stepAxis,
} from './kit/chart-kit.js';
import { DASHED, DOTTED, format, layerTitle, percent, probesNote } from './kit/chart-views.js';
import { decimated, positive } from './kit/page-history.js';

// A BN layer's batch statistics of the tracked unit (small points: one per step, noisy)
// against its running average (thick line), for the networks with BN; plain has none.
function batchStatView(canvas, state, { batch, running, title, y }) {
  const { bnArms } = state;
  const chart = createChart(canvas, {
    title: bnArms.length > 0 ? title : `${title}: no network here has BN`,
    subtitle: probesNote(state), // the engine traces the batch statistics with the probes
    x: stepAxis(),
    y,
    datasets: bnArms.flatMap(({ name }) => [
      pointDataset(`${armLabel(name)}: batch`, armColor(name), { pointRadius: 1.2, borderWidth: 0 }),
      lineDataset(`${armLabel(name)}: running`, armColor(name), { width: 3, endLabel: armLabel(name) }),
    ]),
  });
  return {
    update({ traces, focusLayer }) {
      bnArms.forEach(({ a }, k) => {
        const trace = traces[a];
        const n = trace?.step.length ?? 0;
        fillPoints(
          chart.data.datasets[2 * k].data,
          n,
          (i) => trace.step[i],
          (i) => trace[batch][i],
        );
        fillPoints(
          chart.data.datasets[2 * k + 1].data,
          n,
          (i) => trace.step[i],
          (i) => trace[running][i],
        );
      });
      if (bnArms.length > 0) setText(chart, 'title', layerTitle(state, focusLayer, title));
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

export function batchMeanView(canvas, state) {
  return batchStatView(canvas, state, {
    batch: 'batchMean',
    running: 'runningMean',
    title: "Mean of BN's input: batch and running",
    y: axis('mean of the tracked unit'),
  });
}

export function batchVarView(canvas, state) {
  return batchStatView(canvas, state, {
    batch: 'batchVar',
    running: 'runningVar',
    title: "Variance of BN's input: batch and running",
    y: axis('variance of the tracked unit', { beginAtZero: true }),
  });
}

// The same few examples normalized inside many random batches: each column of points is
// one example's x̂, and its spread is BN's noise. Points are spread sideways by a fixed offset
// per repeat (not a random one, so they stay put between snapshots), and each network gets its
// own side of the column.
export function jitterView(canvas, state) {
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
  const lane = 0.7 / Math.max(1, bnArms.length); // the width of each network's side
  return {
    update({ jitter, focusLayer }) {
      const stds = [];
      let examples = 1;
      bnArms.forEach(({ name, a }, k) => {
        const j = jitter[a];
        if (!j) return;
        examples = Math.max(examples, j.examples);
        const center = (k - (bnArms.length - 1) / 2) * lane;
        fillPoints(
          chart.data.datasets[k].data,
          j.xHat.length,
          (i) => 1 + Math.floor(i / j.repeats) + center + ((i % j.repeats) / j.repeats - 0.5) * lane * 0.8,
          (i) => j.xHat[i],
        );
        const meanStd = j.stds.reduce((sum, s) => sum + s, 0) / j.stds.length;
        stds.push(`${armLabel(name)} ${format(meanStd)}`);
      });
      chart.options.scales.x.max = examples + 0.5;
      if (bnArms.length > 0) {
        const repeats = jitter.find(Boolean)?.repeats ?? 0;
        setText(
          chart,
          'title',
          layerTitle(state, focusLayer, `The same examples normalized in ${repeats} random batches`),
        );
        setText(chart, 'subtitle', `std of an example's x̂ (mean): ${stds.join(', ')}`);
      }
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// The spread of the batch mean against the batch size, measured (points) and predicted for
// sampling without replacement (lines), on log-log axes. The worker measures it about once a
// second: the last one stays until the next.
export function spreadView(canvas, state) {
  const title = 'Spread of the batch mean against batch size';
  let sizes = [];
  const chart = createChart(canvas, {
    title: layerTitle(state, undefined, title),
    x: axis('batch size B (log scale)', {
      type: 'logarithmic',
      // Ticks at the measured batch sizes (4, 8, …, 128), not at 1-2-5 decades.
      afterBuildTicks: (scale) => {
        if (sizes.length) scale.ticks = sizes.map((value) => ({ value }));
      },
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
    update({ spread, focusLayer }) {
      if (!spread) return;
      spread.forEach((s, a) => {
        const n = s.batchSize.length;
        fillPoints(
          chart.data.datasets[2 * a].data,
          n,
          (i) => s.batchSize[i],
          (i) => positive(s.measured[i]),
        );
        fillPoints(
          chart.data.datasets[2 * a + 1].data,
          n,
          (i) => s.batchSize[i],
          (i) => positive(s.predicted[i]),
        );
      });
      sizes = Array.from(spread[0]?.batchSize ?? []);
      setText(chart, 'title', layerTitle(state, focusLayer, title));
      setText(chart, 'subtitle', `predicted: σ/√B·√((N−B)/(N−1)), N = ${state.trainSize}`);
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// Test accuracy with the running statistics (inference, solid) and with each mini-batch's
// own (dotted). Plain has no statistics to choose: only its solid line.
export function modesView(canvas, state) {
  const lines = state.arms.flatMap((name, a) => [
    {
      a,
      series: 'testAccuracy',
      dataset: lineDataset(`${armLabel(name)}: inference`, armColor(name), { endLabel: armLabel(name) }),
    },
    ...(hasBn(name, state.depth)
      ? [
          {
            a,
            series: 'testAccuracyBatchStats',
            dataset: lineDataset(`${armLabel(name)}: batch statistics`, armColor(name), { dash: DOTTED }),
          },
        ]
      : []),
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
      lines.forEach(({ a, series }, i) => {
        chart.data.datasets[i].data = decimated(state.history[a].series[series]);
      });
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

// One test example alone, per network with BN: in training mode a batch of one normalizes
// every input to β. The sentence says so only if the engine's numbers show it.
export function singleExampleView(paragraph, state) {
  const { bnArms } = state;
  const probabilities = (p) => `p=(${Array.from(p, (v) => (Number.isFinite(v) ? v.toFixed(2) : '—')).join(', ')})`;
  const offBeta = ({ train, beta }) => {
    let gap = 0;
    train.bnOutputs.forEach((out, l) =>
      out.forEach((v, u) => {
        gap = Math.max(gap, Math.abs(v - beta[l][u]));
      }),
    );
    return gap;
  };
  let shown = '';
  if (bnArms.length === 0)
    paragraph.textContent = 'No network here has BN: add one to see an example alone in training mode.';
  return {
    update({ single, arms }) {
      const lines = bnArms.map(({ name, a }) => {
        if (arms[a].diverged) return [name, `: stopped at step ${arms[a].divergedAt.toLocaleString('en')}.`];
        const s = single[a];
        const gap = offBeta(s);
        const beta = gap <= 1e-5 ? 'every BN output equals β' : `BN outputs differ from β by up to ${format(gap)}`;
        return [
          name,
          `: one test example (class ${s.label}) alone in training mode — ${beta}, prediction ${probabilities(s.train.probabilities)}; in inference mode ${probabilities(s.inference.probabilities)}.`,
        ];
      });
      const text = lines.flat().join('');
      if (bnArms.length === 0 || text === shown) return;
      shown = text;
      const document = paragraph.ownerDocument;
      paragraph.replaceChildren(
        ...lines.flatMap(([name, sentence], i) => {
          const label = document.createElement('strong');
          label.style.color = armInk(name);
          label.textContent = armLabel(name);
          return [...(i > 0 ? [document.createElement('br')] : []), label, document.createTextNode(sentence)];
        }),
      );
    },
    destroy() {
      paragraph.replaceChildren();
    },
  };
}

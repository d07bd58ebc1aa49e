// What the chart views share: the per-layer title and the note that probes are off, line and
// dash styles, a chart of one series per network for the focused layer (shift, gradient ICS),
// and bars of each layer's latest value (gradient norm, saturation).
import { armColor, armLabel } from '../../shared/arms.js';
import { axis, createChart, draw, lineDataset, setText, stepAxis } from './chart-kit.js';
import { decimated, layerSeries } from './page-history.js';

export const DASHED = [6, 4]; // test set
export const DOTTED = [2, 3]; // batch statistics

export const percent = (value) => `${Math.round(value * 100)}%`;
export const format = (value) => (Number.isFinite(value) ? value.toPrecision(2) : '—');

// "…, layer 3": per-layer views name the layer they show (none before the first snapshot).
export function layerTitle(state, focus, text) {
  if (state.depth === 0) return `${text}: the network has no hidden layer`;
  return focus === undefined ? text : `${text}, layer ${focus + 1}`;
}

// Most per-layer views show the probes' measurements: without them they would stay empty.
export const probesNote = (state) => (state.config.probes ? '' : 'Probes are off: switch them on under Measurement');

// One line per network of a focused-layer history series (shift, gradient ICS).
export function layerLineView(canvas, state, { series: initial, title, y, note = () => probesNote(state) }) {
  let series = initial;
  const chart = createChart(canvas, {
    title: layerTitle(state, undefined, title),
    x: stepAxis(),
    y,
    datasets: state.arms.map((name) => lineDataset(armLabel(name), armColor(name), { endLabel: armLabel(name) })),
  });
  return {
    update({ focusLayer }, fresh) {
      if (!fresh) return;
      state.arms.forEach((_, a) => {
        chart.data.datasets[a].data = decimated(layerSeries(state, a, focusLayer, series));
      });
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

// On a logarithmic axis a bar starts at the axis's floor, and Chart.js puts the floor at the
// smallest value, whose bar then has no height: the floor goes a decade below the smallest
// positive value, and a value of zero (below any floor) gets a mark ▼ at the bottom instead of
// no bar at all.
const logFloor = (values) => {
  const positive = values.filter((v) => v > 0);
  return positive.length ? 10 ** (Math.floor(Math.log10(Math.min(...positive))) - 1) : undefined;
};
const belowMarks = {
  id: 'bnlabBelow',
  afterDatasetsDraw(chart) {
    if (chart.options.scales.y.type !== 'logarithmic') return;
    const { ctx, chartArea } = chart;
    chart.data.datasets.forEach((dataset, d) => {
      const meta = chart.getDatasetMeta(d);
      if (meta.hidden) return;
      (dataset.below ?? []).forEach((below, i) => {
        const bar = meta.data[i];
        if (!below || !bar) return;
        ctx.save();
        ctx.fillStyle = dataset.backgroundColor;
        ctx.beginPath();
        ctx.moveTo(bar.x - 5, chartArea.bottom - 9);
        ctx.lineTo(bar.x + 5, chartArea.bottom - 9);
        ctx.lineTo(bar.x, chartArea.bottom - 1);
        ctx.fill();
        ctx.restore();
      });
    });
  },
};

// A bar per hidden layer and network of the layer's latest value (gradient norm, saturation).
// Bars have a handful of values: Chart.js parses them itself.
export function layerBarView(canvas, state, { series, title, y, transform = (v) => v }) {
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
      below: [],
      backgroundColor: armColor(name),
      pointStyle: 'rect',
    })),
    interaction: { mode: 'index', intersect: false }, // one tooltip lists every network
    plugins: [belowMarks],
  });
  return {
    update(_, fresh) {
      if (!fresh) return;
      const raw = state.arms.map((_, a) => state.history[a].layers.map((layer) => layer.latest[series]));
      const log = chart.options.scales.y.type === 'logarithmic';
      if (log) chart.options.scales.y.min = logFloor(raw.flat());
      raw.forEach((values, a) => {
        chart.data.datasets[a].data = values.map(transform);
        chart.data.datasets[a].below = values.map((v) => log && v === 0);
      });
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

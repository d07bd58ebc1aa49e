// The Sweep view's colour scale: viridis (perceptually even, readable in grey and by
// colour-blind readers), accuracy as it is, a loss on a log scale; and the metrics' names.
import { num, pct } from '../../shared/format.js';
import { el } from '../kit/dom.js';

export const METRIC_NAMES = {
  testAccuracy: 'final test accuracy',
  testLoss: 'final test loss',
  trainAccuracy: 'final training accuracy',
  trainLoss: 'final training loss',
};
export const isAccuracy = (metric) => metric.endsWith('Accuracy');

export const PENDING_RGB = [235, 235, 235];
export const DIVERGED_RGB = [120, 40, 40];

// Viridis at five stops.
const VIRIDIS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
export function viridis(t) {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
}

// Where a cell's value sits on the colour scale, 0..1: accuracy as it is; a loss on a log scale
// between the grid's lowest and highest finite losses, low loss bright like high accuracy.
export function scaleOf(grid) {
  const metric = grid.sweep.metric;
  if (isAccuracy(metric)) return { at: (v) => v, low: 0, high: 1, text: pct };
  const values = grid.cells
    .flatMap((c) => (c ? c.arms.map((a) => a[metric]) : []))
    .filter((v) => Number.isFinite(v) && v > 0);
  const low = values.length ? Math.min(...values) : 0.01;
  const high = values.length ? Math.max(...values) : 1;
  const span = Math.log(high / low) || 1;
  return { at: (v) => 1 - Math.log(v / low) / span, low, high, text: num };
}

// The scale under the maps, redrawn only when its metric or its ends change.
export function createScale(element) {
  let key = '';
  return {
    draw(grid) {
      const scale = scaleOf(grid);
      const next = `${grid.sweep.metric} ${scale.low} ${scale.high}`;
      if (next === key) return;
      key = next;
      const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${viridis(t).join(', ')}) ${100 * t}%`);
      const bar = el('span', 'heat-bar');
      bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
      const name = METRIC_NAMES[grid.sweep.metric];
      const parts = isAccuracy(grid.sweep.metric)
        ? [el('span', '', `${name}: 0%`), bar, el('span', '', '100%')]
        : [el('span', '', `${name}: ${num(scale.high)}`), bar, el('span', '', `${num(scale.low)} (log scale)`)];
      element.replaceChildren(...parts, el('span', 'scale-note', '× (dark red) diverged, light grey not trained yet'));
    },
    // Forgets the drawn scale: the next draw redraws it.
    invalidate() {
      key = '';
    },
  };
}

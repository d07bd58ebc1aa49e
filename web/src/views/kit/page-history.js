// The page's copy of the engine's history: per arm, the charted series as {x: step, y} points
// for every hidden layer (the focus can move to any layer at any time), each layer's latest
// gradient norm and saturation, and what a line chart draws of a series (decimated).
import { ARM_SERIES, LATEST_SERIES, LAYER_SERIES } from '../../shared/protocol.js';

const MAX_ROWS = 2048; // the engine's bounded history: never more rows than this
const LOG_SERIES = new Set(['shift', 'relativeShift', 'icsDistance']); // drawn on logarithmic axes only

// On a logarithmic axis Chart.js draws 0 at the axis' minimum, like a small positive value:
// a gap says what it is (the first layer's gradient ICS, a unit that no longer varies).
export const positive = (value) => (value > 0 ? value : NaN);

// Per arm: the charted series as {x: step, y} points, for every layer (the focus can move to
// any layer at any time), and each layer's latest gradient norm and saturation.
export function createHistory(arms, depth) {
  const series = (names) => Object.fromEntries(names.map((name) => [name, []]));
  return arms.map(() => ({
    series: series(ARM_SERIES),
    layers: Array.from({ length: depth }, () => ({
      series: series(LAYER_SERIES),
      latest: Object.fromEntries(LATEST_SERIES.map((name) => [name, NaN])),
    })),
  }));
}

function appendPoints(points, steps, values, transform = (v) => v) {
  for (let i = 0; i < steps.length; ++i) points.push({ x: steps[i], y: transform(values[i]) });
  if (points.length > MAX_ROWS) points.splice(0, points.length - MAX_ROWS);
}

// The snapshot carries the rows not seen yet; after the engine compacted its history it
// carries all of it (reset), and the page starts over. Returns whether anything changed.
export function appendHistory(state, update) {
  if (update.reset) state.history = createHistory(state.arms, state.depth);
  const rows = update.step.length;
  update.arms.forEach((arm, a) => {
    const mine = state.history[a];
    for (const name of ARM_SERIES) appendPoints(mine.series[name], update.step, arm[name]);
    arm.layers.forEach((layer, l) => {
      for (const name of LAYER_SERIES) {
        appendPoints(
          mine.layers[l].series[name],
          update.step,
          layer[name],
          LOG_SERIES.has(name) ? positive : undefined,
        );
      }
      if (rows > 0) for (const name of LATEST_SERIES) mine.layers[l].latest[name] = layer[name][rows - 1];
    });
  });
  return update.reset || rows > 0;
}

// A layer series of the focused layer; an empty one when the network has no hidden layer.
export function layerSeries(state, a, focus, name) {
  return state.history[a].layers[focus]?.series[name] ?? [];
}

// A history series as a line chart draws it: at most DECIMATED_POINTS points, the lowest and
// the highest of each run of consecutive points (so spikes stay), in step order. A redraw then
// costs the same however long the run; the page's copy of the history keeps every point.
// Always a new array: Chart.js patches the push of an array it draws, and the page's history
// pushes onto its own arrays between redraws (a chart drawing one threw at every redraw after the
// layer menu changed, and froze).
const DECIMATED_POINTS = 400;
export function decimated(points) {
  const n = points.length;
  if (n <= DECIMATED_POINTS) return points.slice();
  const bucket = Math.ceil(n / (DECIMATED_POINTS / 2));
  const out = [];
  for (let start = 0; start < n; start += bucket) {
    let lo = start,
      hi = start;
    for (let i = start + 1; i < Math.min(n, start + bucket); ++i) {
      if (points[i].y < points[lo].y) lo = i;
      if (points[i].y > points[hi].y) hi = i;
    }
    // NaN compares false: a bucket of gaps keeps its first point, so the gap stays drawn.
    out.push(points[Math.min(lo, hi)]);
    if (hi !== lo) out.push(points[Math.max(lo, hi)]);
  }
  return out;
}

// Claims about a grid of runs (a sweep): predicates on its cells' final numbers, as claims.js
// has for one run. A grid is what bnlab-run --sweep writes and the page gathers from its
// workers: { sweep: { x, y, steps, metric, base }, arms: [names], cells: [{ index, x, y,
// arms: [{ testAccuracy, testLoss, trainAccuracy, trainLoss, divergedAt }] }] }, cells in
// index order. A check returns { ok, detail } (claims.js's evaluateClaims runs them); the page shows both, and
// tests/wasm/sweep_lessons.test.mjs evaluates the same checks over seeds 1-20.
import { armLabel } from '../shared/arms.js';
import { pct } from '../shared/format.js';

function armAt(grid, name) {
  const a = grid.arms.indexOf(name);
  if (a < 0) throw new Error(`claims: the grid has no arm "${name}"`);
  return a;
}

// The cells in which an arm ends at or above `min` test accuracy without diverging.
export function cellsReaching(grid, name, min) {
  const a = armAt(grid, name);
  return grid.cells.filter((c) => c && c.arms[a].divergedAt === null && c.arms[a].testAccuracy >= min);
}

// The values of an axis ('x' or 'y') at which an arm reaches `min` in at least one cell, in the
// axis's order.
export function valuesReaching(grid, name, min, axis) {
  const reached = new Set(cellsReaching(grid, name, min).map((c) => c[axis]));
  return grid.sweep[axis].values.filter((v) => reached.has(v));
}

// Axis values as the sweep names them (0.01, not 1.0×10⁻²).
const listValues = (values) => (values.length ? values.map(String).join(', ') : 'none');

// "<better> reaches <min> in more cells of the grid than <worse>."
export function reachesInMoreCells(better, worse, min) {
  return {
    text: `${armLabel(better)} reaches ${pct(min)} test accuracy in more cells of the grid than ${armLabel(worse)}`,
    check: (grid) => {
      const b = cellsReaching(grid, better, min).length;
      const w = cellsReaching(grid, worse, min).length;
      return { ok: b > w, detail: `${armLabel(better)} in ${b} of ${grid.cells.length}, ${armLabel(worse)} in ${w}` };
    },
  };
}

// "<better> reaches <min> at a higher <x field> than <worse> does anywhere": the axis's highest
// value (in its order) at which each reaches it.
export function reachesHigher(better, worse, min, axis, what) {
  return {
    text: `${armLabel(better)} reaches ${pct(min)} at a higher ${what} than ${armLabel(worse)} does`,
    check: (grid) => {
      const order = grid.sweep[axis].values;
      const highest = (name) => {
        const v = valuesReaching(grid, name, min, axis);
        return v.length ? v[v.length - 1] : null;
      };
      const b = highest(better);
      const w = highest(worse);
      const ok = b !== null && (w === null || order.indexOf(b) > order.indexOf(w));
      const say = (v) => (v === null ? 'none' : listValues([v]));
      return {
        ok,
        detail: `the highest ${what} at which each reaches it: ${armLabel(better)} ${say(b)}, ${armLabel(worse)} ${say(w)}`,
      };
    },
  };
}

// "<better> reaches <min> at more values of <axis> than <worse>."
export function reachesAtMoreValues(better, worse, min, axis, what) {
  return {
    text: `${armLabel(better)} reaches ${pct(min)} at more ${what} than ${armLabel(worse)}`,
    check: (grid) => {
      const b = valuesReaching(grid, better, min, axis);
      const w = valuesReaching(grid, worse, min, axis);
      return {
        ok: b.length > w.length,
        detail: `${armLabel(better)} at ${listValues(b)}; ${armLabel(worse)} at ${listValues(w)}`,
      };
    },
  };
}

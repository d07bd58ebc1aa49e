// A grid of runs (a sweep) as the page and the tests hold it: { sweep, arms, cells }, as
// bnlab-run --sweep writes it, cells in index order (index = iy * (x values) + ix). Where each
// cell sits and what configuration it runs; DOM-free.

// Cells in a sweep: x's values times y's (the cell index is iy * x values + ix).
export const cellCount = (sweep) => sweep.x.values.length * (sweep.y?.values.length ?? 1);

// An empty grid for a sweep the engine validated (parseSweep); placeCell puts a finished cell
// at its index, in whatever order cells finish.
export function emptyGrid(sweep) {
  return { sweep, arms: sweep.base.arms, cells: new Array(cellCount(sweep)).fill(null) };
}
export function placeCell(grid, cell) {
  grid.cells[cell.index] = cell;
  return grid;
}
export const gridDone = (grid) => grid.cells.every(Boolean);

// A cell's column and row: index = iy * (x values) + ix.
export function cellPosition(sweep, index) {
  const nx = sweep.x.values.length;
  return { ix: index % nx, iy: Math.floor(index / nx) };
}

// A cell's configuration: the base with the axes' values at the cell.
export function cellConfig(sweep, index) {
  const { ix, iy } = cellPosition(sweep, index);
  const config = { ...sweep.base, [sweep.x.field]: sweep.x.values[ix] };
  if (sweep.y) config[sweep.y.field] = sweep.y.values[iy];
  return config;
}

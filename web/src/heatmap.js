// Decision-boundary heatmaps (to be written).
export function createBoundaries() {
  return { reset() {}, update() {} };
}

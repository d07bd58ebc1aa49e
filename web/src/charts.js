// Chart views (to be written): loss, percentile bands, shift, gradients, BN noise.
export function createCharts() {
  return { reset() {}, update() {}, setLossLog() {} };
}

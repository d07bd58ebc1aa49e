// What the worker and the page share about their messages.

// The ArrayBuffers of every typed array in a message, each once: transferred rather than
// copied when the worker posts a snapshot.
export function snapshotTransferables(message) {
  const buffers = new Set();
  const visit = (value) => {
    if (ArrayBuffer.isView(value)) buffers.add(value.buffer);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(message);
  return [...buffers];
}

// The history series the page draws, per arm and per hidden layer (line charts), and those of
// which it shows only the latest value (bar charts). The worker sends only these: after the
// bounded history compacts it sends all of it again, and the rest would be dead weight.
export const ARM_SERIES = [
  'trainLoss',
  'testLoss',
  'testAccuracy',
  'testAccuracyBatchStats',
  'landscapeLossMin',
  'landscapeLossMax',
  'landscapeGradMin',
  'landscapeGradMax',
];
export const LAYER_SERIES = [
  'p15',
  'p50',
  'p85',
  'shift',
  'relativeShift',
  'icsDistance',
  'gamma',
  'beta',
  'gammaSpread',
  'betaSpread',
  'batchMean',
  'batchVar',
];
export const LATEST_SERIES = ['gradientNorm', 'saturation'];

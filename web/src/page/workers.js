// The page's workers all run one script: the training worker, and the sweep pool's. The one-file
// page carries that script (engine included) in a text script, and starts its workers from a
// Blob: a worker made from a Blob runs from file://, where Chromium refuses worker files.
const source = document.getElementById('bnlab-worker-source');
const url = source ? URL.createObjectURL(new Blob([source.textContent], { type: 'text/javascript' })) : 'worker.js';

export const makeWorker = () => new Worker(url);

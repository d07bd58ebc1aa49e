// The pool of workers that trains a sweep's cells: each worker runs the training worker's own
// script (its own engine) and holds up to QUEUED cells (it trains them one after another, so it
// never waits for a busy page to hand it the next), answering each with the cell's numbers; the grid does not depend on which worker ran which cell, or in which order
// (every cell is an ordinary experiment from step 0). Cancel terminates the workers (a cell
// trains in slices, so they end at once); the next sweep starts new ones. warm() starts the
// workers and their engines ahead of a sweep: a worker's first engine in a page takes about a
// second to compile, which would otherwise delay the first cells of every worker.
const QUEUED = 2;

// table(): the table of your own the page holds ({ text, fingerprint }) or null; a sweep on it
// sends each worker the table with its first cell.
export function createSweepPool(makeWorker, size, onReady = () => {}, table = () => null) {
  const tables = new WeakMap(); // worker -> the fingerprint of the table it has
  let workers = [];
  let job = null; // { id, sweep, total, next, done, onCell, onDone, onError }
  let jobs = 0;
  let ready = 0; // workers whose engine has loaded

  function feed(worker) {
    if (!job || job.next >= job.total) return;
    const own = job.sweep.base.dataset === 'csv' ? table() : null;
    const send = own && tables.get(worker) !== own.fingerprint ? own.text : undefined;
    if (send) tables.set(worker, own.fingerprint);
    worker.postMessage({ type: 'cell', sweep: job.sweep, index: job.next++, id: job.id, table: send });
  }

  function cancel() {
    job = null;
    for (const worker of workers) worker.terminate();
    workers = [];
    ready = 0;
  }

  function fail(message) {
    const failed = job;
    cancel();
    failed?.onError(message);
  }

  function receive(worker, data) {
    if (data.type === 'loaded') onReady(++ready);
    // An engine that failed to load (no id) fails the sweep too, rather than leave it waiting.
    if (data.type === 'error' && data.where === 'load') {
      fail(`a sweep worker could not load the engine: ${data.message}`);
      return;
    }
    if (!job || data.id !== job.id) return; // 'loaded', or a cancelled sweep's
    if (data.type === 'error') {
      fail(data.message);
      return;
    }
    if (data.type !== 'cell') return;
    job.onCell(data.cell, ++job.done);
    if (job.done === job.total) {
      const finished = job;
      job = null;
      finished.onDone();
    } else {
      feed(worker);
    }
  }

  function spawn() {
    const worker = makeWorker();
    worker.onmessage = ({ data }) => receive(worker, data);
    worker.onerror = (event) => fail(event.message ?? 'a sweep worker failed');
    worker.postMessage({ type: 'load' });
    return worker;
  }

  function grow(n) {
    while (workers.length < Math.min(size, n)) workers.push(spawn());
  }

  return {
    size,
    // Trains cells 0..total-1 of a validated sweep; a sweep still running is cancelled first.
    run(sweep, total, { onCell, onDone, onError }) {
      if (job) cancel();
      job = { id: ++jobs, sweep, total, next: 0, done: 0, onCell, onDone, onError };
      grow(total);
      for (let k = 0; k < QUEUED; ++k) for (const worker of workers) feed(worker);
    },
    cancel,
    warm: () => grow(size),
    running: () => job !== null,
    workers: () => workers.length,
  };
}

// The page's pool size: the cores but one (the page's own thread), at most 8, at least 1.
export const poolSize = (cores = navigator.hardwareConcurrency || 2) => Math.max(1, Math.min(8, cores - 1));

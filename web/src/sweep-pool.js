// The pool of workers that trains a sweep's cells: each worker runs the training worker's own
// script (its own engine), takes the next cell as soon as it finishes one, and answers with the
// cell's numbers; the grid does not depend on which worker ran which cell, or in which order
// (every cell is an ordinary experiment from step 0). Cancel terminates the workers at once,
// mid-cell; the next sweep starts new ones.
export function createSweepPool(makeWorker, size) {
  let workers = [];
  let job = null;  // { id, sweep, total, next, done, onCell, onDone, onError }
  let jobs = 0;

  function feed(worker) {
    if (!job || job.next >= job.total) return;
    worker.postMessage({ type: 'cell', sweep: job.sweep, index: job.next++, id: job.id });
  }

  function cancel() {
    job = null;
    for (const worker of workers) worker.terminate();
    workers = [];
  }

  function fail(message) {
    const failed = job;
    cancel();
    failed?.onError(message);
  }

  function receive(worker, data) {
    if (!job || data.id !== job.id) return;  // 'loaded', or a cancelled sweep's
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
    return worker;
  }

  return {
    size,
    // Trains cells 0..total-1 of a validated sweep; a sweep still running is cancelled first.
    run(sweep, total, { onCell, onDone, onError }) {
      if (job) cancel();
      job = { id: ++jobs, sweep, total, next: 0, done: 0, onCell, onDone, onError };
      while (workers.length < Math.min(size, total)) workers.push(spawn());
      for (const worker of workers) feed(worker);
    },
    cancel,
    running: () => job !== null,
    workers: () => workers.length,
  };
}

// The page's pool size: the cores but one (the page's own thread), at most 8, at least 1.
export const poolSize = (cores = navigator.hardwareConcurrency || 2) => Math.max(1, Math.min(8, cores - 1));

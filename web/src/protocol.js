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

// The engine in a worker: the WebAssembly module and the digits data, loaded from beside the
// worker's script in dist/, or from the one-file page's worker source (the wasm inlined,
// self.bnlabSingleFile; the digits as base64, self.bnlabDigits). A failure says which file and
// why.
/* global createBnLab, importScripts */

// The engine's glue: beside this script in dist/, or already in the standalone page's worker
// source.
if (!self.bnlabSingleFile) importScripts('bnlab.js');

// A file beside this script, as bytes.
async function fetchBytes(name) {
  const url = new URL(name, self.location.href).href;
  let response;
  try {
    response = await fetch(url);
  } catch (err) {
    throw new Error(`could not fetch ${url}: ${err.message}`);
  }
  if (!response.ok) throw new Error(`could not fetch ${url}: HTTP ${response.status} ${response.statusText}`.trim());
  return { url, bytes: await response.arrayBuffer() };
}

// Fetches the wasm bytes here rather than in the glue, so a failure can say what happened.
export async function loadEngine() {
  if (self.bnlabSingleFile) return createBnLab();
  const { url, bytes } = await fetchBytes('bnlab.wasm');
  try {
    return await createBnLab({ wasmBinary: bytes });
  } catch (err) {
    throw new Error(`${url} is not a working bnlab module: ${err.message ?? err}`);
  }
}

// The digits data, once, before the first experiment on it.
export async function ensureDigits(engine) {
  if (engine.digitsLoaded()) return;
  engine.loadDigits(
    self.bnlabDigits
      ? Uint8Array.from(atob(self.bnlabDigits), (c) => c.charCodeAt(0))
      : new Uint8Array((await fetchBytes('digits.bin')).bytes),
  );
}

// The engine in a worker: the WebAssembly module and the digits data, loaded from beside the
// worker's script in dist/, or from the one-file page's worker source (self.bnlabSingleFile:
// the glue, and the wasm and the digits gzipped as base64, self.bnlabWasm and
// self.bnlabDigits); and the PyTorch export's module, loaded on the first export. A failure
// says which file and why.
/* global createBnLab, createBnLabExport, importScripts */

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

// A module from its glue's factory and its wasm file; the bytes are fetched here rather than in
// the glue, so a failure can say what happened.
async function instantiate(factory, wasm) {
  const { url, bytes } = await fetchBytes(wasm);
  try {
    return await factory({ wasmBinary: bytes });
  } catch (err) {
    throw new Error(`${url} is not a working bnlab module: ${err.message ?? err}`);
  }
}

// The one-file page's bytes: base64 of gzip, inflated.
function inlineBytes(base64) {
  const gzipped = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Response(new Blob([gzipped]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
}

export async function loadEngine() {
  if (self.bnlabSingleFile) return createBnLab({ wasmBinary: await inlineBytes(self.bnlabWasm) });
  return instantiate(createBnLab, 'bnlab.wasm');
}

// The PyTorch export's module (bnlab-export.js and .wasm), once, on the first export: it is not
// part of the page's first load. The one-file page's engine is both modules in one.
let exporter = null;
function loadExporter(engine) {
  if (self.bnlabSingleFile) return engine;
  exporter ??= Promise.resolve()
    .then(() => {
      importScripts('bnlab-export.js');
      return instantiate(createBnLabExport, 'bnlab-export.wasm');
    })
    .catch((err) => {
      exporter = null; // the next click tries again
      throw err;
    });
  return exporter;
}

// A module that can export the run `config` describes: the export's module, given the data the
// engine's run was built on (the digits; your own table, as the engine read it).
export async function exporterFor(engine, config) {
  const exporting = await loadExporter(engine);
  if (exporting === engine) return engine;
  if (config.dataset === 'digits') await ensureDigits(exporting);
  if (config.dataset === 'csv') {
    const table = engine.loadedTable();
    const read = exporting.loadCsv(new TextEncoder().encode(table.text), '');
    if (read.fingerprint !== table.fingerprint) throw new Error('the table did not read back as the engine read it');
  }
  return exporting;
}

// The digits data, once, before the first experiment on it.
export async function ensureDigits(engine) {
  if (engine.digitsLoaded()) return;
  engine.loadDigits(
    new Uint8Array(self.bnlabSingleFile ? await inlineBytes(self.bnlabDigits) : (await fetchBytes('digits.bin')).bytes),
  );
}

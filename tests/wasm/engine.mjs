// Loads the built wasm module in Node (Node 18+ needs the bytes handed over: the glue's
// fetch of a file path fails).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);

// A module of dist/: its glue's factory, given its wasm's bytes.
function loadModule(dist, name) {
  const create = require(resolve(dist, `${name}.js`));
  return create({ wasmBinary: readFileSync(resolve(dist, `${name}.wasm`)) });
}

// The page's engine (dist/bnlab.js and .wasm).
export const loadEngine = (dist = join(root, 'dist')) => loadModule(dist, 'bnlab');

// The PyTorch export's module (dist/bnlab-export.js and .wasm), which the worker fetches on the
// first export.
export const loadExporter = (dist = join(root, 'dist')) => loadModule(dist, 'bnlab-export');

// Asserts that fn throws a JavaScript Error whose message matches pattern.
export function throwsError(assert, fn, pattern) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof Error, `expected an Error, got ${typeof err}: ${err}`);
    assert.match(err.message, pattern);
    return true;
  });
}

// Runs fn with a new experiment of the engine m, and frees it afterwards.
export function withExperiment(m, config, fn) {
  const exp = new m.Experiment(config);
  try {
    return fn(exp);
  } finally {
    exp.delete();
  }
}

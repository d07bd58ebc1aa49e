// The readers' limits through the bindings and in the link reader: the most each takes, and
// that a stranger's larger input is refused at once, without crossing into wasm memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MAX_FRAGMENT, parseFragment, resolveConfig } from '../../web/src/shared/link.js';
import { MAX_LIST } from '../../web/src/shared/schema-text.js';
import { loadEngine, throwsError } from './engine.mjs';

const m = await loadEngine();
const schema = m.configSchema();
const DOCUMENT = 64 * 1024; // kMaxDocumentBytes (cpp/bnlab/io/config.hpp)

// The processor time fn takes, in seconds: not wall time, since ./build.sh test runs the browser
// tests beside this suite, and waiting for a core is not the reader's time.
const seconds = (fn) => {
  const start = process.cpuUsage();
  fn();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
};

test('a configuration, a sweep or a calculator input of 100 MB is refused by its length at once, and never copied into wasm memory', () => {
  // A flat string (' '.repeat makes a tree that V8 flattens, 100 MB of copying, at first use).
  const huge = Buffer.alloc(100 * 1024 * 1024, ' ').toString('latin1');
  const memory = m.memoryBytes();
  for (const [read, what] of [
    [() => m.validateConfig(huge), '(configuration)'],
    [() => m.parseSweep(huge), '(sweep)'],
    [() => m.batchNormCalculator(huge), '(calculator)'],
  ]) {
    const time = seconds(() =>
      throwsError(
        assert,
        read,
        new RegExp(`${what.replace(/[()]/g, '\\$&')}: invalid JSON at offset 65536: longer than 65536 bytes`),
      ),
    );
    assert.ok(time < 1, `${what}: ${time.toFixed(3)} s`);
  }
  // An object is made JSON text in JavaScript (a second or so for 100 MB), then cut the same way.
  throwsError(assert, () => new m.Experiment({ seed: 1, note: huge }), /longer than 65536 bytes/);
  assert.ok(m.memoryBytes() - memory < 8 * 1024 * 1024, `wasm memory grew ${m.memoryBytes() - memory} bytes`);
});

test('a configuration of exactly 64 KiB of text is read; one byte more is refused', () => {
  const text = JSON.stringify({ seed: 7 });
  assert.equal(m.validateConfig(text.padEnd(DOCUMENT)).seed, 7);
  throwsError(assert, () => m.validateConfig(text.padEnd(DOCUMENT + 1)), /longer than 65536 bytes/);
  // A character beyond ASCII is more than one byte: 64 KiB of é is 128 KiB of UTF-8.
  throwsError(assert, () => m.validateConfig(`{"x":"${'é'.repeat(DOCUMENT / 2)}"}`), /longer than 65536 bytes/);
});

test('a sweep cell run takes a step count from 0 to 1e9 and refuses NaN, Infinity, negatives and fractions', () => {
  const sweep = m.parseSweep({
    base: { hidden: [2], samples: 40, batchSize: 4 },
    x: { field: 'seed', values: [1] },
    steps: 3,
  });
  const run = new m.SweepCellRun(sweep, 0);
  try {
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY, -1, 1.5, 2e9])
      throwsError(assert, () => run.step(n), /step\(n\): n must be an integer from 0 to 1e9/);
    assert.equal(run.step(0), 3);
    assert.equal(run.step(1e9), 0);
  } finally {
    run.delete();
  }
});

test(`a link of ${MAX_FRAGMENT} characters in its slowest shape is read in well under a second; a 10 MB one is refused at once`, () => {
  // Every field set to a list as long as the reader reads: the most text conversion and the
  // most refusals for the validator to judge, one field at a time.
  const list = Array.from({ length: MAX_LIST + 1 }, (_, i) => i).join(',');
  let fragment = '#';
  for (let i = 0; fragment.length < MAX_FRAGMENT + 1; i++) fragment += `${schema[i % schema.length].name}=${list}&`;
  fragment = fragment.slice(0, MAX_FRAGMENT + 1);
  let link;
  const time = seconds(() => {
    const parsed = parseFragment(fragment, schema);
    link = resolveConfig(parsed.config, m.validateConfig, schema);
  });
  assert.ok(time < 1, `${time.toFixed(3)} s`);
  assert.ok(link.notes.length > 0);
  const huge = `#seed=${'1'.repeat(10 * 1024 * 1024)}`;
  let refused;
  assert.ok(seconds(() => (refused = parseFragment(huge, schema))) < 0.1);
  assert.deepEqual(refused.config, {});
  assert.match(refused.notes[0], /10485765 characters long \(at most 4096\): ignored/);
});

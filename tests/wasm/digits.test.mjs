// The digits through the JavaScript API: refused until loaded, then trained on, predicted,
// and identical to the native runner.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadEngine, root, throwsError, withExperiment } from './engine.mjs';

const m = await loadEngine();
const bytes = new Uint8Array(readFileSync(`${root}web/data/digits.bin`));
const config = { dataset: 'digits', noise: 0, hidden: [16, 16], batchSize: 30, learningRate: 0.5, recordEvery: 25 };

test('digits are refused until loaded, then load once', () => {
  assert.equal(m.digitsLoaded(), false);
  throwsError(assert, () => new m.Experiment(config), /^dataset: the digits are not loaded/);
  throwsError(assert, () => m.loadDigits(bytes.slice(0, 100)), /^digits data: 100 bytes, expected 73687/);
  throwsError(assert, () => m.loadDigits('BNLD'), /expected a Uint8Array/);
  assert.equal(m.digitsLoaded(), false);
  m.loadDigits(bytes);
  assert.equal(m.digitsLoaded(), true);
});

test('a digits experiment has 64 inputs, 10 classes, no grid, and predicts every test digit', () => {
  withExperiment(m, config, (exp) => {
    const data = exp.data();
    assert.equal(data.features, 64);
    assert.equal(data.classes, 10);
    assert.equal(data.testY.length, 899);
    assert.equal(data.testX.length, 899 * 64);
    assert.equal(exp.gridInfo().size, 0);
    exp.step(300);
    const predicted = exp.predict(1);
    assert.ok(predicted instanceof Int32Array);
    assert.equal(predicted.length, 899);
    assert.ok(predicted.every((c) => c >= 0 && c <= 9));
    // The predictions are what evaluate() scores.
    const correct = predicted.reduce((n, c, i) => n + (c === data.testY[i]), 0);
    assert.ok(Math.abs(correct / 899 - exp.evaluate().testAccuracy[1]) < 1e-6);
    assert.ok(correct / 899 > 0.8, `BN learns the digits in 300 steps: ${correct / 899}`);
  });
});

test('native and wasm agree bit for bit on the digits', () => {
  const native = JSON.parse(
    execFileSync(`${root}build/native/bnlab-run`, ['--steps', '200', '--spread-batches', '2', '-'], {
      input: JSON.stringify(config),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
  withExperiment(m, config, (exp) => {
    exp.step(200);
    const history = exp.history();
    history.arms.forEach((arm, a) => {
      for (const key of ['trainLoss', 'testLoss', 'testAccuracy'])
        assert.deepEqual(Array.from(arm[key]), native.arms[a].history[key], `${arm.name}.${key}`);
    });
  });
});

// The same configuration, run by the native command-line runner and by the wasm module,
// gives the same numbers, probes included: a figure made from the command line is the figure
// the page shows.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { loadEngine, root } from './engine.mjs';

const m = await loadEngine();
const STEPS = 200;

function runNative(config) {
  const out = execFileSync(`${root}build/native/bnlab-run`, ['--steps', String(STEPS), '-'], {
    input: JSON.stringify(config),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return JSON.parse(out);
}

const configs = {
  default: {},
  'bn-after tanh momentum gradient-ICS': {
    dataset: 'circle',
    activation: 'tanh',
    init: 'xavier',
    arms: ['plain', 'bn-before', 'bn-after'],
    momentum: 0.9,
    learningRate: 0.1,
    gradientIcs: true,
  },
  'scales standardized relu mse': {
    dataset: 'scales',
    standardize: true,
    activation: 'relu',
    init: 'he',
    loss: 'mse',
    hidden: [16, 16],
    learningRate: 0.05,
  },
  'LayerNorm, noisy BN, dropout, landscape': {
    arms: ['ln-before', 'bn-noisy', 'dropout', 'bn-before'],
    landscape: true,
    gradientIcs: true,
    hidden: [16, 16, 16],
  },
  'diverging plain arm': { learningRate: 0.5, activation: 'relu', init: 'gaussian', initStd: 1 },
};

for (const [name, config] of Object.entries(configs)) {
  test(`native and wasm agree on every recorded loss after ${STEPS} steps: ${name}`, (t) => {
    const native = runNative(config);
    const exp = new m.Experiment(config);
    try {
      exp.step(STEPS);
      const history = exp.history();
      assert.deepEqual(Array.from(history.step), native.step);
      let worst = 0;
      history.arms.forEach((arm, a) => {
        const nativeArm = native.arms[a];
        assert.equal(arm.name, nativeArm.name);
        assert.equal(exp.arms()[a].diverged, nativeArm.diverged, `${arm.name} divergence`);
        const compare = (name, values, expectedValues) => {
          assert.equal(values.length, expectedValues.length, name);
          values.forEach((value, i) => {
            const expected = expectedValues[i];
            if (expected === null) {
              // NaN in JSON: nothing measured yet, or after divergence
              assert.ok(Number.isNaN(value), `${name}[${i}]: ${value} vs NaN`);
              return;
            }
            const relative = Math.abs(value - expected) / Math.max(Math.abs(expected), 1e-12);
            worst = Math.max(worst, relative);
            assert.ok(relative <= 1e-4, `${name}[${i}]: wasm ${value} vs native ${expected}`);
          });
        };
        // Every recorded series: the losses and accuracies, and every probe of every layer.
        for (const key of Object.keys(arm).filter((k) => k !== 'name' && k !== 'layers'))
          compare(`${arm.name}.${key}`, arm[key], nativeArm.history[key]);
        assert.equal(arm.layers.length, nativeArm.history.layers.length);
        arm.layers.forEach((layer, l) => {
          for (const key of Object.keys(layer))
            compare(`${arm.name}.layers[${l}].${key}`, layer[key], nativeArm.history.layers[l][key]);
        });
      });
      t.diagnostic(`largest relative difference: ${worst.toExponential(2)}`);
    } finally {
      exp.delete();
    }
  });
}

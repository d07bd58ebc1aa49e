// Inside a BN layer through the JavaScript API: the batch of one BN unit (bnBatch) is the
// command line's bit for bit and Algorithm 1 recomputed here in double; the calculator
// (batchNormCalculator) is torch.nn.BatchNorm1d's and refuses bad input at its field; and a run
// with covariate shift reports its shifted test set, the same natively and in wasm.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadEngine, root, withExperiment } from './engine.mjs';

const m = await loadEngine();
const STEPS = 150;
const CONFIG = {
  dataset: 'circle',
  hidden: [8, 6],
  arms: ['plain', 'bn-before', 'bn-after', 'bn-noisy'],
  learningRate: 0.5,
  covariateShift: 0.4,
};
const native = JSON.parse(
  execFileSync(`${root}build/native/bnlab-run`, ['--steps', String(STEPS), '--spread-batches', '2', '-'], {
    input: JSON.stringify(CONFIG),
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  }),
);

// The JSON's numbers are doubles of the engine's floats: equal to the Float32Array's values.
function sameFloats(wasm, json, what) {
  assert.equal(wasm.length, json.length, what);
  wasm.forEach((v, i) => assert.equal(v, json[i], `${what}[${i}]`));
}

test('bnBatch in wasm equals bnlab-run bit for bit for every BN arm and layer', () => {
  withExperiment(m, CONFIG, (exp) => {
    exp.step(STEPS);
    let compared = 0;
    native.arms.forEach((arm, a) => {
      (arm.layers ?? []).forEach((layer, l) => {
        if (!layer.bnBatch) return;
        const b = exp.bnBatch(a, l, layer.trackedUnit);
        const n = layer.bnBatch;
        for (const key of ['z', 'xHat', 'y', 'yInference', 'yUndo', 'examples', 'labels'])
          sameFloats(Array.from(b[key]), n[key], `${arm.name} layer ${l} ${key}`);
        for (const key of ['mean', 'var', 'eps', 'gamma', 'beta', 'runningMean', 'runningVar', 'undoGap'])
          assert.equal(b[key], n[key], `${arm.name} layer ${l} ${key}`);
        ++compared;
      });
    });
    assert.equal(compared, 3 * 2);
  });
});

test("bnBatch's numbers follow Algorithm 1 recomputed in double from its z, γ, β and ε", () => {
  withExperiment(m, CONFIG, (exp) => {
    for (const steps of [0, 10, 80]) {
      exp.step(steps - exp.steps());
      for (const a of [1, 2, 3]) {
        const b = exp.bnBatch(a, 1, 5);
        const B = b.z.length;
        const mean = b.z.reduce((s, z) => s + z, 0) / B;
        const variance = b.z.reduce((s, z) => s + (z - mean) ** 2, 0) / B;
        const close = (x, y, what) =>
          assert.ok(Math.abs(x - y) <= 1e-4 * Math.max(1, Math.abs(y)), `${what}: ${x} vs ${y}`);
        close(b.mean, mean, 'mean');
        close(b.var, variance, 'biased variance');
        for (let i = 0; i < B; ++i) {
          const xHat = (b.z[i] - mean) / Math.sqrt(variance + b.eps);
          close(b.xHat[i], xHat, `x̂[${i}]`);
          close(b.y[i], b.gamma * xHat + b.beta, `y[${i}]`);
          close(b.yUndo[i], b.z[i], `undone y[${i}]`);
        }
      }
    }
  });
});

test("the calculator gives torch.nn.BatchNorm1d's outputs column by column, and worked values by hand", () => {
  const reference = JSON.parse(readFileSync(`${root}tests/fixtures/batchnorm_pytorch.json`, 'utf8'));
  let columns = 0;
  for (const c of reference.cases.filter((c) => c.steps === 1)) {
    for (let f = 0; f < c.features; ++f) {
      const values = Array.from({ length: c.rows }, (_, i) => c.x[i * c.features + f]);
      const r = m.batchNormCalculator({ values, gamma: c.gamma[f], beta: c.beta[f], eps: c.eps });
      r.y.forEach((y, i) => assert.ok(Math.abs(y - c.y[i * c.features + f]) <= 1e-5, `${c.name} ${f} ${i}`));
      ++columns;
    }
  }
  assert.ok(columns >= 5);
  // 1, 2, 3, 6: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5.
  const r = m.batchNormCalculator({ values: [1, 2, 3, 6], gamma: 2, beta: 0.5, eps: 1e-5 });
  assert.equal(r.mean, 3);
  assert.equal(r.var, 3.5);
  assert.ok(Math.abs(r.y[3] - (2 * 3) / Math.sqrt(3.5 + 1e-5) - 0.5) < 1e-6);
  // A batch of one gives beta.
  assert.deepEqual(Array.from(m.batchNormCalculator({ values: [7], gamma: 3, beta: -2, eps: 1e-5 }).y), [-2]);
});

test('the calculator refuses an empty batch, a value that is no number and ε ≤ 0, naming each field', () => {
  const refusal = (input) => {
    try {
      m.batchNormCalculator(input);
    } catch (err) {
      assert.ok(err instanceof Error);
      return err.fields;
    }
    return 'accepted';
  };
  assert.deepEqual(refusal({ values: [], gamma: 1, beta: 0, eps: 1e-5 }), [
    { field: 'values', message: 'must be 1 to 1024 numbers; got none' },
  ]);
  assert.deepEqual(refusal({ values: [1, 'two'], gamma: 1, beta: 0, eps: 1e-5 }), [
    { field: 'values', message: 'item 2 is "two", not a finite number' },
  ]);
  assert.deepEqual(refusal({ values: [1, 2], gamma: 1, beta: 0, eps: 0 }), [
    {
      field: 'eps',
      message:
        'must be a number greater than 0; got 0 (BN divides by the square root of var + eps, and a batch of equal values has var 0)',
    },
  ]);
  // The engine keeps working after a refusal.
  assert.equal(m.batchNormCalculator({ values: [1, 3], gamma: 1, beta: 0, eps: 1 }).var, 1);
});

test('with covariate shift the shifted test set is scored natively and in wasm alike, adapted too; without it, NaN', () => {
  withExperiment(m, CONFIG, (exp) => {
    exp.step(STEPS);
    const metrics = exp.evaluate();
    native.arms.forEach((arm, a) => {
      assert.equal(metrics.shiftedAccuracy[a], arm.final.shifted.accuracy, `${arm.name} shifted`);
      assert.equal(metrics.shiftedAccuracyAdapted[a], arm.final.shiftedAdapted.accuracy, `${arm.name} adapted`);
    });
    // Without BN there is nothing to adapt; with BN the adapted statistics change the answers.
    assert.equal(metrics.shiftedAccuracyAdapted[0], metrics.shiftedAccuracy[0]);
    assert.notEqual(metrics.shiftedAccuracyAdapted[1], metrics.shiftedAccuracy[1]);
    const data = exp.data();
    assert.equal(data.shiftedY.length, data.testY.length);
    assert.equal(data.shiftedX.length, 2 * data.testY.length);
  });
  withExperiment(m, {}, (exp) => {
    const metrics = exp.evaluate();
    assert.ok(Number.isNaN(metrics.shiftedAccuracy[0]) && Number.isNaN(metrics.shiftedAccuracyAdapted[1]));
    assert.equal(exp.data().shiftedY.length, 0);
  });
});

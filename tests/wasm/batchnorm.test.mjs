// The JavaScript BatchNorm against torch.nn.BatchNorm1d (float64 reference vectors; the wasm
// layer computes in float32, so agreement is to float32 precision).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadEngine, root, throwsError } from './engine.mjs';

const m = await loadEngine();
const reference = JSON.parse(readFileSync(`${root}tests/fixtures/batchnorm_pytorch.json`, 'utf8'));

// float32 carries about 7 significant digits; values here are of order 1.
function assertClose(actual, expected, what, tolerance = 2e-5) {
  assert.ok(actual instanceof Float32Array, `${what}: expected a Float32Array`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const bound = tolerance * Math.max(1, Math.abs(expected[i]));
    assert.ok(Math.abs(actual[i] - expected[i]) <= bound, `${what}[${i}]: ${actual[i]} vs torch ${expected[i]}`);
  }
}

for (const c of reference.cases) {
  test(`BatchNorm matches torch.nn.BatchNorm1d: case ${c.name}`, () => {
    const bn = new m.BatchNorm(c.features, c.momentum, c.eps);
    try {
      assertClose(bn.gamma(), new Array(c.features).fill(1), 'initial gamma');
      assertClose(bn.beta(), new Array(c.features).fill(0), 'initial beta');
      bn.setGamma(new Float32Array(c.gamma));
      bn.setBeta(c.beta); // a plain array is accepted too
      let y;
      for (let s = 0; s < c.steps; s++) y = bn.forward(new Float32Array(c.x), c.rows, true);
      assertClose(y, c.y, 'y');
      assertClose(bn.backward(new Float32Array(c.dy)), c.dx, 'dx');
      assertClose(bn.gradGamma(), c.dgamma, 'dgamma');
      assertClose(bn.gradBeta(), c.dbeta, 'dbeta');
      assertClose(bn.runningMean(), c.running_mean, 'running_mean');
      assertClose(bn.runningVar(), c.running_var, 'running_var');
      const evalRows = c.x_eval.length / c.features;
      assertClose(bn.forward(new Float32Array(c.x_eval), evalRows, false), c.y_eval, 'y_eval');
    } finally {
      bn.delete();
    }
  });
}

test('BatchNorm errors arrive as Errors that say what is wrong', () => {
  const bn = new m.BatchNorm(3, 0.1, 1e-5);
  try {
    throwsError(
      assert,
      () => bn.forward(new Float32Array([1, 2, 3]), 1, true),
      /more than 1 value per feature when training/,
    );
    throwsError(
      assert,
      () => bn.forward(new Float32Array(7), 2, true),
      /x has 7 values, expected rows x features = 2 x 3/,
    );
    throwsError(assert, () => bn.backward(new Float32Array(6)), /needs a training-mode forward/);
    throwsError(assert, () => bn.setGamma(new Float32Array(2)), /setGamma: got 2 values, expected 3/);
    throwsError(assert, () => bn.forward('nope', 1, false), /expected a Float32Array/);
    // The module keeps working after an error. Features (1, 3) and (0, 2) have mean +-1 and
    // variance 1; the constant feature (5, 5) normalizes to 0, with eps keeping it finite.
    const y = bn.forward(new Float32Array([1, 5, 0, 3, 5, 2]), 2, true);
    assertClose(
      y,
      [-1, 0, -1, 1, 0, 1].map((v) => v / Math.sqrt(1 + 1e-5)),
      'y',
    );
    throwsError(assert, () => bn.backward(new Float32Array(5)), /dy has 5 values, expected 6/);
  } finally {
    bn.delete();
  }
  throwsError(assert, () => new m.BatchNorm(0, 0.1, 1e-5), /features must be at least 1/);
  throwsError(assert, () => new m.BatchNorm(2, 0.1, 0), /eps must be greater than 0/);
});

test('a single example in inference mode uses the running statistics', () => {
  const bn = new m.BatchNorm(2, 1.0, 1e-5); // momentum 1: running stats = last batch's
  try {
    bn.forward(new Float32Array([0, 10, 2, 20, 4, 30]), 3, true); // means 2, 20; unbiased vars 4, 100
    assertClose(bn.runningMean(), [2, 20], 'running mean');
    assertClose(bn.runningVar(), [4, 100], 'running var');
    const y = bn.forward(new Float32Array([4, 10]), 1, false);
    assertClose(y, [2 / Math.sqrt(4 + 1e-5), -10 / Math.sqrt(100 + 1e-5)], 'y');
  } finally {
    bn.delete();
  }
});

// The Experiment API of the wasm build.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadEngine, throwsError, withExperiment as withExperimentOf } from './engine.mjs';

const m = await loadEngine();

const withExperiment = (config, fn) => withExperimentOf(m, config, fn);

test('an empty configuration takes the documented defaults', () => {
  const defaults = m.defaultConfig();
  assert.deepEqual(m.validateConfig({}), defaults);
  assert.deepEqual(m.validateConfig(undefined), defaults);
  assert.equal(defaults.bnMomentum, 0.1); // PyTorch's convention
  assert.equal(defaults.bnEps, 1e-5);
  const schema = m.configSchema();
  assert.deepEqual(
    schema.map((f) => f.name),
    Object.keys(defaults),
  );
  for (const field of schema) assert.deepEqual(field.default, defaults[field.name], field.name);
});

test('a configuration may be an object or JSON text, and reads back normalized', () => {
  const config = { dataset: 'circle', hidden: [4, 3], arms: ['bn-after', 'plain'], seed: 4294967295 };
  const fromObject = m.validateConfig(config);
  assert.deepEqual(m.validateConfig(JSON.stringify(config)), fromObject);
  assert.equal(fromObject.seed, 4294967295);
  assert.deepEqual(fromObject.hidden, [4, 3]);
  withExperiment(config, (exp) => assert.deepEqual(exp.config(), fromObject));
});

test('invalid configurations throw Errors naming the field and the allowed range', () => {
  throwsError(
    assert,
    () => new m.Experiment({ learningRate: -1 }),
    /learningRate: must be a number from 1e-06 to 1000; got -1/,
  );
  throwsError(
    assert,
    () => new m.Experiment({ hidden: [8, 0] }),
    /hidden: must be an array of 0 to 10 integers, each from 1 to 128/,
  );
  throwsError(assert, () => new m.Experiment({ dataset: 'mnist' }), /dataset: must be one of "circle", "xor"/);
  throwsError(assert, () => new m.Experiment({ learningrate: 1 }), /learningrate: is not a configuration field/);
  throwsError(
    assert,
    () => new m.Experiment({ batchSize: 300 }),
    /batchSize: must be at most the training set size, 200 examples/,
  );
  throwsError(assert, () => new m.Experiment({ noise: NaN }), /noise: must be a number from 0 to 1; got null/);
  throwsError(assert, () => new m.Experiment('{"seed": 1,'), /invalid JSON at offset 11/);
  throwsError(assert, () => m.validateConfig({ arms: [] }), /arms: must be an array of 1 to 4 different names/);
  // Two bad fields are both reported.
  throwsError(assert, () => m.validateConfig({ momentum: 1, bnEps: 0 }), /momentum: .*; bnEps: /);
});

test('step, evaluate, history, grid and data return typed arrays of the right shapes', () => {
  withExperiment(
    { samples: 200, hidden: [6, 6], recordEvery: 5, gridSize: 20, arms: ['plain', 'bn-before', 'bn-after'] },
    (exp) => {
      assert.equal(exp.steps(), 0);
      assert.equal(exp.step(50), 50);
      assert.equal(exp.step(0), 50);
      assert.deepEqual(
        exp.arms().map((a) => a.name),
        ['plain', 'bn-before', 'bn-after'],
      );
      assert.ok(exp.arms().every((a) => a.diverged === false && a.divergedAt === null));

      const metrics = exp.evaluate();
      for (const key of ['trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy']) {
        assert.ok(metrics[key] instanceof Float32Array, key);
        assert.equal(metrics[key].length, 3, key);
      }
      // Loss of a two-class softmax near chance is near ln 2; accuracy is a fraction.
      for (let a = 0; a < 3; a++) {
        assert.ok(metrics.testLoss[a] > 0 && metrics.testLoss[a] < 2, `test loss ${metrics.testLoss[a]}`);
        assert.ok(metrics.testAccuracy[a] >= 0 && metrics.testAccuracy[a] <= 1);
      }

      const history = exp.history();
      assert.deepEqual(Array.from(history.step), [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
      assert.equal(history.arms.length, 3);
      for (const arm of history.arms)
        for (const key of ['batchLoss', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy'])
          assert.equal(arm[key].length, 11, `${arm.name}.${key}`);
      // The last recorded point is the same evaluation as evaluate() now.
      assert.equal(history.arms[1].testLoss[10], metrics.testLoss[1]);

      const info = exp.gridInfo();
      assert.equal(info.size, 20);
      assert.ok(info.xMin < info.xMax && info.yMin < info.yMax);
      const grid = exp.grid(0);
      assert.ok(grid instanceof Float32Array);
      assert.equal(grid.length, 400);
      assert.ok(grid.every((p) => p >= 0 && p <= 1));

      const data = exp.data();
      assert.equal(data.features, 2);
      assert.equal(data.classes, 2);
      assert.equal(data.trainX.length, 2 * data.trainY.length);
      assert.equal(data.trainY.length + data.testY.length, 200);
      assert.ok(data.trainY instanceof Int32Array);
      for (let i = 0; i < data.trainY.length; i++) {
        const [x, y] = [data.trainX[2 * i], data.trainX[2 * i + 1]];
        assert.ok(x >= info.xMin && x <= info.xMax && y >= info.yMin && y <= info.yMax);
      }
      throwsError(assert, () => exp.grid(3), /arm index 3 out of range \(3 arms\)/);
      throwsError(assert, () => exp.step(-1), /n must be an integer/);
      throwsError(assert, () => exp.step(1.5), /n must be an integer/);
    },
  );
});

test('changing the learning rate keeps the run going; an invalid one is refused', () => {
  withExperiment({ samples: 100 }, (exp) => {
    exp.step(10);
    exp.setLearningRate(0.01);
    assert.equal(exp.steps(), 10);
    assert.equal(exp.config().learningRate, 0.01);
    throwsError(assert, () => exp.setLearningRate(0), /learningRate: must be a number from 1e-06 to 1000; got 0/);
    assert.equal(exp.config().learningRate, 0.01);
    assert.equal(exp.step(5), 15);
  });
});

test('a diverging arm is reported and stops; the others train on', () => {
  // ReLU with N(0, 1) weights at learning rate 0.5: the plain network's activations grow
  // layer by layer and its loss overflows within a few steps; BN rescales every layer.
  withExperiment({ learningRate: 0.5, activation: 'relu', init: 'gaussian', initStd: 1 }, (exp) => {
    exp.step(1000);
    const [plain, bn] = exp.arms();
    assert.equal(plain.diverged, true);
    assert.ok(plain.divergedAt >= 1 && plain.divergedAt <= 20, `diverged at ${plain.divergedAt}`);
    assert.match(plain.message, /plain diverged at step \d+: the training loss became (NaN|infinite)/);
    assert.equal(bn.diverged, false);
    assert.ok(exp.evaluate().testAccuracy[1] > 0.8, 'the BN arm still learns');
    assert.equal(exp.steps(), 1000);
  });
});

test('typed arrays are copies: they survive the wasm memory growing', () => {
  withExperiment({ samples: 100, gridSize: 10 }, (small) => {
    small.step(20);
    const before = small.history();
    const saved = Array.from(before.arms[0].trainLoss);
    const memory = m.memoryBytes();
    // A large experiment forces memory.grow, which detaches any view into the old buffer.
    withExperiment({ samples: 5000, hidden: Array(10).fill(128), gridSize: 200, batchSize: 1024 }, (big) =>
      big.step(1),
    );
    assert.ok(m.memoryBytes() > memory, 'memory grew');
    assert.equal(before.arms[0].trainLoss.length, saved.length);
    assert.deepEqual(Array.from(before.arms[0].trainLoss), saved);
  });
});

test('1000 create/step/delete cycles with every arm leave the heap no larger than after the first few', () => {
  // Every arm kind (at most 4 per experiment), the landscape and gradient-ICS on.
  const kinds = m.configSchema().find((f) => f.name === 'arms').choices;
  const configs = [kinds.slice(0, 4), kinds.slice(-4)].map((arms) => ({
    samples: 60,
    hidden: [8, 8],
    batchSize: 8,
    gridSize: 8,
    recordEvery: 1,
    landscape: true,
    gradientIcs: true,
    arms,
  }));
  assert.ok(kinds.length >= 6 && kinds.every((k) => configs.some((c) => c.arms.includes(k))));
  let n = 0;
  const cycle = () =>
    withExperiment(configs[n++ % 2], (exp) => {
      exp.step(3);
      exp.evaluate();
      exp.history();
      exp.grid(1);
    });
  for (let i = 0; i < 5; i++) cycle();
  const inUse = m.heapBytesInUse();
  const memory = m.memoryBytes();
  for (let i = 0; i < 1000; i++) cycle();
  assert.ok(m.heapBytesInUse() <= inUse, `heap in use ${inUse} -> ${m.heapBytesInUse()}`);
  assert.equal(m.memoryBytes(), memory);
  // Errors must not leak either: the first error of any kind keeps about 2 KB (measured: 1.8
  // to 2 KB, whichever field it names, the same after 2,000 more); after the first few, 200
  // more leave the heap as it was.
  const error = () => assert.throws(() => new m.Experiment({ hidden: [0] }));
  for (let i = 0; i < 5; i++) error();
  const afterErrors = m.heapBytesInUse();
  for (let i = 0; i < 200; i++) error();
  assert.ok(m.heapBytesInUse() <= afterErrors, `heap in use after errors ${afterErrors} -> ${m.heapBytesInUse()}`);
  assert.ok(afterErrors - inUse < 4096, `the first errors keep ${afterErrors - inUse} bytes`);
});

test('configuration errors carry their fields, whatever the messages contain', () => {
  try {
    m.validateConfig({ dataset: 'a; b: c', learningRate: 'fast', bogus: 1 });
    assert.fail('accepted');
  } catch (err) {
    assert.ok(err instanceof Error);
    assert.deepEqual(
      err.fields.map((f) => f.field),
      ['dataset', 'learningRate', 'bogus'],
    );
    assert.match(err.fields[0].message, /^must be one of "circle".*; got "a; b: c"$/);
    assert.match(err.fields[1].message, /^must be a number from 1e-06 to 1000; got "fast"$/);
  }
  // Other errors have no fields.
  const bn = new m.BatchNorm(2, 0.1, 1e-5);
  try {
    bn.forward(new Float32Array(2), 1, true);
    assert.fail('accepted');
  } catch (err) {
    assert.equal(err.fields, undefined);
  } finally {
    bn.delete();
  }
});

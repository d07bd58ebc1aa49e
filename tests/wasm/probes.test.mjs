// The probes through the JavaScript API: what comes back, in what shape, and which errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ARM_SERIES, LATEST_SERIES, LAYER_SERIES as PAGE_LAYER_SERIES } from '../../web/src/shared/protocol.js';
import { loadEngine, throwsError, withExperiment as withExperimentOf } from './engine.mjs';

const m = await loadEngine();
// The engine's one list of the history's columns (Experiment::kArmSeries, kLayerSeries).
const { arm: ARM_NAMES, layer: LAYER_SERIES } = m.historySeries();

test('the series the page draws are series the engine records', () => {
  for (const name of ARM_SERIES) assert.ok(ARM_NAMES.includes(name), name);
  for (const name of [...PAGE_LAYER_SERIES, ...LATEST_SERIES]) assert.ok(LAYER_SERIES.includes(name), name);
  // And the history carries exactly the listed columns, in order.
  withExperimentOf(m, { hidden: [4] }, (exp) => {
    const arm = exp.history().arms[0];
    assert.deepEqual(Object.keys(arm), [...ARM_NAMES, 'layers', 'name']);
    assert.deepEqual(Object.keys(arm.layers[0]), LAYER_SERIES);
  });
});

const withExperiment = (config, fn) => withExperimentOf(m, config, fn);

const config = {
  samples: 300,
  hidden: [8, 8, 8],
  recordEvery: 10,
  gradientIcs: true,
  arms: ['plain', 'bn-before', 'bn-after'],
};

test('history holds every probe series per arm and layer, as Float32Arrays', () => {
  withExperiment(config, (exp) => {
    exp.step(100);
    const history = exp.history();
    const rows = history.step.length;
    assert.equal(rows, 11);
    for (const arm of history.arms) {
      assert.equal(arm.layers.length, 3);
      for (const key of ['testLossBatchStats', 'testAccuracyBatchStats']) assert.equal(arm[key].length, rows);
      for (const layer of arm.layers) {
        assert.deepEqual(Object.keys(layer), LAYER_SERIES);
        for (const key of LAYER_SERIES) {
          assert.ok(layer[key] instanceof Float32Array, key);
          assert.equal(layer[key].length, rows, key);
        }
        // Percentiles are ordered; nothing has moved or been measured before step 0.
        for (let i = 0; i < rows; i++) {
          assert.ok(layer.p15[i] <= layer.p50[i] && layer.p50[i] <= layer.p85[i], `${arm.name} row ${i}`);
          assert.ok(layer.saturation[i] >= 0 && layer.saturation[i] <= 1);
        }
        assert.ok(Number.isNaN(layer.shift[0]) && Number.isNaN(layer.gradientNorm[0]));
        assert.ok(layer.shift.slice(1).every(Number.isFinite));
        assert.ok(layer.icsCosine.slice(1).every((c) => c >= -1.0001 && c <= 1.0001));
      }
      // The first layer: nothing precedes it, so its gradient does not shift.
      assert.ok(
        arm.layers[0].icsDistance.slice(1).every((d) => d === 0),
        arm.name,
      );
      // Only BN layers have a same-example jitter.
      assert.equal(arm.layers[0].jitterStd.slice(1).every(Number.isNaN), arm.name === 'plain');
    }
  });
});

test('the BN trace follows the running statistics recurrence', () => {
  withExperiment(config, (exp) => {
    exp.step(60);
    const t = exp.bnTrace(1, 0);
    assert.deepEqual(Object.keys(t), ['step', 'batchMean', 'batchVar', 'runningMean', 'runningVar']);
    assert.deepEqual(
      Array.from(t.step),
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    const b = exp.config().batchSize;
    for (let i = 1; i < 60; i++) {
      // running = 0.9 running + 0.1 batch, with the unbiased batch variance.
      const mean = 0.9 * t.runningMean[i - 1] + 0.1 * t.batchMean[i];
      const variance = 0.9 * t.runningVar[i - 1] + (0.1 * t.batchVar[i] * b) / (b - 1);
      assert.ok(Math.abs(t.runningMean[i] - mean) <= 1e-5 * Math.max(1, Math.abs(mean)), `mean ${i}`);
      assert.ok(Math.abs(t.runningVar[i] - variance) <= 1e-5 * Math.max(1, variance), `var ${i}`);
    }
  });
});

test('batch-mean spread, same-example jitter and a single example come back as typed arrays', () => {
  withExperiment(config, (exp) => {
    exp.step(50);
    const spread = exp.batchMeanSpread(1, 0, 400);
    assert.deepEqual(Array.from(spread.batchSize), [4, 8, 16, 32, 64, 128]);
    for (let i = 0; i < 6; i++) {
      // 400 batches: a sample std has relative standard error 1/sqrt(2 * 399) = 3.5%, so 18%
      // is 5 standard errors.
      assert.ok(Math.abs(spread.measured[i] / spread.predicted[i] - 1) < 0.18, `B=${spread.batchSize[i]}`);
      if (i) assert.ok(spread.predicted[i] < spread.predicted[i - 1], 'larger batches, less noise');
    }
    const jitter = exp.sameExampleJitter(1, 0, 40);
    assert.equal(jitter.examples, 4);
    assert.equal(jitter.repeats, 40);
    assert.equal(jitter.xHat.length, 160);
    assert.ok(
      jitter.stds.every((s) => s > 0),
      'the same example normalizes differently in different batches',
    );

    const single = exp.singleExample(1, 0);
    assert.equal(single.train.bnOutputs.length, 3);
    single.train.bnOutputs.forEach((output, l) => assert.deepEqual(output, single.beta[l]));
    assert.notDeepEqual(single.inference.bnOutputs[0], single.beta[0]);
    assert.equal(single.train.probabilities.length, 2);
    assert.ok(Math.abs(single.inference.probabilities[0] + single.inference.probabilities[1] - 1) < 1e-6);
    assert.ok([0, 1].includes(single.label));
    assert.equal(exp.trackedUnit(2), 0);
  });
});

test('probe errors name what is wrong', () => {
  withExperiment(config, (exp) => {
    throwsError(assert, () => exp.bnTrace(0, 0), /arm plain has no BatchNorm in layer 0/);
    throwsError(assert, () => exp.bnTrace(1, 3), /layer index 3 out of range \(3 hidden layers\)/);
    throwsError(assert, () => exp.sameExampleJitter(0, 1, 10), /arm plain has no BatchNorm/);
    throwsError(assert, () => exp.sameExampleJitter(1, 1, 1), /repeats must be from 2 to 10000/);
    throwsError(assert, () => exp.batchMeanSpread(1, 0, 1), /batches must be from 2 to 100000/);
    throwsError(assert, () => exp.singleExample(1, 150), /test example 150 out of range \(150 test examples\)/);
    throwsError(assert, () => exp.trackedUnit(-1), /layer index -1 out of range/);
  });
  withExperiment({ trackedUnit: 100, hidden: [4, 200 / 2] }, (exp) => {
    assert.equal(exp.trackedUnit(0), 3, 'a narrower layer tracks its last unit');
    assert.equal(exp.trackedUnit(1), 99);
  });
});

test('with probes off, nothing is measured and nothing is traced', () => {
  withExperiment({ ...config, probes: false }, (exp) => {
    exp.step(40);
    const layer = exp.history().arms[1].layers[0];
    for (const key of LAYER_SERIES) assert.ok(layer[key].every(Number.isNaN), key);
    assert.equal(exp.bnTrace(1, 0).step.length, 0);
  });
});

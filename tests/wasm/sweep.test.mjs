// Sweeps on the wasm module (cpp/bnlab/lab/sweep.hpp through the bindings) and in share links
// (web/src/shared/link.js): refusals name the axis and the value before anything runs, a cell is
// exactly an ordinary experiment of its configuration, and a sweep survives a link with its
// values' types while hostile text reaches the validator as text.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadEngine, withExperiment } from './engine.mjs';
import { cellConfig, cellCount } from '../../web/src/shared/sweep-grid.js';
import { MAX_FRAGMENT, configToFragment, parseFragment } from '../../web/src/shared/link.js';

const m = await loadEngine();
const schema = m.configSchema();
const defaults = m.defaultConfig();

// The engine's Error with its list of { field, message }; fails the test when fn returns.
function refusal(fn) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof Error, `expected an Error, got ${typeof err}: ${err}`);
    assert.ok(Array.isArray(err.fields), `the Error carries fields: ${err.message}`);
    return err;
  }
  assert.fail('expected a refusal');
}

test('parseSweep refuses a learning rate of 5000 on x with an Error whose fields name x.values, the item, the value and learningRate', () => {
  const err = refusal(() => m.parseSweep({ x: { field: 'learningRate', values: [0.1, 5000] }, steps: 10 }));
  assert.deepEqual(
    err.fields.map((f) => f.field),
    ['x.values'],
  );
  assert.match(err.fields[0].message, /^item 2 is 5000: learningRate must be a number from 1e-06 to 1000; got 5000$/);
  assert.match(err.message, /x\.values: item 2 is 5000/);
});

test('parseSweep refuses steps of 0 first; once the shape is valid, a refused choice on x and a refused initStd on y are named at x.values and y.values', () => {
  const err = refusal(() =>
    m.parseSweep({
      x: { field: 'activation', values: ['tanh', 'swish'] },
      y: { field: 'initStd', values: [1, -2] },
      steps: 0,
    }),
  );
  const byField = Object.fromEntries(err.fields.map((f) => [f.field, f.message]));
  // The steps are judged with the shape of the sweep; the values only once that is valid.
  assert.deepEqual(Object.keys(byField), ['steps']);
  assert.match(byField.steps, /must be an integer from 1 to 1000000; got 0/);
  const values = refusal(() =>
    m.parseSweep({
      x: { field: 'activation', values: ['tanh', 'swish'] },
      y: { field: 'initStd', values: [1, -2] },
      steps: 5,
    }),
  );
  assert.deepEqual(
    values.fields.map((f) => f.field),
    ['x.values', 'y.values'],
  );
  assert.match(values.fields[0].message, /item 2 is "swish": activation must be one of/);
  assert.match(values.fields[1].message, /item 2 is -2: initStd /);
});

test('sweepCell refuses an invalid sweep too: no cell runs from a sweep the validator did not accept', () => {
  const err = refusal(() => m.sweepCell({ x: { field: 'learningRate', values: [0.1, 5000] }, steps: 10 }, 0));
  assert.deepEqual(
    err.fields.map((f) => f.field),
    ['x.values'],
  );
  assert.match(err.fields[0].message, /5000/);
});

test('defaultSweep() is learningRate (7 values) across initStd (3 values) on the default configuration, 21 cells, and parses to itself', () => {
  const sweep = m.defaultSweep();
  assert.deepEqual(m.parseSweep(sweep), sweep);
  assert.deepEqual(sweep.base, defaults);
  assert.equal(sweep.x.field, 'learningRate');
  assert.equal(sweep.y.field, 'initStd');
  assert.equal(cellCount(sweep), 21);
  assert.equal(sweep.x.values.length * sweep.y.values.length, 21);
  assert.ok(m.sweepMetrics().includes(sweep.metric));
});

// A cell's numbers are the results' JSON shape (bnlab-run --sweep's), where a non-finite number
// is null.
const json = (v) => (Number.isFinite(v) ? v : null);

test('every cell of a 3x2 sweep equals its configuration run alone as an Experiment (probes and history on), arm by arm, bit for bit', () => {
  // A diverging learning rate (1000) among them, so divergedAt and non-finite numbers are
  // compared too; the choice axis checks that a cell's text value reaches its configuration.
  const sweep = m.parseSweep({
    base: { dataset: 'circle', hidden: [8, 8], activation: 'tanh', arms: ['plain', 'bn-before', 'bn-after'] },
    x: { field: 'learningRate', values: [0.1, 3, 1000] },
    y: { field: 'activation', values: ['tanh', 'relu'] },
    steps: 300,
  });
  assert.equal(cellCount(sweep), 6);
  let diverged = 0;
  let nonFinite = 0;
  for (let index = 0; index < cellCount(sweep); ++index) {
    const cell = m.sweepCell(sweep, index);
    const config = cellConfig(sweep, index);
    assert.equal(cell.index, index);
    assert.equal(cell.x, config.learningRate);
    assert.equal(cell.y, config.activation);
    const expected = withExperiment(m, config, (exp) => {
      exp.step(sweep.steps);
      const e = exp.evaluate();
      return exp.arms().map((arm, a) => ({
        testAccuracy: json(e.testAccuracy[a]),
        testLoss: json(e.testLoss[a]),
        trainAccuracy: json(e.trainAccuracy[a]),
        trainLoss: json(e.trainLoss[a]),
        divergedAt: arm.divergedAt,
      }));
    });
    assert.equal(cell.arms.length, 3);
    assert.deepEqual(cell.arms, expected, `cell ${index}: ${JSON.stringify(config)}`);
    diverged += cell.arms.filter((a) => a.divergedAt !== null).length;
    nonFinite += cell.arms.filter((a) => a.testLoss === null).length;
  }
  assert.ok(diverged >= 1, 'a learning rate of 1000 diverges some arm');
  assert.ok(nonFinite >= 1, 'a diverged arm ends with a non-finite loss, written as null');
});

// A sweep written in a link and read back: parseFragment's sweep.
function roundTrip(sweep) {
  const fragment = configToFragment(defaults, schema, { sweep });
  const parsed = parseFragment(fragment, schema);
  assert.deepEqual(parsed.notes, [], fragment);
  assert.deepEqual(parsed.config, defaults);
  return { fragment, sweep: parsed.options.sweep };
}

test('a sweep survives a share link exactly: numbers as numbers, choices as text, booleans as booleans', () => {
  const sweeps = [
    {
      x: { field: 'learningRate', values: [1e-6, 0.03, 0.1 + 0.2, 1000] },
      y: { field: 'activation', values: ['sigmoid', 'relu'] },
      steps: 1500,
      metric: 'testLoss',
    },
    {
      x: { field: 'standardize', values: [true, false] },
      y: { field: 'batchSize', values: [4, 32, 200] },
      steps: 1,
      metric: 'trainAccuracy',
    },
    { x: { field: 'dataset', values: ['circle', 'xor', 'spiral'] }, steps: 1000000, metric: 'testAccuracy' },
    { x: { field: 'initStd', values: [1e-7, 12345.678901234567] }, steps: 20, metric: 'trainLoss' },
  ];
  for (const sweep of sweeps) {
    const { fragment, sweep: back } = roundTrip(sweep);
    assert.deepEqual(back, sweep, fragment);
    for (const axis of ['x', 'y']) {
      if (!sweep[axis]) continue;
      const type = schema.find((f) => f.name === sweep[axis].field).type;
      const want = { number: 'number', integer: 'number', boolean: 'boolean', choice: 'string' }[type];
      for (const v of back[axis].values) assert.equal(typeof v, want, `${sweep[axis].field} ${v}`);
    }
    // The engine reads the same sweep from the link as from the object.
    if (sweep.x.field !== 'initStd')
      assert.deepEqual(m.parseSweep({ base: defaults, ...back }), m.parseSweep({ base: defaults, ...sweep }));
  }
});

test('the default sweep survives a link and parses to the same normalized sweep', () => {
  const sweep = m.defaultSweep();
  const { x, y, steps, metric } = sweep;
  const { sweep: back } = roundTrip({ x, y, steps, metric });
  assert.deepEqual(m.parseSweep({ base: sweep.base, ...back }), sweep);
});

test('hostile sweep link values are carried as text and refused by parseSweep with fields; parseFragment never throws', () => {
  const cases = [
    ['sweepX=nope:1,2', 'x.field', /got "nope"/],
    ['sweepX=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E:1', 'x.field', /got "<img src=x onerror=alert\(1\)>"/],
    ['sweepX=__proto__:1', 'x.field', /got "__proto__"/],
    [
      'sweepX=learningRate:0.1,%3Cb%3Ehi%3C%2Fb%3E',
      'x.values',
      /item 2 is "<b>hi<\/b>": learningRate must be a number/,
    ],
    ['sweepX=learningRate:1&sweepY=learningRate:2', 'y.field', /must differ from x.field/],
    ['sweepX=learningRate:1&sweepSteps=%3Cscript%3E', 'steps', /got "<script>"/],
    [
      'sweepX=learningRate:1&sweepMetric=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      'metric',
      /got "<script>alert\(1\)<\/script>"/,
    ],
    [`sweepX=learningRate:${'9'.repeat(2000)}`, 'x.values', /learningRate must be a number from 1e-06 to 1000/],
    [`sweepX=learningRate:${Array.from({ length: 30 }, (_, i) => (i + 1) / 100).join(',')}`, 'x.values', /24/],
    ['sweepX=standardize:maybe', 'x.values', /item 1 is "maybe": standardize/],
  ];
  for (const [fragment, field, pattern] of cases) {
    const { options } = parseFragment(`#${fragment}`, schema);
    assert.ok(options.sweep, fragment.slice(0, 80));
    assert.equal(Object.getPrototypeOf(options.sweep), Object.prototype, 'no prototype pollution');
    const err = refusal(() => m.parseSweep({ base: defaults, steps: 10, ...options.sweep }));
    const messages = err.fields.filter((f) => f.field === field).map((f) => f.message);
    assert.ok(
      messages.some((message) => pattern.test(message)),
      `${fragment.slice(0, 80)}: ${JSON.stringify(err.fields)}`,
    );
  }
  assert.equal({}.field, undefined);
  assert.equal({}.values, undefined);
});

test(`a sweepX of 10,000 characters makes the link longer than ${MAX_FRAGMENT}: ignored whole with a note, without throwing`, () => {
  const { config, options, notes } = parseFragment(`#sweepX=learningRate:${'<b>'.repeat(3333)}x`, schema);
  assert.deepEqual(config, {});
  assert.deepEqual(options, {});
  assert.equal(notes.length, 1);
  assert.match(notes[0], /at most 4096\): ignored/);
});

test('malformed sweep link text (a bad escape, a lone surrogate, no colon) is carried to the validator, not thrown', () => {
  for (const fragment of [
    '#sweepX=learningRate:%E0%A4%A',
    '#sweepX=learningRate:%ED%A0%80',
    '#sweepX=learningRate',
    '#sweepY=initStd:1',
  ]) {
    const { options } = parseFragment(fragment, schema);
    const err = refusal(() => m.parseSweep({ base: defaults, ...options.sweep }));
    assert.ok(err.fields.length >= 1, fragment);
    assert.ok(
      err.fields.every((f) => typeof f.message === 'string' && f.message.length < 2000),
      fragment,
    );
  }
});

test("a cell trained in slices (SweepCellRun, as the page's workers do) equals the cell trained at once, whatever the slice", () => {
  const sweep = m.parseSweep({
    base: { dataset: 'circle', hidden: [8, 8], activation: 'tanh', arms: ['plain', 'bn-before', 'dropout'] },
    x: { field: 'learningRate', values: [0.1, 1000] },
    steps: 257,
  });
  for (let index = 0; index < 2; ++index) {
    const whole = m.sweepCell(sweep, index);
    for (const slice of [1, 10, 100, 1000]) {
      const run = new m.SweepCellRun(sweep, index);
      try {
        assert.throws(() => run.result(), /not trained yet/);
        let left = Infinity;
        let calls = 0;
        while (left > 0) {
          left = run.step(slice);
          ++calls;
        }
        assert.equal(calls, Math.ceil(257 / slice));
        assert.deepEqual(run.result(), whole, `cell ${index}, slices of ${slice}`);
      } finally {
        run.delete();
      }
    }
  }
});

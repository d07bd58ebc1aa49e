// The README documents every configuration field with the default and range the validator
// really applies, and the commands that really exist.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { loadEngine } from './engine.mjs';
import { README, lessonsTable, readmeTable, schemaTable, sweepLessonsTable } from './readme.mjs';

const m = await loadEngine();
const text = readFileSync(README, 'utf8');

test('the README configuration table is the one the schema gives', () => {
  assert.equal(
    readmeTable(text),
    schemaTable(m.configSchema()),
    'run `node tests/wasm/readme.mjs` to update README.md',
  );
});

test('the README lessons table lists every claim with how often it held, as web/src/lessons/lessons.js states', () => {
  assert.equal(readmeTable(text, 'lessons'), lessonsTable(), 'run `node tests/wasm/readme.mjs` to update README.md');
});

test('the README sweep lessons table lists every claim with how often it held, as web/src/lessons/sweep-lessons.js states', () => {
  assert.equal(
    readmeTable(text, 'sweeps'),
    sweepLessonsTable(),
    'run `node tests/wasm/readme.mjs` to update README.md',
  );
});

test('the README shows the two setup commands and every JavaScript API name', () => {
  for (const command of ['./build.sh serve', './build.sh test']) assert.ok(text.includes(command), command);
  const api = [
    'createBnLab',
    'new m.Experiment',
    'step(',
    'evaluate()',
    'history()',
    'grid(',
    'gridInfo()',
    'data()',
    'arms()',
    'config()',
    'setLearningRate(',
    'new m.BatchNorm(features, momentum, eps)',
    'forward(x, rows, training)',
    'backward(dy)',
    'gamma()',
    'beta()',
    'gradGamma()',
    'gradBeta()',
    'runningMean()',
    'runningVar()',
    'setGamma(',
    'setBeta(',
    'delete()',
    'validateConfig(',
    'defaultConfig()',
    'configSchema()',
    'parseSweep(',
    'defaultSweep()',
    'sweepCell(',
    'sweepMetrics()',
    'bnBatch(',
    'batchNormCalculator(',
    'bnlab-run --sweep',
    '--shard',
    '--merge',
  ];
  for (const name of api) assert.ok(text.includes(name), `README mentions ${name}`);
});

// What the link tests share (url_state.test.mjs, link_properties.test.mjs): a link read as the
// page reads it, the rules the reading of any link keeps, and random valid configurations drawn
// by the schema's rules, from a seeded generator or from fast-check's draws.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { PAGE_OPTIONS, VIEWS, parseFragment, resolveConfig } from '../../web/src/shared/link.js';
import { root, withExperiment } from './engine.mjs';

export const MAX_NOTE = 500;

// Text a hostile link is made of: values, keys (with the page options; the schema's names are
// the engine's) and characters.
export const HOSTILE_VALUES = [
  '1e309',
  '9e999',
  '-9e999',
  '-0',
  '1e-400',
  '-1e-400',
  'NaN',
  'nan',
  'Infinity',
  '-Infinity',
  '-1',
  '-32',
  '-128,-1',
  '0',
  '',
  ' ',
  '  7  ',
  '1.5',
  '0x10',
  '0b11',
  '1e3',
  '4294967296',
  '99999999999999999999',
  '1' + '0'.repeat(400),
  '0.' + '0'.repeat(400) + '1',
  'true',
  'false',
  'TRUE',
  'null',
  'undefined',
  '[]',
  '{}',
  '[1,2]',
  '{"a":1}',
  '"spiral"',
  'spiral ',
  'SPIRAL',
  '%E0%A4%A',
  '%zz',
  '%',
  '%%',
  '%2',
  '%ED%A0%80',
  '%00',
  '%2C',
  '%26',
  '%3D',
  '%23',
  '+',
  '++',
  'a=b=c',
  '=',
  '#',
  ',',
  ',,,,',
  '1,,2',
  'plain,plain',
  'plain,,bn-before',
  'plain,bn-before,bn-after,plain',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '😀',
  '\u202Espiral',
  '\u200F',
  '\u0000',
  'spiral\u0000',
  '\uD800',
  '\uDFFF',
  'a\uD83Db',
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'x'.repeat(3000),
  '9'.repeat(1000),
  Array(2000).fill('1').join(','),
  Array(40).fill('128').join(','),
  Array(64).fill('plain').join(','),
  Array(300).fill('v').join(','),
  `loss,${'z'.repeat(500)}`,
];
export const HOSTILE_KEY_TEXTS = [
  '__proto__',
  '__proto__[polluted]',
  'constructor',
  'constructor[prototype][polluted]',
  'constructor.prototype.polluted',
  'prototype',
  'hidden.__proto__',
  'hidden[__proto__]',
  '%5F%5Fproto%5F%5F',
  '__proto__%5Bpolluted%5D',
  'toString',
  'hasOwnProperty',
  'polluted',
  '',
  ' ',
  'seed ',
  ' seed',
  'SEED',
  'Seed',
  'se%65d',
  'k'.repeat(2000),
  '<script>alert(1)</script>',
  '😀',
  '\u202Eseed',
  '\u0000',
  '%ED%A0%80',
  '%zz',
  ...PAGE_OPTIONS,
];
export const ALPHABET = [
  '&',
  '=',
  '%',
  '#',
  '+',
  ',',
  ' ',
  '.',
  '-',
  'e',
  '0',
  '1',
  '9',
  'a',
  'z',
  '<',
  '>',
  '"',
  "'",
  '\\',
  '\u0000',
  '\uD800',
  '\uDC00',
  '😀',
  '\u202E',
  '%2',
  '%E0',
  '%ED%A0%80',
  '__proto__',
];

// mulberry32: small, seeded, and good enough to spread draws over the schema's ranges.
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  // 53 random bits, so drawn numbers need all 17 significant digits.
  return { next, ...drawsFrom(() => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992) };
}

// The draws the generators make, from any source of numbers in [0, 1): the seeded generator
// above, or fast-check's (which can then shrink a failing configuration to a small one).
export function drawsFrom(unit) {
  const int = (lo, hi) => lo + Math.floor(unit() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  const shuffle = (list) => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(0, i);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return { unit, int, pick, shuffle, chance: (p) => unit() < p };
}

// The link tools for one engine m: its schema, a link read as the page reads it, what a link's
// reading breaks, and random valid configurations.
export function linkKit(m) {
  const schema = m.configSchema();
  const names = schema.map((f) => f.name);
  const field = Object.fromEntries(schema.map((f) => [f.name, f]));

  // Which data sets have two classes, asked of the engine rather than assumed (the digits and a
  // table must be loaded for an experiment on them; the table is the one randomConfig counts).
  if (!m.digitsLoaded()) m.loadDigits(new Uint8Array(readFileSync(`${root}web/data/digits.bin`)));
  m.loadCsv(new Uint8Array(readFileSync(`${root}examples/heights-weights.csv`)), '');
  const twoClass = new Set(
    field.dataset.choices.filter(
      (dataset) =>
        withExperiment(
          m,
          { dataset, samples: 20, batchSize: 2, hidden: [], gridSize: 2, probes: false },
          (exp) => exp.data().classes,
        ) === 2,
    ),
  );

  // A link read the way the page reads it.
  function readLink(fragment) {
    const parsed = parseFragment(fragment, schema);
    const resolved = resolveConfig(parsed.config, m.validateConfig, schema);
    return { parsed, config: resolved.config, notes: [...parsed.notes, ...resolved.notes] };
  }

  const clamp = (x, { min, max }) => Math.min(max, Math.max(min, x));

  function drawNumber(r, f) {
    const roll = r.unit();
    if (roll < 0.05) return f.min;
    if (roll < 0.1) return f.max;
    if (roll < 0.4 && f.min > 0 && f.max / f.min > 100)
      return clamp(f.min * Math.exp(r.unit() * Math.log(f.max / f.min)), f); // log-uniform
    const x = clamp(f.min + r.unit() * (f.max - f.min), f);
    return roll < 0.6 ? clamp(Number(x.toPrecision(r.int(1, 4))), f) : x;
  }

  function drawInteger(r, lo, hi) {
    const roll = r.unit();
    if (roll < 0.05) return lo;
    if (roll < 0.1) return hi;
    return r.int(lo, hi);
  }

  // A random valid configuration: every field drawn from its schema range or choices, batchSize
  // within the training set (examples x trainFraction, rounded down), bce only on two classes.
  function randomConfig(r) {
    const c = {};
    for (const f of schema) {
      if (f.name === 'batchSize' || f.name === 'loss') continue;
      switch (f.type) {
        case 'integer':
          c[f.name] = drawInteger(r, f.min, f.max);
          break;
        case 'number':
          c[f.name] = drawNumber(r, f);
          break;
        case 'boolean':
          c[f.name] = r.chance(0.5);
          break;
        case 'choice':
          c[f.name] = r.pick(f.choices);
          break;
        case 'integer[]':
          c[f.name] = Array.from({ length: r.int(f.minItems, f.maxItems) }, () => drawInteger(r, f.min, f.max));
          break;
        case 'choice[]':
          c[f.name] = r.shuffle(f.choices).slice(0, r.int(f.minItems, f.maxItems));
          break;
        case 'number[]':
          c[f.name] = Array.from({ length: r.int(f.minItems, f.maxItems) }, () => drawNumber(r, f));
          break;
        default:
          throw new Error(`no generator for ${f.name}: ${f.type}`);
      }
    }
    // The digits always use all 1797 examples, the table loaded above its 200 rows; the 2-D sets
    // generate `samples`.
    const examples = { digits: 1797, csv: 200 }[c.dataset] ?? c.samples;
    const train = Math.floor(examples * c.trainFraction);
    c.batchSize = drawInteger(r, field.batchSize.min, Math.min(field.batchSize.max, train));
    c.loss = r.pick(field.loss.choices.filter((loss) => loss !== 'bce' || twoClass.has(c.dataset)));
    // Covariate shift needs a generated 2-D data set.
    if (c.dataset === 'digits' || c.dataset === 'csv') c.covariateShift = 0;
    return Object.fromEntries(names.map((name) => [name, c[name]]));
  }

  // What must hold of any link, as a list of broken rules (empty when all hold).
  function brokenRules(fragment) {
    let link;
    try {
      link = readLink(fragment);
    } catch (err) {
      return [`throws ${err?.name}: ${String(err?.message).slice(0, 80)}`];
    }
    const broken = [];
    const { parsed, config, notes } = link;
    if (Object.keys(parsed.config).some((k) => !names.includes(k))) broken.push('parsed config has a non-schema key');
    if (JSON.stringify(Object.keys(config)) !== JSON.stringify(names))
      broken.push('config keys are not the schema fields');
    let valid;
    try {
      valid = m.validateConfig(config);
    } catch (err) {
      broken.push(`config is refused by the validator: ${err.message.slice(0, 80)}`);
    }
    if (valid) {
      try {
        assert.deepEqual(valid, config);
      } catch {
        broken.push('config changes under validation');
      }
    }
    if (!Array.isArray(notes) || notes.some((n) => typeof n !== 'string')) broken.push('notes are not strings');
    else if (notes.some((n) => n.length >= MAX_NOTE))
      broken.push(`a note of ${Math.max(...notes.map((n) => n.length))} characters`);
    const { options } = parsed;
    if (Object.keys(options).some((k) => !PAGE_OPTIONS.includes(k) && k !== 'sweep'))
      broken.push('an unknown page option');
    if ('sweep' in options) broken.push(...sweepRules(options.sweep, config));
    for (const key of ['embed', 'paused'])
      if (key in options && typeof options[key] !== 'boolean') broken.push(`${key} is not a boolean`);
    if (
      'views' in options &&
      (!Array.isArray(options.views) ||
        options.views.some((v) => !VIEWS.includes(v)) ||
        new Set(options.views).size !== options.views.length)
    )
      broken.push('views are not distinct known views');
    return broken;
  }

  // A link's sweep holds only an axis or two, steps and a metric, and the engine judges it as the
  // page asks it to (sweep-controller.js: the link's configuration as the base): a sweep, or an
  // Error naming its fields in short messages.
  function sweepRules(sweep, config) {
    const broken = [];
    if (Object.keys(sweep).some((k) => !['x', 'y', 'steps', 'metric'].includes(k))) broken.push('an unknown sweep key');
    for (const axis of ['x', 'y'])
      if (axis in sweep && (typeof sweep[axis].field !== 'string' || !Array.isArray(sweep[axis].values)))
        broken.push(`sweep ${axis} is not { field, values }`);
    try {
      m.parseSweep({ base: config, steps: 1000, metric: 'testAccuracy', ...sweep });
    } catch (err) {
      if (!(err instanceof Error) || !Array.isArray(err.fields) || err.fields.length === 0)
        broken.push(`the sweep's refusal is not an Error with fields: ${String(err).slice(0, 80)}`);
      else if (err.fields.some((f) => typeof f.message !== 'string' || f.message.length >= 2000))
        broken.push('a refusal of the sweep of 2000 characters or more');
    }
    return broken;
  }

  return { schema, names, field, readLink, randomConfig, brokenRules };
}

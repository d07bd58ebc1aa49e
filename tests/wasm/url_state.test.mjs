// Share links (web/src/shared/link.js) against the engine's own schema and validator: every valid
// configuration survives a link exactly, and no link, however hostile, throws, pollutes, or
// yields anything but a valid configuration with short notes.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MAX_FRAGMENT, PAGE_OPTIONS, VIEWS, configToFragment, parseFragment } from '../../web/src/shared/link.js';
import { loadEngine } from './engine.mjs';
import { ALPHABET, HOSTILE_KEY_TEXTS, HOSTILE_VALUES, MAX_NOTE, linkKit, prng } from './links.mjs';

const m = await loadEngine();
const { schema, names, field, readLink, randomConfig, brokenRules } = linkKit(m);
const defaults = m.defaultConfig();

// c -> fragment -> c, with nothing to say on the way.
function assertRoundTrip(c, options = {}) {
  assert.deepEqual(m.validateConfig(c), c, 'the test builds valid, normalized configurations');
  const fragment = configToFragment(c, schema, options);
  assert.ok(fragment.startsWith('#') && fragment.length - 1 <= MAX_FRAGMENT, fragment);
  const link = readLink(fragment);
  assert.deepEqual(link.config, c, fragment);
  assert.deepEqual(link.notes, [], fragment);
  return link;
}

// Values away from the default at the edges of each field's range, and numbers that need
// every one of their 17 digits.
function edgeValues(f) {
  switch (f.type) {
    case 'integer':
      return [f.min, f.min + 1, Math.floor((f.min + f.max) / 2), f.max - 1, f.max];
    case 'number':
      return [
        f.min,
        f.max,
        0.1 + 0.2,
        1 / 3,
        2 / 3,
        Math.PI / 10,
        1e-6,
        1 - 2 ** -53,
        5e-324,
        f.min + (f.max - f.min) / 3,
        f.max - Number.EPSILON * f.max,
      ].filter((x) => x >= f.min && x <= f.max);
    case 'boolean':
      return [true, false];
    case 'choice':
      return f.choices;
    case 'integer[]':
      return [
        [],
        [f.min],
        [f.max],
        Array(f.maxItems).fill(f.max),
        Array(f.maxItems).fill(f.min),
        [f.max, f.min, 7],
        Array.from({ length: f.maxItems }, (_, i) => 1 + 13 * i),
      ];
    case 'number[]':
      return [
        [f.min],
        [f.max],
        Array(f.maxItems).fill(f.max),
        [0.1 + 0.2, 1 / 3, Math.PI / 10, 1 - 2 ** -53],
        Array.from({ length: f.maxItems }, (_, i) => f.min + (f.max - f.min) * (i / 15) ** 3),
      ];
    case 'choice[]': {
      // Every non-empty ordered selection: order is part of the meaning (it is the drawing order).
      const out = [];
      const extend = (prefix) => {
        if (prefix.length >= f.minItems) out.push(prefix);
        if (prefix.length < f.maxItems)
          for (const choice of f.choices) if (!prefix.includes(choice)) extend([...prefix, choice]);
      };
      extend([]);
      return out;
    }
    default:
      throw new Error(`no edge values for ${f.name}: ${f.type}`);
  }
}

// Other fields a value needs to be valid: a tiny or huge data set needs a batch size to match.
function withValue(name, value) {
  const c = { ...defaults, [name]: value };
  if (name === 'samples' || name === 'trainFraction') c.batchSize = field.batchSize.min;
  if (name === 'batchSize') Object.assign(c, { samples: field.samples.max, trainFraction: field.trainFraction.max });
  return c;
}

test('every field survives a link at its edge values: min, max, 17-digit numbers, list extremes, every arm order', () => {
  let cases = 0;
  for (const f of schema) {
    const values = edgeValues(f);
    assert.ok(
      values.some((v) => JSON.stringify(v) !== JSON.stringify(f.default)),
      `${f.name} has non-default cases`,
    );
    for (const value of values) {
      assertRoundTrip(withValue(f.name, value));
      cases++;
    }
  }
  assertRoundTrip({ ...defaults, seed: 4294967295 });
  assertRoundTrip({ ...defaults, hidden: Array(10).fill(128) });
  assertRoundTrip({ ...defaults, arms: ['bn-after', 'plain', 'bn-before'] });
  assert.ok(cases > 100, `${cases} cases`);
});

test('500 random valid configurations survive a link exactly', () => {
  const r = prng(20240601);
  const seen = new Set();
  for (let i = 0; i < 500; i++) {
    const c = randomConfig(r);
    assertRoundTrip(c);
    seen.add(`${c.dataset} ${c.loss} ${c.arms.length} ${c.hidden.length}`);
  }
  // The draws cover the choices, not one corner of them.
  assert.ok(seen.size > 100, `${seen.size} distinct dataset/loss/arms/depth combinations`);
});

test('page options (embed, views, paused) survive a link beside the configuration', () => {
  const r = prng(7);
  for (let i = 0; i < 200; i++) {
    const c = randomConfig(r);
    const options = {
      embed: r.chance(0.5),
      paused: r.chance(0.5),
      views: r.shuffle(VIEWS).slice(0, r.int(0, VIEWS.length)),
    };
    const { parsed } = assertRoundTrip(c, options);
    assert.equal(parsed.options.embed ?? false, options.embed);
    assert.equal(parsed.options.paused ?? false, options.paused);
    assert.deepEqual(parsed.options.views ?? [], options.views);
  }
  const { parsed } = assertRoundTrip(defaults, { embed: true, paused: true, views: ['noise', 'boundary'] });
  assert.deepEqual(parsed.options, { embed: true, paused: true, views: ['noise', 'boundary'] });
});

test("a lesson survives a link, and an old link's scenario= names the same lesson with the same configuration", () => {
  const fragment = configToFragment({ ...defaults, batchSize: 4 }, schema, { lesson: 'inference' });
  assert.match(fragment, /&lesson=inference$/);
  const now = parseFragment(fragment, schema);
  const old = parseFragment(fragment.replace('&lesson=', '&scenario='), schema);
  assert.deepEqual(now.options, { lesson: 'inference' });
  assert.deepEqual(old, now);
  assert.deepEqual(old.notes, []);
});

test('a refused field is named in a note and takes its default; the other fields are kept', () => {
  const link = readLink('#learningRate=5000&seed=9');
  assert.equal(link.config.learningRate, defaults.learningRate);
  assert.equal(link.config.seed, 9);
  assert.equal(link.notes.length, 1);
  assert.match(link.notes[0], /^learningRate: /);
  assert.match(link.notes[0], /5000/);
});

test('an unknown setting is named in a note, clipped when long', () => {
  const link = readLink('#learningrate=0.1');
  assert.deepEqual(link.config, defaults);
  assert.equal(link.notes.length, 1);
  assert.match(link.notes[0], /"learningrate"/);

  const long = readLink(`#${'q'.repeat(1000)}=1`);
  assert.equal(long.notes.length, 1);
  assert.ok(long.notes[0].includes('q'.repeat(30)), long.notes[0]);
  assert.ok(long.notes[0].length < 100, `${long.notes[0].length} characters`);
});

test('a field given twice takes the last value', () => {
  assert.equal(readLink('#seed=5&seed=7').config.seed, 7);
  const link = readLink('#seed=banana&dataset=xor&seed=7');
  assert.equal(link.config.seed, 7);
  assert.equal(link.config.dataset, 'xor');
  assert.deepEqual(link.notes, []);
  assert.deepEqual(readLink('#arms=plain&arms=bn-after,plain').config.arms, ['bn-after', 'plain']);
});

test(`a fragment of ${MAX_FRAGMENT} characters is read; one character more is refused whole with a note`, () => {
  const c = { ...defaults, seed: 42, dataset: 'xor' };
  const fragment = configToFragment(c, schema);
  // Empty parts ('&&') are skipped, so padding changes the length and nothing else.
  const padded = fragment + '&'.repeat(MAX_FRAGMENT - (fragment.length - 1));
  assert.equal(padded.length - 1, MAX_FRAGMENT);
  assert.deepEqual(readLink(padded).config, c);
  const over = readLink(`${padded}&`);
  assert.deepEqual(over.config, defaults);
  assert.equal(over.notes.length, 1);
  assert.match(over.notes[0], new RegExp(`${MAX_FRAGMENT + 1}.*${MAX_FRAGMENT}`));
});

test('samples too small for the default batch size is named in a note; the other fields are kept', () => {
  // 20 x 0.5 = 10 training examples, below the default batch size of 32: the engine blames
  // batchSize, which the link did not set.
  assert.ok(Math.floor(20 * defaults.trainFraction) < defaults.batchSize);
  const link = readLink('#samples=20&seed=5&dataset=xor');
  assert.equal(link.config.seed, 5);
  assert.equal(link.config.dataset, 'xor');
  assert.equal(link.config.samples, defaults.samples);
  assert.ok(
    link.notes.some((note) => note.startsWith('samples:')),
    JSON.stringify(link.notes),
  );
});

test('a boolean field given an Object.prototype name is refused with a note naming it', () => {
  for (const text of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']) {
    const link = readLink(`#standardize=${text}`);
    assert.equal(link.config.standardize, defaults.standardize, text);
    assert.ok(
      link.notes.some((note) => note.startsWith('standardize:')),
      `${text}: ${JSON.stringify(link.notes)}`,
    );
  }
});

test('a lone surrogate in one value drops that field with a note naming it, not the whole link', () => {
  // decodeURIComponent refuses %ED%A0%80, but a raw lone surrogate passes straight through,
  // and the engine's JSON reader refuses the whole configuration.
  const link = readLink('#dataset=\uD800&seed=5');
  assert.equal(link.config.seed, 5);
  assert.equal(link.config.dataset, defaults.dataset);
  assert.ok(
    link.notes.some((note) => note.startsWith('dataset:')),
    JSON.stringify(link.notes),
  );
});

test('a views list of many unknown names gives a note under 500 characters', () => {
  const link = readLink(`#views=loss,${Array.from({ length: 300 }, (_, i) => `v${i}`).join(',')}`);
  assert.deepEqual(link.parsed.options.views, ['loss']);
  assert.equal(link.notes.length, 1);
  assert.match(link.notes[0], /^views: /);
  assert.ok(link.notes[0].length < MAX_NOTE, `${link.notes[0].length} characters`);
});

// Hostile links --------------------------------------------------------------------------------

const HOSTILE_KEYS = [...HOSTILE_KEY_TEXTS, ...names];

function randomText(r, length) {
  let s = '';
  while (s.length < length) {
    const roll = r.unit();
    if (roll < 0.4) s += r.pick(ALPHABET);
    else if (roll < 0.8) s += String.fromCharCode(r.int(0, 0xffff));
    else s += String.fromCharCode(r.int(32, 126));
  }
  return s;
}

function mutate(r, fragment) {
  let s = fragment;
  for (let k = r.int(1, 6); k > 0; k--) {
    const i = r.int(0, Math.max(0, s.length - 1));
    switch (r.int(0, 7)) {
      case 0:
        s = s.slice(0, i) + s.slice(i + 1);
        break; // delete
      case 1:
        s = s.slice(0, i) + s[i] + s.slice(i);
        break; // duplicate
      case 2:
        s = s.slice(0, i) + (s[i + 1] ?? '') + (s[i] ?? '') + s.slice(i + 2);
        break; // swap
      case 3:
        s = s.slice(0, i) + r.pick(ALPHABET) + s.slice(i);
        break; // insert
      case 4: {
        // garbage value
        const parts = s.split('&');
        const j = r.int(0, parts.length - 1);
        parts[j] = `${parts[j].split('=')[0]}=${r.pick(HOSTILE_VALUES)}`;
        s = parts.join('&');
        break;
      }
      case 5: {
        // repeat a part
        const parts = s.split('&');
        s = `${s}&${r.pick(parts).replace(/^#/, '')}`;
        break;
      }
      case 6: {
        // garbage key
        const parts = s.split('&');
        const j = r.int(0, parts.length - 1);
        const eq = parts[j].indexOf('=');
        parts[j] = `${r.pick(HOSTILE_KEYS)}${eq < 0 ? '' : parts[j].slice(eq)}`;
        s = parts.join('&');
        break;
      }
      default: {
        // drop a part
        const parts = s.split('&');
        parts.splice(r.int(0, parts.length - 1), 1);
        s = parts.join('&');
      }
    }
  }
  return s;
}

function hostileFragments() {
  const r = prng(1337);
  const out = [
    '',
    '#',
    '##',
    '#&',
    '#&&&',
    '#=',
    '#==',
    '#=1',
    '#=&=&=',
    '#seed',
    '#seed=',
    '#seed&seed',
    '#learningRate=5000',
    '#__proto__=1',
    '#__proto__[polluted]=1',
    '#constructor[prototype][polluted]=1',
    '#constructor=1',
    '#constructor.prototype.polluted=1',
    '#hidden.__proto__=1',
    '#polluted=1',
    `#hidden=${Array(10000).fill('1').join(',')}`,
    `#hidden=${Array(2040).fill('1').join(',')}`,
    `#${'x'.repeat(MAX_FRAGMENT + 1)}`,
    `#seed=${'1'.repeat(MAX_FRAGMENT)}`,
    '#dataset=<script>alert(1)</script>',
    '#dataset="><img src=x onerror=alert(1)>',
    '#views=<script>alert(1)</script>',
    '#embed=<script>',
    '#%E0%A4%A=%E0%A4%A',
    '#%zz=%zz',
    '#dataset=%ED%A0%80',
    '#dataset=\uD800',
    '#\uD800=1',
    '#seed=\u0000',
    '#views=😀,\u202E,\u0000',
    `#views=loss,${Array.from({ length: 300 }, (_, i) => `view${i}`).join(',')}`,
    `#views=${'w'.repeat(4000)}`,
    `#${Array.from({ length: 800 }, (_, i) => `k${i}`).join('&')}`,
    `#${'seed=1&'.repeat(580)}`,
    `#${'&'.repeat(MAX_FRAGMENT)}`,
    `#${'='.repeat(MAX_FRAGMENT)}`,
    `#${'%'.repeat(MAX_FRAGMENT)}`,
    `#${'%E0%A4%A'.repeat(500)}`,
  ];
  for (const key of HOSTILE_KEYS) for (const value of ['1', r.pick(HOSTILE_VALUES)]) out.push(`#${key}=${value}`);
  for (const f of schema) for (const value of HOSTILE_VALUES) out.push(`#${f.name}=${value}`);
  for (const value of HOSTILE_VALUES) for (const key of PAGE_OPTIONS) out.push(`#${key}=${value}`);
  while (out.length < 2500) {
    const valid = configToFragment(
      randomConfig(r),
      schema,
      r.chance(0.3) ? { embed: r.chance(0.5), paused: r.chance(0.5), views: r.shuffle(VIEWS).slice(0, 2) } : {},
    );
    out.push(mutate(r, valid));
  }
  while (out.length < 4000) {
    // Several settings, each a hostile or valid key with a hostile value, some with no '='.
    const parts = Array.from({ length: r.int(1, 12) }, () => {
      const key = r.chance(0.6) ? r.pick(names) : r.pick(HOSTILE_KEYS);
      return r.chance(0.1) ? key : `${key}=${r.pick(HOSTILE_VALUES)}`;
    });
    out.push(`#${parts.join('&')}`);
  }
  while (out.length < 5500) out.push(`${r.chance(0.5) ? '#' : ''}${randomText(r, r.int(0, 300))}`);
  while (out.length < 5600) out.push(`#${randomText(r, r.int(MAX_FRAGMENT - 5, MAX_FRAGMENT + 2000))}`);
  return out;
}

const hostile = hostileFragments();

// Object.prototype's own properties, to compare before and after.
const prototypeSnapshot = () =>
  Object.getOwnPropertyNames(Object.prototype).map((name) => [
    name,
    Object.getOwnPropertyDescriptor(Object.prototype, name),
  ]);

test(`${hostile.length} hostile links never throw, give a valid normalized configuration and short notes, and pollute nothing`, () => {
  assert.ok(hostile.length >= 5000);
  assert.ok(hostile.filter((f) => f.replace(/^#/, '').length > MAX_FRAGMENT).length >= 100, 'some are over the limit');
  const before = prototypeSnapshot();
  const failures = new Map(); // rule -> first fragment breaking it, and how many do
  for (const fragment of hostile) {
    for (const rule of brokenRules(fragment)) {
      const kind = rule.replace(/\d+/g, 'N');
      const seen = failures.get(kind) ?? { count: 0, example: `${rule} <- ${JSON.stringify(fragment.slice(0, 120))}` };
      seen.count++;
      failures.set(kind, seen);
    }
  }
  const report = [...failures.values()].map(({ count, example }) => `${count}x ${example}`);
  assert.deepEqual(report, []);
  assert.deepEqual(prototypeSnapshot(), before);
  assert.equal({}.polluted, undefined);
  assert.equal(Object.prototype.polluted, undefined);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
  assert.equal({}.constructor, Object);
  assert.equal(Array.prototype.polluted, undefined);
});

test('in every hostile link, each field it sets is used as given or named in a note', () => {
  const GENERIC = /could not be used together/;
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  const lost = new Map(); // how a field was lost -> { fields, example }
  for (const fragment of hostile) {
    const { parsed, config, notes } = readLink(fragment);
    for (const [name, value] of Object.entries(parsed.config)) {
      // JSON text compares as the engine does: -0 is 0, 1e-400 is 0.
      if (JSON.stringify(config[name]) === JSON.stringify(value)) continue;
      if (notes.some((note) => note.startsWith(`${name}:`))) continue;
      const how = `${
        Object.values(parsed.config)
          .flat()
          .some((v) => typeof v === 'string' && loneSurrogate.test(v))
          ? 'with a lone surrogate in the link, '
          : ''
      }${
        notes.some((note) => GENERIC.test(note))
          ? 'dropped with every other field under a generic note'
          : 'dropped without a note'
      }`;
      const entry = lost.get(how) ?? {
        fields: new Set(),
        example: `${name} <- ${JSON.stringify(fragment.slice(0, 100))}`,
      };
      entry.fields.add(name);
      lost.set(how, entry);
    }
  }
  assert.deepEqual(
    [...lost].map(([how, { fields, example }]) => `${how}: ${[...fields].join(', ')}; e.g. ${example}`),
    [],
  );
});

test('wellFormed replaces lone surrogates as String.prototype.toWellFormed does, on browsers without it too', async () => {
  const { wellFormed } = await import('../../web/src/shared/schema-text.js');
  const samples = ['plain', 'a\uD800b', '\uDC00', '\uD83D\uDE00', '\uD83D', 'x\uDE00\uD83Dy', '\uD800\uD800\uDC00', ''];
  for (const text of samples) assert.equal(wellFormed(text), text.toWellFormed(), JSON.stringify(text));
  // Every single code unit of the surrogate ranges and around them.
  for (let c = 0xd7f0; c <= 0xe010; ++c) {
    const text = `a${String.fromCharCode(c)}b`;
    assert.equal(wellFormed(text), text.toWellFormed(), c.toString(16));
  }
});

// The link reader (web/src/shared/link.js, schema-text.js) under property-based tests
// (fast-check): any string as a fragment gives a valid configuration with short notes and
// never an exception, and configuration -> link -> configuration is the identity for every
// valid configuration the seeded generator of url_state.test.mjs can make (the same rules,
// drawn by fast-check, which shrinks a failing case to a small one). Each run draws new
// cases; a failure prints its seed and path, and FC_SEED=<seed> replays it. A table's data= in
// a link (table-link.js) likewise: any text gives a table within the limit or a named Error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';

import { PAGE_OPTIONS, VIEWS, configToFragment } from '../../web/src/shared/link.js';
import { MAX_DATA, MAX_TABLE_BYTES, decodeTable, encodeTable } from '../../web/src/shared/table-link.js';
import { MAX_LIST, axisValuesFromText, number, valueFromText, wellFormed } from '../../web/src/shared/schema-text.js';
import { loadEngine } from './engine.mjs';
import { ALPHABET, HOSTILE_KEY_TEXTS, HOSTILE_VALUES, drawsFrom, linkKit } from './links.mjs';

const m = await loadEngine();
const { schema, names, readLink, randomConfig, brokenRules } = linkKit(m);
const runs = (numRuns) => ({ numRuns, ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}) });

// Any UTF-16 code unit, lone surrogates included: what a hand-edited address can hold.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
// Text made of the pieces a link is made of, hostile ones included, and of anything at all.
const piece = fc.oneof(fc.constantFrom(...ALPHABET, ...HOSTILE_VALUES), codeUnit, fc.string({ unit: 'binary' }));
const anyText = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));
// A fragment as key=value settings: the schema's names, the page's options, the sweep's keys and
// hostile keys, each with any value or none.
const key = fc.oneof(
  fc.constantFrom(
    ...names,
    ...PAGE_OPTIONS,
    ...HOSTILE_KEY_TEXTS,
    'sweepX',
    'sweepY',
    'sweepSteps',
    'sweepMetric',
    'scenario',
  ),
  anyText,
);
const setting = fc.oneof(
  fc.tuple(key, anyText).map(([k, v]) => `${k}=${v}`),
  fc.tuple(key, fc.constantFrom(...HOSTILE_VALUES)).map(([k, v]) => `${k}=${v}`),
  key,
);
const fragment = fc.oneof(
  anyText,
  fc.array(setting, { maxLength: 30 }).map((parts) => `#${parts.join('&')}`),
  fc.string({ unit: codeUnit, maxLength: 5000 }),
);

// A valid configuration, drawn by the seeded generator's own rules from fast-check's numbers.
const validConfig = fc
  .gen()
  .map((g) => randomConfig(drawsFrom(() => g(fc.double, { min: 0, max: 1, maxExcluded: true, noNaN: true }))));
const pageOptions = fc.record(
  { embed: fc.boolean(), paused: fc.boolean(), views: fc.shuffledSubarray(VIEWS) },
  { requiredKeys: [] },
);

test('any string as a fragment gives a valid configuration and short notes, never an exception', () => {
  fc.assert(
    fc.property(fragment, (text) => {
      assert.deepEqual(brokenRules(text), []);
    }),
    runs(1500),
  );
});

test('configuration -> link -> configuration is the identity for every valid configuration, with page options beside it', () => {
  fc.assert(
    fc.property(validConfig, pageOptions, (config, options) => {
      assert.deepEqual(m.validateConfig(config), config, 'the generator makes valid, normalized configurations');
      const link = readLink(configToFragment(config, schema, options));
      assert.deepEqual(link.config, config);
      assert.deepEqual(link.notes, []);
      assert.equal(link.parsed.options.embed ?? false, options.embed ?? false);
      assert.equal(link.parsed.options.paused ?? false, options.paused ?? false);
      assert.deepEqual(link.parsed.options.views ?? [], options.views ?? []);
    }),
    runs(1000),
  );
});

test("schema-text converts any text by the field's type without throwing: a finite number or the text itself, at most 65 list items", () => {
  const types = [...new Set(schema.map((f) => f.type))];
  fc.assert(
    fc.property(anyText, fc.constantFrom(...types), (text, type) => {
      const n = number(text);
      assert.ok(n === text || (typeof n === 'number' && Number.isFinite(n)));
      const value = valueFromText({ type }, text);
      if (type.endsWith('[]')) {
        assert.ok(Array.isArray(value) && value.length <= MAX_LIST + 1);
        assert.ok(value.every((v) => typeof v === 'string' || Number.isFinite(v)));
      }
      const axis = axisValuesFromText(type, text);
      assert.ok(Array.isArray(axis) && axis.length <= MAX_LIST + 1);
    }),
    runs(2000),
  );
});

test('wellFormed leaves no lone surrogate, changes nothing else, and equals String.prototype.toWellFormed', () => {
  fc.assert(
    fc.property(fc.string({ unit: codeUnit, maxLength: 60 }), (text) => {
      const out = wellFormed(text);
      assert.equal(out, text.toWellFormed());
      assert.ok(out.isWellFormed());
      assert.equal(out.length, text.length);
      assert.equal(wellFormed(out), out);
    }),
    runs(3000),
  );
});

// A table in a link (table-link.js): any data= text gives the bytes of a table of at most the
// engine's limit and a byte, or an Error saying the data is damaged or too long; and any text
// small enough to ride in a link comes back from it byte for byte.
const base64url = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
});
test("any data= gives a table's bytes within the limit or an Error naming the damage, never another failure", async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(anyText, base64url), async (data) => {
      try {
        const bytes = await decodeTable(data);
        assert.ok(bytes instanceof Uint8Array && bytes.length <= MAX_TABLE_BYTES);
      } catch (err) {
        assert.ok(err instanceof Error);
        assert.match(err.message, /^the link's data is damaged \(|^the data is \d+ characters long/);
      }
    }),
    runs(300),
  );
  // A deflate bomb: 4 MB and more of one byte deflates to a few KB; it inflates to the limit.
  const bomb = await encodeTable('1'.repeat(8 * 1024 * 1024));
  assert.ok(bomb !== null && bomb.length < 16000, `${bomb?.length} characters`);
  // Processor time, not wall time: other suites run beside this one.
  const started = process.cpuUsage();
  assert.equal((await decodeTable(bomb)).length, MAX_TABLE_BYTES);
  const { user, system } = process.cpuUsage(started);
  assert.ok(user + system < 2e6, `${(user + system) / 1e6} s`);
});

test('any text that fits a link comes back from data= byte for byte', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 2000 }), async (text) => {
      const data = await encodeTable(text);
      if (data === null) return;
      assert.ok(data.length <= MAX_DATA);
      assert.deepEqual(await decodeTable(data), new TextEncoder().encode(text));
    }),
    runs(300),
  );
});

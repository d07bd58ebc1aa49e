// Your own data through the bindings: the page (m.loadCsv) and bnlab-run --data-csv refuse the
// same hostile files with the same messages (tests/fixtures/csv/hostile.json, which the C++
// test holds to the reader); a table's run is the same bit for bit natively and in wasm, and
// after a round trip through a share link; the export (its own module, which the page's engine
// does not carry) is the same text from both, on a table handed over as the worker hands it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { configToFragment, parseFragment, resolveConfig } from '../../web/src/shared/link.js';
import { decodeTable, encodeTable, MAX_DATA } from '../../web/src/shared/table-link.js';
import { loadEngine, loadExporter, root, withExperiment } from './engine.mjs';

const m = await loadEngine();
const schema = m.configSchema();
const run = `${root}build/native/bnlab-run`;
const dir = mkdtempSync(join(tmpdir(), 'bnlab-csv-'));
const { cases } = JSON.parse(readFileSync(`${root}tests/fixtures/csv/hostile.json`, 'utf8'));
const example = readFileSync(`${root}examples/heights-weights.csv`);

// A case's file as bytes (the fixture's rules: text as UTF-8, latin1 a byte a character, or
// generated to a size).
function bytesOf(c) {
  if (c.text !== undefined) return new TextEncoder().encode(c.text);
  if (c.latin1 !== undefined) return Uint8Array.from(c.latin1, (ch) => ch.charCodeAt(0));
  const g = c.generate;
  const lines = [g.header];
  if (g.bytes) {
    const row = `${g.row}\n`;
    const text = `${g.header}\n${row.repeat(Math.ceil(g.bytes / row.length))}`;
    return new TextEncoder().encode(text);
  }
  for (let i = 0; i < g.count; ++i) lines.push(g.rows[i % g.rows.length]);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

function nativeRun(config, file, steps = 100) {
  return JSON.parse(
    execFileSync(run, ['--steps', String(steps), '--data-csv', file, '-'], {
      input: JSON.stringify(config),
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
}

function wasmHistory(config, steps = 100) {
  return withExperiment(m, config, (exp) => {
    exp.step(steps);
    return exp.history();
  });
}

const bits = (floats) => Array.from(new Uint32Array(Float32Array.from(floats, (v) => v ?? Number.NaN).buffer));

test('the page and bnlab-run refuse every hostile file with the same message, or read it the same', () => {
  for (const c of cases) {
    const bytes = bytesOf(c);
    const file = join(dir, 'hostile.csv');
    writeFileSync(file, bytes);
    const cli = spawnSync(run, ['--data-csv', file, ...(c.label ? ['--label', c.label] : []), '--steps', '0', '-'], {
      input: '{"hidden": [2], "batchSize": 2}',
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    if (c.error) {
      assert.throws(
        () => m.loadCsv(bytes, c.label ?? ''),
        (err) => err instanceof Error && err.message === c.error,
        c.name,
      );
      assert.equal(cli.status, 1, c.name);
      assert.equal(cli.stderr, `bnlab-run: ${file}: ${c.error}\n`, c.name);
    } else {
      const table = m.loadCsv(bytes, c.label ?? '');
      assert.equal(table.rows, c.read.rows, c.name);
      assert.deepEqual(table.featureNames, c.read.featureNames, c.name);
      assert.deepEqual(table.classNames, c.read.classNames, c.name);
      assert.equal(cli.status, 0, `${c.name}: ${cli.stderr}`);
      assert.deepEqual(JSON.parse(cli.stdout).config.dataset, 'csv');
    }
  }
});

test('a table trains to the same numbers natively and in wasm, and names its columns', () => {
  const file = join(dir, 'example.csv');
  writeFileSync(file, example);
  const table = m.loadCsv(example, '');
  assert.deepEqual(table.featureNames, ['height_m', 'weight_kg']);
  assert.equal(m.loadedTable().fingerprint, table.fingerprint);
  const config = { dataset: 'csv', hidden: [8, 8], arms: ['plain', 'bn-before'], learningRate: 0.5 };
  const native = nativeRun(config, file);
  const wasm = wasmHistory(config);
  for (let a = 0; a < 2; ++a)
    for (const series of ['trainLoss', 'testAccuracy', 'batchLoss'])
      assert.deepEqual(bits(wasm.arms[a][series]), bits(native.arms[a].history[series]), series);
  withExperiment(m, config, (exp) => {
    assert.deepEqual(exp.data().featureNames, ['height_m', 'weight_kg']);
    assert.equal(exp.gridInfo().size, 48); // two features, two classes: the map
  });
  // batchSize is held to the table's training set (200 rows x 0.5).
  assert.throws(
    () => m.validateConfig({ dataset: 'csv', batchSize: 101 }),
    (err) => err.fields?.[0]?.field === 'batchSize',
  );
});

test('a table read from a file round-trips through a share link to the same run, bit for bit', async () => {
  const config = m.validateConfig({ dataset: 'csv', hidden: [8], arms: ['bn-before', 'dropout'], seed: 3 });
  const before = m.loadCsv(example, '');
  const history = wasmHistory(config, 150);
  const data = await encodeTable(before.text);
  assert.ok(data && data.length < 2000, `${data?.length} characters`);
  const fragment = configToFragment(config, schema, { table: { data, name: 'heights.csv', id: before.fingerprint } });

  m.loadCsv(new TextEncoder().encode('a,b\n1,x\n2,y\n3,x\n4,y\n5,x\n6,y\n7,x\n8,y\n9,x\n10,y\n'), '');
  const link = parseFragment(fragment, schema);
  assert.deepEqual(link.notes, []);
  assert.equal(link.options.table.name, 'heights.csv');
  const after = m.loadCsv(await decodeTable(link.options.table.data), '');
  assert.equal(after.fingerprint, link.options.table.id);
  assert.equal(after.text, before.text);
  const resolved = resolveConfig(link.config, (c) => m.validateConfig(c), schema);
  assert.deepEqual(resolved.notes, []);
  const again = wasmHistory(resolved.config, 150);
  for (let a = 0; a < 2; ++a) assert.deepEqual(bits(again.arms[a].trainLoss), bits(history.arms[a].trainLoss));
});

test('a table too large for a link leaves its name and fingerprint there, not its data', async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `${Math.sin(i) * 1000},${Math.cos(i * 7) * 1e-3},${i % 3}`);
  const big = m.loadCsv(new TextEncoder().encode(`x,y,label\n${rows.join('\n')}\n`), '');
  assert.equal(await encodeTable(big.text), null);
  const config = m.validateConfig({ dataset: 'csv' });
  const fragment = configToFragment(config, schema, { table: { name: 'big.csv', id: big.fingerprint } });
  const link = parseFragment(fragment, schema);
  assert.deepEqual(link.options.table, { name: 'big.csv', id: big.fingerprint });
  assert.equal(link.config.dataset, 'csv');
  // A data= longer than MAX_DATA, or damaged, is refused, never read as another table.
  assert.match(parseFragment(`#dataset=csv&data=${'A'.repeat(MAX_DATA + 1)}`, schema).notes[0], /ignored/);
  await assert.rejects(decodeTable('not!base64'), /damaged/);
  await assert.rejects(decodeTable('AAAA'), /damaged/);
});

test("a sweep's cell on a table equals bnlab-run --sweep --data-csv's", () => {
  const file = join(dir, 'example.csv');
  writeFileSync(file, example);
  m.loadCsv(example, '');
  const sweep = { base: { dataset: 'csv', hidden: [4] }, x: { field: 'learningRate', values: [0.1, 1] }, steps: 30 };
  const native = JSON.parse(
    execFileSync(run, ['--sweep', '--threads', '1', '--data-csv', file, '-'], {
      input: JSON.stringify(sweep),
      encoding: 'utf8',
    }),
  );
  for (const index of [0, 1]) assert.deepEqual(m.sweepCell(sweep, index), native.cells[index]);
});

test('the export is the same text from its module and from bnlab-run, on a table as the worker hands it over', async () => {
  const exporter = await loadExporter();
  assert.equal(m.exportRun, undefined, "the page's engine does not carry the export");
  const config = { hidden: [8], arms: ['plain', 'bn-noisy'] };
  for (const format of ['pytorch', 'notebook']) {
    const native = execFileSync(run, ['--export', format, '--steps', '300', '-'], {
      input: JSON.stringify(config),
      encoding: 'utf8',
    });
    assert.equal(exporter.exportRun(config, format, 300), native);
  }
  assert.throws(() => exporter.exportRun({}, 'keras', 10), /"pytorch" \(a script\) or "notebook"/);
  // The table the engine read, handed over as its text (web/src/worker/engine.js's exporterFor).
  const file = join(dir, 'export.csv');
  writeFileSync(file, example);
  const read = m.loadCsv(example, '');
  assert.equal(exporter.loadCsv(new TextEncoder().encode(m.loadedTable().text), '').fingerprint, read.fingerprint);
  const onTable = { dataset: 'csv', hidden: [4] };
  const native = execFileSync(run, ['--export', 'pytorch', '--steps', '50', '--data-csv', file, '-'], {
    input: JSON.stringify(onTable),
    encoding: 'utf8',
  });
  assert.equal(exporter.exportRun(onTable, 'pytorch', 50), native);
});

// What the page weighs: each file the page or the one-file page downloads, raw and gzipped (node's
// gzip at level 9), the page's first load summed. bench/run.mjs reports it with the rest;
// alone, it prints the table in a second (after ./build.sh build).
//   node bench/bytes.mjs [DIST_DIR]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));

export const FIRST_LOAD = 'the page (html, css, app.js with Chart.js, worker.js, wasm, glue)';

export function measureBytes(dist = join(root, 'dist')) {
  const size = (file) => {
    const bytes = readFileSync(join(dist, file));
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const sum = (files) => files.map(size).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }));
  return {
    'bnlab.wasm + bnlab.js': sum(['bnlab.wasm', 'bnlab.js']),
    [FIRST_LOAD]: sum(['index.html', 'style.css', 'app.js', 'worker.js', 'bnlab.wasm', 'bnlab.js']),
    'digits.bin (loaded only for the digits)': size('digits.bin'),
    'bnlab-export.wasm + bnlab-export.js (loaded only on the first Open in PyTorch)': sum([
      'bnlab-export.wasm',
      'bnlab-export.js',
    ]),
    'bnlab-standalone.html': size('bnlab-standalone.html'),
  };
}

export const bytesTable = (bytes) => [
  '| what | raw | gzip -9 |',
  '| --- | --- | --- |',
  ...Object.entries(bytes).map(
    ([k, v]) => `| ${k} | ${(v.raw / 1024).toFixed(1)} KB | ${(v.gzip / 1024).toFixed(1)} KB |`,
  ),
];

if (process.argv[1] === fileURLToPath(import.meta.url))
  console.log(bytesTable(measureBytes(process.argv[2])).join('\n'));

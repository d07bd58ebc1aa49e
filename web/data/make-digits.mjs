// Makes web/data/digits.bin from the UCI digits CSV (../shared/data/digits.csv.gz): the
// 1797 handwritten digits of the "Optical Recognition of Handwritten Digits" test set
// (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0), 8x8 pixels of 0..16 and a label 0..9 each.
//   node web/data/make-digits.mjs [CSV.gz] [OUT.bin]
//
// Format (little-endian): "BNLD", version 1, bits per pixel (5), example count (u16),
// features (64), classes (10); then every pixel, example after example, row-major, packed
// 5 bits each, least significant bit first; then one label byte per example. 73,687 bytes
// against 116,805 at a byte per pixel (46 KB and 44 KB gzipped): small with or without the
// server's compression, and read without a decompressor by the engine and the browser.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const [input = '../shared/data/digits.csv.gz', output = 'web/data/digits.bin'] = process.argv.slice(2);
const rows = gunzipSync(readFileSync(input))
  .toString('utf8')
  .trim()
  .split('\n')
  .map((line) => line.split(',').map(Number));
const FEATURES = 64,
  CLASSES = 10,
  BITS = 5;
for (const row of rows) {
  if (row.length !== FEATURES + 1) throw new Error(`a row has ${row.length} values, expected 65`);
  if (row.slice(0, FEATURES).some((v) => !Number.isInteger(v) || v < 0 || v > 16))
    throw new Error('a pixel outside 0..16');
  if (!Number.isInteger(row[FEATURES]) || row[FEATURES] < 0 || row[FEATURES] >= CLASSES)
    throw new Error('a label outside 0..9');
}
const header = Buffer.from([...Buffer.from('BNLD'), 1, BITS, rows.length & 255, rows.length >> 8, FEATURES, CLASSES]);
const packed = Buffer.alloc(Math.ceil((rows.length * FEATURES * BITS) / 8));
let bit = 0;
for (const row of rows) {
  for (const value of row.slice(0, FEATURES)) {
    for (let b = 0; b < BITS; b++, bit++) if ((value >> b) & 1) packed[bit >> 3] |= 1 << (bit & 7);
  }
}
const labels = Buffer.from(rows.map((row) => row[FEATURES]));
const out = Buffer.concat([header, packed, labels]);
writeFileSync(output, out);
console.log(`${output}: ${rows.length} digits, ${out.length} bytes`);

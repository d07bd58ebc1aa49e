// The README's configuration table, made from the schema the engine exports, so the docs
// cannot drift from the validator. `node tests/wasm/readme.mjs` rewrites the table in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { loadEngine, root } from './engine.mjs';

export const README = `${root}README.md`;
const BEGIN = '<!-- schema:begin (made by node tests/wasm/readme.mjs) -->';
const END = '<!-- schema:end -->';

const code = (value) => `\`${JSON.stringify(value).replaceAll(',', ', ')}\``;

export function schemaTable(schema) {
  const rows = schema.map((f) => `| \`${f.name}\` | ${code(f.default)} | ${f.requirement} | ${f.doc} |`);
  return ['| field | default | allowed | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

// The table as the README has it now, or null when the markers are missing.
export function readmeTable(text) {
  const begin = text.indexOf(BEGIN), end = text.indexOf(END);
  return begin < 0 || end < begin ? null : text.slice(begin + BEGIN.length, end).trim();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = await loadEngine();
  const text = readFileSync(README, 'utf8');
  if (readmeTable(text) === null) throw new Error(`README.md has no ${BEGIN} ... ${END} block`);
  const head = text.slice(0, text.indexOf(BEGIN) + BEGIN.length);
  const tail = text.slice(text.indexOf(END));
  writeFileSync(README, `${head}\n${schemaTable(m.configSchema())}\n${tail}`);
  console.log('README.md: configuration table updated');
}

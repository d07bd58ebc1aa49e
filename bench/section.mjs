// A section of bench/results.md that a script measures apart from bench/run.mjs (torch,
// lighthouse): written between <!-- NAME:begin --> and <!-- NAME:end -->, replacing the last one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { root } from '../tests/e2e/browser.mjs';

export function writeSection(name, lines) {
  const section = [`<!-- ${name}:begin -->`, ...lines, `<!-- ${name}:end -->`].join('\n');
  const path = join(root, 'bench/results.md');
  const text = readFileSync(path, 'utf8');
  const block = new RegExp(`<!-- ${name}:begin -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(path, block.test(text) ? text.replace(block, () => section) : `${text.trimEnd()}\n\n${section}\n`);
  console.log(section);
}

// The README's tables made from their one source, so the docs cannot drift: the configuration
// table from the schema the engine exports, and the lessons' claims table from
// web/src/lessons/lessons.js (with how often each held over seeds 1-20, which
// tests/wasm/lessons.test.mjs checks). `node tests/wasm/readme.mjs` rewrites both in place.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { DEFAULT_LESSON, LESSONS, SEEDS, variantClaims } from '../../web/src/lessons/lessons.js';
import { SWEEP_LESSONS } from '../../web/src/lessons/sweep-lessons.js';
import { loadEngine, root } from './engine.mjs';

export const README = `${root}README.md`;
const BLOCKS = {
  schema: ['<!-- schema:begin (made by node tests/wasm/readme.mjs) -->', '<!-- schema:end -->'],
  lessons: ['<!-- lessons:begin (made by node tests/wasm/readme.mjs) -->', '<!-- lessons:end -->'],
  sweeps: ['<!-- sweep-lessons:begin (made by node tests/wasm/readme.mjs) -->', '<!-- sweep-lessons:end -->'],
};

const code = (value) => `\`${JSON.stringify(value).replaceAll(',', ', ')}\``;

export function schemaTable(schema) {
  const rows = schema.map((f) => `| \`${f.name}\` | ${code(f.default)} | ${f.requirement} | ${f.doc} |`);
  return ['| field | default | allowed | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export function lessonsTable() {
  const rows = [DEFAULT_LESSON, ...LESSONS].flatMap((lesson) =>
    lesson.variants.flatMap((variant) => {
      const name = lesson.variants.length > 1 ? `${lesson.title} (${variant.label})` : lesson.title;
      return variantClaims(lesson, variant).map(
        (claim, i) =>
          `| ${i === 0 ? `${name}; step ${lesson.horizon.toLocaleString('en')} at ${lesson.pace} steps/s` : ''} | ${claim.text} | ${claim.held} of ${SEEDS} |`,
      );
    }),
  );
  return ['| lesson; horizon at pace | claim | held, seeds 1–20 |', '| --- | --- | --- |', ...rows].join('\n');
}

// The sweep lessons' claims (web/src/lessons/sweep-lessons.js), with the grid each is checked on.
export function sweepLessonsTable() {
  const axis = (a) => `${a.field} ${a.values.join(', ')}`;
  const rows = SWEEP_LESSONS.flatMap((lesson) =>
    lesson.variants.flatMap((variant) =>
      variant.claims.map((claim, i) => {
        const grid = `${lesson.title} (${variant.label}): ${axis(variant.sweep.x)}${variant.sweep.y ? ` × ${axis(variant.sweep.y)}` : ''}; ${variant.sweep.steps.toLocaleString('en')} steps a cell`;
        return `| ${i === 0 ? grid : ''} | ${claim.text} | ${claim.held} of ${SEEDS} |`;
      }),
    ),
  );
  return ['| sweep lesson: grid | claim | held, seeds 1–20 |', '| --- | --- | --- |', ...rows].join('\n');
}

// A table as the README has it now, or null when its markers are missing.
export function readmeTable(text, block = 'schema') {
  const [BEGIN, END] = BLOCKS[block];
  const begin = text.indexOf(BEGIN),
    end = text.indexOf(END);
  return begin < 0 || end < begin ? null : text.slice(begin + BEGIN.length, end).trim();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const m = await loadEngine();
  let text = readFileSync(README, 'utf8');
  for (const [block, table] of [
    ['schema', schemaTable(m.configSchema())],
    ['lessons', lessonsTable()],
    ['sweeps', sweepLessonsTable()],
  ]) {
    const [BEGIN, END] = BLOCKS[block];
    if (readmeTable(text, block) === null) throw new Error(`README.md has no ${BEGIN} ... ${END} block`);
    text = `${text.slice(0, text.indexOf(BEGIN) + BEGIN.length)}\n${table}\n${text.slice(text.indexOf(END))}`;
  }
  writeFileSync(README, text);
  console.log('README.md: configuration and lessons tables updated');
}

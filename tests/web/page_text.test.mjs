// The page's texts point somewhere real: every lesson link names a lesson, every glossary link
// (in the page and in the terms linked in lessons' texts) names a glossary entry, and every
// term that links into the glossary is found in some text the page shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { DEFAULT_LESSON, findLesson, LESSONS } from '../../web/src/lessons/lessons.js';
import { SWEEP_LESSONS } from '../../web/src/lessons/sweep-lessons.js';
import { withGlossary } from '../../web/src/views/kit/glossary.js';

const html = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
const ids = new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));

// withGlossary builds elements: a minimal document stands in for the page's.
globalThis.document = {
  createElement: (tag) => ({
    tag,
    set className(v) {},
    set textContent(v) {
      this.text = v;
    },
    href: '',
  }),
};

test('every lesson link in the page names a lesson', () => {
  const links = [...html.matchAll(/data-lesson-link="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(links.length >= 10, `${links.length} lesson links`);
  for (const id of links) assert.ok(findLesson(id) ?? SWEEP_LESSONS.find((l) => l.id === id), `no lesson "${id}"`);
});

test('every in-page link of the page and of the glossary terms leads to an element', () => {
  const targets = [...html.matchAll(/href="#([a-z][^"]*)"/g)].map((m) => m[1]);
  for (const id of targets) assert.ok(ids.has(id), `#${id} has no element`);
  const texts = [DEFAULT_LESSON, ...LESSONS, ...SWEEP_LESSONS].flatMap((l) => [
    l.text,
    ...(l.claims ?? []).map((c) => c.text),
    ...l.variants.flatMap((v) => (v.claims ?? []).map((c) => c.text)),
  ]);
  const linked = texts.flatMap((text) => withGlossary(text).filter((n) => typeof n !== 'string'));
  assert.ok(linked.length > 20, `${linked.length} terms linked in the lessons`);
  for (const a of linked) assert.ok(ids.has(a.href.slice(1)), `${a.text}: ${a.href} has no element`);
});

test('a text becomes its own words again, with each term linked once', () => {
  const text = 'In band widths: the band width of x̂, then x̂ again, over seeds 1–20.';
  const nodes = withGlossary(text);
  assert.equal(nodes.map((n) => (typeof n === 'string' ? n : n.text)).join(''), text);
  assert.deepEqual(
    nodes.filter((n) => typeof n !== 'string').map((a) => [a.text, a.href]),
    [
      ['band widths', '#g-band-width'],
      ['x̂', '#g-xhat'],
      ['seeds 1–20', '#g-seeds'],
    ],
  );
});

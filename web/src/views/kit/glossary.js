// The glossary's terms where they appear: a text the page shows (a lesson's, a claim's) as
// nodes, with the first occurrence of each term linked to its entry in the glossary section.
// Text only ever becomes text nodes, never markup.
import { el } from './dom.js';

// Longer phrases first, so "internal covariate shift" is not taken for "covariate shift".
const TERMS = [
  ['internal covariate shift', 'g-ics'],
  ['covariate shift', 'g-covariate-shift'],
  ['seeds 1–20', 'g-seeds'],
  ['band widths', 'g-band-width'],
  ['band width', 'g-band-width'],
  ['own spread', 'g-own-spread'],
  ['running statistics', 'g-running'],
  ['running averages', 'g-running'],
  ['batch statistics', 'g-batch-stats'],
  ['inference mode', 'g-modes'],
  ['training mode', 'g-modes'],
  ['percentiles', 'g-percentiles'],
  ['saturate', 'g-saturation'],
  ['tracked', 'g-tracked'],
  ['horizon', 'g-horizon'],
  ['mini-batch', 'g-minibatch'],
  ['landscape', 'g-landscape'],
  ['per record', 'g-record'],
  ['x̂', 'g-xhat'],
  ['γ', 'g-gamma-beta'],
  ['β', 'g-gamma-beta'],
  ['ε', 'g-eps'],
];
const PATTERN = new RegExp(TERMS.map(([term]) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
const ENTRY = new Map(TERMS);

// `linked`: the entries already linked nearby (a list of claims shares one), linked once.
export function withGlossary(text, linked = new Set()) {
  const nodes = [];
  let at = 0;
  for (const match of text.matchAll(PATTERN)) {
    const id = ENTRY.get(match[0]);
    if (linked.has(id)) continue;
    linked.add(id);
    nodes.push(text.slice(at, match.index));
    const a = el('a', 'term', match[0]);
    a.href = `#${id}`;
    nodes.push(a);
    at = match.index + match[0].length;
  }
  nodes.push(text.slice(at));
  return nodes.filter((n) => n !== '');
}

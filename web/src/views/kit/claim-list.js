// A lesson's claims as the page lists them, for a run (the lesson banner) and for a grid (the
// Sweep view): each with its mark (✓ holds, ✗ does not hold, ⋯ not checked yet), its text, the
// numbers behind the verdict, and how many of seeds 1-20 it held in.
import { SEEDS } from '../../lessons/lessons.js';
import { el } from './dom.js';
import { withGlossary } from './glossary.js';

// The list's items, not checked yet; `pending`: what the detail says meanwhile.
export function renderClaims(list, claims, pending = '') {
  const linked = new Set(); // each glossary term linked once in the list
  list.replaceChildren(
    ...claims.map((claim) => {
      const li = el('li', 'claim pending');
      const text = el('span', 'claim-text');
      text.append(...withGlossary(claim.text, linked));
      const seeds = el('span', 'claim-seeds');
      seeds.append(...withGlossary(` (holds in ${claim.held} of seeds 1–${SEEDS})`, linked));
      const mark = el('span', 'mark', '⋯');
      mark.setAttribute('role', 'img');
      mark.setAttribute('aria-label', 'not checked yet');
      li.append(mark, text, el('span', 'claim-detail', pending), seeds);
      return li;
    }),
  );
}

// An item's verdict (null: not checked yet) and the numbers behind it.
export function showVerdict(li, verdict, detail) {
  li.className = `claim ${verdict ? (verdict.ok ? 'holds' : 'fails') : 'pending'}`;
  const mark = li.querySelector('.mark');
  mark.textContent = verdict ? (verdict.ok ? '✓' : '✗') : '⋯';
  mark.setAttribute('aria-label', verdict ? (verdict.ok ? 'holds' : 'does not hold') : 'not checked yet');
  li.querySelector('.claim-detail').textContent = detail;
}

// The lesson's bottom line under its claims (text: null before the claims are checked, when
// `pending` says when they will be).
export function showBottomLine(element, text, pending = '') {
  element.hidden = text === null && pending === '';
  element.querySelector('span').textContent = text ?? pending;
}

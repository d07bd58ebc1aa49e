// A lesson's claims as the page lists them, for a run (the lesson banner) and for a grid (the
// Sweep view): each with its mark (✓ holds, ✗ does not hold, ⋯ not checked yet), its text, the
// numbers behind the verdict, and how many of seeds 1-20 it held in.
import { SEEDS } from '../../lessons/lessons.js';
import { el } from './dom.js';

// The list's items, not checked yet; `pending`: what the detail says meanwhile.
export function renderClaims(list, claims, pending = '') {
  list.replaceChildren(
    ...claims.map((claim) => {
      const li = el('li', 'claim pending');
      li.append(
        el('span', 'mark', '⋯'),
        el('span', 'claim-text', claim.text),
        el('span', 'claim-detail', pending),
        el('span', 'claim-seeds', ` (holds in ${claim.held} of seeds 1–${SEEDS})`),
      );
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

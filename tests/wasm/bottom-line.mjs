// What every lesson's bottom line must be, for runs and grids alike: a sentence that quotes
// every claim's numbers, never says the run misses the lesson's point when every claim held,
// and reads differently when a claim failed (it says what the run showed instead).
import assert from 'node:assert/strict';

// make(results) -> the bottom line for those verdicts.
export function checkBottomLine(make, results, where) {
  const line = make(results);
  assert.equal(typeof line, 'string', where);
  assert.doesNotMatch(line, /undefined|NaN|\[object/, `${where}: ${line}`);
  for (const r of results)
    assert.ok(line.includes(r.detail), `${where}: the bottom line leaves out "${r.detail}": ${line}`);
  if (results.every((r) => r.ok)) {
    assert.doesNotMatch(line, /does not show/, `${where}: ${line}`);
  } else {
    const asIfHeld = make(results.map((r) => ({ ...r, ok: true })));
    assert.notEqual(line, asIfHeld, `${where}: a claim failed, yet the bottom line reads as if all held: ${line}`);
  }
}

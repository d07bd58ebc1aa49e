// Claims read before the step they speak of say so, rather than giving a backwards range ("from
// step 2,500 to 425", as a phone showed while a lesson ran).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { accuracyAtStep, staysAbove } from '../../web/src/lessons/claims.js';

// A run recorded every 25 steps up to `steps`, one arm at 90% throughout.
function run(steps) {
  const step = Float32Array.from({ length: steps / 25 + 1 }, (_, i) => 25 * i);
  return { steps, history: { step, arms: [{ name: 'bn-before', testAccuracy: step.map(() => 0.9) }] } };
}

test('a claim from step 2,500 on, read at step 425, says it is not measured yet and does not hold', () => {
  const verdict = staysAbove('bn-before', 0.85, 2500).check(run(425));
  assert.equal(verdict.ok, false);
  assert.equal(verdict.detail, 'not measured before step 2,500 (now at step 425)');
  const later = staysAbove('bn-before', 0.85, 2500).check(run(5000));
  assert.deepEqual(later, { ok: true, detail: "BN before's lowest 90.0% from step 2,500 to 5,000" });
});

test('a claim at step 200, read at step 100, is not measured yet; at step 300 it reads step 200', () => {
  assert.equal(accuracyAtStep('bn-before', 200, { min: 0.5 }).check(run(100)).ok, false);
  assert.deepEqual(accuracyAtStep('bn-before', 200, { min: 0.5 }).check(run(300)), {
    ok: true,
    detail: 'BN before 90.0% at step 200',
  });
});

// The page's number formats where a wrong digit would mislead: a grid cell's accuracy, rounded
// down to whole percent, from the float32 the engine records.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { percentDown } from '../../web/src/shared/format.js';

test('a float32 accuracy reads its whole percent, rounded down, never one below', () => {
  // Every accuracy a test set of 1 to 5,000 examples can give, as the engine stores it.
  for (const n of [1, 3, 7, 100, 200, 333, 1000, 4999, 5000]) {
    for (let k = 0; k <= n; ++k) {
      const exact = (100 * k) / n;
      const expected = String(Math.floor(exact + 1e-9));
      assert.equal(percentDown(Math.fround(k / n)), expected, `${k} of ${n}`);
    }
  }
  assert.equal(percentDown(Math.fround(0.52)), '52');
  assert.equal(percentDown(Math.fround(0.8999)), '89');
});

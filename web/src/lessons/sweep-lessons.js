// Lessons on grids of runs: Ioffe & Szegedy's abstract says BN "allows us to use much higher
// learning rates and be less careful about initialization". Each variant is a configuration
// (the grid's base, a share link with lesson=) and a sweep over it; its claims are predicates
// on the grid (sweep-claims.js), and `held` is how many of seeds 1-20 each holds for, as
// tests/wasm/sweep_lessons.test.mjs recomputes. Where the claim fails (tiny batches, BN after
// the activation) the variant says so with its count rather than leaving it out.
import { armLabel } from '../shared/arms.js';
import { clause, point } from './bottom-line.js';
import { reachesAtMoreValues, reachesHigher, reachesInMoreCells } from './sweep-claims.js';

const LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30];
const INIT_STDS = [0.01, 0.1, 1, 10];
const grid = (steps, x = LEARNING_RATES, y = INIT_STDS) => ({
  x: { field: 'learningRate', values: x },
  y: { field: 'initStd', values: y },
  steps,
  metric: 'testAccuracy',
});
// The three sentences of the abstract, for arm `bn` against plain, at 90% test accuracy.
const robust = (bn, held) => [
  { ...reachesInMoreCells(bn, 'plain', 0.9), held: held[0] },
  { ...reachesHigher(bn, 'plain', 0.9, 'x', 'learning rate'), held: held[1] },
  { ...reachesAtMoreValues(bn, 'plain', 0.9, 'y', 'initial weight scales (initStd)'), held: held[2] },
];
// Their bottom line, from the three verdicts on the finished grid.
const robustLine = (bn) => (r) =>
  `Across the grid, ${clause(r[0], `${armLabel(bn)} reached 90% test accuracy in more cells than plain`, `${armLabel(bn)} did not reach 90% in more cells than plain`)}, ` +
  `${clause(r[1], 'at a higher learning rate', 'but not at a higher learning rate')}, and ${clause(r[2], 'from more scales of the initial weights', 'not from more scales of the initial weights')}. ` +
  point(
    r,
    "BN let the network train at higher learning rates and from worse initial weights, as Ioffe & Szegedy's abstract says.",
  );
const CIRCLE = { dataset: 'circle', hidden: [16, 16, 16], activation: 'tanh' };

export const SWEEP_LESSONS = [
  {
    id: 'robustness',
    title: 'Higher learning rates, less careful initialization',
    text:
      'Each cell is a whole run, trained from step 0, with the learning rate across and the ' +
      'scale of the initial Gaussian weights down. Ioffe & Szegedy: BN "allows us to use much ' +
      'higher learning rates and be less careful about initialization".',
    variants: [
      {
        label: 'tanh',
        note: 'The network: 3 tanh layers of 16 units on the circle, batches of 32, 1,500 steps a cell.',
        config: CIRCLE,
        sweep: grid(1500),
        claims: robust('bn-before', [20, 20, 20]),
        bottomLine: robustLine('bn-before'),
      },
      {
        label: 'ReLU',
        note: 'The network: 3 ReLU layers of 16 units on the circle, batches of 32, 1,500 steps a cell.',
        config: { ...CIRCLE, activation: 'relu' },
        sweep: grid(1500),
        claims: robust('bn-before', [20, 19, 20]),
        bottomLine: robustLine('bn-before'),
      },
      {
        label: 'batches of 4',
        note:
          "The tanh network with 4 examples a batch: BN's batch statistics are too noisy, and " +
          'the claims fail in most seeds.',
        config: { ...CIRCLE, batchSize: 4 },
        sweep: grid(1500),
        claims: robust('bn-before', [7, 6, 13]),
        bottomLine: robustLine('bn-before'),
      },
      {
        label: 'BN after the activation',
        note:
          'The tanh network with BN after each nonlinearity as well as before: after it, BN ' +
          'does not let the learning rate go higher.',
        config: { ...CIRCLE, arms: ['plain', 'bn-before', 'bn-after'] },
        sweep: grid(1500),
        claims: robust('bn-after', [20, 0, 13]),
        bottomLine: robustLine('bn-after'),
      },
      {
        label: 'digits',
        note:
          'The network: the handwritten digits, 3 sigmoid layers of 32 and batches of 60 as in ' +
          "the paper's Figure 1 (narrower), 500 steps a cell.",
        config: { dataset: 'digits', hidden: [32, 32, 32], batchSize: 60 },
        sweep: grid(500, [0.03, 0.1, 0.3, 1, 3, 10, 30], [0.01, 0.1, 1]),
        claims: robust('bn-before', [20, 20, 20]),
        bottomLine: robustLine('bn-before'),
      },
    ],
  },
];

export const findSweepLesson = (id) => SWEEP_LESSONS.find((l) => l.id === id);

// A variant's sweep for a seed: its configuration as the grid's base.
export const lessonSweep = (variant, seed) => ({ base: { ...variant.config, seed }, ...variant.sweep });

// The sweep lesson a validated sweep is: the variant of the named lesson whose grid it is,
// whatever its seed (claims are tested over seeds), the base's values of the swept fields
// (each cell sets them) and the metric (it only colours the maps). Returns { lesson, variant }
// or null.
export function matchSweepLesson(sweep, lessonId, defaults) {
  const lesson = lessonId ? findSweepLesson(lessonId) : null;
  if (!lesson) return null;
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const swept = [sweep.x.field, sweep.y?.field];
  const index = lesson.variants.findIndex((v) => {
    const expected = { ...defaults, ...v.config };
    return (
      ['x', 'y', 'steps'].every((k) => same(sweep[k], v.sweep[k])) &&
      Object.keys(defaults).every((k) => k === 'seed' || swept.includes(k) || same(sweep.base[k], expected[k]))
    );
  });
  return index < 0 ? null : { lesson, variant: lesson.variants[index], index };
}

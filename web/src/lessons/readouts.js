// Sentences about any run, lesson or not: the watches (what can happen in any run and
// deserves words when it does) and the views' readouts (this run's numbers in words, whichever
// way they go, so they cannot contradict the charts beside them). Read from the same run as the
// claims (claims.js's makeRun); DOM-free, evaluated in the worker.
import { armLabel, hasBn } from '../shared/arms.js';
import { num, pct } from '../shared/format.js';
import { gradientRatio, meanFrom, meanSaturation, medianDrift } from './claims.js';

const label = armLabel;

// Each watch returns a sentence with the run's numbers, or null.
const WATCHES = [
  // BN at a high learning rate: the weights move faster than the running averages follow, so
  // the network that trains well (batch statistics) answers badly in inference mode.
  (run) =>
    run.history.arms.map(({ name }, a) => {
      if (!hasBn(name, run.config.hidden.length)) return null;
      const inference = run.metrics.testAccuracy[a];
      const batch = run.metrics.testAccuracyBatchStats[a];
      if (!(batch - inference >= 0.2)) return null;
      return (
        `${label(name)}: test accuracy ${pct(inference)} in inference mode against ${pct(batch)} ` +
        `with batch statistics at step ${run.steps.toLocaleString('en')}. Training looks fine, but ` +
        `the weights move faster than BN's running averages follow (learning rate ${run.config.learningRate}, ` +
        `BN momentum ${run.config.bnMomentum}), so inference, which uses those averages, has collapsed.`
      );
    }),
];

export const watch = (run) => WATCHES.flatMap((w) => w(run)).filter(Boolean);

// The views' sentences about the run at hand. focus: the hidden layer the views show.
export function readouts(run, focus) {
  const arms = run.history.arms;
  const depth = run.config.hidden.length;
  if (depth === 0 || !run.config.probes || run.history.step.length < 2) return { ics: '', gradients: '' };
  const l = Math.min(focus, depth - 1);
  const at = `step ${run.steps.toLocaleString('en')}`;
  const list = (f) => arms.map(({ name }) => `${label(name)} ${f(name)}`).join(', ');
  const ics =
    `In this run, up to ${at}: layer ${l + 1}'s input moved on average ` +
    `${list((n) => num(meanFrom(run, n, 'relativeShift', 0, l)))} of its own spread per ` +
    `${run.config.recordEvery} steps (${list((n) => num(meanFrom(run, n, 'shift', 0, l)))} in input units), ` +
    `and the tracked unit's median ranged over ${list((n) => num(medianDrift(run, n, 0, l)))} band widths.`;
  const gradients =
    depth < 2
      ? `In this run, at ${at}: saturated units ${list((n) => pct(meanSaturation(run, n)))}.`
      : `In this run, at ${at}: the first layer's gradient is ${list((n) => num(gradientRatio(run, n)))} ` +
        `times the last layer's; saturated units, mean over layers: ${list((n) => pct(meanSaturation(run, n)))}.`;
  return { ics, gradients };
}

// Claims: sentences about a run that are predicates on its recorded numbers. A claim's
// check(run) returns { ok, detail }: whether it holds for this run, and the numbers behind
// the verdict, in words ("BN before 97.0%, plain 48.5%"). The page shows both; the tests
// evaluate the same checks over seeds 1-20 (tests/wasm/lessons.test.mjs).
//
// A run is what the engine reports, the same in the worker and in the tests (makeRun):
//   { config, steps, trainSize, history: experiment.history(), metrics: experiment.evaluate(),
//     single: per arm experiment.singleExample(a, 0) }
// This module belongs to neither the page nor the worker: both import it.
import { armLabel } from '../shared/arms.js';
import { num, pct, times } from '../shared/format.js';

export function armIndex(run, name) {
  const a = run.history.arms.findIndex((arm) => arm.name === name);
  if (a < 0) throw new Error(`claims: the run has no arm "${name}"`);
  return a;
}

const label = armLabel;

// The final (horizon) value of a whole-set metric of an arm, e.g. 'testAccuracy'.
export const final = (run, name, metric) => run.metrics[metric][armIndex(run, name)];
// " at step N": the step of a value read at the end of the run.
const atStep = (run) => ` at step ${run.steps.toLocaleString('en')}`;

// The recorded rows whose step lies in [from, to] (to: the last recorded step).
function rows(run, from = 0, to = Infinity) {
  const out = [];
  run.history.step.forEach((s, i) => {
    if (s >= from && s <= to) out.push(i);
  });
  return out;
}

// A series of an arm (layer undefined) or of one of its hidden layers (0-based; -1: the last).
function series(run, name, key, layer) {
  const arm = run.history.arms[armIndex(run, name)];
  if (layer === undefined) return arm[key];
  const l = layer < 0 ? arm.layers.length + layer : layer;
  return arm.layers[l][key];
}

function finiteAt(values, indices) {
  return indices.map((i) => values[i]).filter(Number.isFinite);
}

// Summaries of a series over the rows from step `from` on (to step `to`).
export function minFrom(run, name, key, from, layer) {
  const v = finiteAt(series(run, name, key, layer), rows(run, from));
  return v.length ? Math.min(...v) : NaN;
}
export function meanFrom(run, name, key, from, layer, to = Infinity) {
  const v = finiteAt(series(run, name, key, layer), rows(run, from, to));
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
}
// The latest recorded value of a series.
export function latest(run, name, key, layer) {
  const values = series(run, name, key, layer);
  for (let i = values.length - 1; i >= 0; --i) if (Number.isFinite(values[i])) return values[i];
  return NaN;
}

// How far the tracked unit's median moved over the rows from `from` on, in units of its mean
// 15-85% band width over the same rows (Ioffe & Szegedy's Figure 1(b, c)).
export function medianDrift(run, name, from, layer = -1) {
  const idx = rows(run, from);
  const p50 = finiteAt(series(run, name, 'p50', layer), idx);
  const p15 = series(run, name, 'p15', layer);
  const p85 = series(run, name, 'p85', layer);
  const widths = idx.map((i) => p85[i] - p15[i]).filter(Number.isFinite);
  if (!p50.length || !widths.length) return NaN;
  const width = widths.reduce((s, w) => s + w, 0) / widths.length;
  return (Math.max(...p50) - Math.min(...p50)) / width;
}

// ---- Claims ---------------------------------------------------------------------------
// Each maker returns { text, check }. Thresholds are part of the sentence: the text says
// what is checked.

// "<arm> learns: test accuracy at least <min> at the horizon."
export function accuracyAtLeast(name, min, what = 'learns') {
  return {
    text: `${label(name)} ${what}: test accuracy at least ${pct(min)} at the horizon`,
    check: (run) => {
      const v = final(run, name, 'testAccuracy');
      return { ok: v >= min, detail: `${label(name)} ${pct(v)}${atStep(run)}` };
    },
  };
}

export function accuracyAtMost(name, max, what = 'stays near chance') {
  return {
    text: `${label(name)} ${what}: test accuracy at most ${pct(max)} at the horizon`,
    check: (run) => {
      const v = final(run, name, 'testAccuracy');
      return { ok: v <= max, detail: `${label(name)} ${pct(v)}${atStep(run)}` };
    },
  };
}

// A claim about the run from a step it has not reached yet: not measured, so it does not hold.
const notYet = (run, step) => ({
  ok: false,
  detail: `not measured before step ${step.toLocaleString('en')} (now at step ${run.steps.toLocaleString('en')})`,
});

// "... and stays learned": the lowest recorded test accuracy from step `from` on.
export function staysAbove(name, min, from) {
  return {
    text: `${label(name)} stays learned: test accuracy at least ${pct(min)} at every record from step ${from.toLocaleString('en')} on`,
    check: (run) => {
      if (run.steps < from) return notYet(run, from);
      const v = minFrom(run, name, 'testAccuracy', from);
      return {
        ok: v >= min,
        detail: `${label(name)}'s lowest ${pct(v)} from step ${from.toLocaleString('en')} to ${run.steps.toLocaleString('en')}`,
      };
    },
  };
}

// The gradient reaching the first hidden layer, as a fraction of the last one's, at the
// horizon (the latest batch's ‖∂L/∂W‖).
export function gradientRatio(run, name) {
  return latest(run, name, 'gradientNorm', 0) / latest(run, name, 'gradientNorm', -1);
}

export function gradientVanishes(name, max) {
  return {
    text: `In ${label(name)} the first layer's gradient is at most ${num(max)} of the last layer's`,
    check: (run) => {
      const v = gradientRatio(run, name);
      return { ok: v <= max, detail: `${label(name)} ${num(v)}${atStep(run)}` };
    },
  };
}

export function gradientReaches(name, min) {
  return {
    text: `In ${label(name)} the first layer's gradient is at least ${num(min)} of the last layer's`,
    check: (run) => {
      const v = gradientRatio(run, name);
      return { ok: v >= min, detail: `${label(name)} ${num(v)}${atStep(run)}` };
    },
  };
}

// `more` drifts at least `factor` times as far as `less`: the tracked median of the last
// hidden layer, in band widths, over the whole run (from step `from`).
export function driftsMore(more, less, factor, from = 0) {
  return {
    text: `Over the whole run, ${label(more)}'s tracked median (last layer) moves ${factor === 1 ? 'farther than' : `at least ${times(factor)} as far as`} ${label(less)}'s, in band widths`,
    check: (run) => {
      const a = medianDrift(run, more, from);
      const b = medianDrift(run, less, from);
      return {
        ok: a >= factor * b,
        detail: `${label(more)} ${num(a)}, ${label(less)} ${num(b)} band widths (${times(a / b)}) up to step ${run.steps.toLocaleString('en')}`,
      };
    },
  };
}

// Mean relative shift of a layer, over the whole run (from = 0) or from a fraction of it on:
// `more` at least `factor` times `less`.
export function shiftsMore(more, less, factor, { layer = -1, from = 0 } = {}) {
  const which = layer < 0 ? 'last layer' : `layer ${layer + 1}`;
  const when =
    from === 0
      ? 'Over the whole run'
      : `Over the last ${from === 0.5 ? 'half' : `${Math.round(100 * (1 - from))}%`} of the run`;
  return {
    text: `${when}, ${label(more)}'s ${which} input moves ${factor === 1 ? 'more than' : `at least ${times(factor)} as much as`} ${label(less)}'s per record, in units of its own spread`,
    check: (run) => {
      const start = from * run.steps;
      const a = meanFrom(run, more, 'relativeShift', start, layer);
      const b = meanFrom(run, less, 'relativeShift', start, layer);
      return {
        ok: a >= factor * b,
        detail: `${label(more)} ${num(a)}, ${label(less)} ${num(b)} (${times(a / b)}) from step ${start.toLocaleString('en')} to ${run.steps.toLocaleString('en')}`,
      };
    },
  };
}

// BN's two modes: test accuracy with batch statistics minus with running statistics.
export function modeGap(run, name) {
  return final(run, name, 'testAccuracyBatchStats') - final(run, name, 'testAccuracy');
}

export function modesDiffer(name, min) {
  return {
    text: `${label(name)}'s test accuracy with running statistics (inference) is at least ${(100 * min).toFixed(0)} points above its accuracy with each mini-batch's own statistics`,
    check: (run) => {
      const inference = final(run, name, 'testAccuracy');
      const batch = final(run, name, 'testAccuracyBatchStats');
      return {
        ok: inference - batch >= min,
        detail: `inference ${pct(inference)}, batch statistics ${pct(batch)}${atStep(run)}`,
      };
    },
  };
}

// The opposite gap: the running averages lag weights that move fast, so inference is worse.
export function inferenceLags(name, min) {
  return {
    text: `but its running statistics lag behind: ${label(name)}'s test accuracy in inference mode is at least ${(100 * min).toFixed(0)} points below its accuracy with batch statistics`,
    check: (run) => {
      const inference = final(run, name, 'testAccuracy');
      const batch = final(run, name, 'testAccuracyBatchStats');
      return {
        ok: batch - inference >= min,
        detail: `batch statistics ${pct(batch)}, inference ${pct(inference)}${atStep(run)}`,
      };
    },
  };
}

export function batchStatsAccuracyAtLeast(name, min, what = 'learns') {
  return {
    text: `${label(name)} ${what}: test accuracy with batch statistics at least ${pct(min)} at the horizon`,
    check: (run) => {
      const v = final(run, name, 'testAccuracyBatchStats');
      return { ok: v >= min, detail: `${label(name)} ${pct(v)}${atStep(run)}` };
    },
  };
}

// One test example alone in training mode (run.single[a], experiment.singleExample(a, 0)):
// every BN output equals β (to float rounding), so every input gets the same answer.
export function aloneIsBeta(name) {
  return {
    text: `One example alone in training mode: every BN output of ${label(name)} equals β`,
    check: (run) => {
      const { train, beta } = run.single[armIndex(run, name)];
      let gap = 0;
      train.bnOutputs.forEach((out, l) =>
        out.forEach((v, u) => {
          gap = Math.max(gap, Math.abs(v - beta[l][u]));
        }),
      );
      return { ok: gap <= 1e-5, detail: `largest |output − β| ${num(gap)}${atStep(run)}` };
    },
  };
}

// The recorded test accuracy at `step` (the nearest record at or before it).
function accuracyAt(run, name, step) {
  const values = series(run, name, 'testAccuracy');
  const i = rows(run, 0, step).pop();
  return i === undefined ? NaN : values[i];
}

// "At step S, <arm>'s test accuracy is at least / at most v."
export function accuracyAtStep(name, step, { min = -Infinity, max = Infinity }) {
  const bound = min > -Infinity ? `at least ${pct(min)}` : `at most ${pct(max)}`;
  return {
    text: `At step ${step.toLocaleString('en')}, ${label(name)}'s test accuracy is ${bound}`,
    check: (run) => {
      if (run.steps < step) return notYet(run, step);
      const v = accuracyAt(run, name, step);
      return { ok: v >= min && v <= max, detail: `${label(name)} ${pct(v)} at step ${step.toLocaleString('en')}` };
    },
  };
}

// The share of saturated units, averaged over the hidden layers, at the horizon.
export function meanSaturation(run, name) {
  const depth = run.history.arms[armIndex(run, name)].layers.length;
  let sum = 0;
  for (let l = 0; l < depth; ++l) sum += latest(run, name, 'saturation', l);
  return sum / depth;
}

export function saturatesMore(more, less, factor = 1) {
  return {
    text: `${label(more)}'s sigmoids saturate more than ${label(less)}'s (share of saturated units, mean over layers, at the horizon)`,
    check: (run) => {
      const a = meanSaturation(run, more);
      const b = meanSaturation(run, less);
      return { ok: a > factor * b, detail: `${label(more)} ${pct(a)}, ${label(less)} ${pct(b)}${atStep(run)}` };
    },
  };
}

// BN's noise: the same example normalized in random batches of B drawn from the N probe
// examples varies by about 1/sqrt(B) * sqrt((N - B) / (N - 1)) (x_hat has unit variance; the
// batch statistics of B draws without replacement). Checked within a factor of 2 on the last
// hidden layer (the one a lesson's views show), mean of the records in the second half of the run.
export function jitterFollowsBatchSize(name) {
  return {
    text: `${label(name)} normalizes the same example differently in every batch, by about 1/√B: the std of its x̂ is within a factor of 2 of 1/√B·√((N−B)/(N−1))`,
    check: (run) => {
      const B = run.config.batchSize;
      const N = Math.min(run.config.probeExamples, run.trainSize);
      const predicted = Math.sqrt((N - B) / (N - 1) / B);
      const v = meanFrom(run, name, 'jitterStd', run.steps / 2, -1);
      return {
        ok: v >= predicted / 2 && v <= 2 * predicted,
        detail: `last layer, mean over the second half of the run ${num(v)}; 1/√B·√((N−B)/(N−1)) = ${num(predicted)} (B = ${B}, N = ${N})`,
      };
    },
  };
}

// ---- What BN computes: x̂'s spread, γ and β ----------------------------------------------

const layerName = (run, name, layer) => {
  const depth = run.history.arms[armIndex(run, name)].layers.length;
  return layer < 0 ? (depth + layer === 0 ? 'the first layer' : 'the last layer') : `layer ${layer + 1}`;
};

// The spread over the batch of the tracked unit's x̂ at the horizon: √(σ²_B / (σ²_B + ε)), from
// the step's batch variance. 1 when ε is negligible, towards 0 when ε dominates.
export const xHatSpread = (run, name, layer) => {
  const v = latest(run, name, 'batchVar', layer);
  return Math.sqrt(v / (v + run.config.bnEps));
};

export function xHatSpreadAtLeast(name, min, layer = 0) {
  return {
    text: `${label(name)}'s x̂ keeps its unit scale: in the first layer the tracked unit's x̂ spreads √(σ²_B / (σ²_B + ε)) = ${min} or more at the horizon`,
    check: (run) => {
      const v = xHatSpread(run, name, layer);
      return { ok: v >= min, detail: `${num(v)}, σ²_B = ${num(latest(run, name, 'batchVar', layer))}${atStep(run)}` };
    },
  };
}

export function xHatSpreadAtMost(name, max, layer = 0) {
  return {
    text: `${label(name)}'s x̂ is squashed towards 0: in the first layer the tracked unit's x̂ spreads √(σ²_B / (σ²_B + ε)) = ${max} or less at the horizon`,
    check: (run) => {
      const v = xHatSpread(run, name, layer);
      return { ok: v <= max, detail: `${num(v)}, σ²_B = ${num(latest(run, name, 'batchVar', layer))}${atStep(run)}` };
    },
  };
}

// SGD moves γ away from 1: the spread of γ over a layer's units at the horizon.
export function gammaMoves(name, min, layer = -1) {
  return {
    text: `SGD moves ${label(name)}'s γ: its spread over the units of the last layer is at least ${min} at the horizon (all start at 1)`,
    check: (run) => {
      const v = latest(run, name, 'gammaSpread', layer);
      return {
        ok: v >= min,
        detail: `γ's spread over the units of ${layerName(run, name, layer)} ${num(v)}${atStep(run)}`,
      };
    },
  };
}

// SGD does not undo the normalization: γ far from √(σ²_B + ε), β far from μ_B, on average over a
// layer's units (undoScale: mean |ln(|γ| / √(σ²_B + ε))|; undoShift: mean |β − μ_B| / √(σ²_B + ε)).
export function scaleNotUndone(name, min, layer = -1) {
  return {
    text: `SGD does not undo ${label(name)}'s scaling: over the last layer's units, γ differs from the batch's √(σ²_B + ε) by a factor of e^${min} or more on average (mean |ln(|γ| / √(σ²_B + ε))| ≥ ${min})`,
    check: (run) => {
      const v = latest(run, name, 'undoScale', layer);
      return {
        ok: v >= min,
        detail: `mean |ln(|γ| / √(σ²_B + ε))| ${num(v)}: γ a factor of ${num(Math.exp(v))} from the batch spread${atStep(run)}`,
      };
    },
  };
}

export function shiftNotUndone(name, min, layer = -1) {
  return {
    text: `Nor its centring: over the last layer's units, β lies ${min} or more of the batch's √(σ²_B + ε) away from μ_B on average`,
    check: (run) => {
      const v = latest(run, name, 'undoShift', layer);
      return { ok: v >= min, detail: `β ${num(v)} batch spreads from μ_B on average${atStep(run)}` };
    },
  };
}

// ---- Covariate shift: the shifted test set ---------------------------------------------

// The world a network was trained on against the other part of the plane: test accuracy minus
// accuracy on the shifted test set, at least `points`.
export function shiftCosts(name, points) {
  return {
    text: `${label(name)} loses at least ${(100 * points).toFixed(0)} points of accuracy on the shifted test set (the orange cats) against the test set of its own world`,
    check: (run) => {
      const test = final(run, name, 'testAccuracy');
      const shifted = final(run, name, 'shiftedAccuracy');
      return { ok: test - shifted >= points, detail: `test ${pct(test)}, shifted ${pct(shifted)}${atStep(run)}` };
    },
  };
}

export function shiftedHigher(better, worse) {
  return {
    text: `On the shifted test set ${label(better)} is more accurate than ${label(worse)}`,
    check: (run) => {
      const a = final(run, better, 'shiftedAccuracy');
      const b = final(run, worse, 'shiftedAccuracy');
      return { ok: a > b, detail: `${label(better)} ${pct(a)}, ${label(worse)} ${pct(b)}${atStep(run)}` };
    },
  };
}

// AdaBN (Li et al. 2016): BN's statistics estimated on the shifted inputs themselves.
export function adaptingHurts(name) {
  return {
    text: `Re-estimating ${label(name)}'s statistics on the shifted inputs (AdaBN, Li et al. 2016) makes it less accurate on them, not more`,
    check: (run) => {
      const adapted = final(run, name, 'shiftedAccuracyAdapted');
      const shifted = final(run, name, 'shiftedAccuracy');
      return {
        ok: adapted < shifted,
        detail: `adapted ${pct(adapted)}, with its training statistics ${pct(shifted)}${atStep(run)}`,
      };
    },
  };
}

// `smaller`'s test − training loss gap is below `larger`'s at the horizon.
export function lossGapSmaller(smaller, larger) {
  return {
    text: `${label(smaller)} overfits less than ${label(larger)}: its test loss minus training loss at the horizon is smaller`,
    check: (run) => {
      const a = lossGap(run, smaller);
      const b = lossGap(run, larger);
      return { ok: a < b, detail: `${label(smaller)} ${num(a)}, ${label(larger)} ${num(b)}${atStep(run)}` };
    },
  };
}

export function lossGapAtLeast(name, min) {
  return {
    text: `${label(name)}'s test loss exceeds its training loss by at least ${min} at the horizon`,
    check: (run) => {
      const v = lossGap(run, name);
      return { ok: v >= min, detail: `${label(name)} test − train ${num(v)}${atStep(run)}` };
    },
  };
}

// `a`'s test accuracy within `points` of `b`'s at the horizon ("trains about as well").
export function accuracyWithin(a, b, points) {
  return {
    text: `${label(a)} trains about as well as ${label(b)}: its test accuracy at the horizon is within ${(100 * points).toFixed(0)} points of ${label(b)}'s`,
    check: (run) => {
      const x = final(run, a, 'testAccuracy');
      const y = final(run, b, 'testAccuracy');
      return {
        ok: Math.abs(x - y) <= points + 1e-9,
        detail: `${label(a)} ${pct(x)}, ${label(b)} ${pct(y)}${atStep(run)}`,
      };
    },
  };
}

// An arm without batch statistics: its test accuracy and loss are the same in training and in
// inference mode (to float summation order), and one example alone gets the same answer in
// both modes.
export function noModeGap(name) {
  return {
    text: `${label(name)} has no training/inference gap: the same test accuracy with batch statistics as in inference mode, and one example alone gets the same class probabilities in both modes`,
    check: (run) => {
      const a = armIndex(run, name);
      const gap = Math.abs(final(run, name, 'testAccuracyBatchStats') - final(run, name, 'testAccuracy'));
      const { train, inference } = run.single[a];
      let alone = 0;
      train.probabilities.forEach((p, k) => {
        alone = Math.max(alone, Math.abs(p - inference.probabilities[k]));
      });
      return {
        ok: gap === 0 && alone <= 1e-6,
        detail: `accuracy gap ${(100 * gap).toFixed(1)} points; one example alone: largest probability difference ${num(alone)}${atStep(run)}`,
      };
    },
  };
}

// The loss landscape along the gradient (Santurkar et al. Fig. 4), mean over the records in a
// part of the run: the width of the loss band, max L(W − ηg) − min L(W − ηg), and the largest
// gradient change max ‖∇L(W − ηg) − g‖. `part`: [from, to] as fractions of the run.
const meanBetween = (run, name, key, [from, to]) =>
  meanFrom(run, name, key, from * run.steps, undefined, to * run.steps);
export const landscapeWidth = (run, name, part = [0, 1]) =>
  meanBetween(run, name, 'landscapeLossMax', part) - meanBetween(run, name, 'landscapeLossMin', part);
export const landscapeGradient = (run, name, part = [0, 1]) => meanBetween(run, name, 'landscapeGradMax', part);

const partText = ([from, to], steps) =>
  from === 0 && to === 1
    ? 'over the whole run'
    : from === 0
      ? `over the first ${Math.round(100 * to)}% of the run`
      : to === 1
        ? `over the last ${Math.round(100 * (1 - from))}% of the run`
        : `from ${Math.round(100 * from)}% to ${Math.round(100 * to)}% of the run`;
const partSteps = ([from, to], run) =>
  `steps ${(from * run.steps).toLocaleString('en')} to ${(to * run.steps).toLocaleString('en')}`;

export function smootherLoss(smoother, rougher, part = [0, 1]) {
  return {
    text: `Along its gradient, ${label(smoother)}'s loss varies less than ${label(rougher)}'s ${partText(part)}: the loss band max L(W − ηg) − min L(W − ηg), mean over the records, is narrower`,
    check: (run) => {
      const a = landscapeWidth(run, smoother, part);
      const b = landscapeWidth(run, rougher, part);
      return {
        ok: a < b,
        detail: `${label(smoother)} ${num(a)}, ${label(rougher)} ${num(b)}, ${partSteps(part, run)}`,
      };
    },
  };
}

export function gradientMorePredictive(steadier, other, part = [0, 1]) {
  return {
    text: `Along its gradient, ${label(steadier)}'s gradient changes less than ${label(other)}'s ${partText(part)}: max ‖∇L(W − ηg) − g‖, mean over the records, is smaller`,
    check: (run) => {
      const a = landscapeGradient(run, steadier, part);
      const b = landscapeGradient(run, other, part);
      return { ok: a < b, detail: `${label(steadier)} ${num(a)}, ${label(other)} ${num(b)}, ${partSteps(part, run)}` };
    },
  };
}

// `lower`'s test loss below `higher`'s at the horizon.
export function testLossLower(lower, higher) {
  return {
    text: `${label(lower)}'s test loss at the horizon is lower than ${label(higher)}'s`,
    check: (run) => {
      const a = final(run, lower, 'testLoss');
      const b = final(run, higher, 'testLoss');
      return { ok: a < b, detail: `${label(lower)} ${num(a)}, ${label(higher)} ${num(b)}${atStep(run)}` };
    },
  };
}

// The gap between the test and training loss at the horizon.
export function lossGap(run, name) {
  return final(run, name, 'testLoss') - final(run, name, 'trainLoss');
}

// The run of an engine experiment, as the claims read it, measured now. The training set's
// size may be passed by a caller that keeps it (it does not change during a run).
export function makeRun(experiment, trainSize = experiment.data().trainY.length) {
  return {
    config: experiment.config(),
    steps: experiment.steps(),
    trainSize,
    history: experiment.history(),
    metrics: experiment.evaluate(),
    single: experiment.arms().map((_, a) => experiment.singleExample(a, 0)),
  };
}

// Evaluates claims on a run: [{ text, ok, detail }]; a check that throws is a failed claim
// that says why (a diverged arm has NaN numbers, which fail by themselves).
export function evaluateClaims(claims, run) {
  return claims.map(({ text, check }) => {
    try {
      return { text, ...check(run) };
    } catch (err) {
      return { text, ok: false, detail: err.message };
    }
  });
}

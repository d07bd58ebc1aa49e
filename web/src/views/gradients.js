// The gradients view: each layer's gradient norm and saturated units (vanishing gradients),
// gradient-based covariate shift (Santurkar et al.), and the loss landscape along the gradient
// (their Figure 4).
import { armColor, armLabel } from '../shared/arms.js';
import { axis, createChart, draw, lineDataset, logAxis, setText, stepAxis } from './kit/chart-kit.js';
import { layerBarView, layerLineView, percent, probesNote } from './kit/chart-views.js';
import { withAlpha } from './kit/drawing.js';
import { decimated, positive } from './kit/page-history.js';

// Vanishing gradients span orders of magnitude: a logarithmic axis.
export function gradientNormView(canvas, state) {
  return layerBarView(canvas, state, {
    series: 'gradientNorm',
    title: 'Gradient norm ‖∂L/∂W‖ of each layer, last batch',
    y: logAxis('gradient norm (log scale)'),
    transform: positive,
  });
}

export function saturationView(canvas, state) {
  const saturated = state.config.activation === 'relu' ? 'Dead units' : 'Saturated units';
  const definition =
    state.config.activation === 'relu'
      ? 'dead: zero on every probe example'
      : 'saturated: derivative below 1% of its maximum';
  return layerBarView(canvas, state, {
    series: 'saturation',
    title: `${saturated} per layer, on the probe set (${definition})`,
    y: axis(`${saturated.toLowerCase()} (%)`, { min: 0, max: 1, ticks: { callback: percent } }),
  });
}

// The gradient ICS is only measured when switched on; an empty chart would look broken.
export function icsView(canvas, state) {
  const { probes, gradientIcs } = state.config;
  return layerLineView(canvas, state, {
    series: 'icsDistance',
    title: "Gradient change caused by the earlier layers' update",
    // Proportional to the gradient itself, which vanishes by orders of magnitude without BN.
    y: logAxis('‖G − G′‖ (log scale)'),
    note: (focus) => {
      if (!probes) return probesNote(state);
      if (!gradientIcs) return 'Gradient ICS is off: switch it on under Measurement';
      return focus === 0 ? 'Zero by construction: no layer comes before the first' : '';
    },
  });
}

// Santurkar et al.'s Figure 4: per network, the band [lo, hi] of a landscape series over the
// steps (the lower edge a thin line, the band filled to it). Measured only with `landscape` on.
function landscapeView(canvas, state, { lo, hi, title, y }) {
  const chart = createChart(canvas, {
    title,
    x: stepAxis(),
    y,
    datasets: state.arms.flatMap((name) => [
      lineDataset(`${armLabel(name)}: lowest`, armColor(name), { width: 1, legend: false }),
      lineDataset(armLabel(name), armColor(name), {
        endLabel: armLabel(name),
        width: 1,
        fill: '-1',
        backgroundColor: withAlpha(armColor(name), 0.25),
      }),
    ]),
  });
  const { probes, landscape } = state.config;
  const note = !probes
    ? probesNote(state)
    : !landscape
      ? 'The landscape is off: switch on “Loss landscape” under Measurement'
      : '';
  setText(chart, 'subtitle', note);
  return {
    update(_, fresh) {
      if (!fresh) return;
      state.arms.forEach((_, a) => {
        chart.data.datasets[2 * a].data = decimated(state.history[a].series[lo]);
        chart.data.datasets[2 * a + 1].data = decimated(state.history[a].series[hi]);
      });
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

export const landscapeLossView = (canvas, state) =>
  landscapeView(canvas, state, {
    lo: 'landscapeLossMin',
    hi: 'landscapeLossMax',
    title: `Loss along the gradient: L(W − ηg), η = ${state.config.landscapeSteps.join(', ')} × the learning rate`,
    y: axis("loss on the step's batch"),
  });

export const landscapeGradientView = (canvas, state) =>
  landscapeView(canvas, state, {
    lo: 'landscapeGradMin',
    hi: 'landscapeGradMax',
    title: 'Gradient predictiveness: ‖∇L(W − ηg) − g‖',
    y: axis('gradient change'),
  });

// The loss view: train loss (solid) and test loss (dashed) per network on the whole data sets;
// the y axis linear or logarithmic.
import { Ticks } from 'chart.js/auto';

import { armColor, armLabel } from '../shared/arms.js';
import { axis, createChart, draw, lineDataset, logTick, stepAxis } from './kit/chart-kit.js';
import { DASHED } from './kit/chart-views.js';
import { decimated } from './kit/page-history.js';

const LOSS_NAMES = { softmax: 'cross-entropy', bce: 'binary cross-entropy', mse: 'squared error' };

export function lossView(canvas, state) {
  const lossName = LOSS_NAMES[state.config.loss] ?? state.config.loss;
  const chart = createChart(canvas, {
    title: 'Loss on the whole training and test sets',
    x: stepAxis(),
    y: axis(`loss (${lossName})`),
    datasets: state.arms.flatMap((name) => [
      lineDataset(`${armLabel(name)}: train`, armColor(name), { endLabel: armLabel(name) }),
      lineDataset(`${armLabel(name)}: test`, armColor(name), { dash: DASHED }),
    ]),
  });
  const view = {
    update(_, fresh) {
      if (!fresh) return;
      state.arms.forEach((_, a) => {
        chart.data.datasets[2 * a].data = decimated(state.history[a].series.trainLoss);
        chart.data.datasets[2 * a + 1].data = decimated(state.history[a].series.testLoss);
      });
      draw(chart);
    },
    setLog(log) {
      const y = chart.options.scales.y;
      y.type = log ? 'logarithmic' : 'linear';
      y.ticks.callback = log ? logTick : Ticks.formatters.numeric;
      y.title.text = log ? `loss (${lossName}, log scale)` : `loss (${lossName})`;
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
  view.setLog(state.options.lossLog);
  return view;
}

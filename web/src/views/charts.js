// The chart views together: made on reset (one per view, per arm where the view is per
// network) and only updated afterwards. At about 10 snapshots a second with up to 2048 points
// per series, every chart runs without animation and reads {x, y} points as they are (parsing
// off). Each view is its own module; adding a chart is one line in VIEWS below.
import Chart from 'chart.js/auto';

import { hasBn } from '../shared/arms.js';
import { cssColors } from './kit/cards.js';
import { $ } from './kit/dom.js';
import { appendHistory, createHistory } from './kit/page-history.js';
import { betaView, gammaView } from './gamma-beta.js';
import { gradientNormView, icsView, landscapeGradientView, landscapeLossView, saturationView } from './gradients.js';
import { percentileView, SHIFT_UNITS, shiftView } from './ics.js';
import { lossView } from './loss.js';
import { batchMeanView, batchVarView, jitterView, modesView, singleExampleView, spreadView } from './noise.js';

// Every chart view: the element it draws in, and the function that makes it for a run.
const VIEWS = [
  ['chart-loss', lossView],
  ['chart-gamma', gammaView],
  ['chart-beta', betaView],
  ['percentile-charts', percentileView],
  ['chart-shift', shiftView],
  ['chart-gradnorm', gradientNormView],
  ['chart-saturation', saturationView],
  ['chart-ics', icsView],
  ['chart-landscape-loss', landscapeLossView],
  ['chart-landscape-gradient', landscapeGradientView],
  ['chart-batch-mean', batchMeanView],
  ['chart-batch-var', batchVarView],
  ['chart-jitter', jitterView],
  ['chart-spread', spreadView],
  ['chart-modes', modesView],
  ['single-example', singleExampleView],
];

export function createCharts() {
  // The charts' text in the page's font.
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  // The views' options, kept across runs: the loss axis and the shift's units.
  const options = { lossLog: false, shiftUnits: 'relativeShift' };
  let state = null;
  let views = new Map(); // element id -> view
  let last = null; // the latest snapshot, to redraw a view whose options changed

  return {
    // A new experiment: new charts for its networks and layers.
    reset(ready) {
      for (const view of views.values()) view.destroy();
      // An embed's cells are small: smaller text leaves the plots room.
      Chart.defaults.font.size = document.body.classList.contains('embed') ? 10 : 12;
      // Text and grid in the theme's colours.
      const colors = cssColors();
      Chart.defaults.color = colors.muted;
      Chart.defaults.borderColor = colors.line;
      const { config, arms, depth, data } = ready;
      state = {
        config,
        arms,
        depth,
        options,
        trainSize: data.trainY.length,
        history: createHistory(arms, depth),
        // The networks with BN layers, and their index among all: the BN views show only them.
        bnArms: arms.map((name, a) => ({ name, a })).filter(({ name }) => hasBn(name, depth)),
      };
      views = new Map(VIEWS.map(([id, make]) => [id, make($(id), state)]));
    },
    update(snapshot) {
      if (!state) return;
      // The history views redraw only when there are new rows or another layer to show: at a
      // slow speed most snapshots bring neither.
      const fresh = appendHistory(state, snapshot.history) || snapshot.focusLayer !== state.focusLayer;
      state.focusLayer = snapshot.focusLayer;
      last = snapshot;
      for (const view of views.values()) view.update(snapshot, fresh);
    },
    setShiftUnits(units) {
      options.shiftUnits = units;
      views.get('chart-shift')?.show(units, SHIFT_UNITS[units], last);
    },
    setLossLog(log) {
      options.lossLog = log;
      views.get('chart-loss')?.setLog(log);
    },
  };
}

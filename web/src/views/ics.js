// The internal covariate shift view: the percentile bands of one unit's input to its
// nonlinearity per network (Ioffe & Szegedy's Figure 1(b, c), live), and how far each layer's
// input distribution moves (in its own spreads or in input units).
import { armColor, armLabel } from '../shared/arms.js';
import { axis, createChart, draw, lineDataset, logAxis, setText, stepAxis } from './kit/chart-kit.js';
import { format, layerLineView, probesNote } from './kit/chart-views.js';
import { withAlpha } from './kit/drawing.js';
import { decimated, layerSeries } from './kit/page-history.js';

// Ioffe & Szegedy's Figure 1(b, c) live: the 15th, 50th and 85th percentiles of the input to
// one sigmoid, one chart per network. Each chart has its own y scale: on a shared one the plain
// network's band, often a hundredth as wide as BN's, would be a flat line and its wandering
// invisible. So that the scales cannot mislead, the subtitle states each band's current width
// in the same units for every network.
export function percentileView(container, state) {
  const document = container.ownerDocument;
  const boxes = [];
  const charts =
    state.depth === 0
      ? []
      : state.arms.map((name) => {
          const box = document.createElement('div');
          box.className = 'chart tall'; // title, subtitle and legend above the band need the room
          const canvas = document.createElement('canvas');
          canvas.setAttribute('role', 'img');
          canvas.setAttribute(
            'aria-label',
            `${armLabel(name)}: 15th, 50th and 85th percentiles of the input to the nonlinearity over training steps`,
          );
          box.append(canvas);
          boxes.push(box);
          const color = armColor(name);
          return createChart(canvas, {
            x: stepAxis(),
            y: axis('input to the nonlinearity', { grace: '5%' }),
            datasets: [
              lineDataset('15th pct.', color, { width: 1 }),
              // Filled down to the 15th percentile (the dataset before it): the band.
              lineDataset('85th pct.', color, { width: 1, fill: '-1', backgroundColor: withAlpha(color, 0.22) }),
              lineDataset('median', color, { width: 2.5 }),
            ],
          });
        });
  if (state.depth === 0) {
    const note = document.createElement('p');
    note.className = 'explain';
    note.textContent = 'The network has no hidden layer: there is no nonlinearity to look into.';
    boxes.push(note);
  }
  container.replaceChildren(...boxes);

  return {
    update({ focusLayer }, fresh) {
      if (!fresh) return;
      charts.forEach((chart, a) => {
        const [p15, p50, p85] = ['p15', 'p50', 'p85'].map((s) => layerSeries(state, a, focusLayer, s));
        chart.data.datasets[0].data = decimated(p15);
        chart.data.datasets[1].data = decimated(p85);
        chart.data.datasets[2].data = decimated(p50);
        let i = p15.length - 1;
        while (i >= 0 && !(Number.isFinite(p15[i].y) && Number.isFinite(p85[i].y))) --i;
        setText(chart, 'title', `${armLabel(state.arms[a])}: input to the nonlinearity, layer ${focusLayer + 1}`);
        setText(
          chart,
          'subtitle',
          probesNote(state) || `own y scale; 15–85% band now ${i < 0 ? '—' : format(p85[i].y - p15[i].y)} wide`,
        );
        draw(chart);
      });
    },
    destroy() {
      charts.forEach((chart) => chart.destroy());
      container.replaceChildren();
    },
  };
}

export const SHIFT_UNITS = { relativeShift: 'shift (own spreads, log scale)', shift: 'shift (input units, log scale)' };

// Which units to read: the subtitle says it for the units shown.
const SHIFT_NOTES = {
  relativeShift: "Compare the networks in these units: each unit's move is divided by its own spread.",
  shift:
    "Input units favour the network whose inputs vary least (BN's scale is whatever γ learned): " +
    'compare the networks in their own spreads.',
};

export function shiftView(canvas, state) {
  const units = state.options.shiftUnits;
  return layerLineView(canvas, state, {
    series: units,
    title: `How far the input distribution moved in ${state.config.recordEvery} steps`,
    // From the first steps' jumps to a settled network's drift: orders of magnitude.
    y: logAxis(SHIFT_UNITS[units]),
    note: () => probesNote(state) || SHIFT_NOTES[state.options.shiftUnits],
  });
}

// γ and β over training, for the network and layer the Inside a BN layer view shows: the learned
// scale γ of the tracked unit against √(σ²_B + ε), the batch spread it would have to equal to undo
// the normalization, and the learned shift β against the batch mean μ_B.
import { armLabel } from '../shared/arms.js';
import { SYMBOL_COLORS as C } from '../shared/symbols.js';
import { axis, createChart, draw, lineDataset, setText, stepAxis } from './kit/chart-kit.js';
import { DASHED, format, probesNote } from './kit/chart-views.js';
import { decimated, layerSeries } from './kit/page-history.js';

// The arm and layer shown: the BN view's choice (snapshot.inspect), else the first BN network's
// last layer.
function shown(state, snapshot) {
  const a = snapshot.inspect?.arm ?? state.bnArms[0]?.a;
  const layer = snapshot.inspect?.layer ?? state.depth - 1;
  return a === undefined || layer < 0 ? null : { a, layer };
}

function pairView(canvas, state, { title, learned, batch, spread, y }) {
  const chart = createChart(canvas, {
    title: state.bnArms.length > 0 ? title : `${title}: no network here has BN`,
    subtitle: probesNote(state),
    x: stepAxis(),
    y,
    datasets: [lineDataset(learned.label, learned.color), lineDataset(batch.label, batch.color, { dash: DASHED })],
  });
  let last = ''; // the arm and layer drawn: another choice redraws without new rows
  return {
    update(snapshot, fresh) {
      const at = shown(state, snapshot);
      const key = at ? `${at.a} ${at.layer}` : '';
      if (!at || (!fresh && key === last)) return;
      last = key;
      chart.data.datasets[0].data = decimated(layerSeries(state, at.a, at.layer, learned.series));
      chart.data.datasets[1].data = decimated(
        batch.points(layerSeries(state, at.a, at.layer, 'batchVar'), layerSeries(state, at.a, at.layer, 'batchMean')),
      );
      const unit = Math.min(state.config.trackedUnit, state.config.hidden[at.layer] - 1) + 1;
      setText(chart, 'title', `${title}: ${armLabel(state.arms[at.a])}, layer ${at.layer + 1}, unit ${unit}`);
      const spreads = layerSeries(state, at.a, at.layer, spread);
      const now = spreads.length ? spreads[spreads.length - 1].y : NaN;
      setText(
        chart,
        'subtitle',
        probesNote(state) || `spread of ${learned.label} over the layer's units now: ${format(now)}`,
      );
      draw(chart);
    },
    destroy: () => chart.destroy(),
  };
}

export const gammaView = (canvas, state) =>
  pairView(canvas, state, {
    title: 'Scale: γ against √(σ²_B + ε)',
    learned: { series: 'gamma', label: 'γ', color: C.gamma },
    batch: {
      label: '√(σ²_B + ε)',
      color: C.var,
      points: (vars) => vars.map((p) => ({ x: p.x, y: Math.sqrt(p.y + state.config.bnEps) })),
    },
    spread: 'gammaSpread',
    y: axis('scale'),
  });

export const betaView = (canvas, state) =>
  pairView(canvas, state, {
    title: 'Shift: β against μ_B',
    learned: { series: 'beta', label: 'β', color: C.beta },
    batch: { label: 'μ_B', color: C.mean, points: (_, means) => means },
    spread: 'betaSpread',
    y: axis('shift'),
  });

// Chart.js as the page uses it: axes with round step ticks and power-of-ten log labels, line
// and point datasets whose legends show their dash, titles that wrap, and drawing only what is
// on or near the screen, at animation frames within the page's budget (frames.js).
import Chart from 'chart.js/auto';

import { niceSteps, withAlpha } from './drawing.js';
import { inkFor } from '../../shared/arms.js';
import { superscript } from '../../shared/format.js';
import { textAlternative } from './chart-text.js';
import { chartCsv, chartPng, saveButtons } from './save.js';
import { cancelDraw, drawSoon } from './frames.js';

// Refills points with (xs[i], ys[i]), reusing its objects: the BN traces, the jitter and the
// sweep are replaced whole at every snapshot.
export function fillPoints(points, length, x, y) {
  for (let i = 0; i < length; ++i) {
    if (i < points.length) {
      points[i].x = x(i);
      points[i].y = y(i);
    } else {
      points.push({ x: x(i), y: y(i) });
    }
  }
  points.length = length;
  return points;
}

export const axis = (title, options = {}) => ({ title: { display: true, text: title }, ...options });
// Ticks at round numbers inside the data's range, about one per 90 CSS px of axis so that
// labels such as "166,000" never run together. (With bounds 'data' Chart.js starts its ticks
// at the first point's step, 21,047, 21,247, ….)
const TICK_SPACING = 90;
export function roundTicks(scale) {
  const span = scale.max - scale.min;
  if (!(span > 0)) return;
  const rough = span / Math.max(2, Math.floor((scale.width || 6 * TICK_SPACING) / TICK_SPACING));
  const steps = niceSteps(rough);
  const count = (s) => Math.floor(scale.max / s) - Math.ceil(scale.min / s) + 1;
  let k = steps.findIndex((s) => s >= rough);
  while (k > 0 && count(steps[k]) < 2) --k; // a narrow axis still gets two labels
  const step = steps[k];
  const first = Math.ceil(scale.min / step);
  scale.ticks = Array.from({ length: Math.floor(scale.max / step) - first + 1 }, (_, k) => ({
    value: (first + k) * step,
  }));
}
// The data fill the width: the axis ends at the last step, not at the next round number.
// Level labels: on a narrow chart Chart.js then drops ticks rather than tilting them.
export const stepAxis = () =>
  axis('step', { type: 'linear', bounds: 'data', afterBuildTicks: roundTicks, ticks: { maxRotation: 0 } });

// Log-axis labels: only the powers of ten when the axis spans two or more (10⁻⁶, 0.01, 1, 100),
// otherwise every tick Chart.js chose (a loss between 0.2 and 0.7).
export function logTick(value, index, ticks) {
  const decade = (v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  if (ticks.filter((t) => decade(t.value)).length < 2) return Number(value.toPrecision(2)).toString();
  if (!decade(value)) return '';
  const e = Math.round(Math.log10(value));
  return Math.abs(e) <= 2 ? String(10 ** e).slice(0, 4) : `10${superscript(e)}`;
}
export const logAxis = (title, options = {}) =>
  axis(title, { type: 'logarithmic', ticks: { callback: logTick }, ...options });

// Series differ by dash and width; the colour always says which network.
export function lineDataset(label, color, { dash = [], width = 2, ...rest } = {}) {
  return {
    label,
    data: [],
    borderColor: color,
    backgroundColor: color,
    borderWidth: width,
    borderDash: dash,
    pointRadius: 0,
    pointHitRadius: 4,
    pointStyle: 'line', // the legend then shows the line's dash and width
    fill: false,
    ...rest,
  };
}

export function pointDataset(label, color, rest = {}) {
  return {
    label,
    data: [],
    showLine: false,
    borderColor: color,
    backgroundColor: withAlpha(color, 0.55),
    pointRadius: 2.5,
    pointStyle: 'circle',
    ...rest,
  };
}

// Chart.js does not wrap titles: on a phone a long one would be cut off at both ends. Views set
// the whole text with setText; it is split into lines that fit the chart's width, again after
// every resize.
const fullText = new WeakMap(); // chart -> { title, subtitle }

function wrapText(chart) {
  const texts = fullText.get(chart);
  if (!texts) return; // the chart's first resize, inside its constructor: createChart wraps after
  const { ctx, width } = chart;
  for (const [plugin, text] of Object.entries(texts)) {
    const { font } = chart.options.plugins[plugin];
    ctx.save();
    ctx.font = `${font.weight ?? 'normal'} ${font.size}px ${font.family}`;
    const lines = [];
    for (const word of text.split(' ')) {
      const last = lines.length - 1;
      if (last >= 0 && ctx.measureText(`${lines[last]} ${word}`).width < width - 16) lines[last] += ` ${word}`;
      else lines.push(word);
    }
    ctx.restore();
    chart.options.plugins[plugin].text = lines;
    chart.options.plugins[plugin].display = text !== ''; // an empty subtitle takes no room
  }
}

// Only the charts on screen or within a screen's height of it are drawn at each snapshot
// (drawing is most of an update's time); the others take their data and are drawn as they
// come near, before they are scrolled into view.
const onScreen = new WeakSet();
const stale = new WeakSet();
const visibility = new IntersectionObserver(
  (entries) => {
    for (const { target, isIntersecting } of entries) {
      const chart = Chart.getChart(target);
      if (!chart) continue;
      if (!isIntersecting) {
        onScreen.delete(chart);
      } else {
        onScreen.add(chart);
        if (stale.delete(chart)) draw(chart);
      }
    }
  },
  { rootMargin: '100% 0px' },
);

// Charts on screen with new data are drawn at the next animation frames, within the page's
// frame budget (frames.js).
export function draw(chart) {
  describers.get(chart)?.update(fullText.get(chart));
  if (!onScreen.has(chart)) {
    stale.add(chart);
    return;
  }
  drawSoon(chart, () => chart.update('none'));
}
const describers = new WeakMap(); // chart -> its text alternative's update (chart-text.js)

const pagePlugin = {
  id: 'bnlabPage',
  resize: wrapText,
  beforeDestroy: (chart) => {
    describers.get(chart)?.remove();
    chart.canvas.parentElement?.querySelector(':scope > .figure-save')?.remove();
    visibility.unobserve(chart.canvas);
    cancelDraw(chart);
    stale.delete(chart);
  },
};

export function setText(chart, plugin, text) {
  const texts = fullText.get(chart);
  if (texts[plugin] === text) return;
  texts[plugin] = text;
  wrapText(chart);
}

// Chart.js draws a legend's point style with the style of the dataset's first point, which
// has no dash: each entry takes its dataset's dash and width.
// A dataset with legend: false (a band's lower edge) has no entry of its own.
function lineLabels(chart) {
  return Chart.defaults.plugins.legend.labels
    .generateLabels(chart)
    .filter((item) => chart.data.datasets[item.datasetIndex]?.legend !== false)
    .map((item) => {
      const dataset = chart.data.datasets[item.datasetIndex];
      return dataset?.pointStyle === 'line'
        ? { ...item, lineDash: dataset.borderDash, lineWidth: Math.min(dataset.borderWidth, 2.5) }
        : item;
    });
}

const NEAREST_X = { mode: 'nearest', axis: 'x', intersect: false };

// Never colour alone: a dataset with endLabel (its network's name) gets it written at the end of
// its line, in its colour, nudged apart from the others.
const endLabels = {
  id: 'bnlabEndLabels',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea } = chart;
    const labels = [];
    chart.data.datasets.forEach((d, i) => {
      if (!d.endLabel || chart.getDatasetMeta(i).hidden) return;
      const points = chart.getDatasetMeta(i).data;
      for (let k = points.length - 1; k >= 0; --k) {
        const { x, y } = points[k];
        if (Number.isFinite(x) && Number.isFinite(y) && y >= chartArea.top && y <= chartArea.bottom) {
          labels.push({ text: d.endLabel, color: inkFor(d.borderColor), x, y: y - 8 });
          break;
        }
      }
    });
    labels.sort((a, b) => a.y - b.y);
    for (let k = 1; k < labels.length; ++k) labels[k].y = Math.max(labels[k].y, labels[k - 1].y + 12);
    ctx.save();
    ctx.font = `600 ${Chart.defaults.font.size - 1}px ${Chart.defaults.font.family}`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const l of labels) {
      ctx.fillStyle = l.color;
      ctx.fillText(l.text, Math.min(l.x, chartArea.right) - 2, Math.max(chartArea.top + 6, l.y));
    }
    ctx.restore();
  },
};

export function createChart(
  canvas,
  {
    type = 'line',
    title = '',
    subtitle = '',
    x,
    y,
    datasets,
    parsing = false,
    labels,
    interaction = NEAREST_X,
    plugins = [],
  },
) {
  // The y axis only ever widens: tick labels changing width ("0.5", "0.45") would otherwise
  // shift the plot sideways at every snapshot.
  let yWidth = 0;
  y.afterFit = (scale) => {
    yWidth = Math.max(yWidth, scale.width);
    scale.width = yWidth;
  };
  const allLines = datasets.every((d) => d.pointStyle === 'line');
  const chart = new Chart(canvas, {
    type,
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false, // the .chart container fixes the height: no layout jumps
      parsing,
      normalized: type === 'line', // history and traces are sorted by step
      interaction,
      layout: { padding: { top: 16 } }, // room for the Save buttons above the title
      scales: { x, y },
      plugins: {
        title: { display: true, text: title },
        subtitle: { display: false, text: '' },
        // Line datasets' legend entries are drawn as a stretch of their line, long enough to
        // show its dash (train solid, test dashed; running solid, batch statistics dotted).
        legend: {
          labels: {
            usePointStyle: true,
            boxHeight: 8,
            pointStyleWidth: allLines ? 28 : undefined,
            generateLabels: lineLabels,
          },
        },
      },
    },
    plugins: [pagePlugin, endLabels, ...plugins],
  });
  visibility.observe(canvas);
  fullText.set(chart, { title, subtitle });
  describers.set(
    chart,
    textAlternative(chart, () => save.refresh()),
  );
  // Saved as it is drawn now: the data of a chart off screen may not be drawn yet.
  const save = saveButtons(canvas.parentElement, {
    // The title as it is now: a chart's title may be set after it is made (setText).
    title: () => fullText.get(chart).title,
    png: () => chartPng(chart),
    csv: () => chartCsv(chart, chart.options.scales.x?.title?.text ?? 'x'),
  });
  wrapText(chart);
  return chart;
}

// A chart's text alternative: the canvas's label says what the chart shows and its latest values,
// and a table (for screen readers; sighted readers can save the same numbers as CSV) holds its
// series at the recorded steps, at most ROWS rows of them, spread over the run. Made from the
// chart's own datasets, so it carries exactly what is drawn.
import { el } from './dom.js';

const ROWS = 24;
const REFRESH_MS = 2000; // a table is rebuilt at most this often: screen readers read it meanwhile
let ids = 0;

// Four significant digits, as the page's readouts.
export const value = (v) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : '—');

// Chart.js gives every chart a labels array, empty unless the chart is by category (bars).
const xOf = (point, i, labels) => (labels?.length ? labels[i] : point?.x);
const yOf = (point) => (point && typeof point === 'object' ? point.y : point);

// The chart's series as rows: [x, y of each dataset]. Bar charts (labels) have a row per label;
// the others a row per distinct x (a step), at most `rows` of them, evenly spread.
export function chartRows(chart, rows = Infinity) {
  const { labels, datasets } = chart.data;
  const shown = datasets.filter((d) => d.legend !== false || d.label);
  const byX = new Map();
  shown.forEach((d, k) => {
    d.data.forEach((point, i) => {
      const x = xOf(point, i, labels);
      if (x === undefined) return;
      if (!byX.has(x)) byX.set(x, new Array(shown.length).fill(NaN));
      byX.get(x)[k] = yOf(point);
    });
  });
  let xs = [...byX.keys()];
  if (!labels?.length) xs.sort((a, b) => a - b);
  if (xs.length > rows) xs = Array.from({ length: rows }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (rows - 1))]);
  return { columns: shown.map((d) => d.label), rows: xs.map((x) => [x, ...byX.get(x)]) };
}

function fillTable(table, chart, caption, xTitle) {
  const { columns, rows } = chartRows(chart, ROWS);
  const head = el('tr');
  for (const name of [xTitle, ...columns]) {
    const th = el('th', '', name);
    th.scope = 'col';
    head.append(th);
  }
  const body = rows.map(([x, ...ys]) => {
    const tr = el('tr');
    const th = el('th', '', typeof x === 'number' ? x.toLocaleString('en') : String(x));
    th.scope = 'row';
    tr.append(th, ...ys.map((y) => el('td', '', value(y))));
    return tr;
  });
  table.replaceChildren(el('caption', '', caption), head, ...body);
}

// The label: the title, the subtitle, and each series' latest value.
function label(chart, title, subtitle) {
  const { columns, rows } = chartRows(chart);
  const last = columns.map((name, k) => {
    for (let r = rows.length - 1; r >= 0; --r)
      if (Number.isFinite(rows[r][k + 1])) return `${name} ${value(rows[r][k + 1])}`;
    return `${name} —`;
  });
  const parts = [title, subtitle, last.length && rows.length ? `Latest: ${last.join('; ')}` : 'No data yet'];
  const sentences = parts.filter(Boolean).map((p) => p.replace(/[.\s]+$/, ''));
  return `${sentences.join('. ')}. The numbers are in the table after the chart.`;
}

// Gives a chart its table (after its canvas): update({ title, subtitle }) brings the label and
// the table up to date with what is drawn; remove() takes the table away with the chart.
export function textAlternative(chart, onBuilt = () => {}) {
  const table = el('table', 'visually-hidden chart-numbers');
  table.id = `chart-numbers-${++ids}`;
  chart.canvas.after(table);
  chart.canvas.setAttribute('aria-describedby', table.id);
  let built = -Infinity;
  let later = null; // a rebuild owed: the last update inside REFRESH_MS still reaches the text
  let wanted = null;
  const build = () => {
    later = null;
    built = performance.now();
    chart.canvas.setAttribute('aria-label', label(chart, wanted.title, wanted.subtitle));
    fillTable(table, chart, wanted.title, chart.options.scales.x?.title?.text ?? 'x');
    onBuilt();
  };
  return {
    // Called at every snapshot, drawn or not: a screen reader's browse mode meets charts it
    // never scrolled to, so their text follows the data even off screen, at most every 2 s.
    update(text) {
      wanted = text;
      if (later) return;
      const wait = built + REFRESH_MS - performance.now();
      if (wait <= 0) build();
      else later = setTimeout(build, wait);
    },
    remove: () => {
      clearTimeout(later);
      table.remove();
    },
  };
}

// Figures to take away: a file saved from the page, a chart or a map as a PNG at twice its size
// with a caption carrying the run's link, and a chart's series as CSV.
import { chartRows } from './chart-text.js';
import { el } from './dom.js';

const SCALE = 2;

export function saveFile(filename, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// A file name from a title: "Loss on the whole training and test sets" -> "loss-on-the-whole-…".
export const fileName = (title, ext) =>
  `bnlab-${
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'figure'
  }.${ext}`;

// An image (a drawn canvas of CSS size w x h, at SCALE) on the page's paper, with the caption
// below it: the run's link, so a figure in a slide says where it came from.
function withCaption(draw, w, h, caption) {
  const out = document.createElement('canvas');
  const measure = out.getContext('2d');
  const font = `10px ${getComputedStyle(document.body).fontFamily}`;
  measure.font = font;
  // The caption (the run's whole link, which recreates it) broken into lines that fit.
  const lines = [];
  let line = '';
  for (const ch of caption) {
    if (line && measure.measureText(line + ch).width > w - 8) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  const captionH = 6 + 12 * lines.length;
  out.width = Math.round(w * SCALE);
  out.height = Math.round((h + captionH) * SCALE);
  const ctx = out.getContext('2d');
  ctx.scale(SCALE, SCALE);
  ctx.fillStyle = getComputedStyle(document.body).backgroundColor || '#ffffff';
  ctx.fillRect(0, 0, w, h + captionH);
  draw(ctx);
  ctx.fillStyle = getComputedStyle(document.body).color;
  ctx.font = font;
  ctx.textBaseline = 'top';
  lines.forEach((text, i) => ctx.fillText(text, 4, h + 3 + 12 * i));
  return new Promise((resolve) => {
    out.toBlob(resolve, 'image/png');
  });
}

const caption = () => `bnlab: ${window.location.href}`;

// A Chart.js chart as PNG at SCALE: drawn again at that pixel ratio (title, legend and all),
// then put back.
export function chartPng(chart) {
  const { width, height } = chart;
  const ratio = chart.options.devicePixelRatio;
  chart.options.devicePixelRatio = SCALE;
  chart.resize(width, height);
  chart.update('none');
  const image = chart.canvas;
  const blob = withCaption((ctx) => ctx.drawImage(image, 0, 0, width, height), width, height, caption());
  chart.options.devicePixelRatio = ratio;
  chart.resize();
  chart.update('none');
  return blob;
}

// A canvas the page draws itself (a map, the BN layer's picture), at its CSS size, with a title.
export function canvasPng(canvas, title) {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight + 18;
  return withCaption(
    (ctx) => {
      ctx.fillStyle = getComputedStyle(document.body).color;
      ctx.font = `bold 12px ${getComputedStyle(document.body).fontFamily}`;
      ctx.textBaseline = 'top';
      ctx.fillText(title, 4, 2);
      ctx.drawImage(canvas, 0, 18, w, h - 18);
    },
    w,
    h,
    caption(),
  );
}

// Rows as CSV: a header, then one line each; text quoted when it holds a comma or a quote.
export function toCsv(columns, rows) {
  const field = (v) => {
    const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[columns, ...rows].map((row) => row.map(field).join(',')).join('\n')}\n`;
}

export function chartCsv(chart, xTitle) {
  const { columns, rows } = chartRows(chart);
  return toCsv([xTitle, ...columns], rows);
}

// The Save buttons of a figure: PNG, and CSV when it has series. Their names carry the figure's
// title as it is when they take the focus or the pointer (a chart's title can change), or when
// the caller refreshes them.
export function saveButtons(container, { title, png, csv }) {
  const box = el('div', 'figure-save');
  const buttons = [];
  const button = (text, what, save) => {
    const b = el('button', 'save', text);
    b.type = 'button';
    b.addEventListener('click', save);
    buttons.push([b, what]);
    return b;
  };
  box.append(button('PNG', 'a PNG image', async () => saveFile(fileName(title(), 'png'), await png(), 'image/png')));
  if (csv) box.append(button('CSV', 'CSV numbers', () => saveFile(fileName(title(), 'csv'), csv(), 'text/csv')));
  box.refresh = () => {
    const name = title().trim() || 'this figure';
    for (const [b, what] of buttons) b.setAttribute('aria-label', `Save ${name} as ${what}`);
  };
  box.addEventListener('focusin', box.refresh);
  box.addEventListener('pointerenter', box.refresh);
  box.refresh();
  container.append(box);
  return box;
}

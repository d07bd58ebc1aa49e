// The Sweep view: the form that chooses a grid of runs (one or two fields of the schema, their
// values, the steps and the metric), one heatmap per network filling in as cells finish, the
// colour scale, what a hovered cell holds, and a sweep lesson's claims. It only displays: the
// engine validates the sweep (the worker) and trains the cells (the pool); app.js wires them.
// Every text goes in with textContent, never as markup.
import { $, el } from './dom.js';
import { armColor, armLabel } from './arms.js';
import { cssColors } from './cards.js';
import { FONT_PX } from './drawing.js';
import { num, pct } from './format.js';
import { drawSoon } from './frames.js';
import { SEEDS } from './scenarios.js';
import { cellConfig, cellPosition } from './sweep-claims.js';
import { LABELS } from './controls.js';
import { axisValuesFromText, valueFromText } from './url-state.js';


const METRIC_NAMES = {
  testAccuracy: 'final test accuracy', testLoss: 'final test loss',
  trainAccuracy: 'final training accuracy', trainLoss: 'final training loss',
};
const isAccuracy = (metric) => metric.endsWith('Accuracy');

// Viridis at five stops (perceptually even, readable in grey and by colour-blind readers).
const VIRIDIS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
function viridis(t) {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  return VIRIDIS[i].map((c, k) => Math.round(c + (VIRIDIS[i + 1][k] - c) * f));
}

// Where a cell's value sits on the colour scale, 0..1: accuracy as it is; a loss on a log scale
// between the grid's lowest and highest finite losses, low loss bright like high accuracy.
function scaleOf(grid) {
  const metric = grid.sweep.metric;
  if (isAccuracy(metric)) return { at: (v) => v, low: 0, high: 1, text: pct };
  const values = grid.cells.flatMap((c) => (c ? c.arms.map((a) => a[metric]) : [])).filter((v) => Number.isFinite(v) && v > 0);
  const low = values.length ? Math.min(...values) : 0.01;
  const high = values.length ? Math.max(...values) : 1;
  const span = Math.log(high / low) || 1;
  return { at: (v) => 1 - Math.log(v / low) / span, low, high, text: num };
}

const AXIS_TEXT = (v) => String(v);
const PENDING_RGB = [235, 235, 235];
const DIVERGED_RGB = [120, 40, 40];
// The maps and the progress line are redrawn at most this often while cells arrive: each
// redraw repaints, and the page's painting takes CPU from the workers (two workers on two
// cores trained 21 cells in 1.5 s with a redraw per cell, 1.05 s with none).
const REDRAW_MS = 250;
const LEFT = 46;    // room for the y values, CSS px
const BOTTOM = 30;  // room for the x values and the x field's name

const label = (field) => LABELS[field] ?? field;

export function createSweepView({ schema, sweepDefaults, sweepFields, metrics, onRun, onCancel, onOpen, onDownload, onMetric, baseValue }) {
  const fields = schema.filter((f) => sweepFields.includes(f.name));
  const form = $('sweep-form');
  let grid = null;
  let cards = [];
  let hover = null;  // { arm, index }
  let lessonClaims = null;  // { claims, results } of a sweep lesson, or null

  // ---- The form ----------------------------------------------------------------------
  const fieldOptions = (none) => [...(none ? [new Option('(none)', '')] : []), ...fields.map((f) => new Option(label(f.name), f.name))];
  form.elements['x.field'].replaceChildren(...fieldOptions(false));
  form.elements['y.field'].replaceChildren(...fieldOptions(true));
  form.elements.metric.replaceChildren(...metrics.map((m) => new Option(METRIC_NAMES[m] ?? m, m)));

  function setForm(sweep) {
    for (const axis of ['x', 'y']) {
      form.elements[`${axis}.field`].value = sweep[axis]?.field ?? '';
      form.elements[`${axis}.values`].value = sweep[axis] ? sweep[axis].values.join(', ') : '';
    }
    form.elements.steps.value = String(sweep.steps);
    form.elements.metric.value = sweep.metric;
    clearErrors();
  }

  // The axes, steps and metric as typed: text converted by the swept field's schema type; the
  // engine's validator judges the values.
  function readForm() {
    const axis = (name) => {
      const field = form.elements[`${name}.field`].value;
      if (!field) return undefined;
      const type = fields.find((f) => f.name === field)?.type;
      return { field, values: axisValuesFromText(type, form.elements[`${name}.values`].value) };
    };
    const spec = { x: axis('x'), steps: valueFromText({ type: 'integer' }, form.elements.steps.value), metric: form.elements.metric.value };
    const y = axis('y');
    if (y) spec.y = y;
    return spec;
  }

  function clearErrors() {
    for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
    for (const e of form.querySelectorAll('.field-error')) e.remove();
  }

  // Refusals from the validator, each at its field (x.values, y.field, steps, ...); a refusal
  // of a base setting is the panel's, and says so under the form.
  function showErrors(errors) {
    clearErrors();
    const shown = new Map();  // field -> messages shown, at most 3 each, in the validator's order
    for (const { field, message } of errors) {
      const count = shown.get(field) ?? 0;
      shown.set(field, count + 1);
      if (count >= 3) continue;
      const input = form.elements[field];
      const note = el('span', 'field-error', `${field}: ${message}`);
      note.setAttribute('role', 'alert');
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        const last = [...form.querySelectorAll('.field-error')].filter((e) => e.dataset.field === field).pop();
        (last ?? input.closest('label')).after(note);
      } else {
        form.querySelector('.sweep-actions').before(note);
      }
      note.dataset.field = field;
    }
    for (const [field, count] of shown) {
      if (count > 3) form.querySelector(`.field-error[data-field="${field}"]:last-of-type`)?.append(` (and ${count - 3} more)`);
    }
  }

  // A new field on an axis gets values it can take: every choice, both booleans, or the
  // panel's value for a number (the old values belonged to another field).
  for (const axis of ['x', 'y']) {
    form.elements[`${axis}.field`].addEventListener('change', () => {
      const field = fields.find((f) => f.name === form.elements[`${axis}.field`].value);
      const box = form.elements[`${axis}.values`];
      if (!field) box.value = '';
      else if (field.choices) box.value = field.choices.join(', ');
      else if (field.type === 'boolean') box.value = 'false, true';
      else box.value = String(baseValue(field.name));
      clearErrors();
    });
  }
  // The metric only colours the maps: a finished grid is recoloured, nothing retrains.
  form.elements.metric.addEventListener('change', () => {
    if (!grid) return;
    grid.sweep = { ...grid.sweep, metric: form.elements.metric.value };
    scaleKey = '';
    showTitle();
    drawAll();
    onMetric(grid.sweep.metric);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors();
    onRun(readForm());
  });
  $('sweep-cancel').addEventListener('click', () => onCancel());
  $('sweep-download').addEventListener('click', () => onDownload(grid));

  // ---- The maps ----------------------------------------------------------------------
  function reset(next) {
    grid = next;
    hover = null;
    lessonClaims = null;
    $('sweep-claims').replaceChildren();
    cards = grid.arms.map((name) => {
      const card = el('div', 'sweep-map');
      const title = el('h3', 'boundary-title');
      const swatch = el('span', 'swatch');
      swatch.style.background = armColor(name);
      const summary = el('span', 'boundary-accuracy');
      title.append(swatch, armLabel(name), summary);
      const canvas = el('canvas');
      canvas.setAttribute('role', 'img');
      card.append(title, canvas);
      const entry = { name, card, canvas, summary };
      canvas.addEventListener('mousemove', (event) => pointAt(entry, event));
      canvas.addEventListener('mouseleave', () => { hover = null; showHover(); drawAll(); });
      // A touch has no hover: the first tap on a cell shows its numbers, a second opens it.
      let touch = false;
      canvas.addEventListener('pointerdown', (event) => { touch = event.pointerType === 'touch'; });
      canvas.addEventListener('click', (event) => {
        const index = cellAt(entry, event);
        if (index === null || !grid.cells[index]) return;
        if (touch && (hover?.arm !== entry.name || hover.index !== index)) {
          pointAt(entry, event);
          return;
        }
        onOpen(cellConfig(grid.sweep, index));
      });
      return entry;
    });
    $('sweep-maps').replaceChildren(...cards.map((c) => c.card));
    showTitle();
    showHover();
    drawAll();
  }

  function showTitle() {
    const { x, y, metric, steps } = grid.sweep;
    $('sweep-title').textContent = `${METRIC_NAMES[metric]}${isAccuracy(metric) ? ' (%)' : ''} after ${steps.toLocaleString('en')} steps, `
      + `per network: ${label(x.field)} across${y ? `, ${label(y.field)} down` : ''}`;
  }
  // The title in a line, for the embed's caption.
  const caption = () => `${$('sweep-title').textContent}; × diverged.`;

  const nx = () => grid.sweep.x.values.length;
  const ny = () => grid.sweep.y?.values.length ?? 1;

  // The plot area of a card's canvas, in CSS px.
  function frame(entry) {
    const w = entry.canvas.clientWidth;
    const h = entry.canvas.clientHeight;
    return { x0: LEFT, y0: 4, w: Math.max(10, w - LEFT - 6), h: Math.max(10, h - BOTTOM - 4) };
  }

  function cellAt(entry, event) {
    const r = entry.canvas.getBoundingClientRect();
    const f = frame(entry);
    const ix = Math.floor(((event.clientX - r.left - f.x0) / f.w) * nx());
    const iy = Math.floor(((event.clientY - r.top - f.y0) / f.h) * ny());
    if (ix < 0 || ix >= nx() || iy < 0 || iy >= ny()) return null;
    return (ny() - 1 - iy) * nx() + ix;  // the first y value at the bottom
  }

  function pointAt(entry, event) {
    const index = cellAt(entry, event);
    const next = index === null ? null : { arm: entry.name, index };
    if (JSON.stringify(next) === JSON.stringify(hover)) return;
    hover = next;
    entry.canvas.style.cursor = index !== null && grid.cells[index] ? 'pointer' : 'default';
    entry.canvas.title = index === null ? '' : describe(index);  // where the readout is hidden (an embed)
    showHover();
    drawAll();
  }

  function describe(index) {
    const { x, y } = grid.sweep;
    const { ix, iy } = cellPosition(grid.sweep, index);
    const where = `${label(x.field)} ${x.values[ix]}${y ? `, ${label(y.field)} ${y.values[iy]}` : ''}`;
    const cell = grid.cells[index];
    if (!cell) return `${where}: not trained yet.`;
    const arms = grid.arms.map((name, a) => {
      const m = cell.arms[a];
      if (m.divergedAt !== null) return `${armLabel(name)} diverged at step ${m.divergedAt.toLocaleString('en')}`;
      return `${armLabel(name)} test accuracy ${pct(m.testAccuracy)}, test loss ${num(m.testLoss)}`;
    });
    return `${where}: ${arms.join('; ')}. Click (or tap again) to open this run.`;
  }

  function showHover() {
    $('sweep-hover').textContent = hover ? describe(hover.index)
      : grid ? 'Point at a cell (or tap it) for its numbers; click it (tap again) to open that run in the views above, paused at the grid\'s step.' : '';
  }

  function draw(entry) {
    const { canvas } = entry;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (w === 0 || h === 0) return;
    // A canvas resized is a new bitmap: only when its size changed.
    if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
    if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const style = getComputedStyle(canvas);
    const colors = cssColors(style);
    const font = style.fontFamily;
    ctx.clearRect(0, 0, w, h);
    const f = frame(entry);
    const a = grid.arms.indexOf(entry.name);
    const scale = scaleOf(grid);
    const cw = f.w / nx();
    const ch = f.h / ny();
    // A cell's top left corner; the first y value is the bottom row.
    const cellBox = (index) => {
      const { ix, iy } = cellPosition(grid.sweep, index);
      return { x: f.x0 + ix * cw, y: f.y0 + (ny() - 1 - iy) * ch };
    };
    ctx.font = `${FONT_PX}px ${font}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    let reached = 0;
    let best = null;
    grid.cells.forEach((cell, index) => {
      const { x, y } = cellBox(index);
      const m = cell?.arms[a];
      const value = m?.[grid.sweep.metric];
      const diverged = m && m.divergedAt !== null;
      const rgb = !m ? PENDING_RGB : diverged || !Number.isFinite(value) ? DIVERGED_RGB : viridis(scale.at(value));
      ctx.fillStyle = `rgb(${rgb.join(', ')})`;
      ctx.fillRect(x, y, cw - 1, ch - 1);
      if (m && !diverged && m.testAccuracy >= 0.9) ++reached;
      if (m && !diverged && (best === null || (isAccuracy(grid.sweep.metric) ? value > best : value < best))) best = value;
      if (!m || cw < 22 || ch < 14) return;
      const light = rgb[0] * 0.3 + rgb[1] * 0.59 + rgb[2] * 0.11 > 140;
      ctx.fillStyle = light ? '#111' : '#fff';
      // Accuracy rounded down: a cell reads 90 only when it reached 90%.
      const text = diverged ? '×' : isAccuracy(grid.sweep.metric) ? String(Math.floor(100 * value)) : num(value);
      ctx.fillText(text, x + cw / 2, y + ch / 2);
    });
    if (hover?.arm === entry.name) {
      const { x, y } = cellBox(hover.index);
      ctx.strokeStyle = colors.ink;
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, cw - 3, ch - 3);
    }
    // Axis values: every one when they fit, else every k-th.
    ctx.fillStyle = colors.muted;
    const every = (n, room, size) => Math.max(1, Math.ceil((n * size) / Math.max(1, room)));
    const kx = every(nx(), f.w, 34);
    grid.sweep.x.values.forEach((v, i) => {
      if (i % kx === 0) ctx.fillText(AXIS_TEXT(v), f.x0 + (i + 0.5) * cw, f.y0 + f.h + 9);
    });
    ctx.fillText(label(grid.sweep.x.field), f.x0 + f.w / 2, f.y0 + f.h + 22);
    if (grid.sweep.y) {
      ctx.textAlign = 'right';
      const ky = every(ny(), f.h, 14);
      grid.sweep.y.values.forEach((v, i) => {
        if (i % ky === 0) ctx.fillText(AXIS_TEXT(v), f.x0 - 4, f.y0 + (ny() - 1 - i + 0.5) * ch);
      });
      ctx.save();
      ctx.translate(9, f.y0 + f.h / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textAlign = 'center';
      ctx.fillText(label(grid.sweep.y.field), 0, 0);
      ctx.restore();
    }
    const done = grid.cells.filter(Boolean).length;
    // The summary speaks of what the maps show: test accuracy at 90%, or the best loss.
    const summary = grid.sweep.metric === 'testAccuracy' ? `test accuracy ≥ 90% in ${reached} of ${done} cells`
      : `best ${METRIC_NAMES[grid.sweep.metric].replace('final ', '')} ${best === null ? '—' : isAccuracy(grid.sweep.metric) ? pct(best) : num(best)}`;
    entry.summary.textContent = done ? ` ${summary}` : '';
    canvas.setAttribute('aria-label', `${armLabel(entry.name)}: ${METRIC_NAMES[grid.sweep.metric]} over ${label(grid.sweep.x.field)}`
      + `${grid.sweep.y ? ` and ${label(grid.sweep.y.field)}` : ''}; ${done ? summary : 'not trained yet'}`);
  }

  function drawAll() {
    for (const entry of cards) drawSoon(`sweep-${entry.name}`, () => draw(entry));
    drawScale();
  }

  // drawAll now, and again once REDRAW_MS has passed if more arrived meanwhile.
  let redrawTimer = null;
  let redrawWanted = false;
  function drawThrottled() {
    if (redrawTimer) {
      redrawWanted = true;
      return;
    }
    $('sweep-progress').textContent = progressText;
    drawAll();
    redrawTimer = setTimeout(() => {
      redrawTimer = null;
      if (redrawWanted) {
        redrawWanted = false;
        drawThrottled();
      }
    }, REDRAW_MS);
  }
  let progressText = '';

  let scaleKey = '';
  function drawScale() {
    if (!grid) return;
    const scale = scaleOf(grid);
    const key = `${grid.sweep.metric} ${scale.low} ${scale.high}`;
    if (key === scaleKey) return;
    scaleKey = key;
    const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => `rgb(${viridis(t).join(', ')}) ${100 * t}%`);
    const bar = el('span', 'heat-bar');
    bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    const name = METRIC_NAMES[grid.sweep.metric];
    const parts = isAccuracy(grid.sweep.metric)
      ? [el('span', '', `${name}: 0%`), bar, el('span', '', '100%')]
      : [el('span', '', `${name}: ${num(scale.high)}`), bar, el('span', '', `${num(scale.low)} (log scale)`)];
    $('sweep-scale').replaceChildren(...parts, el('span', 'scale-note', '× (dark red) diverged, light grey not trained yet'));
  }

  window.addEventListener('resize', () => grid && drawAll());

  return {
    setForm,
    readForm,
    showErrors,
    reset,
    // A finished cell and the progress line that goes with it, drawn within REDRAW_MS.
    cellDone(cell, progress) {
      grid.cells[cell.index] = cell;
      progressText = progress;
      drawThrottled();
    },
    redraw: () => grid && drawAll(),
    caption: () => (grid ? caption() : ''),
    progress(text, running) {
      progressText = text;
      $('sweep-progress').textContent = text;
      $('sweep-run').disabled = running;
      $('sweep-cancel').disabled = !running;
      $('sweep-download').disabled = running || !grid?.cells.every(Boolean);
    },
    // A sweep lesson's text and claims: pending while the grid fills, then ✓ or ✗ with the
    // numbers (results: evaluateClaims on the finished grid, or null).
    showLesson(lesson, variant, results) {
      const box = $('sweep-lesson');
      box.hidden = !lesson;
      if (!lesson) return;
      $('sweep-lesson-title').textContent = lesson.title;
      $('sweep-lesson-text').textContent = [lesson.text, variant.note].filter(Boolean).join(' ');
      $('sweep-claims').replaceChildren(...variant.claims.map((claim, i) => {
        const r = results?.[i];
        const li = el('li', `claim ${r ? (r.ok ? 'holds' : 'fails') : 'pending'}`);
        const mark = el('span', 'mark', r ? (r.ok ? '✓' : '✗') : '⋯');
        mark.setAttribute('aria-label', r ? (r.ok ? 'holds' : 'does not hold') : 'not checked yet');
        li.append(mark, el('span', 'claim-text', claim.text),
          el('span', 'claim-detail', r ? `: ${r.detail}` : ': checked when every cell is trained'),
          el('span', 'claim-seeds', ` (holds in ${claim.held} of seeds 1–${SEEDS})`));
        return li;
      }));
    },
    defaults: sweepDefaults,
    grid: () => grid,
  };
}

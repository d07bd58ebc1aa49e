// The Sweep view's maps: one heatmap per network, cells filling in as they finish, x across
// and y up (the first value at the bottom left); pointing at a cell (or tapping it) shows its
// numbers, clicking it (or tapping it again) opens its run.
import { armColor, armLabel } from '../../shared/arms.js';
import { num, pct, percentDown } from '../../shared/format.js';
import { cellPosition } from '../../shared/sweep-grid.js';
import { cssColors } from '../kit/cards.js';
import { el } from '../kit/dom.js';
import { FONT_PX } from '../kit/drawing.js';
import { canvasPng, saveButtons } from '../kit/save.js';
import { drawSoon } from '../kit/frames.js';
import { fieldLabel } from './form.js';
import { DIVERGED_RGB, isAccuracy, METRIC_NAMES, PENDING_RGB, scaleOf, viridis } from './scale.js';

const LEFT = 46; // room for the y values, CSS px
const BOTTOM = 30; // room for the x values and the x field's name

// The plot area of a card's canvas, in CSS px.
function frame(canvas) {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  return { x0: LEFT, y0: 4, w: Math.max(10, w - LEFT - 6), h: Math.max(10, h - BOTTOM - 4) };
}

const columns = (grid) => grid.sweep.x.values.length;
const rows = (grid) => grid.sweep.y?.values.length ?? 1;

// The cell under a pointer event, or null.
function cellAt(grid, canvas, event) {
  const r = canvas.getBoundingClientRect();
  const f = frame(canvas);
  const ix = Math.floor(((event.clientX - r.left - f.x0) / f.w) * columns(grid));
  const iy = Math.floor(((event.clientY - r.top - f.y0) / f.h) * rows(grid));
  if (ix < 0 || ix >= columns(grid) || iy < 0 || iy >= rows(grid)) return null;
  return (rows(grid) - 1 - iy) * columns(grid) + ix; // the first y value at the bottom
}

// A cell's numbers in words, for the readout and the canvas's tooltip.
export function describeCell(grid, index) {
  const { x, y } = grid.sweep;
  const { ix, iy } = cellPosition(grid.sweep, index);
  const where = `${fieldLabel(x.field)} ${x.values[ix]}${y ? `, ${fieldLabel(y.field)} ${y.values[iy]}` : ''}`;
  const cell = grid.cells[index];
  if (!cell) return `${where}: not trained yet.`;
  const arms = grid.arms.map((name, a) => {
    const m = cell.arms[a];
    if (m.divergedAt !== null) return `${armLabel(name)} diverged at step ${m.divergedAt.toLocaleString('en')}`;
    return `${armLabel(name)} test accuracy ${pct(m.testAccuracy)}, test loss ${num(m.testLoss)}`;
  });
  return `${where}: ${arms.join('; ')}. Click (tap again, or press Enter) to open this run.`;
}

// The canvas's bitmap sized to its CSS box at the device's pixel ratio (only when that
// changed: a canvas resized is a new bitmap), and its context in CSS px; null when hidden.
function prepare(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  if (w === 0 || h === 0) return null;
  if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
  if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return ctx;
}

// Every cell of arm a in its colour, with its number when it fits; returns what the card's
// summary says: cells at 90% test accuracy, the best value, the cells done.
function drawCells(ctx, grid, a, f) {
  const { metric } = grid.sweep;
  const scale = scaleOf(grid);
  const cw = f.w / columns(grid);
  const ch = f.h / rows(grid);
  let reached = 0;
  let best = null;
  grid.cells.forEach((cell, index) => {
    const { x, y } = cellBox(grid, f, index);
    const m = cell?.arms[a];
    const value = m?.[metric];
    const diverged = m && m.divergedAt !== null;
    const rgb = !m ? PENDING_RGB : diverged || !Number.isFinite(value) ? DIVERGED_RGB : viridis(scale.at(value));
    ctx.fillStyle = `rgb(${rgb.join(', ')})`;
    ctx.fillRect(x, y, cw - 1, ch - 1);
    if (m && !diverged && m.testAccuracy >= 0.9) ++reached;
    if (m && !diverged && (best === null || (isAccuracy(metric) ? value > best : value < best))) best = value;
    if (!m || cw < 22 || ch < 14) return;
    const light = rgb[0] * 0.3 + rgb[1] * 0.59 + rgb[2] * 0.11 > 140;
    ctx.fillStyle = light ? '#111' : '#fff';
    const text = diverged ? '×' : isAccuracy(metric) ? percentDown(value) : num(value);
    ctx.fillText(text, x + cw / 2, y + ch / 2);
  });
  return { reached, best, done: grid.cells.filter(Boolean).length };
}

// A cell's top left corner in the plot area; the first y value is the bottom row.
function cellBox(grid, f, index) {
  const { ix, iy } = cellPosition(grid.sweep, index);
  return { x: f.x0 + ix * (f.w / columns(grid)), y: f.y0 + (rows(grid) - 1 - iy) * (f.h / rows(grid)) };
}

// The axis values (every one when they fit, else every k-th) and the fields' names.
function drawAxes(ctx, grid, f) {
  const cw = f.w / columns(grid);
  const ch = f.h / rows(grid);
  const every = (n, room, size) => Math.max(1, Math.ceil((n * size) / Math.max(1, room)));
  const kx = every(columns(grid), f.w, 34);
  grid.sweep.x.values.forEach((v, i) => {
    if (i % kx === 0) ctx.fillText(String(v), f.x0 + (i + 0.5) * cw, f.y0 + f.h + 9);
  });
  ctx.fillText(fieldLabel(grid.sweep.x.field), f.x0 + f.w / 2, f.y0 + f.h + 22);
  if (!grid.sweep.y) return;
  ctx.textAlign = 'right';
  const ky = every(rows(grid), f.h, 14);
  grid.sweep.y.values.forEach((v, i) => {
    if (i % ky === 0) ctx.fillText(String(v), f.x0 - 4, f.y0 + (rows(grid) - 1 - i + 0.5) * ch);
  });
  ctx.save();
  ctx.translate(9, f.y0 + f.h / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(fieldLabel(grid.sweep.y.field), 0, 0);
  ctx.restore();
}

// The summary speaks of what the maps show: test accuracy at 90%, or the best loss.
function summaryText(grid, { reached, best, done }) {
  const { metric } = grid.sweep;
  if (metric === 'testAccuracy') return `test accuracy ≥ 90% in ${reached} of ${done} cells`;
  return `best ${METRIC_NAMES[metric].replace('final ', '')} ${best === null ? '—' : isAccuracy(metric) ? pct(best) : num(best)}`;
}

// container: where the cards go; onHover(text): the readout; onOpen(index): a cell to open.
// Longer than 80 lines as a whole: a closure over the view's state, holding short functions.
export function createMaps(container, { onHover, onOpen }) {
  let grid = null;
  let cards = [];
  let hover = null; // { arm, index }

  function hoverCell(card, index) {
    const next = index === null ? null : { arm: card.name, index };
    if (next?.arm === hover?.arm && next?.index === hover?.index) return;
    hover = next;
    card.canvas.style.cursor = index !== null && grid.cells[index] ? 'pointer' : 'default';
    card.canvas.title = index === null ? '' : describeCell(grid, index); // where the readout is hidden (an embed)
    onHover(hover);
    drawAll();
  }
  const pointAt = (card, event) => hoverCell(card, cellAt(grid, card.canvas, event));

  // The keyboard: arrows move between cells (up is the next y value), Enter or Space opens one.
  const STEPS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
  function keyAt(card, event) {
    const at = hover?.arm === card.name ? hover.index : 0;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (grid.cells[at]) onOpen(at);
      return;
    }
    const step = STEPS[event.key];
    if (!step) return;
    event.preventDefault();
    const { ix, iy } = cellPosition(grid.sweep, at);
    const x = Math.min(columns(grid) - 1, Math.max(0, ix + step[0]));
    const y = Math.min(rows(grid) - 1, Math.max(0, iy + step[1]));
    hoverCell(card, y * columns(grid) + x);
  }

  function makeCard(name) {
    const element = el('div', 'sweep-map');
    const title = el('h3', 'boundary-title');
    const swatch = el('span', 'swatch');
    swatch.style.background = armColor(name);
    const summary = el('span', 'boundary-accuracy');
    title.append(swatch, armLabel(name), summary);
    const canvas = el('canvas');
    canvas.setAttribute('role', 'img');
    canvas.tabIndex = 0;
    canvas.setAttribute('aria-keyshortcuts', 'ArrowLeft ArrowRight ArrowUp ArrowDown Enter');
    element.append(title, canvas);
    saveButtons(element, { title: () => title.textContent, png: () => canvasPng(canvas, title.textContent) });
    const card = { name, element, canvas, summary };
    canvas.addEventListener('keydown', (event) => keyAt(card, event));
    canvas.addEventListener('focus', () => {
      if (hover?.arm !== name) hoverCell(card, 0);
    });
    canvas.addEventListener('mousemove', (event) => pointAt(card, event));
    canvas.addEventListener('blur', () => {
      hover = null;
      onHover(null);
      drawAll();
    });
    canvas.addEventListener('mouseleave', () => {
      hover = null;
      onHover(null);
      drawAll();
    });
    // A touch has no hover: the first tap on a cell shows its numbers, a second opens it.
    let touch = false;
    canvas.addEventListener('pointerdown', (event) => {
      touch = event.pointerType === 'touch';
    });
    canvas.addEventListener('click', (event) => {
      const index = cellAt(grid, canvas, event);
      if (index === null || !grid.cells[index]) return;
      if (touch && (hover?.arm !== name || hover.index !== index)) {
        pointAt(card, event);
        return;
      }
      onOpen(index);
    });
    return card;
  }

  function draw(card) {
    const ctx = prepare(card.canvas);
    if (!ctx) return;
    const style = getComputedStyle(card.canvas);
    const f = frame(card.canvas);
    ctx.font = `${FONT_PX}px ${style.fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    const counts = drawCells(ctx, grid, grid.arms.indexOf(card.name), f);
    if (hover?.arm === card.name) {
      const { x, y } = cellBox(grid, f, hover.index);
      ctx.strokeStyle = cssColors().ink;
      ctx.lineWidth = 2;
      ctx.strokeRect(x + 1, y + 1, f.w / columns(grid) - 3, f.h / rows(grid) - 3);
    }
    ctx.fillStyle = cssColors().muted;
    drawAxes(ctx, grid, f);
    const summary = summaryText(grid, counts);
    card.summary.textContent = counts.done ? ` ${summary}` : '';
    const { x, y, metric } = grid.sweep;
    card.canvas.setAttribute(
      'aria-label',
      `${armLabel(card.name)}: ${METRIC_NAMES[metric]} over ${fieldLabel(x.field)}` +
        `${y ? ` and ${fieldLabel(y.field)}` : ''}; ${counts.done ? summary : 'not trained yet'}`,
    );
  }

  function drawAll() {
    if (!grid) return;
    for (const card of cards) drawSoon(`sweep-${card.name}`, () => draw(card));
  }

  return {
    reset(next) {
      grid = next;
      hover = null;
      cards = grid.arms.map(makeCard);
      container.replaceChildren(...cards.map((c) => c.element));
    },
    drawAll,
  };
}

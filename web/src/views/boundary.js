// The decision-boundary view: per network, its probability of class 1 over the input plane as
// a colour (a tint towards the class it favours), with the training and test points on top.
//
// The cards are built on reset only. Each canvas keeps two layers: the probability grid as a
// size x size ImageData, repainted per snapshot and scaled up by drawImage with smoothing, and
// the axes and points, which only change with the canvas size, so they are drawn once per
// resize into an offscreen canvas and composited on top.
import { armLabel } from '../shared/arms.js';
import { createArmCard, cssColors, drawNotice } from './kit/cards.js';
import { FONT_PX, niceSteps } from './kit/drawing.js';
import { pct } from '../shared/format.js';
import { drawSoon } from './kit/frames.js';

// TensorFlow Playground's colours: class 0 blue, class 1 orange.
const CLASS_RGB = [
  [8, 119, 189],
  [245, 147, 34],
];
const CLASS_COLORS = CLASS_RGB.map(([r, g, b]) => `rgb(${r}, ${g}, ${b})`);
// How far the tint goes from white towards a class colour at certainty: paler than the
// points, so points of either class stand out on either side of the boundary.
const TINT_STRENGTH = 0.6;
const NAN_RGB = [200, 200, 200];
const LEVELS = 256; // colours in the lookup table, plus one for NaN

const TICK = 4; // tick mark length, CSS px
const GAP = 3; // between a tick and its label, a label and the axis name
const EDGE = 8; // free space on the sides without labels
const TICK_SPACING = 60; // about one tick label per this many CSS px

// Each probability's colour as one 32-bit pixel, so painting a grid is a lookup per point.
// Built through bytes and read as words, so the byte order is the platform's, as ImageData's.
function tintTable() {
  const bytes = new Uint8ClampedArray(4 * (LEVELS + 1));
  for (let i = 0; i <= LEVELS; ++i) {
    const p = i / (LEVELS - 1);
    const t = Math.abs(2 * p - 1) * TINT_STRENGTH;
    const rgb = i === LEVELS ? NAN_RGB : CLASS_RGB[p < 0.5 ? 0 : 1].map((c) => 255 + (c - 255) * t);
    bytes.set([...rgb, 255], 4 * i);
  }
  return new Uint32Array(bytes.buffer);
}
const TINT = tintTable();

// The colour scale under the maps, from the same colours: P(class 1) from 0 to 1.
export function drawProbabilityScale(element) {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((p) => {
    const t = Math.abs(2 * p - 1) * TINT_STRENGTH;
    const rgb = CLASS_RGB[p < 0.5 ? 0 : 1].map((c) => Math.round(255 + (c - 255) * t));
    return `rgb(${rgb.join(', ')}) ${100 * p}%`;
  });
  const bar = document.createElement('span');
  bar.className = 'heat-bar';
  bar.style.background = `linear-gradient(to right, ${stops.join(', ')})`;
  const text = (t) => Object.assign(document.createElement('span'), { textContent: t });
  element.replaceChildren(text('probability of the orange class: 0'), bar, text('1'));
  element.setAttribute('aria-label', 'Colour scale: white is 0.5, blue towards 0, orange towards 1');
}

// The grid's row iy = 0 is yMin, the image's row 0 is its top: rows are written flipped.
function paintProbabilities(image, grid, size) {
  const pixels = new Uint32Array(image.data.buffer);
  for (let iy = 0; iy < size; ++iy) {
    const row = (size - 1 - iy) * size;
    for (let ix = 0; ix < size; ++ix) {
      const p = grid[iy * size + ix];
      const level = Number.isNaN(p) ? LEVELS : Math.round(Math.min(1, Math.max(0, p)) * (LEVELS - 1));
      pixels[row + ix] = TINT[level];
    }
  }
}

// A diverged network's last picture, kept but washed out to light grey: its weights are NaN
// now, so it has nothing newer to show.
function greyOut(image) {
  const px = image.data;
  for (let o = 0; o < px.length; o += 4) {
    const luma = 0.299 * px[o] + 0.587 * px[o + 1] + 0.114 * px[o + 2];
    px[o] = px[o + 1] = px[o + 2] = 150 + 0.4 * luma;
  }
}

// About `count` round tick values (1, 2 or 5 times a power of ten) inside [lo, hi], with
// labels of as many decimals as the step needs.
function ticks(lo, hi, count) {
  const raw = (hi - lo) / Math.max(1, count);
  const step = niceSteps(raw).find((s) => s >= raw * (1 - 1e-9));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const out = [];
  for (let k = Math.ceil(lo / step); k * step <= hi; ++k)
    out.push({ value: k * step, text: (k * step).toFixed(decimals) });
  return out;
}

function axisNames(dataset) {
  return dataset === 'scales' ? ['height (m)', 'weight (kg)'] : ['x1', 'x2'];
}

// Lays out a square plot in a square canvas of `side` CSS px: room for the tick labels and the
// axis name on the left and below, the rest split so the plot stays square. Returns the plot's
// square and the maps from data units to CSS px.
function plotFrame(ctx, side, view) {
  const { grid } = view;
  const count = Math.max(2, Math.round(side / TICK_SPACING));
  const xTicks = ticks(grid.xMin, grid.xMax, count);
  const yTicks = ticks(grid.yMin, grid.yMax, count);
  const labelWidth = Math.max(0, ...yTicks.map((t) => ctx.measureText(t.text).width));
  const left = FONT_PX + GAP + labelWidth + GAP + TICK;
  const bottom = TICK + GAP + FONT_PX + GAP + FONT_PX;
  const size = side - Math.max(left, bottom) - EDGE;
  const x0 = left;
  const y0 = side - bottom - size;
  return {
    x0,
    y0,
    size,
    xTicks,
    yTicks,
    px: (x) => x0 + ((x - grid.xMin) / (grid.xMax - grid.xMin)) * size,
    py: (y) => y0 + ((grid.yMax - y) / (grid.yMax - grid.yMin)) * size,
  };
}

function drawAxes(ctx, frame, side, view) {
  const { x0, y0, size, px, py } = frame;
  ctx.strokeStyle = view.colors.line;
  ctx.lineWidth = 1;
  ctx.strokeRect(x0 - 0.5, y0 - 0.5, size + 1, size + 1);

  ctx.fillStyle = view.colors.muted;
  ctx.strokeStyle = view.colors.muted;
  ctx.beginPath();
  for (const t of frame.xTicks) {
    ctx.moveTo(px(t.value), y0 + size + 1);
    ctx.lineTo(px(t.value), y0 + size + 1 + TICK);
  }
  for (const t of frame.yTicks) {
    ctx.moveTo(x0 - 1, py(t.value));
    ctx.lineTo(x0 - 1 - TICK, py(t.value));
  }
  ctx.stroke();

  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const t of frame.xTicks) ctx.fillText(t.text, px(t.value), y0 + size + TICK + GAP);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of frame.yTicks) ctx.fillText(t.text, x0 - TICK - GAP, py(t.value));

  const [xName, yName] = view.axisNames;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText(xName, x0 + size / 2, side);
  ctx.save();
  ctx.translate(0, y0 + size / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'top';
  ctx.fillText(yName, 0, 0);
  ctx.restore();
}

// Training points as circles with a white rim, test points as squares of about the same area
// with a dark rim, and a shifted test set's points (covariate shift) as diamonds: the shape and
// the rim tell the sets apart, the fill is the true class.
function drawPoints(ctx, frame, view) {
  const { px, py } = frame;
  const r = Math.min(4, Math.max(2, frame.size / 90));
  const half = r * 0.89;
  const diamond = (x, y) => {
    ctx.moveTo(x, y - 1.3 * r);
    ctx.lineTo(x + 1.3 * r, y);
    ctx.lineTo(x, y + 1.3 * r);
    ctx.lineTo(x - 1.3 * r, y);
    ctx.closePath();
  };
  const sets = [
    [view.data.trainX, view.data.trainY, '#ffffff', (x, y) => ctx.arc(x, y, r, 0, 2 * Math.PI)],
    [view.data.testX, view.data.testY, view.colors.ink, (x, y) => ctx.rect(x - half, y - half, 2 * half, 2 * half)],
    [view.data.shiftedX ?? [], view.data.shiftedY ?? [], view.colors.ink, diamond],
  ];
  ctx.lineWidth = 1;
  for (const [xs, ys, rim, shape] of sets) {
    ctx.strokeStyle = rim;
    for (let i = 0; i < ys.length; ++i) {
      ctx.beginPath();
      shape(px(xs[2 * i]), py(xs[2 * i + 1]));
      ctx.fillStyle = CLASS_COLORS[ys[i]];
      ctx.fill();
      ctx.stroke();
    }
  }
}

// Longer than 80 lines as a whole: a closure over the view's state, holding short functions.
export function createBoundaries(container) {
  let view = null; // the experiment's grid, data and cards, set on reset
  const scratch = document.createElement('canvas'); // the ImageData's size, to scale it by drawImage

  // Probabilities, then axes and points, then the divergence notice.
  function composite(card) {
    if (!card.decor) return;
    const ctx = card.canvas.getContext('2d');
    const scale = card.canvas.width / card.side;
    const { x0, y0, size } = card.frame;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.clearRect(0, 0, card.side, card.side);
    scratch.getContext('2d').putImageData(card.image, 0, 0);
    ctx.save();
    ctx.beginPath();
    ctx.rect(x0, y0, size, size);
    ctx.clip();
    // The grid's points lie on the plot's edges, (size - 1) cells apart: each image pixel is a
    // cell centred on its point, so the image reaches half a cell past the plot, clipped.
    const cell = size / (view.grid.size - 1);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(scratch, x0 - cell / 2, y0 - cell / 2, size + cell, size + cell);
    ctx.restore();
    ctx.drawImage(card.decor, 0, 0, card.side, card.side);
    if (card.divergedAt !== null) drawNotice(ctx, card.frame, `diverged at step ${card.divergedAt}`, view);
  }

  function resize(card, side, pixels) {
    if (side <= 0) return;
    card.side = side;
    card.canvas.width = card.canvas.height = pixels;
    card.decor = document.createElement('canvas');
    card.decor.width = card.decor.height = pixels;
    const ctx = card.decor.getContext('2d');
    ctx.scale(pixels / side, pixels / side);
    ctx.font = `${FONT_PX}px ${view.font}`;
    card.frame = plotFrame(ctx, side, view);
    drawAxes(ctx, card.frame, side, view);
    drawPoints(ctx, card.frame, view);
    composite(card);
  }

  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      const card = view?.cards.find((c) => c.canvas === entry.target);
      const side = entry.contentRect.width;
      if (card) resize(card, side, Math.round(side * window.devicePixelRatio));
    }
  });

  function describe(card, accuracy) {
    const [xName, yName] = view.axisNames;
    const state = card.divergedAt !== null ? `Diverged at step ${card.divergedAt}.` : `Test accuracy ${accuracy}.`;
    return (
      `${armLabel(card.name)}: probability of the orange class (class 1) over ${xName} and ` +
      `${yName}, orange where the network predicts class 1, blue where it predicts class 0; ` +
      `${view.data.trainY.length} training points as circles, ${view.data.testY.length} test ` +
      `points as squares, coloured by their true class. ${state}`
    );
  }

  // Heading and label, touched only when their text changes.
  function showAccuracy(card, value) {
    const accuracy = pct(value);
    // A diverged network's outputs are NaN: its accuracy would only count how NaN compares.
    // No-break spaces: a narrow card wraps the heading after the dash, not inside the phrase.
    const text = card.divergedAt !== null ? ' — diverged' : ` — test\u00a0accuracy\u00a0${accuracy}`;
    if (text !== card.text) card.accuracy.textContent = card.text = text;
    const label = describe(card, accuracy);
    if (label !== card.label) card.canvas.setAttribute('aria-label', (card.label = label));
  }

  function reset(ready) {
    observer.disconnect();
    view = null;
    // Without a 2-D grid (the digits) the digits view shows the predictions instead, and the
    // explanation of the picture, which fits the 2-D data sets only, is hidden.
    container.hidden = ready.grid.size === 0;
    for (const e of document.querySelectorAll('#view-boundary .two-d')) e.hidden = ready.grid.size === 0;
    if (ready.grid.size === 0) {
      container.replaceChildren();
      return;
    }
    const style = getComputedStyle(container);
    view = {
      grid: ready.grid,
      data: ready.data,
      axisNames: ready.data.featureNames ?? axisNames(ready.config.dataset), // a table's: its columns
      colors: cssColors(),
      font: style.fontFamily,
      cards: ready.arms.map((name) => ({ ...createArmCard(name, 'boundary'), decor: null, frame: null })),
    };
    scratch.width = scratch.height = ready.grid.size;
    for (const card of view.cards) {
      card.image = new ImageData(ready.grid.size, ready.grid.size);
      paintProbabilities(card.image, new Float32Array(ready.grid.size ** 2).fill(0.5), ready.grid.size);
      showAccuracy(card, NaN);
      observer.observe(card.canvas);
    }
    container.replaceChildren(...view.cards.map((c) => c.element));
  }

  function update(snapshot) {
    if (!view || snapshot.grids.length !== view.cards.length) return;
    view.cards.forEach((card, a) => {
      const arm = snapshot.arms[a];
      if (!arm.diverged) paintProbabilities(card.image, snapshot.grids[a], view.grid.size);
      else if (card.divergedAt === null) greyOut(card.image);
      card.divergedAt = arm.diverged ? arm.divergedAt : null;
      showAccuracy(card, snapshot.metrics.testAccuracy[a]);
      // Drawn at a frame to come: not if the view was rebuilt for another run meanwhile.
      const current = view;
      drawSoon(card, () => {
        if (view === current) composite(card);
      });
    });
  }

  return { reset, update };
}

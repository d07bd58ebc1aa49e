// The handwritten-digits view: the first test digits with each network's answer, and one
// confusion matrix per network. It takes the decision boundaries' place for the 8x8 digits, which have no
// 2-D input plane to paint.
//
// Everything is built on reset; a snapshot only rewrites the answers that changed and redraws
// the matrices whose counts changed, so ten snapshots a second cost little and move nothing.
import { armColor, armInk, armLabel } from '../shared/arms.js';
import { createArmCard, cssColors, drawNotice } from './kit/cards.js';
import { FONT_PX, rgbOf } from './kit/drawing.js';
import { pct } from '../shared/format.js';

const SIDE = 8; // pixels per image side
const FEATURES = SIDE * SIDE;
const CLASSES = 10;
const SHOWN = 48; // test digits shown at most
const MAX_ROWS = 4; // on a narrow screen, fewer digits rather than a long scroll
const DIGIT_PX = 40; // CSS px of one image: 5 per pixel, big enough to read the digit

const GAP = 3; // between a label and the matrix, or the axis name
const EDGE = 8; // free space on the sides without labels

// -- The digits ------------------------------------------------------------------------------

// One test image as ink on paper. Noise can push a pixel past [0, 1]: clamped, not wrapped.
function paintDigit(canvas, pixels, ink, scratch) {
  const image = new ImageData(SIDE, SIDE);
  for (let i = 0; i < FEATURES; ++i) {
    const v = Math.min(1, Math.max(0, pixels[i]));
    for (let c = 0; c < 3; ++c) image.data[4 * i + c] = 255 + (ink[c] - 255) * v;
    image.data[4 * i + 3] = 255;
  }
  scratch.getContext('2d').putImageData(image, 0, 0);
  // The buffer matches the device pixels, so the browser does not resample it again; the
  // upscaling itself must not blur the 8x8 pixels into a smudge.
  canvas.width = canvas.height = Math.round(DIGIT_PX * window.devicePixelRatio);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

// One cell: the image, its true label, and one answer per arm (built empty, so the first
// snapshot changes no sizes).
function createCell(index, truth, arms) {
  const cell = document.createElement('li');
  cell.className = 'digit';
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.style.cssText = `width: ${DIGIT_PX}px; height: ${DIGIT_PX}px;`;
  const label = document.createElement('span');
  label.className = 'digit-truth';
  label.textContent = String(truth);
  // The canvas's label tells a screen reader the whole cell; the short visible texts would
  // only say "3 3" without the arms' names.
  label.setAttribute('aria-hidden', 'true');
  const answers = arms.map((name) => {
    const answer = document.createElement('span');
    answer.className = 'digit-answer';
    answer.style.color = armInk(name);
    answer.setAttribute('aria-hidden', 'true');
    answer.textContent = '–';
    return answer;
  });
  cell.append(canvas, label, ...answers);
  return { element: cell, canvas, index, truth, answers, texts: answers.map(() => ''), aria: '' };
}

// What an arm says about one digit, for the eye and for the ear.
function answerOf(name, truth, predicted, diverged) {
  if (diverged) return { text: '–', wrong: false, spoken: `${armLabel(name)}: diverged` };
  if (predicted === undefined) return { text: '–', wrong: false, spoken: `${armLabel(name)}: no answer yet` };
  const wrong = predicted !== truth;
  return { text: String(predicted), wrong, spoken: `${armLabel(name)}: ${predicted}${wrong ? ' (wrong)' : ''}` };
}

function showAnswers(cell, arms, snapshot) {
  const spoken = arms.map((name, a) => {
    const answer = answerOf(name, cell.truth, snapshot?.predictions[a]?.[cell.index], snapshot?.arms[a].diverged);
    const key = `${answer.text}${answer.wrong ? '!' : ''}`;
    if (key !== cell.texts[a]) {
      cell.texts[a] = key;
      cell.answers[a].textContent = answer.text;
      cell.answers[a].classList.toggle('wrong', answer.wrong);
      cell.answers[a].title = answer.spoken;
    }
    return answer.spoken;
  });
  const aria = `Test digit ${cell.index + 1}, a handwritten ${cell.truth}. ${spoken.join('; ')}.`;
  if (aria !== cell.aria) cell.canvas.setAttribute('aria-label', (cell.aria = aria));
}

// -- The confusion matrices -----------------------------------------------------------------

// counts[t * CLASSES + p]: test examples of true digit t answered p.
function confusion(predictions, truth, counts) {
  counts.fill(0);
  for (let i = 0; i < truth.length; ++i) {
    const p = predictions[i];
    if (p >= 0 && p < CLASSES) ++counts[truth[i] * CLASSES + p];
  }
  return counts;
}

// The off-diagonal cell with the most examples: the pair the network mixes up most.
function mostConfused(counts) {
  let best = { count: 0, truth: 0, predicted: 0 };
  for (let t = 0; t < CLASSES; ++t) {
    for (let p = 0; p < CLASSES; ++p) {
      const count = counts[t * CLASSES + p];
      if (t !== p && count > best.count) best = { count, truth: t, predicted: p };
    }
  }
  return best;
}

// A square matrix in a square canvas of `side` CSS px, with room for the digits and the axis
// name on the left and below.
function matrixFrame(side) {
  const label = FONT_PX; // one digit is narrower than a line is tall
  const left = FONT_PX + GAP + label + GAP;
  const bottom = GAP + FONT_PX + GAP + FONT_PX;
  const size = side - Math.max(left, bottom) - EDGE;
  return { x0: left, y0: side - bottom - size, size, cell: size / CLASSES };
}

function drawAxes(ctx, frame, side, view) {
  const { x0, y0, size, cell } = frame;
  ctx.fillStyle = view.colors.muted;
  ctx.font = `${FONT_PX}px ${view.font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let d = 0; d < CLASSES; ++d) ctx.fillText(String(d), x0 + (d + 0.5) * cell, y0 + size + GAP);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let d = 0; d < CLASSES; ++d) ctx.fillText(String(d), x0 - GAP, y0 + (d + 0.5) * cell);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'bottom';
  ctx.fillText('predicted', x0 + size / 2, side);
  ctx.save();
  ctx.translate(0, y0 + size / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'top';
  ctx.fillText('true digit', 0, 0);
  ctx.restore();
}

// Each cell shaded by its share of its row, white to the arm's colour, so every true digit
// reads the same however many test examples it has. The counts are written where they fit,
// in white on the darker cells; the diagonal's in bold, as it is the one to read first.
function drawCells(ctx, frame, counts, color, view) {
  const { x0, y0, cell } = frame;
  const [r, g, b] = rgbOf(color);
  const fontPx = Math.min(FONT_PX, Math.floor(cell * 0.5));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  for (let t = 0; t < CLASSES; ++t) {
    let total = 0;
    for (let p = 0; p < CLASSES; ++p) total += counts[t * CLASSES + p];
    for (let p = 0; p < CLASSES; ++p) {
      const count = counts[t * CLASSES + p];
      const share = total > 0 ? count / total : 0;
      ctx.fillStyle = `rgb(${255 + (r - 255) * share}, ${255 + (g - 255) * share}, ${255 + (b - 255) * share})`;
      ctx.fillRect(x0 + p * cell, y0 + t * cell, cell, cell);
      if (count === 0 || fontPx < 8) continue;
      ctx.font = `${t === p ? '700 ' : ''}${fontPx}px ${view.font}`;
      ctx.fillStyle = share > 0.45 ? '#ffffff' : view.colors.ink;
      ctx.fillText(String(count), x0 + (p + 0.5) * cell, y0 + (t + 0.5) * cell);
    }
  }
}

// The grid lines and the frame, on top of the cells.
function drawGrid(ctx, frame, view) {
  const { x0, y0, size, cell } = frame;
  ctx.strokeStyle = view.colors.line;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 1; k < CLASSES; ++k) {
    ctx.moveTo(x0 + k * cell, y0);
    ctx.lineTo(x0 + k * cell, y0 + size);
    ctx.moveTo(x0, y0 + k * cell);
    ctx.lineTo(x0 + size, y0 + k * cell);
  }
  ctx.stroke();
  ctx.strokeStyle = view.colors.muted;
  ctx.strokeRect(x0, y0, size, size);
}

function createMatrix(name) {
  return { ...createArmCard(name, 'boundary confusion'), counts: new Int32Array(CLASSES * CLASSES), drawn: null };
}

function describeMatrix(matrix, accuracy, tested) {
  const head =
    `${armLabel(matrix.name)}: confusion matrix of the ${tested} test digits, rows the ` +
    "true digit, columns the network's answer.";
  if (matrix.divergedAt !== null) return `${head} Diverged at step ${matrix.divergedAt}.`;
  if (!matrix.drawn) return `${head} No answers yet.`;
  const worst = mostConfused(matrix.counts);
  const confused =
    worst.count > 0
      ? ` Most confused: ${worst.truth} taken for ${worst.predicted}, ${worst.count} time${worst.count === 1 ? '' : 's'}.`
      : ' No mistakes.';
  return `${head} Test accuracy ${accuracy}.${confused}`;
}

// -- The view --------------------------------------------------------------------------------

function paragraph(...parts) {
  const p = document.createElement('p');
  p.className = 'explain';
  p.append(...parts);
  return p;
}

// "Under each digit: its true label, then the answers of plain and BN before activation.",
// each network's name in its colour: the key to the coloured answers.
function legend(arms) {
  const names = arms.map((name) => {
    const span = document.createElement('span');
    span.style.color = armInk(name);
    span.textContent = armLabel(name);
    return span;
  });
  const listed = names.flatMap((span, i) => {
    if (i === 0) return [span];
    return [i === names.length - 1 ? ' and ' : ', ', span];
  });
  return paragraph('Under each digit: its true label, then the answer of ', ...listed, '.');
}

// Longer than 80 lines as a whole: a closure over the view's state, holding short functions.
export function createDigits(anchor) {
  const container = document.createElement('div');
  container.id = 'digits';
  container.className = 'digits';
  container.hidden = true;
  anchor.after(container);

  let view = null; // the experiment's test set, cells and matrices, set on reset
  const scratch = document.createElement('canvas'); // one 8x8 image, to scale it by drawImage
  scratch.width = scratch.height = SIDE;

  function drawMatrix(matrix) {
    if (matrix.side <= 0) return;
    const ctx = matrix.canvas.getContext('2d');
    const scale = matrix.canvas.width / matrix.side;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.clearRect(0, 0, matrix.side, matrix.side);
    const frame = matrixFrame(matrix.side);
    // A diverged network's answers are argmaxes of NaN: shown as nothing, not as counts.
    const counts = matrix.drawn && matrix.divergedAt === null ? matrix.counts : new Int32Array(CLASSES * CLASSES);
    drawCells(ctx, frame, counts, armColor(matrix.name), view);
    drawGrid(ctx, frame, view);
    drawAxes(ctx, frame, matrix.side, view);
    if (matrix.divergedAt !== null) drawNotice(ctx, frame, `diverged at step ${matrix.divergedAt}`, view);
  }

  // As many whole rows of digits as fit, at most MAX_ROWS and SHOWN digits; the grid's columns
  // come from the stylesheet, read back as the resolved track list.
  function fitDigits() {
    const columns = getComputedStyle(view.grid).gridTemplateColumns.split(' ').filter(Boolean).length || 1;
    const shown = Math.min(view.cells.length, columns * Math.min(MAX_ROWS, Math.ceil(SHOWN / columns)));
    view.cells.forEach((cell, i) => {
      cell.element.hidden = i >= shown;
    });
    view.grid.setAttribute('aria-label', `The first ${shown} test digits and each network's answer`);
  }

  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) {
      if (!view) return;
      if (entry.target === view.grid) {
        fitDigits();
        continue;
      }
      const matrix = view.matrices.find((m) => m.canvas === entry.target);
      if (!matrix || entry.contentRect.width <= 0) continue;
      matrix.side = entry.contentRect.width;
      matrix.canvas.width = matrix.canvas.height = Math.round(matrix.side * window.devicePixelRatio);
      drawMatrix(matrix);
    }
  });

  // Heading and label, touched only when their text changes.
  function showAccuracy(matrix, value) {
    const accuracy = pct(value);
    // No-break spaces: a narrow card wraps the heading after the dash, not inside the phrase.
    const text =
      matrix.divergedAt !== null
        ? ` — diverged at step\u00a0${matrix.divergedAt}`
        : ` — test\u00a0accuracy\u00a0${accuracy}`;
    if (text !== matrix.text) matrix.accuracy.textContent = matrix.text = text;
    const label = describeMatrix(matrix, accuracy, view.testY.length);
    if (label !== matrix.label) matrix.canvas.setAttribute('aria-label', (matrix.label = label));
  }

  function reset(ready) {
    observer.disconnect();
    view = null;
    if (ready.config.dataset !== 'digits') {
      container.hidden = true;
      container.replaceChildren();
      return;
    }
    const style = getComputedStyle(container);
    const { testX, testY } = ready.data;
    const colors = cssColors();
    const grid = document.createElement('ol');
    grid.className = 'digit-grid';
    const cells = Array.from({ length: Math.min(SHOWN, testY.length) }, (_, i) => createCell(i, testY[i], ready.arms));
    const ink = rgbOf(colors.ink);
    for (const cell of cells) {
      paintDigit(cell.canvas, testX.subarray(cell.index * FEATURES, (cell.index + 1) * FEATURES), ink, scratch);
      showAnswers(cell, ready.arms, null);
    }
    grid.append(...cells.map((c) => c.element));
    const matrices = ready.arms.map(createMatrix);
    const cards = document.createElement('div');
    cards.className = 'boundaries confusions';
    cards.append(...matrices.map((m) => m.element));
    view = { arms: ready.arms, testY, colors, font: style.fontFamily, grid, cells, matrices };
    for (const matrix of matrices) showAccuracy(matrix, NaN);

    container.replaceChildren(
      paragraph(
        "The first test digits with each network's answer; a wrong answer is struck " +
          "through in red. Below, each network's confusion matrix: rows are the true digit, " +
          'columns the answer.',
      ),
      legend(ready.arms),
      grid,
      cards,
    );
    container.hidden = false;
    observer.observe(grid);
    for (const matrix of matrices) observer.observe(matrix.canvas);
  }

  function update(snapshot) {
    if (!view || snapshot.predictions?.length !== view.matrices.length) return;
    for (const cell of view.cells) showAnswers(cell, view.arms, snapshot);
    view.matrices.forEach((matrix, a) => {
      const arm = snapshot.arms[a];
      const divergedAt = arm.diverged ? arm.divergedAt : null;
      const before = matrix.drawn ? Int32Array.from(matrix.counts) : null;
      if (!arm.diverged) confusion(snapshot.predictions[a], view.testY, matrix.counts);
      const changed =
        !before || divergedAt !== matrix.divergedAt || matrix.counts.some((count, k) => count !== before[k]);
      matrix.drawn = true;
      matrix.divergedAt = divergedAt;
      showAccuracy(matrix, snapshot.metrics.testAccuracy[a]);
      if (changed) drawMatrix(matrix);
    });
  }

  return { reset, update };
}

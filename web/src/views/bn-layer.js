// Inside a BN layer: for the network, layer and unit chosen, the last mini-batch through
// Ioffe & Szegedy's Algorithm 1 with the engine's numbers (snapshot.bnLayer, see the worker):
// the B inputs z, their mean and variance, x̂, y = γ x̂ + β, and what inference would output
// for the same examples. Each stage is drawn as the batch's values on a line, one example
// followed through all of them; the numbers beside the formulas are the same values.
import { armLabel, hasBn } from '../shared/arms.js';
import { num } from '../shared/format.js';
import { SYMBOL_COLORS as C } from '../shared/symbols.js';
import { cssColors } from './kit/cards.js';
import { $ } from './kit/dom.js';
import { FONT_PX, niceSteps } from './kit/drawing.js';
import { drawSoon } from './kit/frames.js';
import { canvasPng, saveButtons, toCsv } from './kit/save.js';

// Room for a row's name, CSS px: a narrow picture (a phone, an embed's cell) gets short names.
const WIDE = 520;
const leftOf = (width) => (width >= WIDE ? 128 : 44);
const RIGHT = 14;

// Four significant digits: the numbers a student checks by hand.
const n4 = (v) =>
  Number.isFinite(v) ? (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? Number(v.toPrecision(4)).toString() : num(v)) : '—';
const signed = (v) => (v < 0 ? `(${n4(v)})` : n4(v));

// Round ticks over [lo, hi]: about four.
function ticks(lo, hi) {
  const step = niceSteps((hi - lo) / 4).find((s) => (hi - lo) / s <= 5);
  const first = Math.ceil(lo / step);
  return Array.from({ length: Math.floor(hi / step) - first + 1 }, (_, k) => (first + k) * step);
}

// A row's scale: its values and markers, with a margin; a row whose values are all equal gets a
// width of its own so its dots sit in the middle.
function scaleFor(values) {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  const pad = hi > lo ? 0.08 * (hi - lo) : Math.max(1e-6, Math.abs(lo) * 0.1 || 1);
  lo -= pad;
  hi += pad;
  return { lo, hi };
}

// The rows of the picture for a batch: what each shows, its values, its markers and colour.
function rows(b, undo) {
  const sd = Math.sqrt(b.var + b.eps);
  const y = undo ? b.yUndo : b.y;
  const gamma = undo ? sd : b.gamma;
  const beta = undo ? b.mean : b.beta;
  const outputs = scaleFor([...y, ...b.yInference, beta - Math.abs(gamma), beta + Math.abs(gamma)]);
  // Undone, the outputs are the inputs: drawn on z's scale, they sit under z.
  const inputs = scaleFor([...b.z, b.mean - Math.sqrt(b.var), b.mean + Math.sqrt(b.var)]);
  return [
    {
      name: "z, BN's input",
      short: 'z',
      values: b.z,
      color: C.z,
      scale: inputs,
      markers: [
        { at: b.mean, color: C.mean, label: 'μ_B' },
        { at: b.mean - Math.sqrt(b.var), color: C.var, label: '−σ_B', dash: true },
        { at: b.mean + Math.sqrt(b.var), color: C.var, label: '+σ_B', dash: true },
      ],
    },
    {
      name: 'x̂, normalized',
      short: 'x̂',
      values: b.xHat,
      color: C.xHat,
      markers: [-1, 0, 1].map((at) => ({ at, color: '#888888', label: String(at), dash: at !== 0 })),
    },
    {
      name: undo ? 'y, γ = √(σ²_B+ε), β = μ_B' : 'y = γ x̂ + β',
      short: 'y',
      values: y,
      color: C.y,
      scale: undo ? inputs : outputs,
      markers: [
        { at: beta, color: C.beta, label: 'β' },
        { at: beta + gamma, color: C.gamma, label: 'β+γ', dash: true },
      ],
    },
    {
      name: 'y in inference',
      short: 'y inf.',
      values: b.yInference,
      color: C.y,
      hollow: true,
      scale: outputs,
      markers: [],
    },
  ];
}

function drawRow(ctx, row, top, height, width, follow, colors) {
  const values = Array.from(row.values);
  const { lo, hi } = row.scale ?? scaleFor([...values, ...row.markers.map((m) => m.at)]);
  const left = leftOf(width);
  const x = (v) => left + ((v - lo) / (hi - lo)) * (width - left - RIGHT);
  const axisY = top + height - 36;
  ctx.fillStyle = colors.ink;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(width >= WIDE ? row.name : row.short, 4, axisY);
  ctx.strokeStyle = colors.line;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(left, axisY + 10.5);
  ctx.lineTo(width - RIGHT, axisY + 10.5);
  ctx.stroke();
  ctx.fillStyle = colors.muted;
  ctx.textAlign = 'center';
  for (const t of ticks(lo, hi)) ctx.fillText(n4(t), x(t), axisY + 22);
  for (const m of row.markers) {
    if (m.at < lo || m.at > hi) continue;
    ctx.strokeStyle = m.color;
    ctx.setLineDash(m.dash ? [3, 3] : []);
    ctx.beginPath();
    ctx.moveTo(x(m.at), top + 8);
    ctx.lineTo(x(m.at), axisY + 10);
    ctx.stroke();
    ctx.fillStyle = m.color;
    ctx.fillText(m.label, x(m.at), top + 3);
  }
  ctx.setLineDash([]);
  values.forEach((v, i) => {
    if (i === follow) return;
    ctx.beginPath();
    ctx.arc(x(v), axisY, 3.2, 0, 2 * Math.PI);
    ctx.globalAlpha = 0.75;
    if (row.hollow) {
      ctx.strokeStyle = row.color;
      ctx.stroke();
    } else {
      ctx.fillStyle = row.color;
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  });
  return { x: x(values[follow]), y: axisY };
}

// The followed example: a ring on every row, joined row to row.
function drawFollowed(ctx, points, colors) {
  ctx.strokeStyle = colors.ink;
  ctx.lineWidth = 1;
  ctx.setLineDash([2, 2]);
  ctx.beginPath();
  points.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
  ctx.stroke();
  ctx.setLineDash([]);
  for (const p of points) {
    ctx.beginPath();
    ctx.arc(p.x, p.y, 6, 0, 2 * Math.PI);
    ctx.fillStyle = '#ffd54a';
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.stroke();
  }
}

// The formulas' live values and the sentences under the picture, at step `steps`. With undo,
// γ and β are the ones that undo the normalization, and y what they give.
function showNumbers(b, follow, undo, steps) {
  const B = b.z.length;
  const sd = Math.sqrt(b.var + b.eps);
  const spread = Math.sqrt(b.var / (b.var + b.eps));
  const gamma = undo ? sd : b.gamma;
  const beta = undo ? b.mean : b.beta;
  const y = undo ? b.yUndo : b.y;
  const at = `step ${steps.toLocaleString('en')}`;
  $('bn-mean').textContent = `μ_B = ${n4(b.mean)} over B = ${B} examples, at ${at}`;
  $('bn-var').textContent = `σ²_B = ${n4(b.var)}, so σ_B = ${n4(Math.sqrt(b.var))}`;
  $('bn-norm').textContent = `ε = ${n4(b.eps)}: √(σ²_B + ε) = ${n4(sd)}; x̂'s spread over the batch is ${n4(spread)}`;
  $('bn-affine').textContent = undo
    ? `γ = √(σ²_B + ε) = ${n4(gamma)}, β = μ_B = ${n4(beta)}, undoing it (learned: γ = ${n4(b.gamma)}, β = ${n4(b.beta)})`
    : `γ = ${n4(b.gamma)}, β = ${n4(b.beta)}, learned`;
  const i = follow;
  $('bn-follow').textContent =
    `Followed (the ringed dots), at ${at}: example ${b.examples[i]} of the training set, class ${b.labels[i]}, row ${i + 1} of ${B}. ` +
    `z = ${n4(b.z[i])}; x̂ = (${n4(b.z[i])} − ${signed(b.mean)}) / √(${n4(b.var)} + ${n4(b.eps)}) = ${n4(b.xHat[i])}; ` +
    `y = ${n4(gamma)} × ${signed(b.xHat[i])} + ${signed(beta)} = ${n4(y[i])}. In inference it would get ${n4(b.yInference[i])}.`;
  let gap = 0;
  b.y.forEach((v, k) => {
    gap = Math.max(gap, Math.abs(v - b.yInference[k]));
  });
  $('bn-inference').textContent =
    `At ${at}: running mean ${n4(b.runningMean)} against this batch's ${n4(b.mean)}; running variance ${n4(b.runningVar)} against ${n4(b.var)}. ` +
    `For this batch's examples, inference outputs differ from training outputs by up to ${n4(gap)}.`;
  const ratio = b.var / b.eps;
  const other = b.eps >= 0.5 ? 1e-5 : 1;
  $('bn-eps').textContent =
    `In this unit at ${at}: σ²_B = ${n4(b.var)} is ${ratio >= 1 ? `${n4(ratio)} times` : `${n4(ratio)} of`} ε = ${n4(b.eps)}, ` +
    `so x̂ keeps a spread of ${n4(spread)}. With ε = ${num(other)} it would be ${n4(Math.sqrt(b.var / (b.var + other)))}.`;
  $('bn-undo-result').textContent = undo
    ? `At ${at}, with γ = √(σ²_B + ε) and β = μ_B in every unit of this layer, its output equals its input: the largest |y − z| over the batch and the layer's units is ${num(b.undoGap)} (float rounding). The third line now shows those outputs on the first line's scale: they sit under z.`
    : '';
}

// Longer than 80 lines as a whole: a closure over the view's state, holding short functions.
export function createBnLayer({ onInspect }) {
  const canvas = $('bn-lines');
  const select = { arm: $('bn-arm'), layer: $('bn-layer'), unit: $('bn-unit'), example: $('bn-example') };
  let ready = null;
  let batch = null;
  let undo = false;
  let steps = 0; // the step the batch was measured at
  // The view's parts on or near the screen: while any is, the worker measures the batch.
  const near = new Set();
  let visible = false;

  // The choice, sent to the worker: it measures the batch only while the view can be seen.
  const choice = () => ({
    arm: Number(select.arm.value),
    layer: Number(select.layer.value),
    unit: Number(select.unit.value),
    visible,
  });
  const inspect = () => onInspect(choice());

  function fillUnits() {
    const width = ready.config.hidden[Number(select.layer.value)] ?? 0;
    const tracked = Math.min(ready.config.trackedUnit, width - 1);
    select.unit.replaceChildren(
      ...Array.from(
        { length: width },
        (_, u) => new Option(u === tracked ? `${u + 1} (tracked: the charts)` : String(u + 1), String(u)),
      ),
    );
    select.unit.value = String(tracked);
  }

  function draw() {
    if (!batch) return;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (w === 0 || h === 0) return;
    if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
    if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const style = getComputedStyle(canvas);
    const colors = cssColors();
    ctx.font = `${FONT_PX + 1}px ${style.fontFamily}`;
    const follow = Math.min(Number(select.example.value) || 0, batch.z.length - 1);
    // Four rows share the height: a row holds its markers' labels, its dots, its axis, its ticks.
    const rowHeight = (h - 8) / 4;
    const points = rows(batch, undo).map((row, r) =>
      drawRow(ctx, row, 4 + r * rowHeight, rowHeight, w, follow, colors),
    );
    drawFollowed(ctx, points, colors);
    canvas.setAttribute(
      'aria-label',
      `The ${batch.z.length} values of unit ${batch.unit + 1}, layer ${batch.layer + 1}, of ${armLabel(ready.arms[batch.arm])}: ` +
        `z from ${n4(Math.min(...batch.z))} to ${n4(Math.max(...batch.z))}, mean ${n4(batch.mean)}; ` +
        `x̂ from ${n4(Math.min(...batch.xHat))} to ${n4(Math.max(...batch.xHat))}; y from ${n4(Math.min(...batch.y))} to ${n4(Math.max(...batch.y))}.`,
    );
  }

  const figureTitle = () =>
    batch
      ? `Inside a BN layer: ${armLabel(ready.arms[batch.arm])}, layer ${batch.layer + 1}, unit ${batch.unit + 1}, step ${steps.toLocaleString('en')}`
      : 'Inside a BN layer';
  const save = saveButtons(canvas.parentElement, {
    title: figureTitle,
    png: () => canvasPng(canvas, figureTitle()),
    csv: () =>
      toCsv(
        ['row', 'example', 'class', 'z', 'x_hat', 'y', 'y_inference'],
        batch
          ? Array.from(batch.z, (z, i) => [
              i + 1,
              batch.examples[i],
              batch.labels[i],
              z,
              batch.xHat[i],
              batch.y[i],
              batch.yInference[i],
            ])
          : [],
      ),
  });

  for (const key of ['arm', 'layer', 'unit']) {
    select[key].addEventListener('change', () => {
      if (key === 'layer') fillUnits();
      inspect();
    });
  }
  const showAll = () => {
    if (batch) showNumbers(batch, Number(select.example.value) || 0, undo, steps);
    save.refresh();
    drawSoon('bn-lines', draw);
  };
  select.example.addEventListener('change', showAll);
  $('bn-undo').addEventListener('click', () => {
    undo = !undo;
    $('bn-undo').textContent = undo ? 'Back to the learned γ and β' : 'Undo the normalization in this layer';
    $('bn-undo').setAttribute('aria-pressed', String(undo));
    showAll();
  });
  // The parts that show the batch's numbers, not the section: in an embed the section has no box
  // of its own, and a reader of the ε line may have the picture far above.
  const observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) near.add(e.target);
        else near.delete(e.target);
      }
      const now = near.size > 0;
      if (now !== visible) {
        visible = now;
        if (ready) inspect();
      }
    },
    { rootMargin: '50% 0px' },
  );
  for (const id of ['bn-algorithm', 'bn-lines', 'bn-follow', 'bn-inference', 'bn-undo-result', 'bn-eps'])
    observer.observe($(id));
  window.addEventListener('resize', () => drawSoon('bn-lines', draw));

  return {
    reset(message) {
      ready = message;
      batch = null;
      const bnArms = message.arms.map((name, a) => ({ name, a })).filter(({ name }) => hasBn(name, message.depth));
      $('bn-none').hidden = bnArms.length > 0;
      for (const e of [$('bn-algorithm'), canvas.parentElement, $('bn-follow')]) e.hidden = bnArms.length === 0;
      const keep = Number(select.arm.value);
      select.arm.replaceChildren(...bnArms.map(({ name, a }) => new Option(armLabel(name), String(a))));
      if (bnArms.some(({ a }) => a === keep)) select.arm.value = String(keep);
      const layers = message.depth;
      select.layer.replaceChildren(
        ...Array.from({ length: layers }, (_, l) => new Option(`${l + 1} of ${layers}`, String(l))),
      );
      // A lesson may open another layer than the last (the ε lesson speaks of the first).
      const layer = message.lesson?.layer ?? layers - 1;
      select.layer.value = String(Math.max(0, layer < 0 ? layers + layer : layer));
      fillUnits();
      select.example.replaceChildren(
        ...Array.from(
          { length: message.config.batchSize },
          (_, i) => new Option(`row ${i + 1} of ${message.config.batchSize}`, String(i)),
        ),
      );
      for (const s of Object.values(select)) s.disabled = bnArms.length === 0;
      if (bnArms.length > 0) inspect();
    },
    update(snapshot) {
      if (!snapshot.bnLayer) return;
      batch = snapshot.bnLayer;
      steps = snapshot.steps;
      showAll();
    },
  };
}

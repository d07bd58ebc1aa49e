// What the per-arm canvas cards of the heatmap and digits views share: the card itself, the
// "diverged at step N" notice drawn on its canvas, and the page's palette.
import { armColor, armLabel } from '../../shared/arms.js';
import { FONT_PX } from './drawing.js';
import { canvasPng, saveButtons } from './save.js';

// A card with the arm's title (colour swatch, label, a slot for its accuracy) and a canvas.
export function createArmCard(name, className) {
  const card = document.createElement('div');
  card.className = className;
  card.dataset.arm = name;
  const title = document.createElement('h3');
  title.className = 'boundary-title';
  const swatch = document.createElement('span');
  swatch.className = 'swatch';
  swatch.style.background = armColor(name);
  const accuracy = document.createElement('span');
  accuracy.className = 'boundary-accuracy';
  title.append(swatch, armLabel(name), accuracy);
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.tabIndex = 0; // keyboard users reach it and hear its label
  // Sized by the layout, never by its pixel buffer: as wide as the card, and square from the
  // start, so nothing moves when the first drawing arrives.
  canvas.style.cssText = 'display: block; width: 100%; aspect-ratio: 1;';
  card.append(title, canvas);
  saveButtons(card, { title: () => title.textContent, png: () => canvasPng(canvas, title.textContent) });
  return { name, element: card, canvas, accuracy, side: 0, divergedAt: null, text: '', label: '' };
}

// The "diverged at step N" notice, centred on a square frame { x0, y0, size }.
export function drawNotice(ctx, frame, text, view) {
  ctx.font = `600 ${FONT_PX + 2}px ${view.font}`;
  const width = ctx.measureText(text).width + 16;
  const height = FONT_PX + 14;
  const cx = frame.x0 + frame.size / 2;
  const cy = frame.y0 + frame.size / 2;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.fillRect(cx - width / 2, cy - height / 2, width, height);
  ctx.strokeStyle = view.colors.bad;
  ctx.lineWidth = 1;
  ctx.strokeRect(cx - width / 2 + 0.5, cy - height / 2 + 0.5, width - 1, height - 1);
  ctx.fillStyle = view.colors.bad;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, cx, cy);
}

// The page's palette, from its stylesheet, so the canvases and the text around them agree. Its
// colours are light-dark() pairs, which a custom property keeps unresolved: a hidden probe
// element resolves each to the colour the theme gives.
let probe = null;
export function cssColors() {
  if (!probe) {
    probe = document.createElement('span');
    probe.hidden = true;
    document.body.append(probe);
  }
  const read = (name) => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color;
  };
  return {
    ink: read('--ink'),
    muted: read('--muted'),
    line: read('--line'),
    bad: read('--bad'),
    paper: read('--paper'),
  };
}

// The embed view's layout: every chart and map of the chosen views in one grid that fills the
// frame, with the number of columns that gives the roomiest cells. Each cell must be readable
// (at least MIN_W x MIN_H CSS px, a map MIN_W square): when the chosen views do not fit, the
// last ones are left out and the note under the controls names them, never cut silently.
import { VIEW_NAMES, VIEWS } from '../shared/link.js';
import { $ } from '../views/kit/dom.js';

const MIN_W = 150;
const MIN_H = 90;
const GAP = 6;

export const DEFAULT_EMBED_VIEWS = ['boundary', 'loss'];
const sectionId = (view) => `view-${view}`;
const sectionName = (id) => VIEW_NAMES[id.slice('view-'.length)];

// The grid cells of a view: its charts, its maps, or the digits block (two whole rows).
function cells(view) {
  const digits = view.querySelector('.digits:not([hidden])');
  if (digits) return [digits];
  return [...view.querySelectorAll('.boundary, .chart, .sweep-map')];
}

// The best columns for n cells in a w x h area, or null when no choice gives readable cells.
function bestGrid(n, w, h, hasMaps, wholeRows) {
  let best = null;
  for (let cols = 1; cols <= n; ++cols) {
    const rows = Math.ceil(n / cols) + wholeRows;
    const cellW = (w - GAP * (cols - 1)) / cols;
    const cellH = (h - GAP * (rows - 1)) / rows;
    const mapSide = Math.min(cellW, cellH - 18); // a map's card has a title line above it
    if (cellW < MIN_W || cellH < MIN_H || (hasMaps && mapSide < MIN_W)) continue;
    const room = Math.min(cellW, cellH);
    if (!best || room > best.room) best = { cols, rows, cellW, cellH, room };
  }
  return best;
}

// The height the chosen views would like at this width: cells about COMFORT_W wide, charts
// 0.62 as high as wide, maps square (at most MAP_MAX), so a host that sizes its iframe to it
// gets every picture at a good size without blank space. A host page's script reads it from a
// message (the Embed dialog's snippet has the few lines that do).
const COMFORT_W = 300;
const MAP_MAX = 360;
function preferredHeight(n, width, hasMaps, wholeRows) {
  const cols = Math.max(1, Math.min(n, Math.floor((width + GAP) / (COMFORT_W + GAP)) || 1));
  const cellW = (width - GAP * (cols - 1)) / cols;
  const cellH = hasMaps ? Math.min(cellW, MAP_MAX) + 18 : Math.min(320, Math.max(MIN_H + 60, cellW * 0.62));
  const rows = Math.ceil(n / cols) + wholeRows;
  return rows * cellH + GAP * (rows - 1);
}

let posted = 0;
function postHeight(height) {
  if (window.parent === window || Math.abs(height - posted) < 1) return;
  posted = height;
  window.parent.postMessage({ type: 'bnlab:height', height: Math.ceil(height) }, '*');
}

export function layoutEmbed(chosenIds) {
  const views = document.querySelector('main.views');
  const note = $('embed-note');
  if (!document.body.classList.contains('embed')) {
    note.hidden = true;
    return;
  }
  const ids = chosenIds.filter((id) => $(id));
  const leftOut = [];
  let layout = null;
  let shown = ids;
  for (; shown.length > 0; shown = shown.slice(0, -1)) {
    for (const id of ids) $(id).hidden = !shown.includes(id);
    note.hidden = leftOut.length === 0;
    note.textContent = `Left out to fit the frame: ${leftOut.join(', ')}. Open in bnlab to see them.`;
    const all = shown.flatMap((id) => cells($(id)));
    // The digits block takes two whole rows: its test digits above its confusion matrices.
    const digits = 2 * all.filter((c) => c.classList.contains('digits')).length;
    const { width, height } = views.getBoundingClientRect();
    layout = bestGrid(
      all.length - digits / 2,
      width,
      height,
      all.some((c) => c.classList.contains('boundary')),
      digits,
    );
    if (layout || shown.length === 1) break;
    leftOut.unshift(sectionName(shown[shown.length - 1]));
  }
  const all = shown.flatMap((id) => cells($(id)));
  const box = views.getBoundingClientRect();
  const digitRows = 2 * all.filter((c) => c.classList.contains('digits')).length;
  const hasMaps = all.some((c) => c.classList.contains('boundary') || c.classList.contains('sweep-map'));
  postHeight(
    window.innerHeight - box.height + preferredHeight(all.length - digitRows / 2, box.width, hasMaps, digitRows),
  );
  const cols = layout?.cols ?? 1;
  views.style.setProperty('--embed-cols', String(cols));
  views.style.setProperty('--embed-row', `${Math.floor(layout?.cellH ?? MIN_H)}px`);
  // The last cell takes the columns left empty in its row.
  const plain = all.filter((c) => !c.classList.contains('digits'));
  const empty = plain.length % cols === 0 ? 0 : cols - (plain.length % cols);
  all.forEach((cell) => {
    cell.style.gridColumn = '';
  });
  if (plain.length > 0 && empty > 0) plain[plain.length - 1].style.gridColumn = `span ${empty + 1}`;
  // Maps are squares as large as their cell allows.
  const side = Math.floor(Math.min(layout?.cellW ?? MIN_W, (layout?.cellH ?? MIN_W) - 18));
  for (const canvas of views.querySelectorAll('.boundary canvas')) {
    canvas.style.width = `${side}px`;
    canvas.style.margin = '0 auto';
  }
}

// The embed layout: only the chosen views, a play/pause control, and a link to the full page.
// Returns the ids of the sections shown (layoutEmbed fits them into the frame).
export function applyEmbed(options, fullUrl) {
  const embed = Boolean(options.embed);
  document.body.classList.toggle('embed', embed);
  const chosen = embed ? (options.views?.length ? options.views : DEFAULT_EMBED_VIEWS) : VIEWS;
  for (const view of VIEWS) $(sectionId(view)).hidden = !chosen.includes(view);
  for (const section of document.querySelectorAll('.notes')) section.hidden = embed;
  document.body.dataset.views = String(chosen.length);
  const link = $('open-full');
  link.hidden = !embed;
  link.href = fullUrl;
  return VIEWS.filter((view) => chosen.includes(view)).map(sectionId);
}

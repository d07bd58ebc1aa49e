// The Sweep view: a grid of runs. The form (form.js) chooses one or two fields of the schema,
// their values, the steps and the metric; one heatmap per network fills in as cells finish
// (maps.js) over a colour scale (scale.js); a hovered cell's numbers, the progress line, and a
// sweep lesson's claims. It only displays: the engine validates the sweep (the worker) and
// trains the cells (the pool); page/sweep-controller.js wires them.
import { gridDone } from '../../shared/sweep-grid.js';
import { renderClaims, showBottomLine, showVerdict } from '../kit/claim-list.js';
import { $ } from '../kit/dom.js';
import { withGlossary } from '../kit/glossary.js';
import { createSweepForm, fieldLabel } from './form.js';
import { createMaps, describeCell } from './maps.js';
import { createScale, isAccuracy, METRIC_NAMES } from './scale.js';

// The maps and the progress line are redrawn at most this often while cells arrive: each
// redraw repaints, and the page's painting takes CPU from the workers (two workers on two
// cores trained 21 cells in 1.5 s with a redraw per cell, 1.05 s with none).
const REDRAW_MS = 250;

const HOVER_HINT =
  "Point at a cell (or tap it, or Tab to a map and move with the arrow keys) for its numbers; click it (tap again, or press Enter) to open that run in the views above, paused at the grid's step.";

// Calls draw now, and again once REDRAW_MS has passed if it was asked for meanwhile.
function throttled(draw) {
  let timer = null;
  let wanted = false;
  const run = () => {
    if (timer) {
      wanted = true;
      return;
    }
    draw();
    timer = setTimeout(() => {
      timer = null;
      if (wanted) {
        wanted = false;
        run();
      }
    }, REDRAW_MS);
  };
  return run;
}

// Longer than 80 lines as a whole: a closure over the view's state, holding short functions.
export function createSweepView({
  schema,
  sweepFields,
  metrics,
  onRun,
  onCancel,
  onOpen,
  onDownload,
  onMetric,
  baseValue,
}) {
  let grid = null;
  let progressText = '';
  const form = createSweepForm($('sweep-form'), {
    fields: schema.filter((f) => sweepFields.includes(f.name)),
    metrics,
    baseValue,
    onSubmit: onRun,
    // The metric only colours the maps: a finished grid is recoloured, nothing retrains.
    onMetric: (metric) => {
      if (!grid) return;
      grid.sweep = { ...grid.sweep, metric };
      scale.invalidate();
      showTitle();
      drawAll();
      onMetric(metric);
    },
  });
  const scale = createScale($('sweep-scale'));
  const showHover = (hover) => {
    $('sweep-hover').textContent = hover ? describeCell(grid, hover.index) : grid ? HOVER_HINT : '';
  };
  const maps = createMaps($('sweep-maps'), { onHover: showHover, onOpen: (index) => onOpen(index) });
  $('sweep-cancel').addEventListener('click', () => onCancel());
  $('sweep-download').addEventListener('click', () => onDownload(grid));
  window.addEventListener('resize', () => drawAll());

  function drawAll() {
    if (!grid) return;
    maps.drawAll();
    scale.draw(grid);
  }
  const drawSoonish = throttled(() => {
    $('sweep-progress').textContent = progressText;
    drawAll();
  });

  function showTitle() {
    const { x, y, metric, steps } = grid.sweep;
    $('sweep-title').textContent =
      `${METRIC_NAMES[metric]}${isAccuracy(metric) ? ' (%)' : ''} after ${steps.toLocaleString('en')} steps, ` +
      `per network: ${fieldLabel(x.field)} across${y ? `, ${fieldLabel(y.field)} down` : ''}`;
  }

  return {
    setForm: (sweep) => form.set(sweep),
    showErrors: (errors) => form.showErrors(errors),
    // A new grid, empty or filling.
    reset(next) {
      grid = next;
      $('sweep-claims').replaceChildren();
      maps.reset(grid);
      showTitle();
      showHover(null);
      drawAll();
    },
    // A finished cell and the progress line that goes with it, drawn within REDRAW_MS.
    cellDone(cell, progress) {
      grid.cells[cell.index] = cell;
      progressText = progress;
      drawSoonish();
    },
    redraw: () => drawAll(),
    // The title in a line, for the embed's caption.
    caption: () => (grid ? `${$('sweep-title').textContent}; × diverged.` : ''),
    progress(text, running) {
      progressText = text;
      $('sweep-progress').textContent = text;
      // The focus follows the button that takes over: a disabled button drops it to the body.
      const focused = document.activeElement;
      $('sweep-run').disabled = running;
      $('sweep-cancel').disabled = !running;
      if (focused === $('sweep-run') && running) $('sweep-cancel').focus();
      if (focused === $('sweep-cancel') && !running) $('sweep-run').focus();
      $('sweep-download').disabled = running || !grid || !gridDone(grid);
    },
    // A sweep lesson's text and claims: pending while the grid fills, then ✓ or ✗ with the
    // numbers (results: evaluateClaims on the finished grid, or null).
    showLesson(lesson, variant, results) {
      const box = $('sweep-lesson');
      box.hidden = !lesson;
      if (!lesson) return;
      $('sweep-lesson-title').textContent = lesson.title;
      $('sweep-lesson-text').replaceChildren(...withGlossary([lesson.text, variant.note].filter(Boolean).join(' ')));
      renderClaims($('sweep-claims'), variant.claims, ': checked when every cell is trained');
      showBottomLine(
        $('sweep-bottom-line'),
        results ? variant.bottomLine(results) : null,
        'once every cell is trained.',
      );
      if (!results) return;
      [...$('sweep-claims').children].forEach((li, i) => showVerdict(li, results[i], `: ${results[i].detail}`));
    },
    grid: () => grid,
  };
}

// The panel beside the views: the transport (play, step, speed), the step counter, the status
// line, the scoreboard, what happened to the networks, what reading a link ignored, and the
// layer menu. It only displays; page/run-controller.js decides what.
import { armAbout, armColor, armLabel, hasBn } from '../shared/arms.js';
import { $, el } from './kit/dom.js';

const buttons = { play: $('play'), step: $('step'), reset: $('reset'), speed: $('speed') };

// Text, never markup: messages can carry user input.
export function setStatus(text, isError = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', isError);
}

export function showPlaying(playing) {
  buttons.play.textContent = playing ? 'Pause' : 'Play';
  buttons.play.setAttribute('aria-pressed', String(playing));
}

// The speed menu shows the lesson's pace (adding it when it is not one of the listed speeds).
export function showSpeed(stepsPerSecond) {
  const value = String(stepsPerSecond);
  if (![...buttons.speed.options].some((o) => o.value === value)) {
    buttons.speed.add(new Option(`${stepsPerSecond.toLocaleString('en')} steps/s`, value), 1);
  }
  buttons.speed.value = value;
}
export const chosenSpeed = () => Number(buttons.speed.value);

export const showSteps = (steps) => {
  $('steps').textContent = steps.toLocaleString('en');
};
export const stepsText = () => $('steps').textContent;

export function enableControls() {
  for (const b of [...Object.values(buttons), $('copy-link'), $('embed'), $('download')]) b.disabled = false;
}

// What reading a link ignored, and what the validator dropped.
export function showNotes(notes) {
  $('link-notes').replaceChildren(...notes.map((note) => el('li', '', note)));
}

// Diverged arms, and what the watches (readouts.js) saw happen in this run, in words.
export function showArmStates(arms, watches = []) {
  const list = $('arm-states');
  const items = [
    ...arms
      .filter((arm) => arm.diverged)
      .map((arm) => el('li', 'diverged', `${armLabel(arm.name)} stopped: ${arm.message}`)),
    ...watches.map((text) => el('li', 'watch', text)),
  ];
  const text = items.map((li) => li.textContent).join('\n');
  if (list.dataset.text !== text) {
    list.dataset.text = text;
    list.replaceChildren(...items);
  }
}

export const clearScoreboard = () => $('scoreboard').tBodies[0].replaceChildren();

// One row per arm: the losses and accuracy the engine just measured. A network with BN also
// shows its test accuracy with each mini-batch's own statistics, as in training (lessons speak
// of both, and they can differ by many points); with covariate shift, every network its
// accuracy on the shifted test set (and BN's with statistics re-estimated on it).
export function showScoreboard(arms, metrics, { depth, shifted }) {
  const body = $('scoreboard').tBodies[0];
  if (body.rows.length !== arms.length) {
    body.replaceChildren(
      ...arms.map((arm) => {
        const row = el('tr');
        row.dataset.arm = arm.name;
        const name = el('th');
        name.scope = 'row';
        const swatch = el('span', 'swatch');
        swatch.style.background = armColor(arm.name);
        name.title = armAbout(arm.name);
        name.append(swatch, armLabel(arm.name));
        const accuracy = el('td');
        accuracy.append(
          el('span', 'inference'),
          el('span', 'batch-stats'),
          el('span', 'batch-stats shifted'),
          el('span', 'batch-stats adapted'),
        );
        row.append(name, el('td'), el('td'), accuracy);
        return row;
      }),
    );
  }
  const format = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : '—');
  const percent = (v) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : '—');
  arms.forEach((arm, i) => {
    const cells = body.rows[i].cells;
    cells[1].textContent = format(metrics.trainLoss[i], 3);
    cells[2].textContent = format(metrics.testLoss[i], 3);
    cells[3].querySelector('.inference').textContent = percent(metrics.testAccuracy[i]);
    const bn = hasBn(arm.name, depth);
    cells[3].querySelector('.batch-stats').textContent = bn
      ? `batch stats ${percent(metrics.testAccuracyBatchStats[i])}`
      : '';
    cells[3].querySelector('.shifted').textContent = shifted ? `shifted ${percent(metrics.shiftedAccuracy[i])}` : '';
    cells[3].querySelector('.adapted').textContent =
      shifted && bn ? `adapted ${percent(metrics.shiftedAccuracyAdapted[i])}` : '';
  });
}

// The layer menu; focus is the layer to show, when the network has it (else the last one).
export function fillLayers(depth, focus) {
  const select = $('focus-layer');
  select.replaceChildren(...Array.from({ length: depth }, (_, l) => new Option(`${l + 1} of ${depth}`, String(l))));
  select.value = String(Number.isInteger(focus) && focus >= 0 && focus < depth ? focus : depth - 1);
  select.disabled = depth === 0;
}
// The layer chosen in the menu: NaN before the menu has any.
export const chosenLayer = () => ($('focus-layer').value === '' ? NaN : Number($('focus-layer').value));

export function showReadouts(readouts) {
  $('readout-ics').textContent = readouts.ics;
  $('readout-gradients').textContent = readouts.gradients;
}

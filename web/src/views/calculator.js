// The BatchNorm calculator: a batch of values of one unit, γ, β and ε (and, in inference mode,
// running statistics) typed in; the engine's own BatchNorm computes every step (the worker
// answers), and the result is shown as a worked example. Refusals come from the engine's
// validator and are shown at their field.
import { number, valueFromText } from '../shared/schema-text.js';
import { $, el } from './kit/dom.js';

const FIELDS = ['values', 'gamma', 'beta', 'eps', 'runningMean', 'runningVar'];
const NAMES = {
  values: 'values',
  gamma: 'γ',
  beta: 'β',
  eps: 'ε',
  runningMean: 'running mean',
  runningVar: 'running variance',
};
const n6 = (v) => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : '—');

function cell(tag, text, scope) {
  const c = el(tag, '', text);
  if (scope) c.scope = scope;
  return c;
}

// The worked example: the statistics in a sentence, then one row per value.
function resultNodes(input, r) {
  const B = r.xHat.length;
  const lines = [];
  if (!input.inference) {
    const sd = Math.sqrt(r.var + input.eps);
    lines.push(
      el(
        'p',
        '',
        `μ_B = ${n6(r.mean)} (the mean of the ${B} value${B > 1 ? 's' : ''}); σ²_B = ${n6(r.var)} (the mean squared distance from it, divided by B = ${B}); √(σ²_B + ε) = ${n6(sd)}.`,
      ),
    );
    if (B === 1) {
      lines.push(
        el(
          'p',
          '',
          'A batch of one is its own mean, with variance 0: x̂ = 0 / √ε = 0, so y = β whatever the value. ' +
            'Training mode cannot tell one example from another this way (PyTorch refuses a batch of one in training); inference uses running statistics instead.',
        ),
      );
    }
  } else {
    lines.push(
      el(
        'p',
        '',
        `Inference mode: x̂ = (z − ${n6(input.runningMean)}) / √(${n6(input.runningVar)} + ε), the same for every batch.`,
      ),
    );
  }
  const table = el('table');
  const head = el('tr');
  head.append(cell('th', 'i', 'col'), cell('th', 'z', 'col'), cell('th', 'x̂', 'col'), cell('th', 'y = γ x̂ + β', 'col'));
  const body = el('tbody');
  r.xHat.forEach((x, i) => {
    const row = el('tr');
    row.append(
      cell('th', String(i + 1), 'row'),
      cell('td', n6(input.values[i])),
      cell('td', n6(x)),
      cell('td', n6(r.y[i])),
    );
    body.append(row);
  });
  const thead = el('thead');
  thead.append(head);
  table.append(thead, body);
  return [...lines, table];
}

export function createCalculator({ onCompute }) {
  const form = $('calculator');
  let asked = null;

  function clearErrors() {
    for (const f of FIELDS) {
      $(`calc-error-${f}`).textContent = '';
      form.elements[f].removeAttribute('aria-invalid');
    }
  }

  function read() {
    const text = (name) => form.elements[name].value;
    const inference = form.elements.inference.checked;
    return {
      values: valueFromText({ type: 'number[]' }, text('values')),
      gamma: number(text('gamma')),
      beta: number(text('beta')),
      eps: number(text('eps')),
      ...(inference ? { runningMean: number(text('runningMean')), runningVar: number(text('runningVar')) } : {}),
      inference,
    };
  }

  // The running statistics apply in inference mode only.
  const running = () => {
    for (const name of ['runningMean', 'runningVar']) form.elements[name].disabled = !form.elements.inference.checked;
  };
  form.elements.inference.addEventListener('change', running);
  running();

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors();
    asked = read();
    onCompute(asked);
  });

  return {
    // The engine's answer: { mean, var, xHat, y } (Float32Arrays for the values).
    show(result) {
      if (!asked) return;
      $('calc-result').replaceChildren(...resultNodes(asked, result));
    },
    // The validator's refusals, each at its field: [{ field, message }].
    showErrors(fields) {
      clearErrors();
      $('calc-result').replaceChildren();
      for (const { field, message } of fields) {
        const at = FIELDS.includes(field) ? field : 'values';
        $(`calc-error-${at}`).textContent = `${NAMES[at]}: ${message}`;
        form.elements[at].setAttribute('aria-invalid', 'true');
      }
    },
    // The example the page opens with, computed once the engine is there.
    start() {
      asked = read();
      onCompute(asked);
    },
  };
}

// The Sweep view's form: one or two fields of the schema across and down, their values, the
// steps and the metric. It only collects what is typed, converted by the swept field's schema
// type; the engine's validator judges it, and its refusals are shown here, each at its field.
import { axisValuesFromText, valueFromText } from '../../shared/schema-text.js';
import { el } from '../kit/dom.js';
import { LABELS } from '../settings.js';
import { METRIC_NAMES } from './scale.js';

const MAX_SHOWN = 3; // refusals shown per field; the rest are counted

export const fieldLabel = (field) => LABELS[field] ?? field;

// form: the <form>; fields: the schema's entries an axis can vary; metrics: their names;
// baseValue(field): the panel's value, for a number field newly put on an axis.
// Longer than 80 lines as a whole: a closure over the view's state, holding short functions.
export function createSweepForm(form, { fields, metrics, baseValue, onSubmit, onMetric }) {
  const fieldOptions = (none) => [
    ...(none ? [new Option('(none)', '')] : []),
    ...fields.map((f) => new Option(fieldLabel(f.name), f.name)),
  ];
  form.elements['x.field'].replaceChildren(...fieldOptions(false));
  form.elements['y.field'].replaceChildren(...fieldOptions(true));
  form.elements.metric.replaceChildren(...metrics.map((m) => new Option(METRIC_NAMES[m] ?? m, m)));

  function clearErrors() {
    for (const e of form.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
    for (const e of form.querySelectorAll('.field-error')) e.remove();
  }

  // The axes, steps and metric as typed.
  function read() {
    const axis = (name) => {
      const field = form.elements[`${name}.field`].value;
      if (!field) return undefined;
      const type = fields.find((f) => f.name === field)?.type;
      return { field, values: axisValuesFromText(type, form.elements[`${name}.values`].value) };
    };
    const spec = {
      x: axis('x'),
      steps: valueFromText({ type: 'integer' }, form.elements.steps.value),
      metric: form.elements.metric.value,
    };
    const y = axis('y');
    if (y) spec.y = y;
    return spec;
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
  form.elements.metric.addEventListener('change', () => onMetric(form.elements.metric.value));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors();
    onSubmit(read());
  });

  // One refusal at its field: after the field's label, or after the field's last refusal
  // shown; a refusal of no field of the form (a base setting) before the buttons.
  function showError(field, message) {
    const input = form.elements[field];
    const note = el('span', 'field-error', `${field}: ${message}`);
    note.setAttribute('role', 'alert');
    note.dataset.field = field;
    if (!input) {
      form.querySelector('.sweep-actions').before(note);
      return;
    }
    input.setAttribute('aria-invalid', 'true');
    const last = [...form.querySelectorAll('.field-error')].filter((e) => e.dataset.field === field).pop();
    (last ?? input.closest('label')).after(note);
  }

  return {
    set(sweep) {
      for (const axis of ['x', 'y']) {
        form.elements[`${axis}.field`].value = sweep[axis]?.field ?? '';
        form.elements[`${axis}.values`].value = sweep[axis] ? sweep[axis].values.join(', ') : '';
      }
      form.elements.steps.value = String(sweep.steps);
      form.elements.metric.value = sweep.metric;
      clearErrors();
    },
    read,
    // Refusals from the validator ([{ field, message }]: x.values, y.field, steps, ...), in its
    // order, at most MAX_SHOWN a field.
    showErrors(errors) {
      clearErrors();
      const counts = new Map();
      for (const { field, message } of errors) {
        const count = (counts.get(field) ?? 0) + 1;
        counts.set(field, count);
        if (count <= MAX_SHOWN) showError(field, message);
      }
      for (const [field, count] of counts) {
        if (count > MAX_SHOWN)
          form
            .querySelector(`.field-error[data-field="${field}"]:last-of-type`)
            ?.append(` (and ${count - MAX_SHOWN} more)`);
      }
    },
  };
}

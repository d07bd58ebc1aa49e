// The settings form, made from the configuration schema the engine exports: every field's
// range, choices and meaning come from the one validator. The form only collects values; the
// engine validates them and its messages are shown next to the fields they name.
import { armAbout, armLabel } from '../shared/arms.js';
import { valueFromText } from '../shared/schema-text.js';

// Fields in the order and groups the page shows them; the rest go under "Measurement".
const GROUPS = [
  ['Data', ['dataset', 'samples', 'noise', 'trainFraction', 'standardize', 'covariateShift']],
  ['Network', ['arms', 'hidden', 'activation', 'init', 'initStd']],
  ['Training', ['batchSize', 'learningRate', 'momentum', 'bnMomentum', 'bnEps', 'seed']],
  ['Noise', ['dropout', 'bnNoiseShift', 'bnNoiseScale']],
];

export const LABELS = {
  dataset: 'Data set',
  samples: 'Examples',
  noise: 'Noise',
  trainFraction: 'Training fraction',
  standardize: 'Standardize inputs',
  covariateShift: 'Covariate shift',
  arms: 'Networks',
  hidden: 'Hidden layers',
  activation: 'Activation',
  init: 'Initial weights',
  initStd: 'Initial std (Gaussian)',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  momentum: 'Momentum',
  bnMomentum: 'BN momentum',
  bnEps: 'BN ε',
  seed: 'Seed',
  recordEvery: 'Record every (steps)',
  gridSize: 'Grid points per side',
  probes: 'Measure (probes)',
  probeExamples: 'Probe examples',
  trackedUnit: 'Tracked unit',
  gradientIcs: 'Gradient ICS',
  dropout: 'Dropout rate',
  landscape: 'Loss landscape',
  landscapeSteps: 'Landscape step sizes (× learning rate)',
  bnNoiseShift: 'Noisy BN: shift up to ±',
  bnNoiseScale: 'Noisy BN: scale up to ×',
};

// Fields that take effect without restarting the run.
const LIVE = new Set(['learningRate']);

function input(field) {
  const id = `field-${field.name}`;
  let element;
  if (field.type === 'choice') {
    element = document.createElement('select');
    for (const choice of field.choices) element.add(new Option(choice, choice));
  } else if (field.type === 'boolean') {
    element = document.createElement('input');
    element.type = 'checkbox';
  } else if (field.type === 'choice[]') {
    element = document.createElement('fieldset');
    element.className = 'choices';
    for (const choice of field.choices) {
      const label = document.createElement('label');
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = choice;
      box.name = field.name;
      // The networks go by their display names, the same as in every chart.
      label.append(box, ` ${field.name === 'arms' ? armLabel(choice) : choice}`);
      if (field.name === 'arms') label.title = `${choice}: ${armAbout(choice)}`;
      element.append(label);
    }
  } else if (field.type === 'integer[]' || field.type === 'number[]') {
    element = document.createElement('input');
    element.type = 'text';
    element.inputMode = field.type === 'integer[]' ? 'numeric' : 'decimal';
    element.placeholder = field.type === 'integer[]' ? 'e.g. 16,16,16 (empty: none)' : 'e.g. 0.25,1,4';
  } else {
    element = document.createElement('input');
    element.type = 'number';
    element.min = field.min;
    element.max = field.max;
    element.step = field.type === 'integer' ? '1' : 'any';
  }
  element.id = id;
  element.dataset.field = field.name;
  return element;
}

function setValue(element, field, value) {
  if (field.type === 'boolean') element.checked = value;
  else if (field.type === 'choice[]') {
    for (const box of element.querySelectorAll('input')) box.checked = value.includes(box.value);
  } else if (field.type === 'integer[]' || field.type === 'number[]') element.value = value.join(',');
  else element.value = String(value);
}

// The value the user entered, as the schema's type (typed text through the same conversion
// as share links).
function readValue(element, field) {
  if (field.type === 'boolean') return element.checked;
  if (field.type === 'choice[]') return [...element.querySelectorAll('input:checked')].map((b) => b.value);
  return valueFromText(field, element.value);
}

// The networks field's refusal in the page's words: how many to choose, how many are ticked
// (the engine's message names its ids, which the form does not show).
function armsProblem(field, ticked, message) {
  if (ticked.length > field.maxItems) return `choose at most ${field.maxItems} networks (${ticked.length} are ticked)`;
  if (ticked.length < field.minItems) return `choose at least ${field.minItems} network`;
  return message;
}

// Builds the form in `form`. onChange(config, { live }) is called with the whole
// configuration after a change; live is true when only live fields changed.
// Longer than 80 lines as a whole: a closure over the view's state, holding short functions.
export function createControls(form, schema, onChange) {
  const fields = new Map(schema.map((f) => [f.name, f]));
  const elements = new Map();
  const errors = new Map();
  // Fields typed into whose edit is not yet committed (no change event yet): set() leaves
  // them alone, or an answer to an earlier edit arriving mid-typing would wipe the text.
  const typing = new Set();
  let config = null;

  const grouped = new Set(GROUPS.flatMap(([, names]) => names));
  const groups = [...GROUPS, ['Measurement', schema.map((f) => f.name).filter((n) => !grouped.has(n))]];
  form.replaceChildren();
  for (const [title, names] of groups) {
    const group = document.createElement(title === 'Measurement' ? 'details' : 'fieldset');
    group.className = 'group';
    const legend = document.createElement(title === 'Measurement' ? 'summary' : 'legend');
    legend.textContent = title;
    group.append(legend);
    for (const name of names) {
      const field = fields.get(name);
      if (!field) continue;
      const row = document.createElement('div');
      row.className = `field field-${field.type.replace('[]', '-list')}`;
      const label = document.createElement('label');
      label.htmlFor = `field-${name}`;
      label.textContent = LABELS[name] ?? name;
      label.title = field.doc;
      const element = input(field);
      element.setAttribute('aria-describedby', `error-${name}`);
      const error = document.createElement('p');
      error.className = 'field-error';
      error.id = `error-${name}`;
      error.setAttribute('role', 'alert');
      row.append(label, element, error);
      group.append(row);
      elements.set(name, element);
      errors.set(name, error);
      element.addEventListener('input', () => typing.add(name));
      element.addEventListener('change', () => {
        typing.delete(name);
        const next = { ...config, [name]: readValue(element, field) };
        const live = LIVE.has(name);
        config = next;
        onChange(next, { live, field: name });
      });
    }
    form.append(group);
  }

  return {
    // Shows a configuration the engine accepted, and clears every field's error.
    set(accepted) {
      config = { ...accepted };
      for (const [name, element] of elements) {
        if (!typing.has(name)) setValue(element, fields.get(name), accepted[name]);
      }
      this.showErrors([]);
    },
    // errors: [{ field, message }] from the engine's validator; inUse: the configuration still
    // running, whose value each message names. The typed text stays for the user to fix.
    showErrors(list, inUse) {
      for (const [name, p] of errors) {
        p.textContent = '';
        elements.get(name).removeAttribute('aria-invalid');
      }
      for (const { field, message } of list) {
        const p = errors.get(field);
        if (!p) continue;
        const value = inUse?.[field];
        // The networks go by their display names here too, not the engine's ids.
        const shown = (v) => (field === 'arms' ? v.map(armLabel).join(', ') : v.join(','));
        const kept =
          value === undefined ? '' : ` Still using ${Array.isArray(value) ? shown(value) || 'none' : value}.`;
        p.textContent = `${LABELS[field] ?? field}: ${field === 'arms' ? armsProblem(fields.get('arms'), readValue(elements.get('arms'), fields.get('arms')), message) : message}.${kept}`; // text, never markup
        elements.get(field).setAttribute('aria-invalid', 'true');
      }
    },
    get config() {
      return config;
    },
  };
}

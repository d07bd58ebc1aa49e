// Share links: the whole configuration in the URL fragment, with the schema's names,
// e.g. #seed=1&dataset=spiral&hidden=32,32&activation=sigmoid&...&arms=plain,bn-before
// Page options sit beside it (embed, views, paused, lesson). Reading a link never trusts it:
// text is converted by the schema's types only (schema-text.js), the engine's validator judges
// every value, and whatever it refuses is dropped with a note naming the field.
import { axisValuesFromText, number, valueFromText, wellFormed } from './schema-text.js';
import { MAX_DATA, TABLE_KEYS } from './table-link.js';

// Longer fragments are refused whole; a table's data= (table-link.js) counts apart, up to MAX_DATA.
export const MAX_FRAGMENT = 4096;
export const PAGE_OPTIONS = ['embed', 'views', 'paused', 'lesson', 'theme'];
export const THEMES = ['light', 'dark', 'auto'];
// Links written before the lessons had one name called a lesson a scenario: such a link still
// opens its lesson.
const OLD_KEYS = { scenario: 'lesson' };
// The views an embed can show (views= in a link), each with its name in words; the page's
// section of a view is #view-<name>.
export const VIEW_NAMES = {
  boundary: 'predictions',
  layer: 'inside a BN layer',
  loss: 'loss',
  ics: 'covariate shift',
  gradients: 'gradients',
  noise: 'BN noise',
  sweep: 'sweep',
};
export const VIEWS = Object.keys(VIEW_NAMES);
// A sweep rides in the link beside the configuration, which is its base:
// sweepX=learningRate:0.01,0.1,1&sweepY=initStd:0.1,1&sweepSteps=1500&sweepMetric=testAccuracy
const SWEEP_KEYS = { sweepX: 'x', sweepY: 'y', sweepSteps: 'steps', sweepMetric: 'metric' };

// The configuration as a fragment, every field written: a link keeps its meaning even if a
// default changes later.
export function configToFragment(config, schema, options = {}) {
  const parts = schema.map(({ name }) => {
    const value = config[name];
    const text = Array.isArray(value) ? value.join(',') : String(value);
    return `${name}=${encodeURIComponent(text).replaceAll('%2C', ',')}`;
  });
  for (const key of PAGE_OPTIONS) {
    const value = options[key];
    if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) continue;
    parts.push(`${key}=${Array.isArray(value) ? value.join(',') : value === true ? '1' : encodeURIComponent(value)}`);
  }
  if (options.sweep) parts.push(...sweepParts(options.sweep));
  // A table of your own: its name and fingerprint, and its data when it fits.
  for (const [key, name] of Object.entries(TABLE_KEYS)) {
    const value = options.table?.[name];
    if (value) parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return `#${parts.join('&')}`;
}

function sweepParts(sweep) {
  const text = (v) => encodeURIComponent(String(v)).replaceAll('%2C', ',').replaceAll('%3A', ':');
  return Object.entries(SWEEP_KEYS).flatMap(([key, name]) => {
    const value = sweep[name];
    if (value === undefined) return [];
    return [`${key}=${typeof value === 'object' ? text(`${value.field}:${value.values.join(',')}`) : text(value)}`];
  });
}

// "learningRate:0.01,0.1" -> { field, values }.
function sweepAxis(text, fields) {
  const colon = text.indexOf(':');
  const field = colon < 0 ? text : text.slice(0, colon);
  return { field, values: axisValuesFromText(fields.get(field)?.type, colon < 0 ? '' : text.slice(colon + 1)) };
}

function decode(text) {
  try {
    return wellFormed(decodeURIComponent(text.replaceAll('+', ' ')));
  } catch {
    return wellFormed(text); // a malformed escape stays as typed; the validator says what is wrong
  }
}

// A fragment -> { config, options, notes }. config holds only the fields the link sets,
// converted to the schema's types but not yet validated; notes say what was ignored.
export function parseFragment(fragment, schema) {
  const fields = new Map(schema.map((f) => [f.name, f]));
  const config = {};
  const options = {};
  const notes = [];
  let text = String(fragment ?? '');
  if (text.startsWith('#')) text = text.slice(1);
  const data = /(?:^|&)data=([^&]*)/.exec(text)?.[1] ?? '';
  if (text.length - data.length > MAX_FRAGMENT || data.length > MAX_DATA) {
    notes.push(
      data.length > MAX_DATA
        ? `The link's data is ${data.length} characters long (at most ${MAX_DATA}): the link is ignored.`
        : `The link's settings are ${text.length - data.length} characters long (at most ${MAX_FRAGMENT}): ignored.`,
    );
    return { config, options, notes };
  }
  for (const part of text.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const typed = decode(eq < 0 ? part : part.slice(0, eq));
    const key = OLD_KEYS[typed] ?? typed;
    const value = decode(eq < 0 ? '' : part.slice(eq + 1));
    if (fields.has(key)) {
      config[key] = valueFromText(fields.get(key), value);
    } else if (key === 'embed' || key === 'paused') {
      options[key] = value === '' || value === '1' || value === 'true';
    } else if (key === 'theme') {
      if (THEMES.includes(value)) options.theme = value;
      else notes.push(`theme: ignored "${clip(value)}" (known: ${THEMES.join(', ')}).`);
    } else if (Object.hasOwn(SWEEP_KEYS, key)) {
      const name = SWEEP_KEYS[key];
      options.sweep ??= {};
      options.sweep[name] =
        name === 'x' || name === 'y' ? sweepAxis(value, fields) : name === 'steps' ? number(value) : clip(value);
    } else if (key === 'lesson') {
      options.lesson = clip(value);
    } else if (Object.hasOwn(TABLE_KEYS, key)) {
      options.table ??= {};
      options.table[TABLE_KEYS[key]] = key === 'data' ? value : clip(value, 120);
    } else if (key === 'views') {
      const views = value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      const unknown = [...new Set(views.filter((v) => !VIEWS.includes(v)))];
      if (unknown.length) {
        const more = unknown.length > 3 ? ` and ${unknown.length - 3} more` : '';
        notes.push(
          `views: ignored ${unknown
            .slice(0, 3)
            .map((v) => `"${clip(v)}"`)
            .join(', ')}${more} (known: ${VIEWS.join(', ')}).`,
        );
      }
      options.views = [...new Set(views.filter((v) => VIEWS.includes(v)))];
    } else {
      notes.push(`Ignored the unknown setting "${clip(key)}".`);
    }
  }
  return { config, options, notes };
}

function clip(text, length = 40) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

// Keeps the fields the validator accepts: validate(config) returns the normalized config or
// throws the engine's Error, whose `fields` lists [{ field, message }]. Each refused field is
// dropped (its default applies) with a note. When the validator blames a field the link did
// not set (a rule between fields, say a batch larger than the link's training set), the link's
// fields are taken one at a time, each kept if it still fits with those before it.
export function resolveConfig(config, validate, schema) {
  const notes = [];
  const kept = { ...config };
  for (let pass = 0; pass <= schema.length; pass++) {
    try {
      return { config: validate(kept), notes };
    } catch (err) {
      const named = (err?.fields ?? []).filter(({ field }) => Object.hasOwn(kept, field));
      if (named.length === 0) break;
      for (const { field, message } of named) {
        delete kept[field];
        notes.push(`${field}: ${clip(message, 160)}; using the default.`);
      }
    }
  }
  const fitting = {};
  for (const [field, value] of Object.entries(kept)) {
    try {
      validate({ ...fitting, [field]: value });
      fitting[field] = value;
    } catch (err) {
      const reason = err?.fields?.map((f) => `${f.field}: ${f.message}`).join('; ') ?? err?.message ?? String(err);
      notes.push(`${field}: does not fit the rest of the link (${clip(reason, 160)}); using the default.`);
    }
  }
  return { config: validate(fitting), notes };
}

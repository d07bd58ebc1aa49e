// Text and the schema's values: what a link, the settings form and the Sweep view's form typed,
// converted by the schema field's type only. Text that is not of the type stays text, for the
// engine's validator to quote in its message; nothing here judges a value.

export const MAX_LIST = 64; // items read from one list value

const BOOLEANS = new Map([
  ['true', true],
  ['1', true],
  ['false', false],
  ['0', false],
]);

// A number when the whole text is one, else the text itself (so the message can quote it).
export function number(text) {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : text;
}

// Text typed in a link or in the settings form, as the schema field's type; list items are
// separated by commas or spaces.
export function valueFromText(field, text) {
  const items = () =>
    text.trim() === ''
      ? []
      : text
          .trim()
          .split(/[\s,]+/)
          .slice(0, MAX_LIST + 1);
  switch (field.type) {
    case 'integer':
    case 'number':
      return number(text);
    case 'boolean':
      return BOOLEANS.get(text.trim().toLowerCase()) ?? text;
    case 'integer[]':
    case 'number[]':
      return items().map(number);
    case 'choice[]':
      return items();
    default:
      return text;
  }
}

// A sweep axis's values as typed ("0.01, 0.1" or "relu tanh"), each as the swept field's schema
// type (`type`: the field's). The link and the Sweep view's form both read values with it.
export function axisValuesFromText(type, text) {
  const list = { integer: 'integer[]', number: 'number[]' }[type] ?? 'choice[]';
  const values = valueFromText({ type: list }, text);
  return type === 'boolean' ? values.map((v) => valueFromText({ type }, v)) : values;
}

// A lone surrogate (which no JSON text may carry to the engine) becomes U+FFFD, as
// String.prototype.toWellFormed does; written out, since browsers before 2023 (Firefox < 119,
// Chromium < 111) do not have it.
export function wellFormed(text) {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

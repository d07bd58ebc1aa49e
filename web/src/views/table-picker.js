// Your own data: the file field where a CSV file is picked, dropped or pasted, its label column
// chosen, and what the engine made of it shown, or its refusal ("row 17, column weight: ...")
// at the field. It only collects bytes and displays; the engine's reader (in the worker) reads.
import { el } from './kit/dom.js';

const MAX_BYTES = 4 << 20; // the reader's limit (io/csv.hpp): one byte more is enough to refuse

// onFile(bytes, name, label): a file to read; label: '' for the last column.
export function createTablePicker(container, { onFile }) {
  const file = Object.assign(el('input'), { type: 'file', id: 'table-file', accept: '.csv,text/csv,text/plain' });
  const label = Object.assign(el('select'), { id: 'table-label', disabled: true });
  const paste = Object.assign(el('textarea'), {
    id: 'table-paste',
    rows: 4,
    placeholder: 'height,weight,label\n1.72,68.5,no\n…',
  });
  const usePaste = Object.assign(el('button', '', 'Use the pasted table'), { type: 'button' });
  const status = Object.assign(el('p', 'table-status'), { id: 'table-status' });
  const error = Object.assign(el('p', 'field-error'), { id: 'table-error' });
  status.setAttribute('role', 'status');
  error.setAttribute('role', 'alert');
  file.setAttribute('aria-describedby', 'table-error table-status');
  const fileLabel = Object.assign(el('label', '', 'CSV file'), { htmlFor: 'table-file' });
  const labelLabel = Object.assign(el('label', '', 'Label column'), { htmlFor: 'table-label' });
  const pasted = el('details');
  pasted.append(el('summary', '', 'or paste a table'), paste, usePaste);
  const group = el('fieldset', 'group own-data');
  group.id = 'own-data-field';
  group.append(
    el('legend', '', 'Your own data'),
    el(
      'p',
      'hint',
      'A CSV file of numeric features and a label column (named in a header, or the last): up to ' +
        '5,000 rows, 64 features and 10 classes. Pick it, drop it here, or paste it.',
    ),
    fileLabel,
    file,
    pasted,
    labelLabel,
    label,
    error,
    status,
  );
  container.replaceChildren(group);

  let last = null; // { bytes, name }: re-read when the label column changes

  const read = (bytes, name) => {
    last = { bytes, name };
    error.textContent = '';
    status.textContent = `Reading ${name}…`;
    onFile(bytes, name, label.disabled ? '' : label.value);
  };
  const readFile = async (f) => read(new Uint8Array(await f.slice(0, MAX_BYTES + 1).arrayBuffer()), f.name);

  file.addEventListener('change', () => file.files[0] && readFile(file.files[0]));
  usePaste.addEventListener('click', () => {
    label.disabled = true; // a new table: its own last column until it is read
    read(new TextEncoder().encode(paste.value), 'the pasted table');
  });
  label.addEventListener('change', () => last && read(last.bytes, last.name));
  group.addEventListener('dragover', (event) => {
    event.preventDefault();
    group.classList.add('dropping');
  });
  group.addEventListener('dragleave', () => group.classList.remove('dropping'));
  group.addEventListener('drop', (event) => {
    event.preventDefault();
    group.classList.remove('dropping');
    const dropped = event.dataTransfer?.files?.[0];
    if (dropped) {
      label.disabled = true;
      readFile(dropped);
    }
  });

  return {
    // The engine's summary of the table read from `name`.
    showTable(table, name) {
      error.textContent = '';
      file.removeAttribute('aria-invalid');
      const columns = [...table.featureNames, table.labelName];
      if (label.disabled || ![...label.options].some((o) => o.value === table.labelName)) {
        label.replaceChildren(...columns.map((c) => new Option(c, c)));
        label.value = table.labelName;
        label.disabled = false;
      }
      status.textContent =
        `${name}: ${table.rows.toLocaleString('en')} rows, ${table.features} feature${table.features > 1 ? 's' : ''} ` +
        `(${table.featureNames.join(', ')}), ${table.classes} classes of ${table.labelName} ` +
        `(${table.classNames.join(', ')}). A run on it (data set "csv") starts now, unless a setting ` +
        'does not fit the table: the status line then says which.';
    },
    // The reader's refusal, at the field; the run goes on with the data it had.
    showError(message, name) {
      status.textContent = '';
      error.textContent = `${name ?? 'The file'}: ${message}`;
      file.setAttribute('aria-invalid', 'true');
    },
    // What the user must know about the link's table: load it again, or it is another table.
    ask(text) {
      error.textContent = text;
    },
  };
}

// The table of your own the page holds: read by the engine in the training worker (the page
// sends the file's bytes), shown by the picker, carried by the share link (table-link.js) when
// it fits, asked for again when it does not. A run on it is dataset "csv".
import { decodeTable, encodeTable } from '../shared/table-link.js';
import { createTablePicker } from '../views/table-picker.js';
import * as panel from '../views/panel.js';

export class OwnData {
  // onTable(): a table was read from a file the user gave (the page starts a run on it).
  constructor({ worker, container, onTable }) {
    Object.assign(this, { worker, onTable });
    this.table = null; // { text, fingerprint, name, data }: data is data= for a link, or null
    this.reading = null; // { name, fromUser, expected }: the read the worker is answering
    this.waiting = null; // a link's run that needs its table loaded again: { start, id }
    this.picker = createTablePicker(container, { onFile: (bytes, name, label) => this.read(bytes, name, label, true) });
  }

  read(bytes, name, label = '', fromUser = false, expected = null) {
    this.reading = { name, fromUser, expected };
    this.worker.postMessage({ type: 'table', bytes, label, name });
  }

  // The worker read the table.
  async loaded({ table, name }) {
    const { fromUser } = this.reading ?? {};
    const expected = this.reading?.expected ?? this.waiting?.id;
    this.reading = null;
    this.table = { text: table.text, fingerprint: table.fingerprint, name, data: null };
    this.picker.showTable(table, name);
    if (expected && expected !== table.fingerprint)
      this.picker.ask(`${name} is not the table this link was made with: the run is another run.`);
    const data = await encodeTable(table.text);
    if (this.table?.fingerprint === table.fingerprint) this.table.data = data;
    if (this.waiting) {
      const { start } = this.waiting;
      this.waiting = null;
      start();
    } else if (fromUser) {
      this.onTable();
    }
  }

  refused({ message }) {
    const name = this.reading?.name;
    this.reading = null;
    this.picker.showError(message, name);
    panel.setStatus(`Your data was not loaded: ${message}. The run goes on with the data it had.`, true);
  }

  // Before a link's run starts: its table, when it carries one (sent ahead of the run's start,
  // so the worker reads it first). Returns false when the run must wait for the user to load
  // the table again (it was too large for the link); start() runs it then.
  forLink(table, config, start) {
    if (config.dataset !== 'csv' || !table) return Promise.resolve(true);
    if (table.data)
      return decodeTable(table.data).then(
        (bytes) => {
          this.read(bytes, table.name ?? 'the link’s table', '', false, table.id);
          return true;
        },
        (err) => {
          this.picker.showError(err.message, table.name);
          return true; // the validator then says the data set is missing, at the field
        },
      );
    if (this.table && this.table.fingerprint === table.id) return Promise.resolve(true);
    this.waiting = { start, id: table.id };
    const text =
      `This link's run trains on ${table.name ?? 'a table of its own'}, which was too large to ride in the link: ` +
      `load ${table.name ?? 'it'} here again and the run starts.`;
    this.picker.ask(text);
    panel.setStatus(text, true);
    return Promise.resolve(false);
  }

  // The table as the address carries it: { data, name, id } (data only when it fits).
  linkTable() {
    const t = this.table;
    return t ? { data: t.data ?? undefined, name: t.name, id: t.fingerprint } : undefined;
  }
}

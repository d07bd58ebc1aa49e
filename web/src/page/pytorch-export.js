// "Open in PyTorch": the run as a Python script or a Jupyter notebook, written by the engine in
// the worker (cpp/bnlab/io/export_pytorch), downloaded as a file.
import { el } from '../views/kit/dom.js';
import { download } from './share.js';

const FORMATS = [
  { format: 'pytorch', label: 'Python script', extension: 'py', type: 'text/x-python' },
  { format: 'notebook', label: 'Jupyter notebook', extension: 'ipynb', type: 'application/x-ipynb+json' },
];

// While an export is being written (the first one also fetches the export's module, about
// 110 KB), the clicked button says so and both ignore clicks: aria-disabled, not disabled, which
// would drop the keyboard's focus to the page.
let buttons = [];
const busy = (clicked) => {
  for (const button of buttons) {
    button.setAttribute('aria-disabled', String(Boolean(clicked)));
    button.textContent = button === clicked ? `${button.dataset.label}: preparing…` : button.dataset.label;
  }
};

// container: a <details> in the share row; its summary opens the two choices.
export function createPytorchExport(container, worker) {
  const summary = el('summary', '', 'PyTorch');
  summary.title = 'Open in PyTorch: the run as torch.nn modules, the same weights, the same mini-batches';
  const choices = el('span', 'choices');
  buttons = FORMATS.map(({ format, label }) => {
    const button = Object.assign(el('button', '', label), { type: 'button', id: `pytorch-${format}` });
    button.dataset.label = label;
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-disabled') === 'true') return;
      busy(button);
      worker.postMessage({ type: 'pytorch', format });
    });
    return button;
  });
  choices.append(...buttons);
  container.replaceChildren(summary, choices);
}

// The worker's export: { format, text, config }.
export function savePytorch({ format, text, config }) {
  busy(null);
  const { extension, type } = FORMATS.find((f) => f.format === format);
  download(`bnlab-${config.dataset}-seed${config.seed}.${extension}`, text, type);
}

// The export failed (its module did not load, say): the buttons work again, and the message.
export function pytorchFailed(message) {
  busy(null);
  return `Could not export the run to PyTorch: ${message}`;
}

// "Open in PyTorch": the run as a Python script or a Jupyter notebook, written by the engine in
// the worker (cpp/bnlab/io/export_pytorch), downloaded as a file.
import { el } from '../views/kit/dom.js';
import { download } from './share.js';

const FORMATS = [
  { format: 'pytorch', label: 'Python script', extension: 'py', type: 'text/x-python' },
  { format: 'notebook', label: 'Jupyter notebook', extension: 'ipynb', type: 'application/x-ipynb+json' },
];

// container: a <details> in the share row; its summary opens the two choices.
export function createPytorchExport(container, worker) {
  const summary = el('summary', '', 'PyTorch');
  summary.title = 'Open in PyTorch: the run as torch.nn modules, the same weights, the same mini-batches';
  const choices = el('span', 'choices');
  for (const { format, label } of FORMATS) {
    const button = Object.assign(el('button', '', label), { type: 'button', id: `pytorch-${format}` });
    button.addEventListener('click', () => worker.postMessage({ type: 'pytorch', format }));
    choices.append(button);
  }
  container.replaceChildren(summary, choices);
}

// The worker's export: { format, text, config }.
export function savePytorch({ format, text, config }) {
  const { extension, type } = FORMATS.find((f) => f.format === format);
  download(`bnlab-${config.dataset}-seed${config.seed}.${extension}`, text, type);
}

// "Open in PyTorch": the run as a Python script or a Jupyter notebook, written by the engine in
// the worker (cpp/bnlab/io/export_pytorch), downloaded as a file.
import { el } from '../views/kit/dom.js';
import { download } from './share.js';

const FORMATS = [
  { format: 'pytorch', label: 'Python script', extension: 'py', type: 'text/x-python' },
  { format: 'notebook', label: 'Jupyter notebook', extension: 'ipynb', type: 'application/x-ipynb+json' },
];

export function createPytorchExport(container, worker) {
  const group = el('div', 'share pytorch');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', 'Open in PyTorch');
  group.append(el('span', '', 'Open in PyTorch:'));
  for (const { format, label } of FORMATS) {
    const button = Object.assign(el('button', '', label), { type: 'button', id: `pytorch-${format}` });
    button.title = 'The same networks in torch.nn, from the same weights on the same mini-batches';
    button.addEventListener('click', () => worker.postMessage({ type: 'pytorch', format }));
    group.append(button);
  }
  container.replaceChildren(group);
}

// The worker's export: { format, text, config }.
export function savePytorch({ format, text, config }) {
  const { extension, type } = FORMATS.find((f) => f.format === format);
  download(`bnlab-${config.dataset}-seed${config.seed}.${extension}`, text, type);
}

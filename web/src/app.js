// The page: starts the worker, shows its snapshots. It only displays.
const $ = (id) => document.getElementById(id);
const status = $('status');
const toggle = $('toggle');
let playing = true;

function showError(message) {
  status.textContent = message;
  status.classList.add('error');
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;  // never innerHTML: messages can carry user text
  if (className) td.className = className;
}

function render({ steps, arms, metrics }) {
  $('steps').textContent = steps.toLocaleString('en');
  const body = $('metrics').tBodies[0];
  body.replaceChildren();
  arms.forEach((arm, i) => {
    const row = body.insertRow();
    cell(row, arm.name);
    cell(row, metrics.trainLoss[i].toFixed(4));
    cell(row, metrics.testLoss[i].toFixed(4));
    cell(row, `${(100 * metrics.testAccuracy[i]).toFixed(1)}%`);
    cell(row, arm.diverged ? arm.message : 'training', arm.diverged ? 'diverged' : '');
  });
}

const worker = new Worker('src/worker.js');
worker.onerror = (event) => showError(`The training worker failed: ${event.message}`);
worker.onmessage = ({ data }) => {
  if (data.type === 'ready') {
    status.textContent = 'Training.';
    $('config').textContent = JSON.stringify(data.config, null, 2);
    toggle.disabled = false;
  } else if (data.type === 'snapshot') {
    render(data);
  } else if (data.type === 'error') {
    const what = { load: 'The WebAssembly engine failed to load', start: 'Could not start the experiment' };
    showError(`${what[data.where] ?? `Could not ${data.where}`}: ${data.message}`);
  }
};
toggle.addEventListener('click', () => {
  playing = !playing;
  worker.postMessage({ type: playing ? 'play' : 'pause' });
  toggle.textContent = playing ? 'Pause' : 'Play';
});
worker.postMessage({ type: 'start', config: {} });

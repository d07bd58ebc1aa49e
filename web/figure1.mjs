// ./build.sh figure1: Ioffe & Szegedy (2015), Figure 1, from the command line.
// Runs bnlab-run on web/src/lessons/figure1.json (the page's lesson uses the same file), writes the
// series to build/figure1/series.json, renders the three panels with Chart.js (as the page
// does) in headless Chromium to docs/figure1.png, and prints each arm's test accuracy at a
// few step counts.
//   node web/figure1.mjs [STEPS]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { launchBrowser, root } from '../tests/e2e/browser.mjs';

const steps = Number(process.argv[2] ?? 5000);
const LAST_LAYER = 2; // the third hidden layer: "a typical sigmoid in the last hidden layer"
const COLORS = { plain: '#cc6677', 'bn-before': '#4477aa' };
const MARKS = [100, 200, 500, 1000, 2000, 5000, 10000, 20000].filter((s) => s <= steps);

const run = JSON.parse(
  execFileSync(
    join(root, 'build/native/bnlab-run'),
    ['--steps', String(steps), '--spread-batches', '2', join(root, 'web/src/lessons/figure1.json')],
    { encoding: 'utf8', maxBuffer: 512 << 20 },
  ),
);
const series = {
  config: run.config,
  step: run.step,
  arms: run.arms.map((arm) => ({
    name: arm.name,
    testAccuracy: arm.history.testAccuracy,
    p15: arm.history.layers[LAST_LAYER].p15,
    p50: arm.history.layers[LAST_LAYER].p50,
    p85: arm.history.layers[LAST_LAYER].p85,
  })),
};
mkdirSync(join(root, 'build/figure1'), { recursive: true });
writeFileSync(join(root, 'build/figure1/series.json'), JSON.stringify(series));

// Each arm's test accuracy at the marked steps, and how far its tracked median moved.
const at = (values, step) => values[series.step.indexOf(step)];
console.log(`| step | ${series.arms.map((a) => `${a.name} test accuracy`).join(' | ')} |`);
console.log(`| --- | ${series.arms.map(() => '---').join(' | ')} |`);
for (const step of MARKS)
  console.log(`| ${step} | ${series.arms.map((a) => `${(100 * at(a.testAccuracy, step)).toFixed(1)}%`).join(' | ')} |`);
for (const a of series.arms) {
  const range = Math.max(...a.p50) - Math.min(...a.p50);
  const band = a.p85.reduce((sum, v, i) => sum + v - a.p15[i], 0) / a.p85.length;
  console.log(
    `${a.name}: the tracked median moved over a range of ${range.toFixed(2)} (mean 15-85% band ${band.toFixed(2)})`,
  );
}

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1320, height: 420 }, deviceScaleFactor: 2 });
await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff;font-family:sans-serif">
  <div id="figure" style="display:flex;gap:12px;padding:12px;width:1296px">
  ${['a', 'b', 'c'].map((id) => `<div style="width:420px;height:340px;position:relative"><canvas id="${id}"></canvas></div>`).join('')}
  </div></body></html>`);
await page.addScriptTag({ path: join(root, 'node_modules/chart.js/dist/chart.umd.js') });
await page.evaluate(
  ({ data, colors }) => {
    const axis = (title, extra = {}) => ({ title: { display: true, text: title }, ...extra });
    const common = (title) => ({
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { title: { display: true, text: title, font: { size: 14 } }, legend: { position: 'bottom' } },
    });
    const points = (ys) => ys.map((y, i) => ({ x: data.step[i], y }));
    new Chart(document.getElementById('a'), {
      type: 'line',
      data: {
        datasets: data.arms.map((arm) => ({
          label: arm.name === 'plain' ? 'without BN' : 'with BN',
          data: points(arm.testAccuracy.map((v) => 100 * v)),
          borderColor: colors[arm.name],
          pointRadius: 0,
          borderWidth: 2,
        })),
      },
      options: {
        ...common('(a) test accuracy'),
        scales: { x: axis('step', { type: 'linear' }), y: axis('test accuracy (%)', { min: 0, max: 100 }) },
      },
    });
    data.arms.forEach((arm, i) => {
      const band = (key, label, fill, width) => ({
        label,
        data: points(arm[key]),
        borderColor: colors[arm.name],
        backgroundColor: `${colors[arm.name]}33`,
        fill,
        pointRadius: 0,
        borderWidth: width,
      });
      new Chart(document.getElementById(i === 0 ? 'b' : 'c'), {
        type: 'line',
        data: {
          datasets: [
            band('p85', '85th percentile', false, 1),
            band('p15', '15th percentile', '-1', 1),
            band('p50', 'median', false, 2.5),
          ],
        },
        options: {
          ...common(
            `(${i === 0 ? 'b' : 'c'}) input to a sigmoid of the last layer, ${i === 0 ? 'without' : 'with'} BN`,
          ),
          scales: { x: axis('step', { type: 'linear' }), y: axis('input to the nonlinearity') },
        },
      });
    });
  },
  { data: series, colors: COLORS },
);
mkdirSync(join(root, 'docs'), { recursive: true });
await page.locator('#figure').screenshot({ path: join(root, 'docs/figure1.png') });
await browser.close();
console.log(
  `wrote docs/figure1.png and build/figure1/series.json (${steps} steps, learning rate ${series.config.learningRate})`,
);

// The page's main thread while the default experiment trains at max speed, as the benchmark
// measures it: at each CPU throttling rate (Chromium's Emulation.setCPUThrottlingRate) and
// with each view scrolled into place in turn, the time to the next animation frame (median,
// worst), the longest task, the snapshots drawn per second and the worker's steps per second;
// how soon Pause takes effect; and the JS heap after a long run against the heap after a
// minute. Measures and reports; the budgets are judged in run.mjs.
import { frameTime, launchBrowser, serveDist } from '../tests/e2e/browser.mjs';

export const VIEWS = ['view-boundary', 'view-layer', 'view-loss', 'view-ics', 'view-gradients', 'view-noise'];
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s[s.length >> 1];
};

// The page with probes for long tasks and drawn snapshots (each changes the step counter).
async function openPage(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // A run that is no lesson, so it has no horizon to pause at, at max speed.
  await page.goto(`${url}#learningRate=1.5`);
  await page.waitForFunction(() => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 0, null, {
    timeout: 60000,
  });
  await page.locator('#speed').selectOption('0');
  await page.evaluate(() => {
    window.bench = { tasks: [], drawn: 0 };
    new PerformanceObserver((list) => list.getEntries().forEach((e) => window.bench.tasks.push(e.duration))).observe({
      type: 'longtask',
    });
    new MutationObserver(() => {
      window.bench.drawn += 1;
    }).observe(document.getElementById('steps'), { childList: true, characterData: true, subtree: true });
  });
  return page;
}

const steps = (page) => page.evaluate(() => Number(document.getElementById('steps').textContent.replaceAll(',', '')));

export async function measurePage({ rates = [1, 4, 6], seconds = 4, heapMinutes = 10 } = {}) {
  const server = await serveDist();
  const browser = await launchBrowser();
  const out = { views: [], pause: null, heap: null };
  try {
    const page = await openPage(browser, server.url);
    const cdp = await page.context().newCDPSession(page);
    for (const rate of rates) {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate });
      for (const view of VIEWS) {
        await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'start' }), view);
        await frameTime(page);
        await page.evaluate(() => {
          window.bench.tasks = [];
          window.bench.drawn = 0;
        });
        const s0 = await steps(page);
        const t0 = performance.now();
        const frames = [];
        while (performance.now() - t0 < seconds * 1000) frames.push(Math.min(5000, await frameTime(page))); // a frozen page counts as 5 s
        const elapsed = (performance.now() - t0) / 1000;
        const { tasks, drawn } = await page.evaluate(() => window.bench);
        out.views.push({
          rate,
          view,
          medianFrame: median(frames),
          worstFrame: Math.max(...frames),
          longestTask: Math.max(0, ...tasks),
          snapshotsPerSecond: drawn / elapsed,
          stepsPerSecond: ((await steps(page)) - s0) / elapsed,
        });
      }
      if (rate === 4) {
        // Pause: from the click to the last step counted.
        const t0 = performance.now();
        await page.evaluate(() => document.getElementById('play').click());
        let last = await steps(page);
        let settled = performance.now();
        while (performance.now() - settled < 1500) {
          await new Promise((resolve) => {
            setTimeout(resolve, 50);
          });
          const now = await steps(page);
          if (now !== last) {
            last = now;
            settled = performance.now();
          }
        }
        out.pause = { rate, seconds: (settled - t0) / 1000 };
        await page.evaluate(() => document.getElementById('play').click());
      }
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    // The JS heap after a minute and after heapMinutes at max speed (garbage collected first).
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    await cdp.send('HeapProfiler.enable');
    await page.evaluate(() => document.getElementById('view-loss').scrollIntoView({ block: 'start' }));
    await new Promise((resolve) => {
      setTimeout(resolve, 60000);
    });
    const early = { heap: await heap(), steps: await steps(page) };
    await new Promise((resolve) => {
      setTimeout(resolve, Math.max(0, heapMinutes - 1) * 60000);
    });
    const late = { heap: await heap(), steps: await steps(page) };
    out.heap = { minutes: heapMinutes, early, late, ratio: late.heap / early.heap };
    await page.close();
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

// Inside a BN layer on screen and off it, in interleaved rounds at max speed: the worker's steps
// per second, and how often the view's numbers changed (the worker measures the opened unit's
// batch only while the view can be seen). Medians over the rounds, and the median of the ratios
// within a round.
export async function measureLayerView({ rounds = 5, seconds = 4 } = {}) {
  const server = await serveDist();
  const browser = await launchBrowser();
  try {
    const page = await openPage(browser, server.url);
    await page.evaluate(() => {
      window.bench.layerUpdates = 0;
      new MutationObserver(() => {
        window.bench.layerUpdates += 1;
      }).observe(document.getElementById('bn-mean'), { childList: true, characterData: true, subtree: true });
    });
    const measure = async (view) => {
      await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'start' }), view);
      await frameTime(page);
      await new Promise((resolve) => {
        setTimeout(resolve, 500); // the observer's report and the worker's next tick
      });
      await page.evaluate(() => {
        window.bench.layerUpdates = 0;
      });
      const s0 = await steps(page);
      const t0 = performance.now();
      await new Promise((resolve) => {
        setTimeout(resolve, seconds * 1000);
      });
      const elapsed = (performance.now() - t0) / 1000;
      return {
        stepsPerSecond: ((await steps(page)) - s0) / elapsed,
        updatesPerSecond: (await page.evaluate(() => window.bench.layerUpdates)) / elapsed,
      };
    };
    const visible = [];
    const hidden = [];
    for (let round = 0; round < rounds; ++round) {
      visible.push(await measure('view-layer'));
      hidden.push(await measure('view-sweep')); // far from the view: off screen by more than a screen
    }
    const pick = (list, key) => median(list.map((r) => r[key]));
    return {
      visible: { stepsPerSecond: pick(visible, 'stepsPerSecond'), updatesPerSecond: pick(visible, 'updatesPerSecond') },
      hidden: {
        stepsPerSecond: pick(hidden, 'stepsPerSecond'),
        updatesPerSecond: Math.max(...hidden.map((r) => r.updatesPerSecond)),
      },
      ratio: median(visible.map((v, i) => v.stepsPerSecond / hidden[i].stepsPerSecond)),
    };
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1]?.endsWith('page.mjs') && process.argv[2] === 'layer') {
  console.log(JSON.stringify(await measureLayerView({ rounds: Number(process.argv[3] ?? 5) }), null, 1));
} else if (process.argv[1]?.endsWith('page.mjs')) {
  const minutes = Number(process.argv[2] ?? 2);
  console.log(
    JSON.stringify(await measurePage({ heapMinutes: minutes, seconds: Number(process.argv[3] ?? 4) }), null, 1),
  );
}

// Headless Debian Chromium driven by playwright-core, against dist/ served on localhost.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { after, before } from 'node:test';

import { chromium } from 'playwright-core';

export const root = fileURLToPath(new URL('../..', import.meta.url));

// Screenshots from test runs go here (ignored by git); the tests name their files.
export const screenshotDir = join(root, 'tests', 'out', 'screenshots');
mkdirSync(screenshotDir, { recursive: true });

// Serves dist/ on a free loopback port; resolves to { url, close }. BNLAB_DIST serves another
// build instead (to check that a test fails on an older page); dir serves that folder.
export function serveDist(dir = process.env.BNLAB_DIST ?? join(root, 'dist')) {
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [join(root, 'web', 'serve.mjs'), dir, '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    server.on('error', reject);
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (text) => {
      const match = text.match(/at (http:\/\/localhost:\d+\/)/);
      if (match) resolve({ url: match[1], close: () => server.kill() });
    });
    server.on('exit', (code) => reject(new Error(`dev server exited with ${code}`)));
  });
}

export function launchBrowser() {
  // Without the networking flags Chromium tries to reach Google's hosts, which this machine
  // cannot, and logs failures. playwright gives every launch a fresh profile directory.
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

// Collects console errors and uncaught exceptions of a page.
export function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return errors;
}

// For a test file: dist/ served and a browser launched before its tests, both closed after.
// Returns { url(), browser() } to read once the tests run.
export function useBrowser() {
  let server;
  let browser;
  before(async () => {
    server = await serveDist();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    server?.close();
  });
  return { url: () => server.url, browser: () => browser };
}

// The step counter the page shows.
export const steps = async (page) => Number((await page.locator('#steps').textContent()).replaceAll(',', ''));

// Waits until the step counter of a page or frame shows more than n steps.
export const stepsAbove = (target, n, timeout = 20000) =>
  target.waitForFunction((m) => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > m, n, {
    timeout,
  });

// The arms' colours (web/src/shared/arms.js) as RGB.
export const ARM_COLORS = {
  plain: [0xcc, 0x66, 0x77],
  'bn-before': [0x44, 0x77, 0xaa],
  'bn-after': [0x22, 0x88, 0x33],
};

// Pixels of a canvas (the first the selector matches in a page or frame) within a small
// distance of each colour: a series drawn in an arm's colour leaves such pixels; axes, grid
// lines and labels are grey. null when there is no such canvas.
export function countColors(pageOrFrame, selector, colors = ARM_COLORS) {
  return pageOrFrame.evaluate(
    ([sel, cols]) => {
      const canvas = document.querySelector(sel);
      if (!canvas) return null;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      const counts = Object.fromEntries(Object.keys(cols).map((k) => [k, 0]));
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] < 128) continue;
        for (const [name, [r, g, b]] of Object.entries(cols)) {
          if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) counts[name]++;
        }
      }
      return counts;
    },
    [selector, colors],
  );
}

// Waits until a canvas has more than `min` pixels of an arm's colour (charts draw at the frames
// after new data or after they come into view), or fails after `timeout` ms. Returns the counts.
export async function waitForArmPixels(pageOrFrame, selector, arm, { min = 20, timeout = 20000 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const counts = await countColors(pageOrFrame, selector);
    if (counts && counts[arm] > min) return counts;
    if (Date.now() > deadline)
      throw new Error(
        `${selector}: no more than ${min} pixels of ${arm} after ${timeout} ms: ${JSON.stringify(counts)}`,
      );
    await new Promise((resolve) => {
      setTimeout(resolve, 100);
    });
  }
}

// The time until the next animation frame, capped on Node's side: a frozen page answers no
// evaluate either.
export async function frameTime(page, cap = 5000) {
  let timer;
  const t0 = performance.now();
  const frame = page.evaluate(
    () =>
      new Promise((resolve) => {
        requestAnimationFrame(() => resolve());
      }),
  );
  const capped = new Promise((resolve) => {
    timer = setTimeout(() => resolve('cap'), cap);
  });
  const result = await Promise.race([frame.then(() => 'frame'), capped]);
  clearTimeout(timer);
  return result === 'cap' ? Infinity : performance.now() - t0;
}

// A page's first script (playwright's addInitScript, puppeteer's evaluateOnNewDocument): each
// violation of the page's Content-Security-Policy goes to window.violations as "directive URI".
export function recordViolations() {
  window.violations = [];
  document.addEventListener('securitypolicyviolation', (e) =>
    window.violations.push(`${e.effectiveDirective} ${e.blockedURI}`),
  );
}

// Run in a page (evaluate): inserts what the policy must refuse, had the page ever inserted markup
// (an inline script, an inline event handler, clicked, an inline style and another origin's
// script), and returns what came of it once the policy has refused all four, or something ran,
// or 10 s passed: { pwned, color, violations }.
export async function insertForbidden() {
  const script = document.createElement('script');
  script.textContent = 'window.pwned = "inline script"';
  document.body.append(script);
  const button = document.createElement('button');
  button.setAttribute('onclick', 'window.pwned = "inline handler"');
  document.body.append(button);
  button.click();
  const styled = document.createElement('p');
  styled.setAttribute('style', 'color: rgb(255, 0, 0)');
  document.body.append(styled);
  const foreign = document.createElement('script');
  foreign.src = 'https://example.com/x.js';
  document.body.append(foreign);
  const settled = () =>
    window.pwned !== undefined ||
    (['script-src-elem', 'script-src-attr', 'style-src-attr'].every((kind) =>
      window.violations.some((v) => v.startsWith(`${kind} `)),
    ) &&
      window.violations.some((v) => v.includes('https://example.com/x.js')));
  for (const deadline = performance.now() + 10000; !settled() && performance.now() < deadline; )
    await new Promise((resolve) => {
      requestAnimationFrame(resolve);
    });
  return { pwned: window.pwned, color: getComputedStyle(styled).color, violations: window.violations };
}

// What insertForbidden's result must be: nothing ran, nothing was styled, and the policy refused
// each kind, naming the other origin.
export function assertRefused(assert, { pwned, color, violations }) {
  assert.equal(pwned, undefined);
  assert.notEqual(color, 'rgb(255, 0, 0)');
  const kinds = new Set(violations.map((v) => v.split(' ')[0]));
  for (const kind of ['script-src-elem', 'script-src-attr', 'style-src-attr'])
    assert.ok(kinds.has(kind), `${kind} in ${JSON.stringify(violations)}`);
  assert.ok(
    violations.some((v) => v.includes('https://example.com/x.js')),
    JSON.stringify(violations),
  );
}

// A PNG (a screenshot or a saved figure) decoded by the page: how many distinct colours it has
// and the share of its pixels inked (darker than near-white).
export function pngStats(page, png) {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, image.width, image.height);
    const seen = new Set();
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (data[i] + data[i + 1] + data[i + 2] < 600) ink++;
    }
    return { colors: seen.size, inked: ink / (data.length / 4) };
  }, png.toString('base64'));
}

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

// Serves dist/ on a free loopback port; resolves to { url, close }.
export function serveDist() {
  return new Promise((resolve, reject) => {
    const server = spawn(process.execPath, [join(root, 'web', 'serve.mjs'), join(root, 'dist'), '0'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
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
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
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

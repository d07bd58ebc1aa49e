// Lighthouse's accessibility, best-practices and SEO scores (and performance, for the record) of
// the page, an embed and the one-file page, served from dist/ on localhost and opened by Debian's
// Chromium. Budgets (issue 21): accessibility 100, best practices >= 95, SEO >= 95. Writes its
// section of bench/results.md and exits 1 when a budget is missed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

import { root, serveDist } from '../tests/e2e/browser.mjs';
import { writeSection } from './section.mjs';

const CATEGORIES = ['accessibility', 'best-practices', 'seo', 'performance'];
const BUDGETS = { accessibility: 100, 'best-practices': 95, seo: 95 };
const version = JSON.parse(readFileSync(join(root, 'bench/node_modules/lighthouse/package.json'), 'utf8')).version;

const server = await serveDist();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const pages = [
  ['the page', `${server.url}`],
  ['an embed (boundary, loss)', `${server.url}#embed=1&views=boundary,loss`],
  ['the one-file page', `${server.url}bnlab-standalone.html`],
];
const rows = [];
const failures = [];
try {
  for (const [name, url] of pages) {
    const { lhr } = await lighthouse(url, {
      port: chrome.port,
      onlyCategories: CATEGORIES,
      formFactor: 'desktop',
      screenEmulation: { mobile: false, width: 1280, height: 800, deviceScaleFactor: 1, disabled: false },
      throttlingMethod: 'provided', // the machine as it is: no simulated network or CPU
      output: 'json',
      logLevel: 'error',
    });
    const score = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(100 * (lhr.categories[c]?.score ?? 0))]));
    for (const [category, budget] of Object.entries(BUDGETS)) {
      if (score[category] >= budget) continue;
      const failed = Object.values(lhr.audits)
        .filter(
          (a) =>
            a.score !== null &&
            a.score < 1 &&
            lhr.categories[category].auditRefs.some((r) => r.id === a.id && r.weight > 0),
        )
        .map((a) => a.id);
      failures.push(`${name}: ${category} ${score[category]} < ${budget} (${failed.join(', ')})`);
    }
    rows.push({ name, score });
    console.log(name, score);
  }
} finally {
  await chrome.kill();
  server.close();
}

const mark = (category, v) => (BUDGETS[category] === undefined ? `${v}` : v >= BUDGETS[category] ? `${v}` : `**${v}**`);
writeSection('lighthouse', [
  '## Lighthouse (bench/lighthouse.mjs)',
  '',
  `Lighthouse ${version}, desktop, no throttling, Debian's Chromium, dist/ served on localhost, ${new Date().toISOString().slice(0, 10)}. Budgets: accessibility 100, best practices ≥ 95, SEO ≥ 95 (performance is recorded, not budgeted: the page trains networks as it loads).`,
  '',
  '| page | accessibility | best practices | SEO | performance |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(({ name, score }) => `| ${name} | ${CATEGORIES.map((c) => mark(c, score[c])).join(' | ')} |`),
  ...(failures.length ? ['', 'Missed:', ...failures.map((f) => `- ${f}`)] : []),
]);
if (failures.length) process.exit(1);

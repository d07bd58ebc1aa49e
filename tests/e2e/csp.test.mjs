// The Content-Security-Policy in Chromium: the page, its header and the embed carry one policy
// (this origin's scripts, its worker and WebAssembly; no inline script, style or handler; no
// other origin), the one-file page names its inline script and style by hash; every view works
// under it with no violation; and a script put into a link or a field does not run, while one
// inserted into the page is refused by the policy (the securitypolicyviolation events).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { hashSource, pagePolicy } from '../../web/csp.mjs';
import {
  assertRefused,
  insertForbidden,
  recordViolations,
  root,
  stepsAbove,
  useBrowser,
  waitForArmPixels,
  watchErrors,
} from './browser.mjs';

const session = useBrowser();
const dist = process.env.BNLAB_DIST ?? join(root, 'dist');

// Directive name -> its sources.
const directives = (policy) =>
  Object.fromEntries(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );

// A page that records the policy's violations in window.violations from its first script on.
async function openPage(url, viewport = { width: 1280, height: 800 }) {
  const page = await session.browser().newPage({ viewport });
  await page.addInitScript(recordViolations);
  const errors = watchErrors(page);
  await page.goto(url);
  return { page, errors };
}

// BN's percentile chart has drawn its arm (a Chart.js canvas, styled from JavaScript).
async function drawsBn(page) {
  await page.locator('#percentile-charts').scrollIntoViewIfNeeded();
  await waitForArmPixels(page, '#percentile-charts .chart:nth-child(2) canvas', 'bn-before');
}

test('the page, its header (the worker script too) and the embed carry one policy: no inline script or style, no other origin', async () => {
  const policy = pagePolicy(readFileSync(join(dist, 'index.html'), 'utf8'));
  assert.ok(policy, 'dist/index.html states a policy');
  for (const file of ['', 'worker.js', 'bnlab.wasm', 'index.html#embed=1&views=loss'])
    assert.equal((await fetch(`${session.url()}${file}`)).headers.get('content-security-policy'), policy, file);
  const d = directives(policy);
  assert.deepEqual(d['default-src'], ["'none'"]);
  assert.deepEqual(d['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(d['style-src'], ["'self'"]);
  for (const sources of Object.values(d))
    for (const source of sources)
      assert.match(source, /^('self'|'none'|'wasm-unsafe-eval'|data:)$/, `no other origin, nothing unsafe: ${source}`);
});

test('every view trains and draws under the policy with no violation, in the page and in an embed', async () => {
  const { page, errors } = await openPage(session.url());
  await stepsAbove(page, 0);
  await drawsBn(page);
  for (const view of ['layer', 'loss', 'ics', 'gradients', 'noise', 'sweep'])
    await page.locator(`#view-${view}`).scrollIntoViewIfNeeded();
  // The calculator answers (its result comes from the engine in the worker).
  await page.waitForFunction(() => /μ_B = /.test(document.getElementById('calc-result').textContent), null, {
    timeout: 20000,
  });
  await stepsAbove(page, 1000);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();

  const embed = await openPage(`${session.url()}#embed=1&views=ics,layer,sweep`, { width: 640, height: 480 });
  await stepsAbove(embed.page, 0);
  await drawsBn(embed.page);
  assert.deepEqual(await embed.page.evaluate(() => window.violations), []);
  assert.deepEqual(embed.errors, []);
  await embed.page.close();
});

test('the one-file page names its inline script and style by hash, fetches nothing, and trains from file:// with no violation', async () => {
  const { page, errors } = await openPage(pathToFileURL(join(dist, 'bnlab-standalone.html')).href);
  const inline = await page.evaluate(() => ({
    policy: document.querySelector('meta[http-equiv="Content-Security-Policy"]').content,
    scripts: [...document.querySelectorAll('script:not([type]):not([src])')].map((s) => s.textContent),
    styles: [...document.querySelectorAll('style')].map((s) => s.textContent),
  }));
  const d = directives(inline.policy);
  assert.deepEqual(d['script-src'], [...inline.scripts.map(hashSource), "'wasm-unsafe-eval'"]);
  assert.deepEqual(d['style-src'], inline.styles.map(hashSource));
  assert.deepEqual(d['connect-src'], ["'none'"], 'it fetches nothing: its worker inflates the inline wasm and digits');
  assert.doesNotMatch(inline.policy, /'unsafe-inline'|'unsafe-eval'|'self'|\*/);
  await stepsAbove(page, 200);
  await drawsBn(page);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

// A script in every place a stranger's text reaches the page: a link's values, a typed field, a
// table's column and class names (Your own data), and a lesson's text (the bundle served with a
// lesson's title and text replaced, as a careless edit of lessons.js could). Each is shown as
// text; no element is made of it.
const attempt = '<img src=x onerror=window.pwned=1><script>window.pwned=2</script>';
const noMarkup = (page) => page.evaluate(() => document.querySelectorAll('img, script:not([src])').length);

test('a script in a link, a field or a table does not run; one inserted into the page is refused by the policy', async () => {
  const { page, errors } = await openPage(
    `${session.url()}#dataset=${encodeURIComponent(attempt)}&lesson=${encodeURIComponent(attempt)}&views=${encodeURIComponent(attempt)}`,
  );
  await stepsAbove(page, 0);
  // A table whose column names and classes are the attempt: read, named in the status line and
  // on the map's axes, trained on.
  const rows = Array.from(
    { length: 100 },
    (_, i) => `${i % 7},${(i * 3) % 5},"${attempt.replaceAll('"', '""')}${i % 2}"`,
  );
  await page.setInputFiles('#table-file', {
    name: `${attempt}.csv`,
    mimeType: 'text/csv',
    buffer: Buffer.from([`"${attempt}",b${attempt},label${attempt}`, ...rows].join('\n')),
  });
  await page.waitForFunction(() => document.getElementById('table-status').textContent.includes('<script>'), null, {
    timeout: 20000,
  });
  await page.waitForFunction(() => document.getElementById('field-dataset').value === 'csv', null, { timeout: 15000 });
  await stepsAbove(page, 0);
  assert.match(await page.locator('#boundaries canvas').first().getAttribute('aria-label'), /<img src=x/);
  // A field: the validator quotes the text back, as text.
  await page.locator('#field-hidden').fill(attempt);
  await page.locator('#field-hidden').dispatchEvent('change');
  await page.waitForFunction(() => document.getElementById('error-hidden').textContent.includes('<img'), null, {
    timeout: 20000,
  });
  assert.equal(await noMarkup(page), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(await page.evaluate(() => window.violations), [], 'nothing was even tried');

  // Had the page inserted markup, the policy would refuse it: an inline script, an inline event
  // handler, an inline style and a script from another origin. (eval is refused too, but not
  // from here: DevTools' evaluation may eval whatever the page's policy says.)
  assertRefused(assert, await page.evaluate(insertForbidden));
  // Chromium reports each refusal on the console too; they are these, and nothing else.
  assert.ok(
    errors.every((e) => /Content Security Policy/.test(e)),
    errors.join('\n'),
  );
  await page.close();
});

test("a script in a lesson's title or text is shown as text and does not run", async () => {
  const page = await session.browser().newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(recordViolations);
  const errors = watchErrors(page);
  const bundle = readFileSync(join(dist, 'app.js'), 'utf8');
  for (const text of ['Plain against BN on the spiral', 'A 4-layer sigmoid network'])
    assert.ok(bundle.includes(text), `the bundle holds the default lesson's "${text}"`);
  await page.route('**/app.js', (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: bundle
        .replace('Plain against BN on the spiral', attempt)
        .replace('A 4-layer sigmoid network', `${attempt} A 4-layer sigmoid network`),
    }),
  );
  await page.goto(session.url());
  await page.waitForFunction(() => document.getElementById('lesson-title').textContent.includes('<script>'), null, {
    timeout: 20000,
  });
  await page.waitForFunction(() => document.getElementById('lesson-text').textContent.includes('<img'), null, {
    timeout: 20000,
  });
  await stepsAbove(page, 100);
  assert.equal(await noMarkup(page), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

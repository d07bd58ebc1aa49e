// Link previews (web/link-previews.mjs): the page and every lesson page carry Open Graph and
// Twitter card tags with the right values; the picture is a 1200x630 PNG with something drawn
// on it; a build told its site's address writes every address absolute under it; and a lesson's
// page leads a browser to the page with that lesson running.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';

import { ALL_LESSONS, lessonPagePath } from '../../web/src/lessons/lesson-links.js';
import { findLesson } from '../../web/src/lessons/lessons.js';
import { launchBrowser, root, screenshotDir, serveDist, watchErrors } from './browser.mjs';

const dist = process.env.BNLAB_DIST ?? join(root, 'dist');
const IMAGE = 'bnlab-preview.png';
const MAX_IMAGE_BYTES = 100 * 1024;

// The <meta> tags of a document as { key: [values] } (og:... by property, twitter:... by name).
function metaTags(html) {
  const tags = {};
  for (const [, key, value] of html.matchAll(/<meta (?:property|name)="((?:og|twitter):[^"]+)" content="([^"]*)">/g)) {
    const text = value
      .replaceAll('&quot;', '"')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&');
    (tags[key] ??= []).push(text);
  }
  return tags;
}
const one = (tags, key) => {
  assert.equal(tags[key]?.length, 1, `${key}: ${JSON.stringify(tags[key])}`);
  assert.ok(tags[key][0].trim(), `${key} is empty`);
  return tags[key][0];
};
const read = (dir, file) => readFileSync(join(dir, file), 'utf8');
const refreshTarget = (html) =>
  html.match(/<meta http-equiv="refresh" content="0; url=([^"]+)">/)?.[1].replaceAll('&amp;', '&');

// The same card on Open Graph and on Twitter: title, description, picture and its text.
function assertCard(tags, { title, image }) {
  assert.equal(one(tags, 'og:title'), title);
  assert.equal(one(tags, 'twitter:title'), title);
  assert.equal(one(tags, 'og:type'), 'website');
  assert.equal(one(tags, 'twitter:description'), one(tags, 'og:description'));
  if (image === undefined) {
    assert.equal(tags['og:image'], undefined);
    assert.equal(one(tags, 'twitter:card'), 'summary');
    return;
  }
  assert.equal(one(tags, 'twitter:card'), 'summary_large_image');
  assert.equal(one(tags, 'og:image'), image);
  assert.equal(one(tags, 'twitter:image'), image);
  assert.equal(one(tags, 'og:image:width'), '1200');
  assert.equal(one(tags, 'og:image:height'), '630');
  assert.equal(one(tags, 'og:image:type'), 'image/png');
  assert.match(one(tags, 'og:image:alt'), /without Batch Normalization \(left, \d+(\.\d)?% test accuracy\)/);
  assert.equal(one(tags, 'twitter:image:alt'), one(tags, 'og:image:alt'));
}

test('the page carries its title, description and picture as Open Graph and Twitter card tags', () => {
  const html = read(dist, 'index.html');
  const title = html.match(/<title>([^<]*)<\/title>/)[1];
  const description = html.match(/<meta name="description" content="([^"]*)">/)[1].replaceAll('&#39;', "'");
  const tags = metaTags(html);
  assertCard(tags, { title, image: IMAGE });
  assert.equal(one(tags, 'og:description'), description);
  assert.equal(tags['og:url'], undefined, 'no og:url without a site address');
  // Crawlers read only the start of a document (Facebook about 60 KB): the tags come before
  // the one-file page's inline styles and scripts.
  const standalone = read(dist, 'bnlab-standalone.html');
  assertCard(metaTags(standalone), { title, image: undefined });
  assert.ok(standalone.indexOf('og:title') < 4096, 'the one-file page has its tags in its first 4 KB');
});

test('every lesson of the menu has a page with its title and text in its card', () => {
  const files = readdirSync(join(dist, 'lesson')).sort();
  assert.deepEqual(files, ALL_LESSONS.map((l) => `${l.id}.html`).sort());
  for (const lesson of ALL_LESSONS) {
    const html = read(dist, lessonPagePath(lesson.id));
    const tags = metaTags(html);
    assertCard(tags, { title: `${lesson.title} · bnlab`, image: `../${IMAGE}` });
    const description = one(tags, 'og:description');
    assert.ok(description.length <= 200, `${lesson.id}: a description of ${description.length} characters`);
    assert.ok(lesson.text.startsWith(description.replace(/…$/, '')), `${lesson.id}: ${description}`);
    assert.match(refreshTarget(html), /^\.\.\/index\.html#.*&lesson=/, `${lesson.id}: sends the reader on`);
    assert.ok(html.includes(`<a href="${refreshTarget(html).replaceAll('&', '&amp;')}">`), `${lesson.id}: a link too`);
  }
});

test('the picture is a 1200x630 PNG under 100 KB', () => {
  const png = readFileSync(join(dist, IMAGE));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  assert.equal(png.toString('latin1', 12, 16), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 630]);
  assert.ok(png.length <= MAX_IMAGE_BYTES, `${png.length} bytes`);
  // Chunk by chunk, each with its checksum (zlib.crc32: Node 20.15 and later), IEND last.
  const types = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    types.push(png.toString('latin1', at + 4, at + 8));
    if (zlib.crc32) assert.equal(png.readUInt32BE(at + 8 + length), zlib.crc32(png.subarray(at + 4, at + 8 + length)));
    at += length + 12;
  }
  assert.equal(types.at(-1), 'IEND');
});

test('a build told its address writes every address absolute under it', () => {
  const site = 'https://example.org/courses/bnlab/';
  const copy = mkdtempSync(join(tmpdir(), 'bnlab-site-'));
  try {
    cpSync(dist, copy, { recursive: true });
    execFileSync(process.execPath, [join(root, 'web/link-previews.mjs'), copy], {
      env: { ...process.env, BNLAB_SITE_URL: site.slice(0, -1) }, // the trailing slash is added
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const index = metaTags(read(copy, 'index.html'));
    assert.equal(one(index, 'og:url'), site);
    assert.equal(one(index, 'og:image'), `${site}${IMAGE}`);
    const standalone = metaTags(read(copy, 'bnlab-standalone.html'));
    assert.equal(one(standalone, 'og:image'), `${site}${IMAGE}`);
    assert.equal(standalone['og:url'], undefined, 'the one-file page is hosted anywhere');
    for (const lesson of ALL_LESSONS) {
      const tags = metaTags(read(copy, lessonPagePath(lesson.id)));
      assert.equal(one(tags, 'og:url'), `${site}lesson/${lesson.id}.html`);
      assert.equal(one(tags, 'og:image'), `${site}${IMAGE}`);
      assert.equal(one(tags, 'twitter:image'), `${site}${IMAGE}`);
    }
    // Run again on the same files (./build.sh web twice), the tags are not doubled.
    assert.equal(read(copy, 'index.html').match(/og:title/g).length, 1);
    assert.ok(statSync(join(copy, IMAGE)).size > 0);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test('the picture is not blank, and a lesson page opens the page with its lesson', async () => {
  const server = await serveDist(dist);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = watchErrors(page);

    // A lesson whose settings differ from the defaults: its page ends on the page running it.
    const lesson = findLesson('vanishing');
    await page.goto(`${server.url}${lessonPagePath(lesson.id)}`);
    await page.waitForURL(/\/index\.html#.*lesson=vanishing/);
    await page.waitForFunction(
      (title) =>
        !document.getElementById('lesson-banner').hidden &&
        document.getElementById('lesson-title').textContent === title,
      lesson.title,
    );
    assert.equal(await page.locator('#lesson-banner.modified').count(), 0, 'the lesson as it is, not "modified from"');
    await page.screenshot({ path: join(screenshotDir, 'link-previews-lesson.png') });

    // Copy link offers the lesson's page for the lesson as its menu opens it, and the full link
    // for any other run (here another seed, which the lesson's page would not give).
    const copied = async () => {
      await page.click('#copy-link');
      const text = await page.locator('#share-text').inputValue();
      await page.click('#share-close');
      return text;
    };
    assert.equal(await copied(), `${server.url}${lessonPagePath(lesson.id)}`);
    const seed2 = page.url().replace(/#seed=1&/, '#seed=2&');
    assert.notEqual(seed2, page.url());
    await page.goto(seed2);
    await page.waitForFunction(
      () => /seed=2&/.test(window.location.hash) && !document.getElementById('copy-link').disabled,
    );
    assert.equal(await copied(), seed2);

    // The picture: many colours, in more than a few places (a blank or one-colour frame has one).
    const stats = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      const canvas = Object.assign(document.createElement('canvas'), { width: img.width, height: img.height });
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const colours = new Set();
      let sum = 0;
      let sum2 = 0;
      for (let i = 0; i < data.length; i += 4) {
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        sum += luma;
        sum2 += luma * luma;
      }
      const n = data.length / 4;
      return { colours: colours.size, sd: Math.sqrt(sum2 / n - (sum / n) ** 2) };
    }, IMAGE);
    assert.ok(stats.colours >= 64, `${stats.colours} colours`);
    assert.ok(stats.sd >= 10, `luma standard deviation ${stats.sd.toFixed(1)}`);

    // Every lesson page sends the reader where the page's own menu links that lesson.
    const menu = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('#lesson-list a.lesson-name')].map((a) => [
          a.textContent,
          a.getAttribute('href'),
        ]),
      ),
    );
    for (const l of ALL_LESSONS)
      assert.equal(refreshTarget(read(dist, lessonPagePath(l.id))), `../index.html${menu[l.title]}`, l.id);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    server.close();
  }
});

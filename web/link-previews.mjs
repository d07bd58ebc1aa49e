// Link previews: what a chat, a learning platform or social media shows for a bnlab link.
// Writes, into a built dist/:
//   bnlab-preview.png        the picture (web/preview-image.mjs: the default run at its horizon)
//   index.html               Open Graph and Twitter card tags at its <!-- link previews --> line
//   bnlab-standalone.html    the same, without the page's address (a single file is hosted anywhere)
//   lesson/<id>.html         a page per lesson of the menu with the lesson's title and text, sending
//                            the reader on to the page with that lesson (a fragment never reaches
//                            a server, so only a document of its own can carry a lesson's preview)
// BNLAB_SITE_URL (where dist/ will be served, e.g. https://example.org/bnlab/) makes every
// address absolute, as the Open Graph protocol asks; without it they are relative to the page.
//   node web/link-previews.mjs DIST_DIR
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { makePreviewImage, PREVIEW_HEIGHT, PREVIEW_WIDTH } from './preview-image.mjs';
import { ALL_LESSONS, lessonFragment, lessonPagePath } from './src/lessons/lesson-links.js';
import { loadEngine } from '../tests/wasm/engine.mjs';

export const MARKER = '<!-- link previews (web/link-previews.mjs) -->';
export const IMAGE = 'bnlab-preview.png';
const SITE_NAME = 'bnlab';
const MAX_DESCRIPTION = 200; // what the cards show of it, about

const escape = (text) =>
  String(text).replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

// The site's address with one trailing slash, or null; anything but an absolute http(s) URL is
// refused, so a typo does not end up in every card.
export function siteUrl(value = process.env.BNLAB_SITE_URL) {
  if (!value) return null;
  let url;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`BNLAB_SITE_URL: "${value}" is not an absolute URL (e.g. https://example.org/bnlab/)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(`BNLAB_SITE_URL: "${value}" is not an http(s) address`);
  if (url.search || url.hash) throw new Error(`BNLAB_SITE_URL: "${value}" has a query or a fragment`);
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

// A text cut at a word to about `max` characters, for og:description.
export function shorten(text, max = MAX_DESCRIPTION) {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ')).replace(/[\s,;:.]+$/, '')}…`;
}

// The tags, one a line. url and image are absolute or relative addresses; url may be absent
// (og:url is the page's own address, known only with a site URL), and image too (a card
// without a picture is then a summary card).
export function previewTags({ title, description, url, image, imageAlt }) {
  const tags = [
    ['property', 'og:type', 'website'],
    ['property', 'og:site_name', SITE_NAME],
    ['property', 'og:title', title],
    ['property', 'og:description', description],
    ...(url ? [['property', 'og:url', url]] : []),
    ...(image
      ? [
          ['property', 'og:image', image],
          ['property', 'og:image:type', 'image/png'],
          ['property', 'og:image:width', PREVIEW_WIDTH],
          ['property', 'og:image:height', PREVIEW_HEIGHT],
          ['property', 'og:image:alt', imageAlt],
        ]
      : []),
    ['name', 'twitter:card', image ? 'summary_large_image' : 'summary'],
    ['name', 'twitter:title', title],
    ['name', 'twitter:description', description],
    ...(image
      ? [
          ['name', 'twitter:image', image],
          ['name', 'twitter:image:alt', imageAlt],
        ]
      : []),
  ];
  return tags.map(([attr, key, value]) => `<meta ${attr}="${key}" content="${escape(value)}">`);
}

// The tags go after the marker line, in place of any written there before (a second run on the
// same files, as ./build.sh web twice, gives the same files).
function insertTags(html, tags, file) {
  const page = html.replace(/\n[ \t]*<meta (?:property|name)="(?:og|twitter):[^"]*" content="[^"]*">/g, '');
  const at = page.indexOf(MARKER);
  if (at < 0) throw new Error(`link previews: ${file} has no ${MARKER} line`);
  const indent = page.slice(page.lastIndexOf('\n', at) + 1, at);
  return page.replace(MARKER, [MARKER, ...tags].join(`\n${indent}`));
}

// The page's own title and description (web/index.html), which its cards repeat.
function pageText(html) {
  const title = html.match(/<title>([^<]*)<\/title>/)?.[1];
  const description = html.match(/<meta name="description" content="([^"]*)">/)?.[1];
  if (!title || !description) throw new Error('link previews: index.html has no <title> or description');
  const unescape = (t) =>
    t.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  return { title: unescape(title), description: unescape(description) };
}

// A lesson's page: its card, and the reader sent on at once to the page with the lesson (a
// meta refresh works without script; the link is there for whoever it does not move).
export function lessonPage(lesson, fragment, { site, imageAlt }) {
  const path = lessonPagePath(lesson.id);
  const target = `../index.html${fragment}`;
  const title = `${lesson.title} · ${SITE_NAME}`;
  const tags = previewTags({
    title,
    description: shorten(lesson.text),
    url: site ? `${site}${path}` : undefined,
    image: site ? `${site}${IMAGE}` : `../${IMAGE}`,
    imageAlt,
  });
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escape(title)}</title>
  <meta name="description" content="${escape(shorten(lesson.text))}">
  ${tags.join('\n  ')}
  <meta http-equiv="refresh" content="0; url=${escape(target)}">
  <link rel="icon" href="data:,">
</head>
<body>
  <p>Opening the lesson <a href="${escape(target)}">${escape(lesson.title)}</a> in bnlab…</p>
</body>
</html>
`;
}

export async function writeLinkPreviews(dist, site = siteUrl()) {
  const accuracy = await makePreviewImage(dist, join(dist, IMAGE));
  const imageAlt =
    'Two maps of what a 4-layer sigmoid network predicts on the spiral after 10,000 steps from the same weights: ' +
    `without Batch Normalization (left, ${accuracy.plain} test accuracy) and with it (right, ${accuracy['bn-before']}).`;

  const indexPath = join(dist, 'index.html');
  const index = readFileSync(indexPath, 'utf8');
  const page = pageText(index);
  const image = site ? `${site}${IMAGE}` : IMAGE;
  writeFileSync(
    indexPath,
    insertTags(index, previewTags({ ...page, url: site ?? undefined, image, imageAlt }), indexPath),
  );

  // The one-file page is hosted wherever its reader puts it: its card has no address of its
  // own, and a picture only when the site's is known (a relative one would not be beside it).
  const standalonePath = join(dist, 'bnlab-standalone.html');
  const standalone = readFileSync(standalonePath, 'utf8');
  const standaloneTags = previewTags({ ...page, image: site ? `${site}${IMAGE}` : undefined, imageAlt });
  writeFileSync(standalonePath, insertTags(standalone, standaloneTags, standalonePath));

  const m = await loadEngine(dist);
  const schema = m.configSchema();
  const defaults = m.defaultConfig();
  rmSync(join(dist, 'lesson'), { recursive: true, force: true });
  mkdirSync(join(dist, 'lesson'));
  for (const lesson of ALL_LESSONS) {
    const fragment = lessonFragment(lesson, lesson.variants[0], schema, defaults);
    writeFileSync(join(dist, lessonPagePath(lesson.id)), lessonPage(lesson, fragment, { site, imageAlt }));
  }
  console.log(
    `bnlab: link previews in ${dist}: ${IMAGE}, tags in index.html and bnlab-standalone.html, ` +
      `${ALL_LESSONS.length} lesson pages (${site ? `addresses under ${site}` : 'relative addresses'})`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let site;
  try {
    site = siteUrl();
  } catch (error) {
    console.error(`link-previews: ${error.message}`);
    process.exit(1);
  }
  await writeLinkPreviews(process.argv[2] ?? 'dist', site);
}

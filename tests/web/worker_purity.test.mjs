// The workers run where there is no page: every module the worker bundle holds must come from
// the DOM-free folders (shared/, lessons/, worker/) and none may mention document or window. A
// page module imported by the worker would fail there only when that line runs, so the test
// reads the bundle's inputs instead of waiting for it to fail.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { build, transform } from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DOM_FREE = ['web/src/shared/', 'web/src/lessons/', 'web/src/worker/'];

// The source files esbuild bundles from an entry point (JSON data included).
async function inputs(entry) {
  const { metafile } = await build({
    entryPoints: [`${root}${entry}`],
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    logLevel: 'silent',
  });
  return Object.keys(metafile.inputs).map((path) => relative(root, `${root}${path}`));
}

// The code without comments: a comment may say "window" and mean a window of steps.
async function code(path) {
  const text = readFileSync(`${root}${path}`, 'utf8');
  return path.endsWith('.json') ? text : (await transform(text, { minifyWhitespace: true, loader: 'js' })).code;
}

test('the worker bundles only modules of the DOM-free folders, and none of them names document or window', async () => {
  const modules = await inputs('web/src/worker/worker.js');
  assert.ok(modules.includes('web/src/lessons/claims.js'), `the worker's modules: ${modules.join(', ')}`);
  for (const path of modules) {
    assert.ok(
      DOM_FREE.some((folder) => path.startsWith(folder)),
      `${path} is outside ${DOM_FREE.join(', ')}`,
    );
    assert.doesNotMatch(await code(path), /\b(document|window)\b/, `${path} mentions document or window`);
  }
});

test('the purity check would catch a page module: the page bundle names document', async () => {
  const modules = await inputs('web/src/page/app.js');
  const named = [];
  for (const path of modules.filter((p) => p.startsWith('web/src/'))) {
    if (/\b(document|window)\b/.test(await code(path))) named.push(path);
  }
  assert.ok(named.includes('web/src/views/kit/dom.js') && named.includes('web/src/page/app.js'), named.join(', '));
});

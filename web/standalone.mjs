// Builds dist/bnlab-standalone.html: the page in one file that works from disk (file://) and
// on a blog that hosts a single file. Styles, the page script, the worker script and the
// engine (its glue, and its wasm and the digits data gzipped, as base64: the worker inflates
// them with DecompressionStream) all go inside; the worker starts from a Blob URL made from a
// text script, since Chromium refuses module scripts and worker files on file://. Gzipped
// before base64, the wasm adds 50 KB less to the gzipped page than its raw bytes' base64 (which
// gzip cannot shrink back to the wasm's own gzipped size). Its Content-Security-Policy names
// the inline script and style by hash (csp.mjs).
//   node web/standalone.mjs DIST_DIR GLUE WASM
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { pagePolicy, standalonePolicy } from './csp.mjs';

const [dist, glue, wasm] = process.argv.slice(2);
const read = (path) => readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=.*$/m, '');

// Inside <script>, the HTML parser would end the script at "</script" and treat "<!--"
// specially; both only occur in strings and regular expressions, where "\/" and "\!" mean the
// same characters.
const scriptSafe = (code) => code.replaceAll('</script', '<\\/script').replaceAll('<!--', '<\\!--');

const html = read(join(dist, 'index.html'));
const style = read(join(dist, 'style.css'));
const inline = (path) => gzipSync(readFileSync(path), { level: 9 }).toString('base64');
const workerSource =
  `self.bnlabSingleFile = true;\nself.bnlabWasm = "${inline(wasm)}";\n` +
  `self.bnlabDigits = "${inline(join(dist, 'digits.bin'))}";\n${read(glue)}\n${read(join(dist, 'worker.js'))}`;
const app = scriptSafe(read(join(dist, 'app.js')));
const scripts =
  `<script id="bnlab-worker-source" type="text/plain">${scriptSafe(workerSource)}</script>\n` +
  `  <script>${app}</script>`;

const replace = (text, from, to) => {
  if (!text.includes(from)) throw new Error(`standalone: index.html has no ${from}`);
  return text.replace(from, () => to);
};
const policy = pagePolicy(html);
if (!policy) throw new Error('standalone: index.html states no Content-Security-Policy');
let out = replace(
  html,
  `content="${policy}"`,
  `content="${standalonePolicy(policy, { scripts: [app], styles: [style] })}"`,
);
out = replace(out, '<link rel="stylesheet" href="style.css">', `<style>${style}</style>`);
out = replace(out, '<script src="app.js"></script>', scripts);
writeFileSync(join(dist, 'bnlab-standalone.html'), out);
console.log(`bnlab: wrote ${join(dist, 'bnlab-standalone.html')} (${out.length} bytes)`);

// Renders the page's formulas at build time: every <span class="tex">TeX</span> (inline) and
// <div class="tex">TeX</div> (a display formula) of index.html becomes MathML made by KaTeX,
// which browsers draw without fonts or scripts; the TeX stays in the MathML's annotation. The
// symbols' colours are shared with the views (web/src/shared/symbols.js).
// On a dark page the formulas' colours are SYMBOL_COLORS_DARK's: rules appended to the CSS.
//   node web/render-math.mjs IN.html OUT.html OUT.css
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

import katex from 'katex';

import { SYMBOL_COLORS_DARK, SYMBOL_COLORS_LIGHT, TEX_MACROS } from './src/shared/symbols.js';

const [input, output, css] = process.argv.slice(2);
const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'" };
const unescape = (html) => html.replace(/&(lt|gt|amp|quot|#39);/g, (e) => ENTITIES[e]);

let count = 0;
const html = readFileSync(input, 'utf8').replace(/<(span|div) class="tex">([\s\S]*?)<\/\1>/g, (_, tag, tex) => {
  ++count;
  const math = katex.renderToString(unescape(tex.trim()), {
    output: 'mathml',
    displayMode: tag === 'div',
    throwOnError: true,
    macros: { ...TEX_MACROS },
  });
  return `<${tag} class="formula">${math}</${tag}>`;
});
writeFileSync(output, html);
const dark = (scope) =>
  Object.entries(SYMBOL_COLORS_LIGHT)
    .map(([key, light]) => `${scope} [mathcolor="${light}"] { color: ${SYMBOL_COLORS_DARK[key]}; }`)
    .join('\n');
appendFileSync(
  css,
  `\n/* The formulas' symbols on a dark page (web/render-math.mjs, from web/src/shared/symbols.js). */\n` +
    `@media (prefers-color-scheme: dark) {\n${dark(':root:not([data-theme="light"])')}\n}\n${dark(':root[data-theme="dark"]')}\n`,
);
console.log(`bnlab: ${count} formulas rendered into ${output}`);

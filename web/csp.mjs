// The page's Content-Security-Policy: stated once, in web/index.html's <meta http-equiv>; the
// server sends it as a header (serve.mjs), and the one-file page (standalone.mjs) derives its
// own from it, naming its inline script and style by hash.
import { createHash } from 'node:crypto';

// The policy an HTML page states in its <meta http-equiv>; undefined when it states none.
export function pagePolicy(html) {
  return html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];
}

// A CSP source naming an inline script or style by its text's SHA-256.
export const hashSource = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

// The one-file page's policy from the page's: its inline script and style by hash instead of
// this origin's files (never 'unsafe-inline'), its worker from a Blob URL, nothing to fetch (the
// worker inflates its inline wasm and digits itself), and images from data: only (the empty
// icon).
export function standalonePolicy(policy, { scripts, styles }) {
  const sources = {
    'script-src': [...scripts.map(hashSource), "'wasm-unsafe-eval'"],
    'style-src': styles.map(hashSource),
    'worker-src': ['blob:'],
    'connect-src': ["'none'"],
    'img-src': ['data:'],
  };
  return policy
    .split(';')
    .map((directive) => {
      const [name] = directive.trim().split(/\s+/);
      return sources[name] ? `${name} ${sources[name].join(' ')}` : directive.trim();
    })
    .join('; ');
}

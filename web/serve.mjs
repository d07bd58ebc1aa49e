// A small static server for dist/ on localhost: `node web/serve.mjs DIR PORT`.
// Serves .wasm as application/wasm (needed for streaming compilation) and never a file
// outside DIR. Every response carries the Content-Security-Policy that DIR/index.html states
// in its <meta> (the worker's script included: a worker started from a file gets the policy
// its own response carries, not the page's).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

import { pagePolicy } from './csp.mjs';

const root = resolve(process.argv[2] ?? 'dist');
const port = Number(process.argv[3] ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
const policy = pagePolicy(readFileSync(join(root, 'index.html'), 'utf8'));
const security = policy ? { 'content-security-policy': policy } : {};

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream',
};

async function resolveFile(urlPath) {
  const path = normalize(join(root, decodeURIComponent(urlPath)));
  if (path !== root && !path.startsWith(root + sep)) return null;
  const info = await stat(path).catch(() => null);
  if (info?.isDirectory()) return resolveFile(join(urlPath, 'index.html'));
  return info?.isFile() ? path : null;
}

const server = createServer(async (req, res) => {
  try {
    const path = await resolveFile(new URL(req.url, 'http://localhost').pathname);
    if (!path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const body = await readFile(path);
    res.writeHead(200, {
      'content-type': types[extname(path)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      ...security,
    });
    res.end(body);
  } catch (err) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`bad request: ${err.message}\n`);
  }
});

server.listen(port, host, () => {
  console.log(`bnlab: serving ${root} at http://localhost:${server.address().port}/`);
});

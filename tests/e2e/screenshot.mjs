// Takes a screenshot of the served page: node tests/e2e/screenshot.mjs WIDTH HEIGHT OUT.png WAIT_MS [full]
// (a tool for looking at the page while working on it; the tests take their own).
import { launchBrowser, serveDist } from './browser.mjs';
const [w, h, out, wait] = [
  Number(process.argv[2] ?? 1280),
  Number(process.argv[3] ?? 800),
  process.argv[4] ?? '/tmp/page.png',
  Number(process.argv[5] ?? 2500),
];
const server = await serveDist();
const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: w, height: h } });
page.on('console', (m) => {
  if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.type(), m.text());
});
page.on('pageerror', (e) => console.log('pageerror', e.message));
await page.goto(server.url);
await page.waitForTimeout(wait);
console.log('steps', await page.locator('#steps').textContent(), '|', await page.locator('#status').textContent());
await page.screenshot({ path: out, fullPage: process.argv[6] === 'full' });
await browser.close();
server.close();

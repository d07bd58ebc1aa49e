// The link previews' picture, a 1200x630 PNG: the default run at its horizon, as the page shows
// it. The page's embed of the decision boundaries (#embed=1&views=boundary: the default run,
// which is the default lesson) trains at full speed in headless Chromium until the lesson pauses
// it at its horizon; the picture is that frame under the page's title, in at most 256 colours
// (a screenshot's smooth maps take 160 KB in full colour, about a third of that in a palette).
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

import { launchBrowser, serveDist } from '../tests/e2e/browser.mjs';

export const PREVIEW_WIDTH = 1200;
export const PREVIEW_HEIGHT = 630;
const HEADER = 120; // px above the embed: the title and what the maps show

// The picture's RGBA pixels, and each arm's test accuracy as the page's scoreboard shows it.
async function shoot(url) {
  const browser = await launchBrowser();
  try {
    // Light, and moving: the picture is the same whatever the machine that builds it prefers.
    const page = await browser.newPage({
      viewport: { width: PREVIEW_WIDTH, height: PREVIEW_HEIGHT },
      colorScheme: 'light',
      reducedMotion: 'no-preference',
    });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff;font-family:sans-serif;color:#222">
      <div style="height:${HEADER}px;box-sizing:border-box;padding:22px 32px 0">
        <div style="font-size:40px;font-weight:bold">bnlab <span style="font-weight:normal;color:#555">see what Batch Normalization does</span></div>
        <div style="font-size:22px;margin-top:10px">The same network from the same weights on the same mini-batches: without BN and with BN</div>
      </div>
      <iframe src="${url}index.html#embed=1&views=boundary" style="border:0;width:${PREVIEW_WIDTH}px;height:${PREVIEW_HEIGHT - HEADER}px;display:block"></iframe>
      </body></html>`);
    const frame = page.frames()[1];
    const stepped = () => Number(document.getElementById('steps').textContent.replaceAll(',', '')) > 0;
    await frame.waitForFunction(stepped);
    // The lesson set its pace when it started; from here on, as fast as the engine goes.
    await frame.evaluate(() => {
      const speed = document.getElementById('speed');
      speed.value = '0';
      speed.dispatchEvent(new Event('change'));
    });
    const atHorizon = () => /the lesson's horizon/.test(document.getElementById('status').textContent);
    await frame.waitForFunction(atHorizon, null, { timeout: 120000 });
    const accuracy = await frame.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('#scoreboard tbody tr')].map((row) => [
          row.dataset.arm,
          row.querySelector('.inference').textContent,
        ]),
      ),
    );
    const png = await page.screenshot();
    const rgba = await page.evaluate(async (base64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${base64}`;
      await img.decode();
      const canvas = Object.assign(document.createElement('canvas'), { width: img.width, height: img.height });
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, img.width, img.height);
      let text = '';
      for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
      return btoa(text);
    }, png.toString('base64'));
    return { rgba: Buffer.from(rgba, 'base64'), accuracy };
  } finally {
    await browser.close();
  }
}

// At most 256 colours: the most frequent ones, every other pixel given its nearest among them.
// Returns the palette (RGB triples) and one index per pixel.
function quantize(rgba) {
  const counts = new Map();
  for (let i = 0; i < rgba.length; i += 4) {
    const key = (rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const palette = [...counts]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, 256)
    .map(([key]) => key);
  const rgb = (key) => [key >> 16, (key >> 8) & 255, key & 255];
  const index = new Map(palette.map((key, i) => [key, i]));
  const nearest = (key) => {
    const [r, g, b] = rgb(key);
    let best = 0;
    let bestDistance = Infinity;
    palette.forEach((p, i) => {
      const [pr, pg, pb] = rgb(p);
      const distance = 2 * (r - pr) ** 2 + 4 * (g - pg) ** 2 + 3 * (b - pb) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    });
    index.set(key, best);
    return best;
  };
  const indices = new Uint8Array(rgba.length / 4);
  for (let i = 0; i < indices.length; ++i) {
    const key = (rgba[4 * i] << 16) | (rgba[4 * i + 1] << 8) | rgba[4 * i + 2];
    indices[i] = index.get(key) ?? nearest(key);
  }
  return { palette: palette.map(rgb), indices };
}

// PNG's chunk checksum, CRC-32 (zlib.crc32 is only in Node 20.15 and later).
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// An 8-bit indexed-colour PNG (colour type 3): signature, IHDR, PLTE, IDAT, IEND.
function encodePng(width, height, palette, indices) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 3, 0, 0, 0], 8); // bit depth, colour type, compression, filter, interlace
  const rows = Buffer.alloc(height * (width + 1)); // each row: filter type 0, then its indices
  for (let y = 0; y < height; ++y) rows.set(indices.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', Buffer.from(palette.flat())),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Writes the picture to `out`; returns each arm's test accuracy at the horizon ({ plain: '52.0%', ... }).
export async function makePreviewImage(dist, out) {
  const server = await serveDist(dist);
  try {
    const { rgba, accuracy } = await shoot(server.url);
    const { palette, indices } = quantize(rgba);
    writeFileSync(out, encodePng(PREVIEW_WIDTH, PREVIEW_HEIGHT, palette, indices));
    return accuracy;
  } finally {
    server.close();
  }
}

// A table of your own in a share link: data=<the table, deflated, base64url>, with
// dataName=<its file's name> and dataId=<the engine's fingerprint of it>. The table is the
// engine's csv_text of it (the one reader reads it back to the same numbers, bit for bit), so a
// link's run is the run it was made from. A table whose data= would pass MAX_DATA characters
// stays out of the link: the link keeps dataName and dataId, and whoever opens it is asked to
// load that file again (and told when the file loaded is another table). DOM-free: the page,
// the worker and Node's tests use it (CompressionStream: Chromium 80+, Firefox 113+, Node 18+).

export const MAX_DATA = 32768; // characters of data= in a link (about 24 KB deflated)
// Bytes a link's table may inflate to: the engine's limit for a table (CsvTable::kMaxBytes) and
// one more, so it refuses a larger one by its own message. Deflate inflates up to 1,032 times:
// a stranger's 24 KB could otherwise become 25 MB before anything looks at it.
export const MAX_TABLE_BYTES = 4 * 1024 * 1024 + 1;
export const TABLE_KEYS = { data: 'data', dataName: 'name', dataId: 'id' };

async function through(stream, bytes) {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

const toBase64url = (bytes) => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
};

const fromBase64url = (text) => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the data is not base64url text');
  return Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0));
};

// The table's text -> data=, or null when it would be longer than MAX_DATA.
export async function encodeTable(text) {
  const data = toBase64url(await through(new CompressionStream('deflate'), new TextEncoder().encode(text)));
  return data.length <= MAX_DATA ? data : null;
}

// At most `limit` bytes of a stream, which is cancelled once it gives more.
async function readAtMost(stream, limit) {
  const reader = stream.getReader();
  const chunks = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value.subarray(0, limit - length));
    length += chunks.at(-1).length;
    if (length >= limit) {
      await reader.cancel();
      break;
    }
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

// data= -> the table's text as UTF-8 bytes (what the engine reads), at most MAX_TABLE_BYTES of
// them. Throws when it is damaged.
export async function decodeTable(data) {
  if (data.length > MAX_DATA) throw new Error(`the data is ${data.length} characters long (at most ${MAX_DATA})`);
  try {
    const inflated = new Blob([fromBase64url(data)]).stream().pipeThrough(new DecompressionStream('deflate'));
    return await readAtMost(inflated, MAX_TABLE_BYTES);
  } catch (err) {
    throw new Error(`the link's data is damaged (${err.message})`);
  }
}

// A POST body for the JSON API, read with a limit: refused from its Content-Length before a byte is
// read, else counted as it arrives and dropped at the limit (never buffered past it); then parsed as
// JSON, no deeper than people's events go (a value nested 100,000 deep would overflow the stack of
// code that walks it).
import type { IncomingMessage } from 'node:http';

/** Bytes a JSON body may have. */
const maxBodyBytes = 1024 * 1024;

/** Arrays and objects inside one another a body may hold. */
const maxDepth = 64;

export type BodyResult = { ok: true; text: string } | { ok: false; status: 413 | 400; error: string };
type BytesResult = { ok: true; bytes: Buffer } | { ok: false; status: 413 | 400; error: string };

/** The body as text; 413 past `limit` bytes (the caller closes the connection: the rest is not read). */
export async function readBody(req: IncomingMessage, limit = maxBodyBytes): Promise<BodyResult> {
  const body = await readBodyBytes(req, limit);
  return body.ok ? { ok: true, text: body.bytes.toString('utf8') } : body;
}

/** The body as bytes (a form's uploaded file is decoded by what its bytes say), with readBody's limit. */
export function readBodyBytes(req: IncomingMessage, limit = maxBodyBytes): Promise<BytesResult> {
  const declared = Number(req.headers['content-length']);
  const tooLarge = { ok: false, status: 413, error: `the body is larger than ${limit} bytes` } as const;
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(tooLarge);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BytesResult) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        return finish(tooLarge);
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks) }));
    req.once('error', () => finish({ ok: false, status: 400, error: 'the body could not be read' }));
  });
}

/** Whether a JSON text nests arrays and objects deeper than `max` (strings skipped). */
function nestedDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The body's JSON value, or why it is refused (400). */
export function parseJsonBody(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (nestedDeeper(text, maxDepth)) return { ok: false, error: `the JSON nests arrays and objects deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, error: `the body is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Whether the request says its body is JSON (`application/json`, any parameters): a browser sends that cross-site only after a CORS preflight, which is never granted. */
export function isJsonContent(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}

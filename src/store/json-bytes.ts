// A rule's JSON as UTF-8 bytes, written a piece at a time. JSON.stringify builds a long result as a
// tree of parts, which becomes one flat string again when it is encoded: a rule listing 80,000 values
// (32 MB of JSON, two thirds of it its indicators) held the parts, the flat copy and the bytes at
// once. Here no text longer than one piece exists; the bytes are the same as JSON.stringify's.

/** Elements of a long array stringified together: long enough that a call costs nothing, short enough to stay small. */
const PIECE = 1024;

/** Pieces are gathered up to this many characters before they are encoded. */
const FLUSH_CHARS = 1 << 16;

class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private pending: string[] = [];
  private pendingChars = 0;

  add(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  flush(): void {
    if (this.pending.length) this.chunks.push(Buffer.from(this.pending.join('')));
    this.pending = [];
    this.pendingChars = 0;
  }

  bytes(): Buffer {
    this.flush();
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
  }
}

/** JSON.stringify leaves out an object's key whose value is one of these. */
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * `Buffer.from(JSON.stringify(value))` for a plain object (no toJSON, no replacer): its keys are
 * written one by one, and an array value longer than PIECE elements a piece at a time.
 */
export function jsonBytes(value: Record<string, unknown>): Buffer {
  const out = new ByteWriter();
  let first = true;
  out.add('{');
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (omitted(v)) continue;
    out.add(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (Array.isArray(v) && v.length > PIECE) {
      out.add('[');
      for (let i = 0; i < v.length; i += PIECE) {
        const piece = JSON.stringify(v.slice(i, i + PIECE));
        out.add(`${i ? ',' : ''}${piece.slice(1, -1)}`);
      }
      out.add(']');
    } else out.add(JSON.stringify(v));
  }
  out.add('}');
  return out.bytes();
}

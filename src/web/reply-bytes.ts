// The bytes of a rendered answer, in memory reused from answer to answer. A Buffer allocated per
// answer (a rule page or an Explore page is 30-60 KB) is memory outside the JS heap, which V8
// counts as external memory: at 1,000 pages a second it answered that growth with mark-compacts of
// the whole ~270 MB heap about once a second (seen with --trace-gc under the load bench), each
// blocking the server for tens to hundreds of milliseconds. A slab goes back to the pool only once
// the response has been written out (its 'finish'): a socket never reads a slab given to another.
import { utf8Scratch } from './utf8.js';

/** Answers smaller than this take Buffer.allocUnsafe (Node's own pool serves the smallest). */
const minPooledBytes = 16 * 1024;
/** Larger answers are rare (the heavy coverage pages, exports): allocated per answer. */
const maxPooledBytes = 1024 * 1024;
/** Bytes of free slabs kept, all size classes together; slabs past it are left to the GC. */
const maxFreeBytes = 16 * 1024 * 1024;

/** An answer's bytes; `release` hands them back once nothing reads them any more (at most once). */
export interface PooledBytes {
  bytes: Buffer;
  release?: () => void;
}

/** Free slabs by size class (a power of two from minPooledBytes to maxPooledBytes). */
export class SlabPool {
  private readonly free = new Map<number, Uint8Array[]>();
  private freeBytes = 0;

  constructor(private readonly maxFree = maxFreeBytes) {}

  /** A slab of at least `size` bytes (of its class's size), reused when one is free. */
  take(size: number): Uint8Array {
    const cls = Math.max(minPooledBytes, 2 ** Math.ceil(Math.log2(size)));
    const slab = this.free.get(cls)?.pop();
    if (!slab) return new Uint8Array(cls);
    this.freeBytes -= slab.byteLength;
    return slab;
  }

  give(slab: Uint8Array): void {
    if (this.freeBytes + slab.byteLength > this.maxFree) return;
    let list = this.free.get(slab.byteLength);
    if (!list) this.free.set(slab.byteLength, (list = []));
    list.push(slab);
    this.freeBytes += slab.byteLength;
  }

  /** Bytes held in free slabs (for tests and the budget). */
  get held(): number {
    return this.freeBytes;
  }
}

const pool = new SlabPool();

/** `text` as UTF-8 (the bytes Buffer.from(text, 'utf8') gives), in a pooled slab when its size suits one. */
export function pooledUtf8(text: string, slabs: SlabPool = pool): PooledBytes {
  const encoded = utf8Scratch(text);
  if (!encoded) return { bytes: Buffer.from(text, 'utf8') };
  const size = encoded.length;
  if (size < minPooledBytes || size > maxPooledBytes) {
    const bytes = Buffer.allocUnsafe(size);
    bytes.set(encoded);
    return { bytes };
  }
  const slab = slabs.take(size);
  slab.set(encoded);
  return pooledView(slab, size, slabs);
}

/** `parts` one after another (what Buffer.concat gives), in a pooled slab when their size suits one. */
export function pooledConcat(parts: readonly Uint8Array[], slabs: SlabPool = pool): PooledBytes {
  let size = 0;
  for (const part of parts) size += part.length;
  if (size < minPooledBytes || size > maxPooledBytes) return { bytes: Buffer.concat(parts, size) };
  const slab = slabs.take(size);
  let at = 0;
  for (const part of parts) {
    slab.set(part, at);
    at += part.length;
  }
  return pooledView(slab, size, slabs);
}

/** Where a part goes in a spliced answer: `<!--ruleatlas:part:N-->`, N the part's index. */
const markerStart = Buffer.from('<!--ruleatlas:part:');
const markerEnd = Buffer.from('-->');

/**
 * `text` as UTF-8 with each part marker replaced by the bytes of its part (a part may be placed more
 * than once), in a pooled slab when the size suits one: the parts are copied from where they are kept,
 * never decoded into the page's text, and the text is encoded once. A marker naming no part is refused.
 */
export function pooledSpliced(text: string, parts: readonly Uint8Array[], slabs: SlabPool = pool): PooledBytes {
  const scratch = utf8Scratch(text);
  const encoded = scratch ? Buffer.from(scratch.buffer, scratch.byteOffset, scratch.length) : Buffer.from(text, 'utf8');
  // Pass 1: the markers (start, end, part) and the answer's size.
  const found: number[] = [];
  let size = encoded.length;
  for (let at = encoded.indexOf(markerStart); at !== -1; at = encoded.indexOf(markerStart, at)) {
    const digits = at + markerStart.length;
    const end = encoded.indexOf(markerEnd, digits);
    const written = end === -1 || end - digits > 6 ? '' : encoded.toString('latin1', digits, end);
    const index = /^\d+$/.test(written) ? Number(written) : -1;
    const part = parts[index];
    if (!part) throw new Error('a spliced answer names a part it does not have');
    found.push(at, end + markerEnd.length, index);
    size += part.length - (end + markerEnd.length - at);
    at = end + markerEnd.length;
  }
  const slab = size < minPooledBytes || size > maxPooledBytes ? undefined : slabs.take(size);
  const out = slab ?? Buffer.allocUnsafe(size);
  // Pass 2: the text between the markers and each marker's part.
  let from = 0;
  let to = 0;
  for (let i = 0; i < found.length; i += 3) {
    out.set(encoded.subarray(from, found[i]), to);
    to += found[i]! - from;
    const part = parts[found[i + 2]!]!;
    out.set(part, to);
    to += part.length;
    from = found[i + 1]!;
  }
  out.set(encoded.subarray(from), to);
  return slab ? pooledView(slab, size, slabs) : { bytes: out as Buffer };
}

function pooledView(slab: Uint8Array, size: number, slabs: SlabPool): PooledBytes {
  let given = false;
  return {
    bytes: Buffer.from(slab.buffer, slab.byteOffset, size),
    release: () => {
      if (given) return;
      given = true;
      slabs.give(slab);
    },
  };
}

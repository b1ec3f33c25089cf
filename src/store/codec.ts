// How the catalog keeps its big text columns (rule files, rule JSON, pre-pass cores): deflated, each
// value on its own so that a row is read or rewritten alone. A value may be deflated against a
// dictionary, text its reader already holds (a rule's JSON against its file, whose query and
// stage texts it repeats: 24 -> 14 MB over the shared corpus). Measured on that corpus (10k rules,
// 180 MB of such text): deflate compresses about as well as brotli at quality 1-4 and inflates
// 1.5-2x faster, and a catalog reader inflates every rule's JSON when it opens. zlib's default level
// makes the whole catalog 5% smaller than level 1 (85.0 -> 80.4 MB). Level 3 (the last of zlib's
// fastest levels, which find matches without lazy evaluation) for a rule's pre-pass core, deflated
// against its JSON: the shared corpus's cores (3.1 MB deflated) in 0.46-0.54 CPU s against 0.67-0.71 s,
// two rounds on a loaded machine, for 0.37 MB more. The rule files and rule JSON stay at the default
// level: at level 3 they saved 0.1 and 0.35 s for 0.38 and 1.18 MB, which would take the catalog of
// four copies of the corpus (1.97x its rule files at the default level) past twice its files.
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';

/** A value as stored: short text as is (TEXT), anything longer deflated (BLOB). */
export type Packed = string | Buffer;

/** Below this many characters, deflating saves next to nothing and costs a call each way. */
const SHORT = 64;

/** See the note above; inflating does not depend on the level, so catalogs packed at another level read the same. */
const DEFAULT_LEVEL = constants.Z_DEFAULT_COMPRESSION;
export const FAST_LEVEL = 3;

const options = (dictionary?: Buffer, level: number = DEFAULT_LEVEL) => ({ level, ...(dictionary && { dictionary }) });

/** zlib's lookahead (MIN_LOOKAHEAD): a match may reach back at most its window less this. */
const LOOKAHEAD = 262;

/**
 * The smallest window (raw deflate takes 9 to 15 bits) that holds the dictionary and the text whole,
 * with zlib's lookahead. zlib then finds the very matches it finds with its default 32 KB window
 * (none is further back than the window) and writes the same bytes, but sets up and clears far less
 * memory for each value: most values are a few KB, and a build deflates three per rule (measured on
 * 3,000 corpus files deflated alone and against another: 4% less CPU at 5.9 KB a file, 10% at 1.5 KB).
 */
function windowBitsFor(bytes: number): number {
  return Math.min(15, Math.max(9, Math.ceil(Math.log2(bytes + LOOKAHEAD))));
}

/**
 * `text` as a catalog stores it; `dictionary` is what `unpack` must be given back to read it.
 * `bytes`: the text already encoded as UTF-8, when the caller holds it (it is not encoded again);
 * `level`: zlib's, the default unless said (see the note above).
 */
export function pack(text: string, dictionary?: Buffer, bytes?: Buffer, level?: number): Packed {
  if (text.length < SHORT) return text;
  return deflateBytes(bytes ?? Buffer.from(text), dictionary, level);
}

/** UTF-8 `bytes` as `pack` deflates a text that is not short (unpack reads them back as that text). */
export function deflateBytes(bytes: Buffer, dictionary?: Buffer, level?: number): Buffer {
  const windowBits = windowBitsFor(bytes.length + (dictionary?.length ?? 0));
  return deflateRawSync(bytes, { ...options(dictionary, level), windowBits });
}

/** The text `pack` was given (`dictionary`: the one it was packed with). */
export function unpack(value: Packed, dictionary?: Buffer): string {
  if (typeof value === 'string') return value;
  return inflateRawSync(value, options(dictionary)).toString('utf8');
}

/** Like unpack, as bytes: what a value packed against this one takes as its dictionary. */
export function unpackBytes(value: Packed, dictionary?: Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value) : inflateRawSync(value, options(dictionary));
}

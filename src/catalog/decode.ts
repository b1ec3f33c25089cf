// How a file's bytes become text. Rule files are UTF-8; a byte order mark may say otherwise: UTF-16
// is decoded, UTF-32 is refused by name. UTF-16 without a mark is refused by name too (a guess
// should not become rule text), and bytes that are not UTF-8 are replaced by U+FFFD and said so.
import { isUtf8 } from 'node:buffer';

/** A file's text, and what about its encoding is worth telling. */
export interface DecodedText {
  /** '' when `refused`. */
  text: string;
  /** The text is not exactly the file's bytes (invalid UTF-8 replaced): said on its rules and in the report. */
  note?: string;
  /** Why the bytes were not read as text at all (an encoding the readers do not take). */
  refused?: string;
}

const startsWith = (bytes: Uint8Array, ...prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** The byte offset of the first sequence that is not UTF-8 (Unicode table 3-7), or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // The allowed range of the second byte, and how many continuation bytes follow it.
    let lo = 0x80;
    let hi = 0xbf;
    let more: number;
    if (c >= 0xc2 && c <= 0xdf) more = 0;
    else if (c >= 0xe0 && c <= 0xef) {
      more = 1;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      more = 2;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= more + 1; k++) {
      const next = bytes[i + k];
      if (next === undefined || next < 0x80 || next > 0xbf) return i;
    }
    i += more + 2;
  }
  return -1;
}

/** Line (from 1) of a byte offset. */
function lineOf(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Which UTF-16 the bytes look like without a byte order mark: ASCII-range text has a NUL in every
 * other byte. Only worth asking when the file has NUL bytes, which UTF-8 rule text never has.
 */
function bomlessUtf16(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul >= pairs * 0.5 && evenNul <= pairs * 0.05) return 'UTF-16LE';
  if (evenNul >= pairs * 0.5 && oddNul <= pairs * 0.05) return 'UTF-16BE';
  return undefined;
}

function utf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', name: string): DecodedText {
  // The decoder drops the byte order mark itself.
  try {
    return { text: new TextDecoder(encoding, { fatal: true }).decode(bytes) };
  } catch {
    return {
      text: new TextDecoder(encoding).decode(bytes),
      note: `the file is ${name} (byte order mark) with invalid sequences, replaced by U+FFFD`,
    };
  }
}

/** The text of a file's bytes (see the top of this file); never throws. */
export function decodeText(bytes: Uint8Array): DecodedText {
  if (startsWith(bytes, 0xff, 0xfe, 0, 0) || startsWith(bytes, 0, 0, 0xfe, 0xff)) {
    const name = bytes[0] === 0xff ? 'UTF-32LE' : 'UTF-32BE';
    return { text: '', refused: `the file is ${name} (byte order mark), which is not read: save it as UTF-8` };
  }
  if (startsWith(bytes, 0xff, 0xfe)) return utf16(bytes, 'utf-16le', 'UTF-16LE');
  if (startsWith(bytes, 0xfe, 0xff)) return utf16(bytes, 'utf-16be', 'UTF-16BE');
  const bom = startsWith(bytes, 0xef, 0xbb, 0xbf) ? 3 : 0;
  const body = bytes.subarray(bom);
  if (body.includes(0)) {
    const guess = bomlessUtf16(body);
    if (guess) return { text: '', refused: `the file looks like ${guess} without a byte order mark, which is not read: save it as UTF-8` };
  }
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (isUtf8(body)) return { text };
  const at = firstInvalidUtf8(body);
  return {
    text,
    note: `the file is not valid UTF-8 (first at line ${lineOf(body, at)}, byte ${at + bom + 1}): invalid bytes were replaced by U+FFFD`,
  };
}

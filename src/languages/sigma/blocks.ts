// Exact slices of block-style YAML text, so that stages and queries show the rule as written.

export interface Block {
  key: string;
  /** The block's lines, from its key line to before the next sibling, trailing blanks and comments dropped. */
  text: string;
  /** Offset of the key line in the text. */
  start: number;
  /** 1-based line of the key. */
  line: number;
}

const KEY_LINE = /^( *)(?:'([^']*)'|"([^"]*)"|([^\s'"#:][^:#]*?))\s*:(?:\s|$)/;

interface Line {
  text: string;
  start: number;
}

function linesOf(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      out.push({ text: text.slice(start), start });
      return out;
    }
    out.push({ text: text.slice(start, nl), start });
    start = nl + 1;
  }
}

function isFiller(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * The key blocks at one indentation level: with `indent` undefined, the indentation of the first
 * content line. Lines indented deeper (and blank or comment lines) belong to the block above.
 */
export function keyBlocks(text: string, opts: { indent?: number; fromLine?: number } = {}): Block[] {
  const lines = linesOf(text);
  let level = opts.indent;
  const blocks: { key: string; from: number }[] = [];
  for (let i = opts.fromLine ?? 0; i < lines.length; i++) {
    const line = lines[i]!.text.replace(/^\uFEFF/, '');
    if (isFiller(line)) continue;
    const own = indentOf(line);
    level ??= own;
    if (own < level) {
      // Out of the level we slice: the blocks end here.
      break;
    }
    if (own > level) continue;
    const key = keyOf(line);
    // A sequence item at the key's own indentation belongs to the block above.
    if (key !== undefined) blocks.push({ key, from: i });
  }
  // Each block runs to the next block at the same level (or the end of the level).
  const out: Block[] = [];
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b]!;
    let to = b + 1 < blocks.length ? blocks[b + 1]!.from : endOfLevel(lines, block.from, level ?? 0);
    while (to > block.from + 1 && isFiller(lines[to - 1]!.text)) to--;
    const first = lines[block.from]!;
    const last = lines[to - 1]!;
    out.push({
      key: block.key,
      text: text.slice(first.start, last.start + last.text.length).replace(/\r$/, ''),
      start: first.start,
      line: block.from + 1,
    });
  }
  return out;
}

function keyOf(line: string): string | undefined {
  const t = line.trimStart();
  if (t === '-' || t.startsWith('- ')) return undefined;
  const m = KEY_LINE.exec(line);
  return m ? (m[2] ?? m[3] ?? m[4] ?? '').trim() : undefined;
}

function endOfLevel(lines: Line[], from: number, level: number): number {
  for (let i = from + 1; i < lines.length; i++) {
    const line = lines[i]!.text;
    if (isFiller(line)) continue;
    const own = indentOf(line);
    if (own < level || (own === level && keyOf(line) !== undefined)) return i;
  }
  return lines.length;
}

/** Remove `indent` leading spaces from every line that has them. */
export function dedent(text: string, indent: number): string {
  if (indent === 0) return text;
  const prefix = ' '.repeat(indent);
  return text
    .split('\n')
    .map((l) => (l.startsWith(prefix) ? l.slice(indent) : l))
    .join('\n');
}

/** Indentation of the first content line after the first line (the children of a key block). */
export function childIndent(text: string): number | undefined {
  const lines = linesOf(text);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.text;
    if (!isFiller(line)) return indentOf(line);
  }
  return undefined;
}

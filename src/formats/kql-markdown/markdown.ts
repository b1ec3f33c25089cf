// Just enough Markdown for rule write-ups: ATX headings, fenced code blocks, pipe tables, links.
// Line based, CommonMark rules for fences (``` or ~~~, up to 3 spaces of indent, closed by the
// same character at least as long; an unclosed fence runs to the end of the document).

export interface Heading {
  level: number;
  /** Heading text with emphasis markers and trailing `#`s removed. */
  text: string;
  /** 0-based line index. */
  line: number;
}

export interface Fence {
  /** The info string as written (`KQL`, `C#`, empty). */
  info: string;
  content: string;
  /** 0-based index of the first content line (the line after the opening fence). */
  firstLine: number;
  /** 0-based index of the opening fence line. */
  openLine: number;
  /** 0-based index of the closing fence line (the line count when unclosed). */
  closeLine: number;
}

export interface MarkdownDoc {
  lines: string[];
  /** In line order. */
  headings: Heading[];
  fences: Fence[];
  /** 1 for a line of a fence (its opening and closing lines too): a per-line lookup keeps a file of thousands of blocks linear. */
  fenced: Uint8Array;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;

/** Strip emphasis, code and link markup from a heading or cell: `**[x](u)**` -> `x`. */
export function plainText(text: string): string {
  return (
    text
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[*`]+/g, '')
      // `_x_` / `__x__` emphasis, but not the underscores inside names (`red_team_tool`).
      .replace(/(^|[^\w])_{1,2}([^_]+?)_{1,2}(?=[^\w]|$)/g, '$1$2')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

export function parseMarkdown(text: string): MarkdownDoc {
  const lines = text.split(/\r?\n/);
  const headings: Heading[] = [];
  const fences: Fence[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    // A backtick fence's info string may not contain a backtick (that is inline code).
    if (fence && !(fence[1]!.startsWith('`') && fence[2]!.includes('`'))) {
      const marker = fence[1]!;
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j]!)) j++;
      fences.push({ info: fence[2]!.trim(), content: lines.slice(i + 1, j).join('\n'), firstLine: i + 1, openLine: i, closeLine: j });
      i = j + 1;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const raw = (heading[2] ?? '').replace(/[ \t]+#+$/, '');
      headings.push({ level: heading[1]!.length, text: plainText(raw), line: i });
    }
    i++;
  }
  const fenced = new Uint8Array(lines.length);
  for (const f of fences) fenced.fill(1, f.openLine, Math.min(f.closeLine + 1, lines.length));
  return { lines, headings, fences, fenced };
}

/** Lines outside fences between a heading and the next heading of any level. */
export function sectionLines(doc: MarkdownDoc, heading: Heading): string[] {
  const next = doc.headings[headingIndexAtOrBefore(doc, heading.line) + 1];
  const end = next ? next.line : doc.lines.length;
  const out: string[] = [];
  for (let i = heading.line + 1; i < end; i++) if (!doc.fenced[i]) out.push(doc.lines[i]!);
  return out;
}

/** The index of the last heading at or above `line` (-1 when none), by binary search. */
function headingIndexAtOrBefore(doc: MarkdownDoc, line: number): number {
  let lo = -1;
  let hi = doc.headings.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (doc.headings[mid]!.line <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The nearest heading above a line. */
export function headingBefore(doc: MarkdownDoc, line: number): Heading | undefined {
  return doc.headings[headingIndexAtOrBefore(doc, line - 1)];
}

/** Rows of the pipe tables in some lines: header cells and body rows, separator row dropped. */
export function tables(lines: string[]): { header: string[]; rows: string[][] }[] {
  const out: { header: string[]; rows: string[][] }[] = [];
  let current: { header: string[]; rows: string[][] } | undefined;
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('|') && !(current && trimmed.includes('|'))) {
      current = undefined;
      continue;
    }
    const cells = splitRow(trimmed);
    if (!current) {
      current = { header: cells, rows: [] };
      out.push(current);
    } else if (!cells.every((c) => /^:?-+:?$/.test(c) || c === '')) {
      current.rows.push(cells);
    }
  }
  return out;
}

function splitRow(row: string): string[] {
  let body = row;
  if (body.startsWith('|')) body = body.slice(1);
  if (body.endsWith('|')) body = body.slice(0, -1);
  return body.split('|').map((c) => c.trim());
}

/** http(s) URLs of markdown links and bare URLs, in order, without duplicates. */
export function urls(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/https?:\/\/[^\s<>()\]"'`]+(?:\([^\s()]*\)[^\s<>()\]"'`]*)*/g)) {
    const url = m[0].replace(/[.,;:*]+$/, '');
    if (!out.includes(url)) out.push(url);
  }
  return out;
}

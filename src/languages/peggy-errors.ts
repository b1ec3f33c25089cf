// Shared pieces of readable syntax errors for the languages whose grammars peggy compiles.

/** One item of a peggy SyntaxError's `expected` list. */
export interface PeggyExpectation {
  type: string;
  text?: string;
  description?: string;
  parts?: unknown[];
  inverted?: boolean;
  ignoreCase?: boolean;
}

/** The word (or single character) at `offset`, quoted; `atEnd` when the text ends there. */
export function foundText(text: string, offset: number, atEnd = 'end of query'): string {
  if (offset >= text.length) return atEnd;
  let end = offset;
  const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  while (end < text.length && end - offset < 30 && isWord(text.charCodeAt(end))) end++;
  if (end === offset) end = offset + 1;
  return JSON.stringify(text.slice(offset, end));
}

/** `a`, `a or b`, `a, b or c`; `nothing` for none. */
export function alternatives(names: string[]): string {
  if (names.length <= 1) return names[0] ?? 'nothing';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** How a grammar names the items of peggy's `expected` list (see describeExpectation). */
export interface DescribeOptions {
  /** What the end of the text is called (`end of query` unless given). */
  end?: string;
  /** What `.` (any character) is called; unnamed when absent. */
  any?: string;
  /** `list` spells character classes out (`"a"-"z", "_"`); they stay unnamed otherwise. */
  classes?: 'list';
  /** Named rules never worth listing (default: whitespace). */
  quiet?: ReadonlySet<string>;
  /** Case-insensitive keyword literals shown in capitals (`SELECT`), as SQL writes them. */
  keywordsInCapitals?: boolean;
}

const WHITESPACE_ONLY: ReadonlySet<string> = new Set(['whitespace']);

/** One expectation as people read it, or null when it is not worth listing. */
export function describeExpectation(x: PeggyExpectation, opts: DescribeOptions = {}): string | null {
  switch (x.type) {
    case 'literal':
      if (opts.keywordsInCapitals && x.ignoreCase && /^[a-z_]+$/i.test(x.text ?? '')) return (x.text ?? '').toUpperCase();
      return JSON.stringify(x.text);
    case 'end':
      return opts.end ?? 'end of query';
    case 'other':
      return x.description && !(opts.quiet ?? WHITESPACE_ONLY).has(x.description) ? x.description : null;
    case 'any':
      return opts.any ?? null;
    case 'class':
      if (opts.classes !== 'list') return null;
      if (x.inverted) return 'a character';
      return (x.parts ?? [])
        .map((p) => (Array.isArray(p) ? `${JSON.stringify(p[0])}-${JSON.stringify(p[1])}` : JSON.stringify(p)))
        .join(', ');
    default:
      return null;
  }
}

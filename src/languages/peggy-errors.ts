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

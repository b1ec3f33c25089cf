// What a highlighter needs to know of a language's surface, as data: a language declares it in its
// own folder (`languages/<id>/<id>.keywords.ts`), a container (YAML, TOML) in formats/, and
// web/highlight.ts reads them all with one scanner.

/** A delimited string (or regex literal): how it opens, closes and escapes its closing delimiter. */
export interface StringSyntax {
  open: string;
  /** The closing delimiter; the opening one when absent. */
  close?: string;
  /** `backslash`: `\` escapes the next character; `double`: the closing delimiter written twice stands for itself; `both`. */
  escape?: 'backslash' | 'double' | 'both';
  /** The string may span lines; otherwise an unclosed one ends at the end of its line. */
  multiline?: boolean;
}

export interface HighlightSyntax {
  /** Words shown as keywords (commands, operators written as words). May hold `-` (`mv-expand`). */
  keywords: readonly string[];
  /** Keywords match whatever their case (SQL, SPL, ES|QL). */
  caseInsensitive?: boolean;
  /** Openers of comments that run to the end of the line (`//`, `#`, `--`). */
  lineComments?: readonly string[];
  /** Opening and closing delimiters of comments that may span lines. */
  blockComments?: readonly (readonly [string, string])[];
  /** Comments start only after whitespace or at a line start (YAML: `a#b` is text). */
  commentsAfterSpace?: boolean;
  strings?: readonly StringSyntax[];
  /** Quotes right after a letter or digit are text, not an opening quote (YAML's `user's`). */
  quotesAfterWord?: false;
  /** Operators, tried longest first. */
  operators?: readonly string[];
  /** Characters besides letters, digits and `_` that continue a word (`.` in dotted field names). */
  wordChars?: string;
  /** Characters besides letters and `_` that start a word (`$` of YARA-L variables). */
  wordStart?: string;
  /** A word followed (after blanks) by one of these is a field name (`:` in kuery and Lucene). */
  fieldMarkers?: string;
  /** Data formats have no calls: a word before `(` stays plain. */
  noFunctions?: boolean;
  /** Numbers are not highlighted (YAML, where `1.0.0` or a date is text). */
  noNumbers?: boolean;
  /** Units a number may end with (`5m`, `1d`, `10ms`). */
  numberSuffixes?: readonly string[];
  /**
   * Keys at the start of a line, before this separator (`:` YAML, `=` TOML), after indentation and list
   * dashes; the dashes and a block scalar's `|` or `>` after the key are operators.
   */
  lineKeys?: ':' | '=';
  /** Lines that start with `[` are table headers (TOML). */
  tableHeaders?: boolean;
}

/** YAML's surface: keys, quoted scalars, comments, block and list markers. Queries written in YAML extend it. */
export const yamlSyntax: HighlightSyntax = {
  keywords: [],
  lineComments: ['#'],
  commentsAfterSpace: true,
  strings: [
    { open: '"', escape: 'backslash' },
    { open: "'", escape: 'double' },
  ],
  quotesAfterWord: false,
  wordChars: '.-',
  noFunctions: true,
  noNumbers: true,
  lineKeys: ':',
};

// What the highlighter needs of EQL: sequence and pipe words, raw (`?"…"`) and triple-quoted strings.
import type { HighlightSyntax } from '../../model/highlight.js';

export const eqlHighlight: HighlightSyntax = {
  keywords: `sequence sample by with maxspan until where and or not in like regex true false null any runs of join
    head tail filter unique unique_count count size`
    .split(/\s+/)
    .filter(Boolean),
  lineComments: ['//'],
  blockComments: [['/*', '*/']],
  strings: [
    { open: '"""', multiline: true },
    { open: '?"', close: '"' },
    { open: '"', escape: 'backslash' },
    { open: "'", escape: 'backslash' },
  ],
  operators: ['==', '!=', '<=', '>=', '|', ':', '<', '>', '=', '~', '+', '*', '/', '%', '-'],
  wordChars: '.',
  numberSuffixes: ['ms', 's', 'm', 'h', 'd'],
};

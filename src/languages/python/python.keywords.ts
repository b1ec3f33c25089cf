// What the highlighter needs of Python (Panther rule files): its keywords, `#` comments, and
// single, double and triple-quoted strings.
import type { HighlightSyntax } from '../../model/highlight.js';

export const pythonHighlight: HighlightSyntax = {
  keywords: `False None True and as assert async await break class continue def del elif else except finally for from
    global if import in is lambda nonlocal not or pass raise return try while with yield match case self`
    .split(/\s+/)
    .filter(Boolean),
  lineComments: ['#'],
  strings: [
    { open: '"""', escape: 'backslash', multiline: true },
    { open: "'''", escape: 'backslash', multiline: true },
    { open: '"', escape: 'backslash' },
    { open: "'", escape: 'backslash' },
  ],
  operators: ['==', '!=', '<=', '>=', '**', '//', '->', ':=', '<', '>', '=', '+', '-', '*', '/', '%', '&', '|', '^', '~', '@'],
};

// What the highlighter needs of YARA-L 2.0: section names and operators as keywords, `$event`
// variables, `/regex/` and `` `raw` `` strings, `//` and `/* */` comments, `5m` windows.
import type { HighlightSyntax } from '../../model/highlight.js';

export const yaralHighlight: HighlightSyntax = {
  keywords: `rule meta events match outcome condition options over before after by and or not nocase any all in regex
    cidr re true false null if`
    .split(/\s+/)
    .filter(Boolean),
  lineComments: ['//'],
  blockComments: [['/*', '*/']],
  strings: [
    { open: '"', escape: 'backslash' },
    { open: '`', multiline: true },
    { open: '/', escape: 'backslash' },
  ],
  operators: ['==', '!=', '<=', '>=', '<', '>', '=', '+', '-', '*', '{', '}', '(', ')', ':', '!'],
  wordStart: '$#@',
  wordChars: '.',
  numberSuffixes: ['s', 'm', 'h', 'd'],
};

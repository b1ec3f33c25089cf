// What the highlighter needs of Lucene query syntax: `field:value`, upper-case boolean words,
// quoted phrases and `/regex/` terms.
import type { HighlightSyntax } from '../../model/highlight.js';

export const luceneHighlight: HighlightSyntax = {
  keywords: ['AND', 'OR', 'NOT', 'TO'],
  strings: [
    { open: '"', escape: 'backslash' },
    { open: '/', escape: 'backslash' },
  ],
  operators: ['&&', '||', '<', '>', ':', '*', '?', '(', ')', '{', '}', '[', ']', '!', '+', '-', '~', '^'],
  wordStart: '@',
  wordChars: '.@\\-',
  fieldMarkers: ':',
};

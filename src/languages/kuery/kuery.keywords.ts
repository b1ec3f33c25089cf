// What the highlighter needs of Kibana's query language: `field: value` pairs and three boolean words.
import type { HighlightSyntax } from '../../model/highlight.js';

export const kueryHighlight: HighlightSyntax = {
  keywords: ['and', 'or', 'not'],
  caseInsensitive: true,
  strings: [{ open: '"', escape: 'backslash' }],
  operators: ['<=', '>=', '<', '>', ':', '*', '(', ')', '{', '}'],
  wordStart: '@',
  wordChars: '.@-',
  fieldMarkers: ':',
};

// What the highlighter needs of ES|QL: processing commands and operators, case-insensitive.
import type { HighlightSyntax } from '../../model/highlight.js';

export const esqlHighlight: HighlightSyntax = {
  keywords: `from where eval stats by keep drop sort limit rename dissect grok enrich mv_expand metadata and or not
    in like rlike is null true false asc desc nulls first last row show inlinestats lookup join on with`
    .split(/\s+/)
    .filter(Boolean),
  caseInsensitive: true,
  lineComments: ['//'],
  blockComments: [['/*', '*/']],
  strings: [
    { open: '"""', multiline: true },
    { open: '"', escape: 'backslash' },
  ],
  operators: ['==', '!=', '<=', '>=', '|', '<', '>', '=', '+', '*', '/', '%', '-'],
  wordStart: '@',
  wordChars: '.@',
};

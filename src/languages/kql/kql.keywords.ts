// What the highlighter needs of KQL: tabular operators, join kinds and string operators as keywords,
// verbatim (`@"…"`), obfuscated (`h"…"`) and multi-line (```` ``` ````) strings, `//` comments.
import type { HighlightSyntax } from '../../model/highlight.js';

const quoted = (prefix: string) => [
  { open: `${prefix}@"`, close: '"', escape: 'double' as const, multiline: true },
  { open: `${prefix}@'`, close: "'", escape: 'double' as const, multiline: true },
  { open: `${prefix}"`, close: '"', escape: 'backslash' as const },
  { open: `${prefix}'`, close: "'", escape: 'backslash' as const },
];

export const kqlHighlight: HighlightSyntax = {
  keywords: `
    where project extend summarize by join kind on union let take top limit sort order asc desc nulls first last
    distinct count parse evaluate render as datatable range invoke lookup materialize print search find
    getschema serialize sample sample-distinct fork facet filter with inner outer leftouter rightouter fullouter
    leftanti rightanti leftsemi rightsemi innerunique anti semi and or not in between has contains startswith
    endswith matches regex has_any has_all hasprefix hassuffix has_cs contains_cs startswith_cs endswith_cs
    hasprefix_cs hassuffix_cs in_cs true false null dynamic to step of isfuzzy withsource bag_unpack
    mv-expand mv-apply project-away project-rename project-keep project-reorder make-series parse-where parse-kv
    top-nested top-hitters partition-by partition scan declare
  `
    .split(/\s+/)
    .filter(Boolean),
  lineComments: ['//'],
  strings: [{ open: '```', multiline: true }, ...quoted(''), ...quoted('h'), ...quoted('H')],
  operators: ['==', '!=', '=~', '!~', '<>', '<=', '>=', '=>', '|', '<', '>', '=', '!', '~', '+', '*', '/', '%', '-'],
  wordStart: '$',
  numberSuffixes: ['ms', 'tick', 'microsecond', 's', 'm', 'h', 'd'],
};

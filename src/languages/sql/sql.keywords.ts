// What the highlighter needs of SQL (Snowflake, as Panther writes it): keywords of any case, `--`
// and `/* */` comments, `'…'` strings (doubled or backslash-escaped quotes) and `$$…$$` bodies.
import type { HighlightSyntax } from '../../model/highlight.js';

export const sqlHighlight: HighlightSyntax = {
  keywords: `select from where and or not in is null as on join left right inner outer full cross lateral group by
    order having limit offset union all distinct case when then else end with exists between like ilike rlike
    asc desc true false qualify over partition window rows range interval insert update delete into values set
    create table view or replace any some cast try_cast flatten any_value`
    .split(/\s+/)
    .filter(Boolean),
  caseInsensitive: true,
  lineComments: ['--', '//'],
  blockComments: [
    ['/*', '*/'],
    ['{#', '#}'],
  ],
  strings: [
    { open: '$$', multiline: true },
    { open: "'", escape: 'both', multiline: true },
    { open: '"', escape: 'double' },
  ],
  operators: ['<=', '>=', '<>', '!=', '||', '::', '=>', '<', '>', '=', '+', '-', '*', '/', '%', ':'],
};

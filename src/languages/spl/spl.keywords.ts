// What the highlighter needs of Splunk's SPL: commands and boolean words (any case), `field=value`
// pairs, ```` ```comments``` ```` and `` `macros` ``.
import type { HighlightSyntax } from '../../model/highlight.js';

export const splHighlight: HighlightSyntax = {
  keywords: `search where eval stats eventstats streamstats tstats mstats table fields rename rex regex lookup inputlookup
    outputlookup spath datamodel from foreach by as in like and or not xor dedup sort head tail top rare bin bucket
    fillnull join append appendpipe transaction convert makemv mvexpand mvcombine chart timechart where return
    collect iplocation nomv untable xyseries format map multisearch union summariesonly allow_old_summaries
    nodename groupby values count dc`
    .split(/\s+/)
    .filter(Boolean),
  caseInsensitive: true,
  blockComments: [['```', '```']],
  strings: [
    { open: '"', escape: 'backslash' },
    { open: '`', close: '`' },
  ],
  operators: ['==', '!=', '<=', '>=', '|', '<', '>', '=', '+', '-', '*', '/', '%', '(', ')', '[', ']'],
  wordChars: '.:-',
  fieldMarkers: '=',
};

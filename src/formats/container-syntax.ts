// How the rule file containers look to the highlighter (web/highlight.ts): a rule page shows the
// whole file in its container's syntax and the query, where its format says it sits, in its language.
import { type HighlightSyntax, yamlSyntax } from '../model/highlight.js';
import type { Container } from './types.js';

const tomlSyntax: HighlightSyntax = {
  keywords: [],
  lineComments: ['#'],
  strings: [
    { open: '"""', escape: 'backslash', multiline: true },
    { open: "'''", multiline: true },
    { open: '"', escape: 'backslash' },
    { open: "'" },
  ],
  wordChars: '-',
  noFunctions: true,
  lineKeys: '=',
  tableHeaders: true,
};

/** Markdown and other text files have no syntax of their own: only their query is highlighted. */
export const containerSyntax: Record<Container, HighlightSyntax | undefined> = { yaml: yamlSyntax, toml: tomlSyntax, text: undefined };

// What the highlighter needs of a Sigma query: the `detection:` section is YAML (search identifiers
// as keys, `|contains` modifiers in them) with a condition in its own small language.
import { type HighlightSyntax, yamlSyntax } from '../../model/highlight.js';

export const sigmaHighlight: HighlightSyntax = {
  ...yamlSyntax,
  keywords: ['and', 'or', 'not', 'of', 'all', 'them', 'near', 'by', 'count', 'min', 'max', 'avg', 'sum'],
  operators: ['|', '(', ')', '*', '<=', '>=', '<', '>', '=='],
};

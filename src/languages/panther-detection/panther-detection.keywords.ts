// What the highlighter needs of a Panther YAML detection: YAML keys, with the combinators and
// match conditions (`Condition: IContains`) shown as keywords.
import { type HighlightSyntax, yamlSyntax } from '../../model/highlight.js';

const conditions = `Equals DoesNotEqual IsIn IsNotIn Contains DoesNotContain StartsWith DoesNotStartWith EndsWith DoesNotEndWith
  IsGreaterThan IsGreaterThanOrEqual IsLessThan IsLessThanOrEqual Exists DoesNotExist IsNull IsNotNull IsNullOrEmpty
  IsNotNullOrEmpty IsIPAddressInCIDR IsIPAddressNotInCIDR IsIPAddressPublic IsIPAddressPrivate
  AnyElement AllElements NoElement OnlyOneElement AlwaysTrue AlwaysFalse`
  .split(/\s+/)
  .filter(Boolean);

export const pantherDetectionHighlight: HighlightSyntax = {
  ...yamlSyntax,
  keywords: [
    ...conditions,
    ...conditions.filter((c) => !c.startsWith('Is') && !c.startsWith('Always')).map((c) => `I${c}`),
    'true',
    'false',
  ],
};

// A compiled pattern (or one of several, `any(p.match(x) for p in PATTERNS)`) tried on a constant
// text, as a value chosen by a condition gives one (chosen-values.ts): decided now, as the
// evaluator decides it on a field's text, and left as text where the evaluator could not run it.
import type { Predicate } from '../../model/types.js';
import { outcomeOnValue } from './evaluate.js';

/** Whether `.method(text)` of one of `patterns` matches: true, false, or undefined where not decided. */
export function constantMatches(patterns: string[], ignoreCase: boolean, method: string, text: string): boolean | undefined {
  if (patterns.length === 0 || !['match', 'search', 'fullmatch'].includes(method)) return undefined;
  const p: Predicate = {
    field: 'text',
    op: 'regex',
    values: patterns,
    negated: false,
    caseSensitive: !ignoreCase,
    nativeOp: `.${method}`,
    text: `.${method}(${JSON.stringify(text)})`,
  };
  const outcome = outcomeOnValue(p, text);
  return typeof outcome === 'boolean' ? outcome : undefined;
}

// A string test (`v.startswith(x)`, `v.endswith(x)`, `"x" in v`) applied to a constant a function
// returns, for a value whose sources are read one return at a time (a data model's method).
import type { Scalar } from '../../model/types.js';

export type StringTestOp = 'startswith' | 'endswith' | 'contains';

/**
 * Whether the constant passes: any of `values` (a tuple of prefixes is any of them). A constant
 * that is not a string (None) would raise in Python: the rule returns no alert, read as false.
 */
export function constantPasses(op: StringTestOp, values: Scalar[], constant: Scalar, lowered: boolean): boolean {
  if (typeof constant !== 'string') return false;
  const text = lowered ? constant.toLowerCase() : constant;
  return values.some((v) => {
    if (typeof v !== 'string') return false;
    if (op === 'startswith') return text.startsWith(v);
    if (op === 'endswith') return text.endsWith(v);
    return text.includes(v);
  });
}

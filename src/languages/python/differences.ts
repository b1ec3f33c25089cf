// Arithmetic on two fields compared with a number: `permission["ToPort"] - permission["FromPort"] > 10`
// (a range of ports wider than allowed), `a + b >= n`. No constant names either field's value, so the
// test is a `fieldref` predicate between the two fields, its transform (`difference:{...}`) saying how
// they combine and what the result is compared with. The evaluator computes the result from the event as
// Python does: both values numbers (a bool counts as 0 or 1); anything else (None, a missing key, a text,
// a list, a field read through a list) raises or is no one value, and the test is not evaluated.
import type { Node } from 'web-tree-sitter';
import type { PredicateNode, Scalar } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { refPredicates } from './log-types.js';
import { field, unwrap } from './values.js';

type Arithmetic = '-' | '+';
type NumberTest = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** How the two fields combine (`left op right`) and the comparison the result meets. */
export interface Difference {
  by: Arithmetic;
  test: NumberTest;
  value: number;
}

const prefix = 'difference:';
const tests = new Set<string>(['<', '<=', '>', '>=', '==', '!=']);
// `N < a - b` is `a - b > N`.
const mirrored: Record<NumberTest, NumberTest> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

/** A plain field, as `comparedTexts` reads a side: no piece, default, conversion or guard changes its value. */
function plainField(ref: FieldRef | undefined): string | undefined {
  if (!ref || ref.fields.length !== 1 || ref.lowered || ref.guards || ref.json || ref.trimmed || ref.converted || ref.walked)
    return undefined;
  if (ref.item !== undefined || ref.alsoAfter || ref.after || ref.at || ref.defaults || ref.orEmpty || ref.unquoted) return undefined;
  const name = ref.fields[0]!;
  return name.startsWith('udm:') || ref.logTypes?.[name] ? undefined : name;
}

/**
 * `f - g op N` (or `N op f - g`, `+` as well) with f and g plain fields and N a number: the predicate it
 * is; undefined for any other shape, which the caller reads as before.
 */
export function differenceCompared(
  left: Node,
  op: string,
  right: Node,
  text: string,
  fieldOf: (n: Node) => FieldRef | undefined,
  numberOf: (n: Node) => Scalar | undefined,
): PredicateNode | undefined {
  if (!tests.has(op)) return undefined;
  const l = unwrap(left);
  const r = unwrap(right);
  const [sum, bound, test] =
    l.type === 'binary_operator' ? [l, r, op as NumberTest] : r.type === 'binary_operator' ? [r, l, mirrored[op as NumberTest]] : [];
  if (!sum || !bound || !test) return undefined;
  const by = sum.childForFieldName('operator')?.type;
  if (by !== '-' && by !== '+') return undefined;
  const value = numberOf(bound);
  if (typeof value !== 'number') return undefined;
  const a = field(sum, 'left');
  const b = field(sum, 'right');
  const fa = a && plainField(fieldOf(a));
  const fb = b && plainField(fieldOf(b));
  if (!fa || !fb) return undefined;
  const spec: Difference = { by, test, value };
  const opts = { negated: false, caseSensitive: true, nativeOp: test, text, transform: prefix + JSON.stringify(spec) };
  return refPredicates({ fields: [fa], lowered: false }, 'fieldref', [fb], opts);
}

/** Whether a transform is one `differenceCompared` wrote. */
export function isDifference(transform: string | undefined): boolean {
  return transform?.startsWith(prefix) === true;
}

/** A transform `differenceCompared` wrote, read back. */
export function parseDifference(transform: string): Difference {
  return JSON.parse(transform.slice(prefix.length)) as Difference;
}

/** A JSON value as a Python number: a bool is an int; anything else none (Python raises on `-`). */
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined);

/**
 * The test on the two fields' values as found (undefined: missing; several: read through a list): its
 * truth, or why Python raises or the values are no one pair.
 */
export function differenceHolds(spec: Difference, a: unknown[] | undefined, b: unknown[] | undefined): boolean | string {
  if (!a || !b || a.length === 0 || b.length === 0) return 'a field is missing (KeyError, or None in arithmetic: TypeError)';
  if (a.length > 1 || b.length > 1) return 'a field is read through a list: no one value';
  const x = asNumber(a[0]);
  const y = asNumber(b[0]);
  if (x === undefined || y === undefined) return 'arithmetic on a value that is not a number (TypeError)';
  const result = spec.by === '-' ? x - y : x + y;
  switch (spec.test) {
    case '<':
      return result < spec.value;
    case '<=':
      return result <= spec.value;
    case '>':
      return result > spec.value;
    case '>=':
      return result >= spec.value;
    case '==':
      return result === spec.value;
    case '!=':
      return result !== spec.value;
  }
}

// Computed columns: a column a query defines from conditions (KQL `extend f = iff(c, 1, 0)`, ES|QL
// `EVAL f = CASE(c, "a", d, "b")`, SPL `eval f=if(c,1,0)`) or from a field (`tolower(x)`, an alias),
// and what a later filter on such a column stands for in terms of the conditions that define it.
// Each language reads its own syntax into a `ColumnDefinition`; the substitution is shared here.
import { combine, negate } from './predicates.js';
import type { Diagnostic, Operator, PredicateNode, Scalar } from './types.js';

/** Stands for a branch value that is computed, not a literal (`CASE(c, source.ip, null)`): only its nullness is traced. */
export const computedValue: unique symbol = Symbol('computed value');
type BranchValue = Scalar | typeof computedValue;

/** One branch of a conditional column: the value it takes where `when` holds. */
interface Branch {
  when: PredicateNode;
  value: BranchValue;
}

export type ColumnDefinition =
  /** The value of the first branch whose condition holds, `otherwise` when none does (null when absent). */
  | { kind: 'cases'; branches: Branch[]; otherwise: BranchValue }
  /** Another field, case-folded for `tolower(x)` / `TO_LOWER(x)` / `lower(x)`. */
  | { kind: 'field'; field: string; caseFolded: boolean }
  /** Computed in a way not traced (arithmetic, an unknown function): a filter on it stays as written. */
  | { kind: 'opaque'; text: string }
  /**
   * An aggregate over only the rows where `rows` holds (`COUNT(*) WHERE c`, `SUM(f)` of f = CASE(c, 1, 0)):
   * its filter stays as written, and one no empty aggregate passes (`>= 1`) also says some row held `rows`.
   */
  | { kind: 'rows'; rows: PredicateNode };

/** A boolean column: `f = (c)`, true where c holds. */
export function conditionColumn(when: PredicateNode): ColumnDefinition {
  return { kind: 'cases', branches: [{ when, value: true }], otherwise: false };
}

/** The columns a pipeline has computed so far, by name (a later definition replaces an earlier one). */
export class ComputedColumns {
  private readonly definitions = new Map<string, ColumnDefinition>();

  get(name: string): ColumnDefinition | undefined {
    return this.definitions.get(name);
  }

  names(): string[] {
    return [...this.definitions.keys()];
  }

  define(name: string, definition: ColumnDefinition): void {
    this.definitions.set(name, definition);
  }

  /** The column is dropped, or redefined by something that is not a computation (a new source, STATS). */
  forget(name: string): void {
    this.definitions.delete(name);
  }

  rename(from: string, to: string): void {
    const definition = this.definitions.get(from);
    this.definitions.delete(to);
    if (definition === undefined) return;
    this.definitions.delete(from);
    this.definitions.set(to, definition);
  }

  /** Only these columns still carry their definitions (a STATS keeps its BY columns' values). */
  keepOnly(names: Iterable<string>): void {
    const kept = new Set(names);
    for (const name of [...this.definitions.keys()]) if (!kept.has(name)) this.definitions.delete(name);
  }

  /** Every definition of `other` too (a pipeline reading a table whose pipeline computed columns). */
  defineAll(other: ComputedColumns): void {
    for (const [name, definition] of other.definitions) this.definitions.set(name, definition);
  }

  clone(): ComputedColumns {
    const copy = new ComputedColumns();
    for (const [name, definition] of this.definitions) copy.definitions.set(name, definition);
    return copy;
  }
}

/**
 * Whether a column value passes a filter's comparison; null (no value) passes none but `isnull`.
 * A computed value is taken to be present: only `isnull` / `isnotnull` can be told of it.
 */
type ValueTest = (value: BranchValue) => boolean | undefined;

function sameValue(a: Scalar, b: Scalar, caseSensitive: boolean): boolean {
  if (a === null || b === null) return false;
  if (typeof a === 'string' && typeof b === 'string') return caseSensitive ? a === b : a.toLowerCase() === b.toLowerCase();
  if (typeof a === 'boolean' || typeof b === 'boolean') return a === b;
  // `1` and `"1"` compare equal: SPL and SQL read numbers from text.
  return Number(a) === Number(b) && String(a).trim() !== '' && String(b).trim() !== '';
}

function order(a: Scalar, b: Scalar): number | undefined {
  if (a === null || b === null || typeof a === 'boolean' || typeof b === 'boolean') return undefined;
  const x = Number(a);
  const y = Number(b);
  return Number.isNaN(x) || Number.isNaN(y) ? undefined : x - y;
}

/**
 * The test a filter's comparison `column <op> values` makes on the column's value; undefined for
 * an operator that is not traced (contains, regex ... on a conditional column's literal values).
 */
export function valueTest(op: Operator, values: Scalar[], negated: boolean, caseSensitive: boolean): ValueTest | undefined {
  let test: (value: Scalar) => boolean;
  switch (op) {
    case 'eq':
    case 'in':
      test = (v) => values.some((w) => sameValue(v, w, caseSensitive));
      break;
    case 'exists':
      return (v) => (v !== null) !== negated;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const bound = values[0];
      if (values.length !== 1 || bound === undefined) return undefined;
      const pass = { gt: (d: number) => d > 0, gte: (d: number) => d >= 0, lt: (d: number) => d < 0, lte: (d: number) => d <= 0 }[op];
      test = (v) => {
        const d = order(v, bound);
        return d !== undefined && pass(d);
      };
      break;
    }
    default:
      return undefined;
  }
  // A negated comparison with no value is as false as the comparison itself (null semantics).
  return (v) => (v === computedValue ? undefined : negated ? v !== null && !test(v) : test(v));
}

/**
 * The condition a filter on a conditional column stands for: where the column takes a value the
 * test passes. A branch counts where it holds and no earlier branch of the other outcome does
 * (the first branch that holds gives the value); when the default value passes too, the filter
 * is the negation of the branches that lead elsewhere. So `iff(c, 1, 0) == 0` is `not(c)` and
 * `case(a, "x", b, "y") == "y"` is `b and not(a)`. Undefined when the filter passes every row or none.
 */
export function casesCondition(definition: Extract<ColumnDefinition, { kind: 'cases' }>, test: ValueTest): PredicateNode | undefined {
  const passes = definition.branches.map((b) => test(b.value));
  const fallback = test(definition.otherwise);
  if (fallback === undefined || passes.includes(undefined)) return undefined;
  /** Branch i where it gives the value: it holds, and no earlier branch of the other outcome does. */
  const reached = (i: number): PredicateNode => {
    const earlier = definition.branches.slice(0, i).filter((_, j) => passes[j] !== passes[i]);
    const when = definition.branches[i]!.when;
    return earlier.length === 0
      ? when
      : combine('and', [
          when,
          negate(
            combine(
              'or',
              earlier.map((b) => b.when),
            ),
          ),
        ]);
  };
  const outcome = (pass: boolean): PredicateNode[] => passes.flatMap((p, i) => (p === pass ? [reached(i)] : []));
  if (fallback) {
    const elsewhere = outcome(false);
    return elsewhere.length > 0 ? negate(combine('or', elsewhere)) : undefined;
  }
  const passing = outcome(true);
  return passing.length > 0 ? combine('or', passing) : undefined;
}

/**
 * What a filter on an aggregate over selected rows (kind `rows`) asks of those rows: that one held,
 * when the filter passes neither no rows (0, null) nor is untraced; undefined otherwise (`< 5`).
 * An aggregate the query requires to be non-zero makes its rows' condition required, not one of
 * the aggregates' alternatives.
 */
export function rowsRequiredBy(columns: ComputedColumns | undefined, name: string, test: ValueTest | undefined): PredicateNode | undefined {
  return requiredRows(columns?.get(name), test);
}

/** `rowsRequiredBy` for a definition in hand (SQL's `HAVING COUNT_IF(c) > 0` names no column). */
export function requiredRows(definition: ColumnDefinition | undefined, test: ValueTest | undefined): PredicateNode | undefined {
  if (definition?.kind !== 'rows' || !test) return undefined;
  return test(0) === false && test(null) === false ? definition.rows : undefined;
}

/** A leaf of a conjunction: a predicate, negated when under a `not`. */
function conjuncts(node: PredicateNode): { field: string; op: Operator; values: Scalar[]; negated: boolean }[] {
  if (node.kind === 'and') return node.children.flatMap(conjuncts);
  if (node.kind === 'pred') return [node.predicate];
  if (node.kind === 'not' && node.child.kind === 'pred') return [{ ...node.child.predicate, negated: !node.child.predicate.negated }];
  return [];
}

const folded = (v: Scalar) => String(v).toLowerCase();

/**
 * The rows an aggregate selects, within the filters every row passed before it (the WHEREs since
 * the source or the last STATS): of a filter's alternatives, those that can hold together with
 * `rows`. `(a == "x" and b) or (a IN ("y", "z") and c)` then `SUM(a == "x")`: the rows it counts are
 * those of the first alternative, so b held on them too. Alternatives are told apart only by a
 * field `rows` fixes to values (`eq` / `in`) and the alternative fixes to others, or excludes.
 */
export function rowsWithin(rows: PredicateNode, filters: PredicateNode[]): PredicateNode {
  const fixed = new Map<string, Set<string>>();
  for (const p of conjuncts(rows))
    if (!p.negated && (p.op === 'eq' || p.op === 'in')) fixed.set(p.field.toLowerCase(), new Set(p.values.map(folded)));
  if (fixed.size === 0) return rows;
  const contradicts = (branch: PredicateNode) =>
    conjuncts(branch).some((p) => {
      const values = fixed.get(p.field.toLowerCase());
      if (!values || (p.op !== 'eq' && p.op !== 'in')) return false;
      const listed = new Set(p.values.map(folded));
      return p.negated ? [...values].every((v) => listed.has(v)) : ![...values].some((v) => listed.has(v));
    });
  const narrowed: PredicateNode[] = [];
  for (const filter of filters)
    for (const part of filter.kind === 'and' ? filter.children : [filter]) {
      if (part.kind !== 'or') continue;
      const compatible = part.children.filter((branch) => !contradicts(branch));
      if (compatible.length > 0 && compatible.length < part.children.length) narrowed.push(combine('or', compatible));
    }
  if (narrowed.length === 0) return rows;
  // The alternative restates what `rows` fixes (`a == "x" and b`): each conjunct once.
  const all = combine('and', [rows, ...narrowed]);
  if (all.kind !== 'and') return all;
  const seen = new Set<string>();
  return combine(
    'and',
    all.children.filter((c) => {
      const key = JSON.stringify(c);
      return !seen.has(key) && seen.add(key);
    }),
  );
}

/** The info a language reports when a filter compares a column it cannot trace back to its definition. */
function untracedMessage(column: string, definition: Extract<ColumnDefinition, { kind: 'opaque' }>): string {
  const shown = definition.text.length > 80 ? definition.text.slice(0, 77) + '...' : definition.text;
  return `the filter on computed column ${column} is kept as written: its definition (${shown}) is not traced to conditions`;
}

/** The info a language reports when a filter compares a conditional column in a way not traced. */
function untracedFilterMessage(column: string, filter: string): string {
  const shown = filter.length > 80 ? filter.slice(0, 77) + '...' : filter;
  return `the filter ${shown} on computed column ${column} is kept as written: it passes every value of the column or none, or compares it in a way not traced`;
}

/** Add an info once per query: a column filtered twenty times is one gap. */
export function noteOnce(notes: Diagnostic[], message: string, at: { line: number; column: number }): void {
  if (!notes.some((d) => d.message === message)) notes.push({ message, severity: 'info', scope: 'query', ...at });
}

/**
 * A filter on a computed column, as the conditions that define it: undefined when `name` is no
 * conditional column, or when the filter cannot be traced (`note` then hears why: an untraced
 * computation, or a filter passing every value or none, or an operator not traced).
 */
export function filterOnColumn(
  columns: ComputedColumns | undefined,
  name: string,
  test: ValueTest | undefined,
  filterText: string,
  note: (message: string) => void,
): PredicateNode | undefined {
  const definition = columns?.get(name);
  if (!definition || definition.kind === 'field' || definition.kind === 'rows') return undefined;
  if (definition.kind === 'opaque') {
    note(untracedMessage(name, definition));
    return undefined;
  }
  const traced = test ? casesCondition(definition, test) : undefined;
  if (!traced) note(untracedFilterMessage(name, filterText));
  return traced;
}

// A constant collection of rows: `{tuple(kv) for kv in json.loads(TAGS())}` with a test's mocked text
// '[["environment", "dmz"]]', `json.loads('[["a", 1]]')`, `[tuple(r) for r in (("a", 1),)]`. Each row is a tuple of
// constants, so `for key, value in ROWS:` is read once per row with both names bound to that row's
// constants (conditions.ts `unrolled`), and `resource["Tags"].get(key) == value` names one field and
// one value each time. A row holding anything but constants, or rows of different lengths to one
// pattern, are not read here.
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import { tupleRows } from './tuple-membership.js';
import { type ConstValue, field, named, unwrap } from './values.js';

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** `json.loads(x)` with x a constant text (`value` reads it) holding a list of lists of scalars: those lists. */
function jsonRows(call: Node, value: (n: Node) => ConstValue | undefined): Scalar[][] | undefined {
  const fn = call.type === 'call' ? field(call, 'function') : undefined;
  const args = call.type === 'call' ? field(call, 'arguments') : undefined;
  if (fn?.type !== 'attribute' || field(fn, 'object')?.text !== 'json' || field(fn, 'attribute')?.text !== 'loads' || !args)
    return undefined;
  const given = named(args);
  const text = given.length === 1 && given[0]!.type !== 'keyword_argument' ? value(given[0]!) : undefined;
  if (text?.kind !== 'scalar' || typeof text.value !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.value);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((row) => Array.isArray(row) && row.every(isScalar))) return undefined;
  return parsed;
}

/**
 * `[tuple(x) for x in R]`, `{tuple(x) for x in R}`, `[x for x in R]` with R rows: R (a set without its
 * repeated rows). No `if` clause, one `for`.
 */
function comprehendedRows(n: Node, rowsOf: (n: Node) => Scalar[][] | undefined): Scalar[][] | undefined {
  if (n.type !== 'list_comprehension' && n.type !== 'set_comprehension') return undefined;
  const body = field(n, 'body');
  const clauses = named(n).filter((c) => c.id !== body?.id);
  const loop = clauses[0];
  if (!body || clauses.length !== 1 || loop?.type !== 'for_in_clause') return undefined;
  const variable = field(loop, 'left');
  const source = field(loop, 'right');
  if (variable?.type !== 'identifier' || !source) return undefined;
  const b = unwrap(body);
  const fn = b.type === 'call' ? field(b, 'function') : undefined;
  const args = b.type === 'call' ? field(b, 'arguments') : undefined;
  const wrapped = fn?.text === 'tuple' && args && named(args).length === 1 ? unwrap(named(args)[0]!) : b;
  if (wrapped.type !== 'identifier' || wrapped.text !== variable.text) return undefined;
  // A set of lists raises (unhashable): only tuples go into a set.
  if (n.type === 'set_comprehension' && wrapped.id === b.id) return undefined;
  const rows = rowsOf(source);
  if (!rows || n.type === 'list_comprehension') return rows;
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(JSON.stringify(r)) && seen.add(JSON.stringify(r)));
}

/**
 * The rows `node` holds: `json.loads` of a constant text holding a list of lists, or a comprehension
 * copying one (or a literal collection of tuples) as tuples; undefined for anything else or past `max` rows.
 * `value` reads constants (a mocked call among them).
 */
export function constantRows(node: Node, value: (n: Node) => ConstValue | undefined, max: number): Scalar[][] | undefined {
  const read = (x: Node): Scalar[][] | undefined => {
    const n = unwrap(x);
    return tupleRows(n, value) ?? jsonRows(n, value) ?? comprehendedRows(n, read);
  };
  // A literal collection of tuples alone keeps its reading (tuple-membership.ts reads `in` of it).
  const n = unwrap(node);
  const rows = jsonRows(n, value) ?? comprehendedRows(n, read);
  return rows && rows.length <= max && rows.length > 0 ? rows : undefined;
}

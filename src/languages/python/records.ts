// A dict of named values, written as a literal or returned by a helper (`return {"actor": user,
// "verb": verb}`): a name bound to it is a record, and `r["k"]` / `r.get("k")` / `r.get("k", d)` is
// entry k's own binding (a field, a constant ...), so that a field of the returned dict compared
// later is a test of that field. A record holds every key its literal writes (no `**x`): a key it
// does not hold is `.get`'s default (None without one), and `"k" in r` a constant; `r["k"]` of such
// a key raises KeyError, left to what reads the expression otherwise.
import type { Node } from 'web-tree-sitter';
import type { Binding } from './conditions.js';
import { type ConstValue, field, named, unwrap } from './values.js';

export type RecordEntries = Map<string, Binding>;

/** The entries of a dict literal whose keys are all constant texts; undefined with `**x` or any other key. */
export function recordEntries(
  dict: Node,
  keyOf: (n: Node) => string | undefined,
  bindingOf: (n: Node) => Binding,
): RecordEntries | undefined {
  if (dict.type !== 'dictionary') return undefined;
  const pairs = named(dict);
  if (pairs.length === 0 || pairs.some((p) => p.type !== 'pair')) return undefined;
  const entries: RecordEntries = new Map();
  for (const pair of pairs) {
    const key = field(pair, 'key');
    const value = field(pair, 'value');
    const name = key?.type === 'string' ? keyOf(key) : undefined;
    if (name === undefined || !value) return undefined;
    entries.set(name, bindingOf(value));
  }
  return entries;
}

/** A helper whose body ends in `return {...}`: the statements before it, and the dict returned. */
export function returnedDict(def: Node): { before: Node[]; dict: Node } | undefined {
  const body = field(def, 'body');
  const stmts = body ? named(body) : [];
  const last = stmts[stmts.length - 1];
  const expr = last?.type === 'return_statement' ? named(last)[0] : undefined;
  const dict = expr && unwrap(expr);
  return dict?.type === 'dictionary' ? { before: stmts.slice(0, -1), dict } : undefined;
}

/**
 * `r["k"]`, `r.get("k")` or `r.get("k", d)`: the expression read as a record, the key's node, and
 * for `.get` what a key not held gives (the default's node, or null for None).
 */
export function entryAccess(n: Node): { record: Node; key: Node; missing?: Node | null } | undefined {
  if (n.type === 'subscript') {
    const value = field(n, 'value');
    const subs = n.childrenForFieldName('subscript').filter((s): s is Node => s !== null);
    return value && subs.length === 1 ? { record: unwrap(value), key: subs[0]! } : undefined;
  }
  if (n.type !== 'call') return undefined;
  const fn = field(n, 'function');
  const record = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
  const args = field(n, 'arguments');
  const given = args ? named(args) : [];
  if (!record || field(fn!, 'attribute')?.text !== 'get' || given.length < 1 || given.length > 2) return undefined;
  // dict.get takes two positional arguments: a splat or a keyword is some other object's get.
  if (given.some((a) => a.type === 'keyword_argument' || a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
  return { record: unwrap(record), key: given[0]!, missing: given[1] ?? null };
}

/**
 * A record as a constant dict: its keys, every one known (`"k" in r`, `r.get("x", "")` of a key it
 * does not hold), and the values of the entries that are constants (the others not read).
 */
export function recordConstant(entries: RecordEntries): ConstValue {
  const pairs = [...entries].map(([k, b]): [string, ConstValue | undefined] => [k, b.kind === 'const' ? b.value : undefined]);
  return { kind: 'collection', values: [...entries.keys()], entries: pairs };
}

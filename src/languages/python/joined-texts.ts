// `sep.join(f)` (or `sep.join(str(x) for x in f)`, with `.lower()` after it): one text of a list
// field's elements. A constant text holding no character of the separator is inside it exactly
// when it is inside one element, so `C in sep.join(f)` is then a `contains` test of the field's
// elements. A text joins its characters instead: `f` must not be a text (a predicate of its type),
// and C at least two characters long, which joined characters never hold. Anything else about the
// joined text (its equality, its start) is not read.
import type { Node } from 'web-tree-sitter';
import { field, named, unwrap } from './values.js';

const casings = new Set(['lower', 'casefold']);

export interface JoinedText {
  separator: string;
  /** The list the elements come from. */
  list: Node;
  lowered: boolean;
}

/** The literal text of a plain string node (no f-string, no escapes), else undefined. */
function plainText(n: Node): string | undefined {
  if (n.type !== 'string') return undefined;
  const parts = named(n);
  if (parts.some((p) => p.type !== 'string_start' && p.type !== 'string_content' && p.type !== 'string_end')) return undefined;
  const start = parts.find((p) => p.type === 'string_start')?.text ?? '';
  if (/[fbr]/i.test(start)) return undefined;
  return parts.find((p) => p.type === 'string_content')?.text ?? '';
}

/** The list a join reads: `f`, or a generator `x for x in f` / `str(x) for x in f` without filters. */
function joinedList(arg: Node): Node | undefined {
  const a = unwrap(arg);
  if (a.type !== 'generator_expression') return a;
  const clauses = named(a).filter((c) => c.type !== 'comment');
  const body = field(a, 'body');
  const clause = clauses.find((c) => c.type === 'for_in_clause');
  if (!body || !clause || clauses.length !== 2) return undefined;
  const left = field(clause, 'left');
  const right = field(clause, 'right');
  if (left?.type !== 'identifier' || !right) return undefined;
  const b = unwrap(body);
  if (b.type === 'identifier' && b.text === left.text) return right;
  const fn = b.type === 'call' ? field(b, 'function') : undefined;
  const args = b.type === 'call' ? field(b, 'arguments') : undefined;
  const inner = args ? named(args) : [];
  if (fn?.text === 'str' && inner.length === 1 && inner[0]!.type === 'identifier' && inner[0]!.text === left.text) return right;
  return undefined;
}

/** `sep.join(list)` with `sep` a literal text, possibly lowered (`.lower()` / `.casefold()` after it). */
export function joinedText(node: Node): JoinedText | undefined {
  let n = unwrap(node);
  let lowered = false;
  for (;;) {
    const fn = n.type === 'call' ? field(n, 'function') : undefined;
    const method = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : undefined;
    const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
    const args = n.type === 'call' ? field(n, 'arguments') : undefined;
    // `sep.join(x for x in f)`: the generator is the call's arguments node itself.
    const given = args?.type === 'generator_expression' ? [args] : args ? named(args) : [];
    if (!obj || !method) return undefined;
    if (casings.has(method) && given.length === 0) {
      lowered = true;
      n = unwrap(obj);
      continue;
    }
    const separator = method === 'join' && given.length === 1 ? plainText(unwrap(obj)) : undefined;
    const list = separator !== undefined ? joinedList(given[0]!) : undefined;
    return separator !== undefined && list ? { separator, list, lowered } : undefined;
  }
}

/**
 * Whether `C in sep.join(f)` is `C` inside one element of `f` for each of the texts C: C holds no
 * character of the separator (so it cannot reach across one), and there is a separator.
 */
export function readsAsElementTest(values: unknown[], separator: string): values is string[] {
  if (separator === '' || values.length === 0) return false;
  return values.every((v) => typeof v === 'string' && v.length >= 2 && ![...separator].some((c) => v.includes(c)));
}

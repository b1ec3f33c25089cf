// `(a, b) in PAIRS` where PAIRS is a constant collection of tuples of constants (a set of
// parent/child process names): true where some row equals the tuple element by element, so it is
// an `or` over the rows of an `and` of one equality per element. A row of another length never
// equals the tuple. An element that is neither a field nor a constant leaves the test unread.
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import { type ConstValue, named, unwrap } from './values.js';

/** The rows of a list, set or tuple literal whose elements are all tuples of constant scalars. */
export function tupleRows(collection: Node, evaluate: (n: Node) => ConstValue | undefined): Scalar[][] | undefined {
  const n = unwrap(collection);
  if (!['list', 'set', 'tuple'].includes(n.type)) return undefined;
  const rows: Scalar[][] = [];
  for (const el of named(n)) {
    if (el.type !== 'tuple') return undefined;
    const row: Scalar[] = [];
    for (const item of named(el)) {
      const v = evaluate(item);
      if (v?.kind !== 'scalar') return undefined;
      row.push(v.value);
    }
    rows.push(row);
  }
  return rows;
}

/** The elements of a tuple written on the left of `in`: `(a, b)`; undefined for anything else. */
export function tupleElements(left: Node): Node[] | undefined {
  const n = unwrap(left);
  return n.type === 'tuple' && named(n).length > 1 ? named(n) : undefined;
}

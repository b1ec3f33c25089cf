// A separator written in for another before the split: `path.replace("/", "\\").split("\\")[-1]`,
// a file name after either kind of slash. Replacing one character by the separator and splitting
// keeps the text after the last of either: the last piece of a split on two separators. Only one
// character replaced by the one-character separator is read (`replace(a, b)`, no count): the value
// tested then holds neither, and is the field's text after its last `a` or `b` (segments.ts).
import type { Node } from 'web-tree-sitter';
import type { FieldRef } from './conditions.js';
import { type ConstValue, field, named, unwrap } from './values.js';

/** `x.replace(a, sep)` with `a` one constant character other than `sep`: `x` and `a`. */
export function replacedBySeparator(
  n: Node,
  separator: string,
  constOf: (n: Node) => ConstValue | undefined,
): { inner: Node; replaced: string } | undefined {
  const call = unwrap(n);
  const fn = call.type === 'call' ? field(call, 'function') : undefined;
  const inner = fn?.type === 'attribute' && field(fn, 'attribute')?.text === 'replace' ? field(fn, 'object') : undefined;
  if (!inner || separator.length !== 1) return undefined;
  const args = field(call, 'arguments');
  const positional = args ? named(args) : [];
  // Two plain arguments: no count, no splat, no keyword.
  if (positional.length !== 2 || positional.some((a) => a.type.endsWith('splat') || a.type === 'keyword_argument')) return undefined;
  const [from, to] = positional.map(constOf);
  if (from?.kind !== 'scalar' || to?.kind !== 'scalar' || typeof from.value !== 'string' || to.value !== separator) return undefined;
  if (from.value.length !== 1 || from.value === separator) return undefined;
  return { inner, replaced: from.value };
}

/** The ref's last piece after `separator` or `replaced`: undefined for a ref read in a way not written here. */
export function lastPieceOfEither(ref: FieldRef | undefined, separator: string, replaced: string): FieldRef | undefined {
  if (!ref || ref.after || ref.at || ref.trimmed || ref.guards || ref.json || ref.converted || ref.item !== undefined) return undefined;
  if (ref.fields.some((f) => f.startsWith('udm:'))) return undefined;
  return {
    ...ref,
    after: Object.fromEntries(ref.fields.map((f) => [f, separator])),
    alsoAfter: Object.fromEntries(ref.fields.map((f) => [f, replaced])),
  };
}

// Data-model fields keep the log types whose model gave them. `event.udm("verb")` reads the model of
// the event's own log type only: under a rule of three LogTypes it is one of three fields, each
// right for its own log. A predicate on such a field carries those log types (Predicate.logTypes),
// so that the evaluator does not apply it to another log's event and the events step does not
// claim its values for another log's provider.
import { combine, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { Cond, FieldRef } from './conditions.js';
import { segmentPredicate } from './segments.js';
import { lastPieceOf } from './last-pieces.js';
import { indexedPiecePredicate } from './pieces.js';
import { trimmedPredicate } from './trimmed.js';
import { guardedPredicate, joinedGuards } from './guards.js';
import { itemPredicates } from './item-index.js';
import { defaultedPredicate } from './field-defaults.js';
import { shlexPredicates } from './shlex-split.js';
import { decodedPredicates } from './base64-decoded.js';

/** The field ref with each field that has no log types yet given `logTypes` (a data-model method's returns). */
export function scopeRef(ref: FieldRef, logTypes: readonly string[] | undefined): FieldRef {
  if (!logTypes || logTypes.length === 0) return ref;
  const scoped: Record<string, string[]> = { ...ref.logTypes };
  for (const f of ref.fields) scoped[f] ??= [...logTypes];
  return { ...ref, logTypes: scoped };
}

/**
 * Several refs read as one value (a UDM name's fields under several log types, `a or b`): their
 * fields, with each field's log types and separator. Undefined when one field is read two ways.
 */
export function joinRefs(refs: readonly FieldRef[], lowered: boolean): FieldRef | undefined {
  // A piece at an index (pieces.ts), a stripped text (trimmed.ts) is not its field: not joined.
  if (refs.some((r) => r.at || r.alsoAfter || r.trimmed || r.item !== undefined)) return undefined;
  const guards = joinedGuards(refs);
  if (!guards) return undefined;
  const after: Record<string, string> = {};
  for (const ref of refs)
    for (const f of ref.fields) {
      const sep = ref.after?.[f];
      if (sep !== undefined) after[f] = sep;
    }
  for (const ref of refs) for (const f of ref.fields) if (Object.hasOwn(after, f) && ref.after?.[f] !== after[f]) return undefined;
  const logTypes = mergedLogTypes(refs);
  return {
    fields: [...new Set(refs.flatMap((r) => r.fields))],
    lowered,
    ...(logTypes ? { logTypes } : {}),
    ...(Object.keys(after).length > 0 ? { after } : {}),
    ...(refs.some((r) => r.json) ? { json: true } : {}),
    ...guards,
  };
}

/** The log types of the fields several refs bring together (a field without any stays without). */
function mergedLogTypes(refs: readonly FieldRef[]): Record<string, string[]> | undefined {
  let out: Record<string, string[]> | undefined;
  const plain = new Set<string>();
  for (const ref of refs)
    for (const f of ref.fields) {
      const types = ref.logTypes?.[f];
      if (!types) plain.add(f);
      else {
        out ??= {};
        out[f] = [...new Set([...(out[f] ?? []), ...types])];
      }
    }
  // A field some ref reads under every log type is not scoped.
  for (const f of plain) if (out) delete out[f];
  return out && Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A data-model method's condition, for its own log types only: its predicates carry them, and when
 * the condition could hold with every such predicate's positive form false (a method returning a
 * constant unless some field holds a value: `if f != "x": return C`), it is and-ed with the
 * event's log type (`p_log_type`, which the evaluator reads as the event's log), so that it never
 * holds on another log's event.
 */
export function scopeCond(cond: Cond, logTypes: readonly string[] | undefined): Cond {
  if (typeof cond === 'boolean' || !logTypes || logTypes.length === 0) return cond;
  const scoped = tagged(cond, logTypes);
  if (offLog(scoped) === false) return scoped;
  const gate = predicate('p_log_type', 'in', [...logTypes], { caseSensitive: false, nativeOp: 'data model', text: 'p_log_type' });
  return combine('and', [tagged(gate, logTypes), scoped]);
}

/** Every predicate of the node that has no log types yet given `logTypes`. */
function tagged(node: PredicateNode, logTypes: readonly string[]): PredicateNode {
  switch (node.kind) {
    case 'pred':
      return node.predicate.logTypes ? node : { kind: 'pred', predicate: { ...node.predicate, logTypes: [...logTypes] } };
    case 'not':
      return { kind: 'not', child: tagged(node.child, logTypes) };
    case 'some':
      return { ...node, child: tagged(node.child, logTypes) };
    case 'and':
    case 'or':
      return { kind: node.kind, children: node.children.map((c) => tagged(c, logTypes)) };
    default:
      return node;
  }
}

/** The condition on an event of none of its predicates' log types: each positive form false, the rest unknown. */
function offLog(node: PredicateNode): boolean | undefined {
  switch (node.kind) {
    case 'pred':
      return node.predicate.logTypes ? node.predicate.negated : undefined;
    case 'not': {
      const v = offLog(node.child);
      return v === undefined ? undefined : !v;
    }
    case 'and': {
      const vs = node.children.map(offLog);
      return vs.includes(false) ? false : vs.includes(undefined) ? undefined : true;
    }
    case 'or': {
      const vs = node.children.map(offLog);
      return vs.includes(true) ? true : vs.includes(undefined) ? undefined : false;
    }
    default:
      return undefined;
  }
}

/**
 * One predicate per field of the ref, or-ed. A negated test on fields of several data models is
 * the negation of that `or` (De Morgan: the negated predicates and-ed), since each model's field
 * holds the value only on its own log's events.
 */
export function refPredicates(
  ref: FieldRef,
  op: Operator,
  values: Scalar[],
  opts: { negated: boolean; caseSensitive: boolean; nativeOp: string; text: string; transform?: string },
): PredicateNode {
  if (ref.shlexed) return shlexPredicates({ ...ref, shlexed: ref.shlexed }, op, values, opts);
  if (ref.decoded) return decodedPredicates({ ...ref, decoded: ref.decoded }, op, values, opts);
  if (ref.item !== undefined) return itemPredicates(ref, ref.item, op, values, opts);
  const nodes = ref.fields.map((f) => {
    const separator = ref.after?.[f];
    const at = ref.at?.[f];
    const trim = ref.trimmed?.[f];
    const node = at
      ? indexedPiecePredicate(f, at, op, values, opts)
      : separator !== undefined
        ? segmentPredicate(f, separator, op, values, opts, ref.alsoAfter?.[f], lastPieceOf(ref, f, separator, opts.transform))
        : trim
          ? trimmedPredicate(f, trim, op, values, opts)
          : predicate(f, op, values, opts);
    const types = ref.logTypes?.[f];
    const guarded = guardedPredicate(defaultedPredicate(node, ref, f), ref.guards?.[f], opts.negated);
    return types ? tagged(guarded, types) : guarded;
  });
  const scoped = ref.logTypes !== undefined && ref.fields.some((f) => ref.logTypes?.[f]);
  return combine(opts.negated && scoped ? 'and' : 'or', nodes);
}

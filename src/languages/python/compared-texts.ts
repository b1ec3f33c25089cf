// Two texts built from one event compared with each other: `actor_domain != target_domain` with
// each `event.deep_get(..., default="@").split("@")[-1]`, `kms_parts[4] != event.get("account", "")`.
// No constant names either value, so the test is a `fieldref` predicate between the two fields, its
// transform (`texts:{...}`) saying how each side's value becomes the text compared: the default a
// missing field gives, and the piece of a split kept (after the last separator, or at an index from
// the start). The evaluator builds both texts from the event and compares them as Python's `==`
// does; where Python would raise (`.split` of None or of a number, an index past the last piece) or
// the field is no one value (read through a list) the test is not evaluated.
import type { PredicateNode, Scalar } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { refPredicates } from './log-types.js';
import { type PieceStep, stepped } from './chained-pieces.js';

/** How one side's field value becomes the value compared. */
export interface ComparedSide {
  /** What a missing field gives (`.get(k, d)`, `deep_get(..., default=d)`); absent: None. */
  missing?: Scalar;
  /** The default is given for a key holding None too (`deep_get`); `.get` gives None there. */
  onNull?: boolean;
  /** The piece kept of `value.split(separator)`: `index` from the start, -1 the last; `then`: further splits of it. */
  piece?: { separator: string; index: number; then?: PieceStep[] };
}

export interface ComparedTexts {
  left: ComparedSide;
  right: ComparedSide;
}

/** The one plain field a side reads and how its value is changed; undefined for what is not read here. */
function sideOf(ref: FieldRef): { field: string; side: ComparedSide } | undefined {
  if (ref.fields.length !== 1 || ref.lowered || ref.guards || ref.json || ref.trimmed || ref.converted || ref.walked) return undefined;
  if (ref.item !== undefined || ref.alsoAfter) return undefined;
  const name = ref.fields[0]!;
  if (name.startsWith('udm:') || ref.logTypes?.[name]) return undefined;
  const after = ref.after?.[name];
  const at = ref.at?.[name];
  if (at?.stripped || at?.from !== undefined) return undefined;
  const piece = at
    ? { separator: at.separator, index: at.index, ...(at.then ? { then: at.then } : {}) }
    : after !== undefined
      ? { separator: after, index: -1 }
      : undefined;
  const fallback = ref.defaults?.[name];
  return {
    field: name,
    side: {
      ...(fallback ? { missing: fallback.value, onNull: fallback.onNull } : {}),
      ...(piece ? { piece } : {}),
    },
  };
}

const prefix = 'texts:';

/**
 * `a == b` / `a != b` with both sides fields of which one at least is a piece of a split or has a
 * default: a `fieldref` predicate carrying how both are built. Undefined when a side is read in a
 * way not written here (several fields, a lowered or stripped text, a conversion, a guard).
 */
export function comparedTexts(left: FieldRef, op: string, right: FieldRef, text: string): PredicateNode | undefined {
  const l = sideOf(left);
  const r = sideOf(right);
  if (!l || !r) return undefined;
  const changed = (s: ComparedSide) => s.piece !== undefined || s.missing !== undefined;
  if (!changed(l.side) && !changed(r.side)) return undefined;
  const spec: ComparedTexts = { left: l.side, right: r.side };
  const opts = { negated: op !== '==', caseSensitive: true, nativeOp: op, text, transform: prefix + JSON.stringify(spec) };
  // The sides' own pieces and defaults are in the transform: the predicate is on the plain field.
  return refPredicates({ fields: [l.field], lowered: false }, 'fieldref', [r.field], opts);
}

/** Whether a transform is one `comparedTexts` wrote. */
export function isComparedTexts(transform: string | undefined): boolean {
  return transform?.startsWith(prefix) === true;
}

/** A transform `comparedTexts` wrote, read back. */
export function parseComparedTexts(transform: string): ComparedTexts {
  return JSON.parse(transform.slice(prefix.length)) as ComparedTexts;
}

/** One side's value, or why Python raises building it. */
export type SideValue = { value: unknown } | { raised: string };

/**
 * The value one side compares: `found` is what the event holds at the field (undefined: the key is
 * absent; [null]: it holds None; several: read through a list). A piece of None or of anything but a
 * text raises, as does an index past the last piece.
 */
export function sideValue(side: ComparedSide, found: unknown[] | undefined): SideValue {
  let value: unknown;
  if (found === undefined || found.length === 0) value = side.missing ?? null;
  else if (found.length > 1) return { raised: 'the field is read through a list: no one value' };
  else value = found[0] === null && side.onNull && side.missing !== undefined ? side.missing : found[0];
  if (!side.piece) return { value };
  if (typeof value !== 'string') return { raised: `.split() of ${value === null ? 'None' : 'a value that is not a text'}` };
  const pieces = value.split(side.piece.separator);
  const index = side.piece.index < 0 ? pieces.length + side.piece.index : side.piece.index;
  if (index < 0 || index >= pieces.length) return { raised: `the text has no piece ${side.piece.index} (IndexError)` };
  const kept = stepped(pieces[index]!, side.piece.then ?? []);
  return kept === undefined ? { raised: 'a piece of the piece is not there (IndexError)' } : { value: kept };
}

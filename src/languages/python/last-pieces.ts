// A test other than equality on the last piece of a split field: `re.match(P, f.split("/")[-1])`,
// `"x" in f.split("@")[-1]`, `f.split(".")[-1].startswith("y")`. segments.ts turns equality and
// endings into tests on the whole field; a prefix, a substring or a pattern says nothing exact of
// the field, so the predicate carries transform `last:{...}` and the evaluator cuts the piece off
// the field's text as Python's `split(sep)[-1]` does before testing it. `None.split` raises: a
// missing (or null) field reads as the constant default the code gave it, and with none the test
// is not evaluated.
import type { FieldDefault } from './field-defaults.js';
import type { FieldRef } from './conditions.js';

const prefix = 'last:';

/** How a last-piece predicate reads its field: the separator, and the text a missing field gives. */
export interface LastPiece {
  separator: string;
  /** The code's default for a missing field (`.get(k, "")`), when a text. */
  missing?: string;
  /** A field holding null gives the default too (`deep_get`); with `.get(k, d)` it is None (raises). */
  onNull?: boolean;
}

/** How tests on `ref`'s field `f` after its last `separator` read, when only the plain text is read (nothing parsed, converted, trimmed). */
export function lastPieceOf(ref: FieldRef, f: string, separator: string, transform: string | undefined): LastPiece | undefined {
  if (transform !== undefined || separator === '' || ref.alsoAfter?.[f] !== undefined) return undefined;
  if (ref.json || ref.converted || ref.unquoted || ref.trimmed?.[f] || ref.walked || ref.item !== undefined) return undefined;
  const fallback: FieldDefault | undefined = ref.defaults?.[f];
  if (fallback === undefined || typeof fallback.value !== 'string') return { separator };
  return { separator, missing: fallback.value, onNull: fallback.onNull };
}

/** The predicate transform of a test on that piece. */
export function lastPieceTransform(piece: LastPiece): string {
  return prefix + JSON.stringify(piece);
}

/** Whether a predicate transform reads a last piece. */
export function isLastPiece(transform: string | undefined): transform is string {
  return transform?.startsWith(prefix) === true;
}

const specs = new Map<string, LastPiece | undefined>();

/** The transform read back (once per distinct transform: they come from rules, so the cache is bounded). */
export function parseLastPiece(transform: string): LastPiece | undefined {
  if (specs.has(transform)) return specs.get(transform);
  if (specs.size >= 1024) specs.clear();
  let spec: LastPiece | undefined;
  try {
    const v = JSON.parse(transform.slice(prefix.length)) as Partial<LastPiece>;
    if (typeof v.separator === 'string' && v.separator !== '' && (v.missing === undefined || typeof v.missing === 'string'))
      spec = { separator: v.separator, ...(v.missing !== undefined ? { missing: v.missing, onNull: v.onNull === true } : {}) };
  } catch {
    spec = undefined;
  }
  specs.set(transform, spec);
  return spec;
}

/**
 * The text the code tests, from the field's one value (`undefined` for missing, `null` for null):
 * the text after the last separator (the whole text without one), the default where the code
 * gives it, and undefined where Python raises (None, a value that is no text).
 */
export function lastPieceText(spec: LastPiece, value: unknown): string | undefined {
  if (value === undefined || (value === null && spec.onNull)) return spec.missing?.split(spec.separator).at(-1);
  if (typeof value !== 'string') return undefined;
  // Python's `str.split(sep)` and JavaScript's agree for a non-empty separator.
  return value.split(spec.separator).at(-1);
}

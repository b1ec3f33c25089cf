// A field's text tested against a text the code builds from another field of the same event:
// `arn.endswith(f"/{event.deep_get('requestParameters', 'userName', default='')}")` (the caller is
// the user it acts on), `invited.endswith(domain)` with `domain = inviter.split("@")[-1]` (the same
// e-mail domain). No constant names the value, so the test is a `fieldref` predicate between the
// two fields: its nativeOp the method (`.startswith` / `.endswith`), its value the other field, and
// its transform (`built:{...}`) how that field's value becomes the text compared: the piece after a
// separator's last occurrence, text written before and after it (an f-string), and what a missing
// field gives (an f-string formats None as "None"; a default written in the call is its text).
// evaluate.ts builds the text from the event and tests it; what Python would raise on (a missing
// field with nothing saying what it gives, a value that is not a text) is not evaluated.
import type { Node } from 'web-tree-sitter';
import type { Scalar } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { type ConstValue, field, named, unwrap } from './values.js';

/** How the other field's value becomes the text compared. */
export interface BuiltText {
  /** The other field (one path). */
  field: string;
  /** Written before the field's text (an f-string's literal part). */
  before: string;
  after: string;
  /** The field's text after the last of this separator (`f.split("@")[-1]`). */
  piece?: string;
  /** The text a missing field gives, when the code says (a default, or an f-string's "None"). */
  missing?: string;
}

/** What reading the argument needs of the analyser, in the caller's scope. */
export interface BuiltTextReader {
  fieldOf(node: Node): FieldRef | undefined;
  constOf(node: Node): ConstValue | undefined;
}

const fieldCalls = new Set(['get', 'deep_get', 'deep_walk']);

/** Python's `str()` of a constant default, as an f-string formats it. */
function formatted(value: Scalar): string | undefined {
  if (value === null) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return Number.isInteger(value) ? String(value) : undefined;
}

/**
 * What `x.get(k[, d])`, `x.deep_get(..., default=d)` or `deep_get(e, ..., default=d)` gives when
 * the field is missing, as an f-string formats it: the default's text, else "None". Undefined for
 * any other expression (a name bound to a field has lost its default).
 */
function missingText(expr: Node, reader: BuiltTextReader): string | undefined {
  const n = unwrap(expr);
  if (n.type !== 'call') return undefined;
  const fn = field(n, 'function');
  const name = fn?.type === 'attribute' ? field(fn, 'attribute')?.text : fn?.text;
  if (!name || !fieldCalls.has(name)) return undefined;
  const args = field(n, 'arguments');
  const all = args ? named(args) : [];
  if (all.some((a) => a.type === 'list_splat' || a.type === 'dictionary_splat')) return undefined;
  const keyword = all.find((a) => a.type === 'keyword_argument' && field(a, 'name')?.text === 'default');
  const positional = all.filter((a) => a.type !== 'keyword_argument');
  const fallback = keyword ? field(keyword, 'value') : name === 'get' && fn?.type === 'attribute' ? positional[1] : undefined;
  if (!fallback) return 'None';
  const value = reader.constOf(fallback);
  return value?.kind === 'scalar' ? formatted(value.value) : undefined;
}

/** The one plain field a reference names, with the piece it keeps; undefined for anything more. */
function plainField(ref: FieldRef | undefined): { field: string; piece?: string } | undefined {
  if (!ref || ref.fields.length !== 1 || ref.lowered || ref.alsoAfter || ref.at || ref.guards || ref.json || ref.trimmed || ref.converted)
    return undefined;
  const name = ref.fields[0]!;
  if (name.startsWith('udm:') || ref.logTypes?.[name]) return undefined;
  const piece = ref.after?.[name];
  return piece === undefined ? { field: name } : { field: name, piece };
}

/** An f-string with literal text around one interpolated expression (no conversion, format or escape). */
function interpolated(n: Node): { before: string; expr: Node; after: string } | undefined {
  if (n.type !== 'string') return undefined;
  const start = n.children.find((c) => c?.type === 'string_start');
  if (!start || !/^f$/i.test(start.text.replace(/["']/g, ''))) return undefined;
  let before = '';
  let after = '';
  let expr: Node | undefined;
  for (const child of named(n)) {
    if (child.type === 'string_start' || child.type === 'string_end') continue;
    if (child.type === 'string_content') {
      if (named(child).length > 0) return undefined;
      if (expr) after += child.text;
      else before += child.text;
    } else if (child.type === 'interpolation') {
      const parts = named(child);
      if (expr || parts.length !== 1) return undefined;
      expr = parts[0];
    } else return undefined;
  }
  if (!expr || /[{}\\]/.test(before + after)) return undefined;
  return { before, expr, after };
}

/**
 * The text an argument builds from another field: the field itself (a name bound to it, or its
 * last piece), or an f-string around it. Undefined when the argument is anything else.
 */
export function builtText(arg: Node, reader: BuiltTextReader): BuiltText | undefined {
  const n = unwrap(arg);
  const format = interpolated(n);
  if (format) {
    const named = plainField(reader.fieldOf(format.expr));
    if (!named) return undefined;
    const missing = named.piece === undefined ? missingText(format.expr, reader) : undefined;
    return { ...named, before: format.before, after: format.after, ...(missing === undefined ? {} : { missing }) };
  }
  if (reader.constOf(n)) return undefined;
  const named = plainField(reader.fieldOf(n));
  return named && { ...named, before: '', after: '' };
}

/**
 * The texts an f-string around a constant, or a loop variable over a few constants, gives
 * (`f"repo:{org_repo}:*"` for each of ALLOWED): each value formatted as Python does; undefined
 * when the f-string is not one such or a value has no text we write (a float).
 */
export function formattedConstants(n: Node, valuesOf: (expr: Node) => Scalar[] | undefined): string[] | undefined {
  const format = interpolated(n);
  const values = format && valuesOf(format.expr);
  if (!format || !values || values.length === 0) return undefined;
  const out: string[] = [];
  for (const v of values) {
    const text = formatted(v);
    if (text === undefined) return undefined;
    out.push(format.before + text + format.after);
  }
  return out;
}

const prefix = 'built:';

/** The predicate transform saying how the other field's value is built into the text compared. */
export function builtTransform(text: BuiltText): string {
  const { before, after, piece, missing } = text;
  return (
    prefix + JSON.stringify({ before, after, ...(piece === undefined ? {} : { piece }), ...(missing === undefined ? {} : { missing }) })
  );
}

/** A transform `builtTransform` wrote, read back; undefined for any other transform. */
export function parseBuiltTransform(transform: string | undefined): Omit<BuiltText, 'field'> | undefined {
  if (!transform?.startsWith(prefix)) return undefined;
  const spec = JSON.parse(transform.slice(prefix.length)) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const piece = text(spec.piece);
  const missing = text(spec.missing);
  return {
    before: text(spec.before) ?? '',
    after: text(spec.after) ?? '',
    ...(piece === undefined ? {} : { piece }),
    ...(missing === undefined ? {} : { missing }),
  };
}

/** Python's `str()` of a JSON scalar the text is built from; undefined for what is not one. */
function scalarText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return undefined;
}

/**
 * The text compared, from the other field's values on the event (undefined: missing): built as the
 * spec says; undefined when Python would raise or format what we do not (a list, a mapping, a
 * missing field nothing gives a text for, `.split` of a non-text).
 */
export function builtValue(spec: Omit<BuiltText, 'field'>, values: unknown[] | undefined): string | undefined {
  const formattedOnly = spec.before !== '' || spec.after !== '';
  let text: string | undefined;
  if (values === undefined || values.length === 0) text = spec.missing;
  else if (values.length === 1) {
    const v = values[0];
    text = spec.piece !== undefined || !formattedOnly ? (typeof v === 'string' ? v : undefined) : scalarText(v);
  }
  if (text === undefined) return undefined;
  // `split(sep)[-1]`: the text after the separator's last occurrence, the whole text without one.
  const at = spec.piece === undefined ? -1 : text.lastIndexOf(spec.piece);
  if (spec.piece !== undefined && at >= 0) text = text.slice(at + spec.piece.length);
  return spec.before + text + spec.after;
}

// `base64.b64decode(f).decode("utf-8")`: a field's text decoded from base64, then from bytes to text
// (`"powershell" in b64decode(cmd).decode()`). The ref keeps the field and its tests carry transform
// `b64decode:<validate>:<encoding>`, which the evaluator reads by decoding the field's text exactly
// as Python does (`pyB64Decode`, `pyBytesDecode`). The bytes alone (no `.decode()`) are not tested.
// A text that does not decode raises ValueError (binascii.Error, UnicodeDecodeError, a text beyond
// ASCII): a `try` around the decoding with a handler of ValueError reads as a test of whether the
// field decodes (`decodeRaise`, nativeOp `base64.decodes`); elsewhere the test is not evaluated.
import type { Node } from 'web-tree-sitter';
import { combine, other, predicate } from '../../model/predicates.js';
import type { Operator, PredicateNode, Scalar } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { isLibraryFunction, type ModuleContext } from './modules.js';
import { calls, catches as catchesValueError, firstEvaluated, type KnownRaise, plainRead } from './raises.js';
import { type ConstValue, field, named, unwrap } from './values.js';

/** How a field's text was decoded: base64 (validated or not), then the bytes as `encoding` (undefined: still bytes). */
export interface Base64Decoded {
  validate: boolean;
  encoding?: TextEncoding;
}

type TextEncoding = 'utf-8' | 'ascii' | 'utf-16-le' | 'latin-1';

/** Python's codec names read, as `codecs.lookup` normalises them (case, `_` / `-`). */
const encodings: Record<string, TextEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  ascii: 'ascii',
  'us-ascii': 'ascii',
  'utf-16-le': 'utf-16-le',
  'utf-16le': 'utf-16-le',
  'latin-1': 'latin-1',
  latin1: 'latin-1',
  'iso-8859-1': 'latin-1',
};

/** The nativeOp of "the field's text decodes" (`exists` with the transform): no ValueError raised. */
export const decodesOp = 'base64.decodes';

const transformPrefix = 'b64decode:';

/** Whether a call's function is `b64decode` of the `base64` module, through the module's imports. */
function isB64Decode(fn: Node, mod: ModuleContext, shadowed: (name: string) => boolean): boolean {
  return isLibraryFunction(mod, fn, shadowed, 'base64', 'b64decode');
}

/**
 * `b64decode(x)` or `b64decode(x, validate=<constant bool>)`: what it decodes, and whether it
 * validates. Other arguments (altchars) are not read.
 */
export function b64DecodeArgument(
  call: Node,
  mod: ModuleContext,
  shadowed: (name: string) => boolean,
  constOf: (n: Node) => ConstValue | undefined,
): { inner: Node; validate: boolean } | undefined {
  const fn = field(call, 'function');
  if (call.type !== 'call' || !fn || !isB64Decode(fn, mod, shadowed)) return undefined;
  const args = field(call, 'arguments');
  const given = args ? named(args) : [];
  const positional = given.filter((a) => a.type !== 'keyword_argument');
  const keywords = given.filter((a) => a.type === 'keyword_argument');
  if (positional.length !== 1 || positional[0]!.type.endsWith('splat') || keywords.length > 1) return undefined;
  let validate = false;
  if (keywords[0]) {
    const value = field(keywords[0], 'value');
    const v = value ? constOf(value) : undefined;
    if (field(keywords[0], 'name')?.text !== 'validate' || v?.kind !== 'scalar' || typeof v.value !== 'boolean') return undefined;
    validate = v.value;
  }
  return { inner: positional[0]!, validate };
}

/** The bytes of a field's text decoded from base64, where the field is read whole as it is. */
export function b64DecodedRef(ref: FieldRef | undefined, validate: boolean): FieldRef | undefined {
  if (!ref || ref.decoded || ref.shlexed || ref.after || ref.at || ref.trimmed || ref.converted || ref.json || ref.unquoted)
    return undefined;
  if (ref.item !== undefined || ref.walked || ref.guards || ref.defaults || ref.orEmpty || ref.lowered) return undefined;
  if (ref.fields.some((f) => f.startsWith('udm:'))) return undefined;
  return { ...ref, decoded: { validate } };
}

/** `bytes.decode(encoding="utf-8", errors="strict")` of decoded bytes: the text, for an encoding read here. */
export function textDecodedRef(ref: FieldRef | undefined, call: Node, constOf: (n: Node) => ConstValue | undefined): FieldRef | undefined {
  if (!ref?.decoded || ref.decoded.encoding || ref.lowered) return undefined;
  const args = field(call, 'arguments');
  const given = args ? named(args) : [];
  let encoding: TextEncoding | undefined = 'utf-8';
  for (const [i, a] of given.entries()) {
    const name = a.type === 'keyword_argument' ? field(a, 'name')?.text : i === 0 ? 'encoding' : i === 1 ? 'errors' : undefined;
    const valueNode = a.type === 'keyword_argument' ? field(a, 'value') : a;
    const v = valueNode ? constOf(valueNode) : undefined;
    if (v?.kind !== 'scalar' || typeof v.value !== 'string') return undefined;
    if (name === 'encoding') encoding = encodings[v.value.toLowerCase().replaceAll('_', '-')];
    else if (name !== 'errors' || v.value !== 'strict') return undefined;
  }
  return encoding ? { ...ref, decoded: { ...ref.decoded, encoding } } : undefined;
}

/** The transform of a test on a decoded field: `b64decode:<1 validated | 0>:<encoding>`. */
function decodedTransform(decoded: Base64Decoded): string {
  return `${transformPrefix}${decoded.validate ? 1 : 0}:${decoded.encoding ?? ''}`;
}

export const isDecodedTransform = (transform: string | undefined): boolean => transform?.startsWith(transformPrefix) === true;

/** A decoded-text transform read back. */
export function parseDecodedTransform(transform: string): Required<Base64Decoded> | undefined {
  const m = /^b64decode:([01]):(.+)$/.exec(transform);
  const encoding = m ? encodings[m[2]!] : undefined;
  return m && encoding ? { validate: m[1] === '1', encoding } : undefined;
}

/**
 * The predicates on the decoded text of each of the ref's fields. The bytes (no `.decode()`), a test
 * that transforms its value itself (a length, a parse) or a piece of the text stay text.
 */
export function decodedPredicates(
  ref: FieldRef & { decoded: Base64Decoded },
  op: Operator,
  values: Scalar[],
  opts: { negated: boolean; caseSensitive: boolean; nativeOp: string; text: string; transform?: string },
): PredicateNode {
  const text = opts.nativeOp === decodesOp || ref.decoded.encoding !== undefined;
  if (!text || opts.transform || ref.after || ref.at || ref.trimmed || ref.converted || ref.item !== undefined) return other(opts.text);
  const transform = decodedTransform(ref.decoded);
  const nodes = ref.fields.map((f) => {
    const node = predicate(f, op, values, { ...opts, transform });
    const types = ref.logTypes?.[f];
    if (types && node.kind === 'pred') node.predicate.logTypes = [...types];
    return node;
  });
  const scoped = ref.fields.some((f) => ref.logTypes?.[f]);
  return combine(opts.negated && scoped ? 'and' : 'or', nodes);
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const sextets = new Map([...alphabet].map((c, i) => [c, i]));

/**
 * Python's `base64.b64decode(text, validate=...)` (`binascii.a2b_base64`): the bytes, 'raises' where
 * Python raises (a text beyond ASCII, a data character count one more than a multiple of 4,
 * incorrect padding; validated: any character outside the alphabet, padding first or before data),
 * 'unsure' for validated padding at the start of a group, which Python versions read differently.
 */
export function pyB64Decode(text: string, validate: boolean): Uint8Array | 'raises' | 'unsure' {
  if (/[^\0-\x7f]/.test(text)) return 'raises';
  if (validate && text.startsWith('=')) return 'raises';
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  let padding = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '=') {
      padding = true;
      if (validate && quad < 2) return 'unsure';
      // Counted only after two data characters of a group, as binascii does.
      if (quad >= 2 && quad + ++pads >= 4) {
        if (validate && i + 1 < text.length) return 'raises';
        return Uint8Array.from(out);
      }
      continue;
    }
    const v = sextets.get(c);
    if (v === undefined) {
      if (validate) return 'raises';
      continue;
    }
    if (validate && padding) return 'raises';
    pads = 0;
    if (quad === 0) left = v;
    else if (quad === 1) {
      out.push(((left << 2) | (v >> 4)) & 0xff);
      left = v & 0x0f;
    } else if (quad === 2) {
      out.push(((left << 4) | (v >> 2)) & 0xff);
      left = v & 0x03;
    } else out.push(((left << 6) | v) & 0xff);
    quad = (quad + 1) % 4;
  }
  return quad === 0 ? Uint8Array.from(out) : 'raises';
}

/** Python's `bytes.decode(encoding)` with errors "strict": the text, undefined where it raises UnicodeDecodeError. */
export function pyBytesDecode(bytes: Uint8Array, encoding: TextEncoding): string | undefined {
  if (encoding === 'ascii') return bytes.every((b) => b < 0x80) ? String.fromCharCode(...bytes) : undefined;
  if (encoding === 'latin-1') return Array.from(bytes, (b) => String.fromCharCode(b)).join('');
  try {
    // A BOM is a character of the text in Python's utf-8 and utf-16-le: kept.
    return new TextDecoder(encoding === 'utf-8' ? 'utf-8' : 'utf-16le', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** What `decodeRaise` needs of the analysis. */
export interface DecodeReader {
  /** The field an expression reads (for a decoding, the decoded ref). */
  fieldOf: (n: Node) => FieldRef | undefined;
}

/**
 * `try` opening with `x = b64decode(f).decode(...)` of a field, a handler of ValueError (which
 * binascii.Error and UnicodeDecodeError are) and no `else` / `finally`, whose body makes no other
 * call but plain field reads: the handler runs exactly where the field does not decode.
 */
export function decodeRaise(s: Node, reader: DecodeReader): KnownRaise | undefined {
  const block = field(s, 'body');
  const clauses = named(s).filter((c) => c.type.endsWith('_clause'));
  if (!block || clauses.some((c) => c.type !== 'except_clause')) return undefined;
  const handler = clauses.find(catchesValueError);
  const handlerBlock = handler && named(handler).find((c) => c.type === 'block');
  const body = named(block);
  const first = body[0] && firstEvaluated(body[0]);
  const call = first && unwrap(first);
  const ref = call?.type === 'call' ? reader.fieldOf(call) : undefined;
  if (!handlerBlock || !call || !ref?.decoded?.encoding) return undefined;
  const inside = (c: Node) => c.startIndex >= call.startIndex && c.endIndex <= call.endIndex;
  if (body.flatMap((st) => calls(st, [])).some((c) => !inside(c) && !plainRead(reader.fieldOf(c)))) return undefined;
  const valid = decodedPredicates({ ...ref, decoded: ref.decoded, lowered: false }, 'exists', [], {
    negated: false,
    caseSensitive: false,
    nativeOp: decodesOp,
    text: call.text,
  });
  // What b64decode reads: `x` of `b64decode(x).decode()`.
  const fn = field(call, 'function');
  const decoding = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
  const args = decoding && unwrap(decoding).type === 'call' ? field(unwrap(decoding), 'arguments') : undefined;
  const argument = args ? named(args)[0] : undefined;
  return { valid, argument: argument ? unwrap(argument) : call, body, handler: named(handlerBlock) };
}

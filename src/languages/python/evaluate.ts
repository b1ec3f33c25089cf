// Panther Python rules for the evaluator (evaluate/): the predicate trees this folder's analysis
// extracts from `rule()` / `policy()` (index.ts), evaluated on an event with Python's meaning. This
// is our model of the code, not the code: `ruleatlas test` runs the code itself
// (evaluate/run-python-tests.ts) and counts how often this model agrees with it.
//
// - Fields: dotted paths as `event.get`, `deep_get` and `deep_walk` read them; a key is found as
//   written, else in any case (Panther's event is case-insensitive), and a key holding dots is
//   found by joining the path's parts; a list on the way is walked
//   element by element (`deep_walk`), and a field holding a list matches when an element does.
//   A `some` node (a loop's tests of one element, element-scope.ts) holds when its tests hold with
//   one element in the list's place (`elementViews`).
// - A missing field is None: `==`, `in`, `.startswith` ... are false (negated: true), except `==` /
//   `in` with a None among the values (`f in {None: ..}`), `is None`
//   true; `truthy` (a field read for its truth) is false for None, '', 0, False, [] and {}.
// - `==` / `in` compare like Python: a number equals only a number (`"200" != 200`), text with case
//   unless the analysis saw `.lower()` / `.upper()`; `is True` / `is False` (nativeOp `is`) the bool
//   itself (`1 is True` is false); `"x" in f` is a substring (or element) test, a key test where f
//   holds a mapping;
//   `re.match` is anchored at the start, `re.fullmatch` at both ends, `re.search` anywhere (RE2);
//   `fnmatch` a glob (`*`, `?`); `<` `>` on numbers; `set(f) == set(g)` (a `fieldref`, transform `set`)
//   the two values as sets (a list's elements, a text's characters); `any(d.values())` (transform `values`)
//   one value of the field's mapping truthy; `all(k in C for k in d.keys())` (transforms `keys:every`, `keys:some`,
//   mapping-keys.ts) the keys of the field's one mapping among C; `cidr` an `ipaddress` value in a block (ip-address.ts); a field the code parsed (`json.loads`,
//   transform `json`) walks into a JSON text met on its way, and its value is the text parsed; `len(f)` compared (transform `len`) on the
//   length of the field's one value, a missing field empty; `isinstance(f, int)` (transform `type`) on
//   the Python type of the field's one value (a JSON number without a fraction is an int; `json|type`
//   for a field of a parsed JSON text; a list or a mapping typed as the code read it, isinstance.ts); `f[0]` (transform `item:0`) on that element of the field's one
//   value (a list's, a text's character), unknown where the value is too short (IndexError). A time
//   (transform `time:`, timestamps.ts): the field parsed as the code parses it, related by a duration to
//   the time now the caller gives (`View.now`; without it `unknown`) or to another field's time.
// - Not evaluated (`unknown`): `other` nodes (a call or construct kept as text), a predicate without
//   values (compared with a name the analysis could not resolve), `udm:<name>` fields (a data-model
//   method), `fieldref` with a missing side is None == None; `fieldref` `.startswith` / `.endswith`
//   tests the field against the text built from the other field (built-texts.ts: an f-string formats
//   a missing field as None or its default), not evaluated where Python would raise.
// - Data models: a predicate on a field a data model gave (`Predicate.logTypes`) applies to events of
//   those log types only; on another log's event its positive form is false (the name reads another
//   model's field there). `p_log_type` is the event's log type (the field, else `--log-type`).
// - Stages: `rule` and `policy` filter (a policy's condition is its compliant state, which is what
//   its tests' ExpectedResult states); the other functions change nothing.
// - Source: the rule's LogTypes (or ResourceTypes) against `p_log_type` or `--log-type`; neither
//   given: `unknown`. A scheduled rule without LogTypes reads its queries' rows: any event.
import { compareNumbers, fold, regexMatch, stringMatch, textOf, wildcardMatch, type WildcardPart } from '../../evaluate/match.js';
import type { EvaluatedRule, EventLog, LanguageEvaluator, SourceCheck, StageRole, Truth } from '../../evaluate/types.js';
import type { Predicate, Scalar, Stage } from '../../model/types.js';
import { type BuiltText, builtValue, parseBuiltTransform } from './built-texts.js';
import { type ComparedTexts, isComparedTexts, parseComparedTexts, sideValue } from './compared-texts.js';
import { differenceHolds, isDifference, parseDifference } from './differences.js';
import { jsonUnquotedTransform, pyUnquote, unquotedTransform } from './unquoted.js';
import { isLastPiece, lastPieceText, parseLastPiece } from './last-pieces.js';
import { convertedValue, convertsValue } from './conversions.js';
import { ipInBlock } from './ip-address.js';
import { everyKeyTransform, keysTest, someKeyTransform } from './mapping-keys.js';
import { isAddressOp, isAddressValue } from './raises.js';
import { walkedIsinstance } from './isinstance.js';
import { testsElements } from './element-scope.js';
import { timePrefix, timeTest } from './timestamps.js';
import { decodesOp, isDecodedTransform, parseDecodedTransform, pyB64Decode, pyBytesDecode } from './base64-decoded.js';
import { applyReplacements, isShlexTransform, parseShlexTransform, pyShlexSplit, shlexSplitsOp } from './shlex-split.js';
import { jsonLengthTransform } from './lengths.js';

/** An event holding `value` at a dotted path: a value the evaluator made (decoded, split, cut) tested where the field was. */
function placedAt(path: string, value: unknown): unknown {
  return path.split('.').reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
}

type Outcome = { matched: Truth; seen: unknown[] | 'missing'; note?: string };
/** The event, and its log type when known (`p_log_type` or `--log-type`). */
interface View {
  event: unknown;
  logType: string | undefined;
  /** The time now, in milliseconds since the epoch, when the caller gives its clock (timestamps.ts). */
  now?: number;
}
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A key of a mapping: as written, else in any case. */
function keyOf(obj: Obj, key: string): string | undefined {
  if (Object.hasOwn(obj, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower);
}

/** A JSON object or list a text holds, as `json.loads` reads it; the text itself otherwise. */
function parsedJson(v: unknown): unknown {
  if (typeof v !== 'string' || !/^\s*[[{]/.test(v)) return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
}

/**
 * The field's values (a list walked element by element), or undefined when it is missing or None.
 * `json`: the code parsed the field (`json.loads`), so a JSON text on the way is walked into.
 */
function lookup(event: unknown, field: string, json = false, parseLast = json, keepNull = false): unknown[] | undefined {
  const segments = field.split('.');
  const found: unknown[] = [];
  const walk = (value: unknown, i: number): void => {
    if (i === segments.length) {
      found.push(parseLast ? parsedJson(value) : value);
      return;
    }
    for (const item of elements([json ? parsedJson(value) : value])) {
      if (!isObj(item)) continue;
      // A key may hold dots itself (`token.actions.githubusercontent.com:sub`): the shortest key present is taken.
      for (let j = i + 1; j <= segments.length; j++) {
        const k = keyOf(item, segments.slice(i, j).join('.'));
        if (k === undefined) continue;
        if (item[k] !== null || (keepNull && j === segments.length)) walk(item[k], j);
        break;
      }
    }
  };
  walk(event, 0);
  return found.length > 0 ? found : undefined;
}

/** A list's elements one level down, anything else as itself. */
const elements = (values: readonly unknown[]): unknown[] => values.flatMap((v): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]));

function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (isObj(v)) return Object.keys(v).length > 0;
  return v !== null && v !== undefined && v !== '' && v !== 0 && v !== false;
}

/** Python's `==`: numbers with numbers (booleans are numbers), text with text. */
function pyEqual(seen: unknown, wanted: unknown, caseSensitive: boolean): boolean {
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined);
  const a = num(seen);
  const b = num(wanted);
  if (a !== undefined || b !== undefined) return a === b;
  if (typeof seen === 'string' && typeof wanted === 'string') return fold(seen, caseSensitive) === fold(wanted, caseSensitive);
  return false;
}

function globParts(pattern: string): WildcardPart[] {
  const parts: WildcardPart[] = [];
  for (const c of pattern) parts.push(c === '*' ? { any: 'many' } : c === '?' ? { any: 'one' } : c);
  return parts;
}

function regex(p: Predicate, pattern: string, text: string): { matched: Truth; note?: string } {
  const anchored = p.nativeOp.endsWith('fullmatch') ? `^(?:${pattern})$` : p.nativeOp.endsWith('match') ? `^(?:${pattern})` : pattern;
  return regexMatch(anchored, p.caseSensitive ? '' : 'i', text);
}

/** One value of the field against one value of the rule: true, false, or why it is not evaluated. */
function matchOne(p: Predicate, seen: unknown, wanted: unknown): boolean | string {
  switch (p.op) {
    case 'eq':
    case 'in': {
      // `f is True`: the bool itself, where `==` takes 1 for True.
      if ((p.nativeOp === 'is' || p.nativeOp === 'is not') && typeof wanted === 'boolean') return seen === wanted;
      // `str(f) == "6"`: the value converted first (conversions.ts); a value it cannot convert is unequal.
      const converted = convertedValue(p.nativeOp, seen);
      return converted !== undefined && pyEqual(converted.value, wanted, p.caseSensitive);
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compareNumbers(p.op, seen, wanted);
    case 'contains':
    case 'startswith':
    case 'endswith': {
      // `str(f).startswith("3")`: the value's text first (conversions.ts); a value it cannot convert matches nothing.
      const converted = convertedValue(p.nativeOp, seen);
      if (!converted) return false;
      const value = converted.value;
      const s = textOf(value);
      const w = textOf(wanted);
      if (typeof value !== 'string' || s === undefined || w === undefined)
        return p.op === 'contains' ? pyEqual(value, wanted, p.caseSensitive) : false;
      return stringMatch(p.op, fold(s, p.caseSensitive), fold(w, p.caseSensitive));
    }
    case 'wildcard': {
      if (typeof seen !== 'string' || typeof wanted !== 'string') return false;
      return wildcardMatch(globParts(fold(wanted, p.caseSensitive)), fold(seen, p.caseSensitive));
    }
    case 'regex': {
      if (typeof seen !== 'string' || typeof wanted !== 'string') return false;
      const r = regex(p, wanted, seen);
      return r.matched === 'unknown' ? (r.note ?? 'regex not run') : r.matched;
    }
    case 'cidr':
      return ipInBlock(seen, String(wanted), p.nativeOp);
    default:
      return `${p.nativeOp || p.op} is not evaluated`;
  }
}

/**
 * `len(f)` compared with a number: the length of the field's one value (a text's characters, a
 * list's elements, a mapping's keys). A missing field is empty, as the code's `.get(k, [])` default
 * makes it (field-defaults.ts keeps only scalar defaults); a field reached through a list has no one length.
 */
function lengthTest(p: Predicate, event: unknown): Outcome {
  const parsed = p.transform === jsonLengthTransform;
  const values = lookup(event, p.field, parsed);
  const seen = values ?? ('missing' as const);
  if (values && values.length !== 1) return { matched: 'unknown', seen, note: 'len of a field read through a list is not evaluated' };
  const v = values?.[0];
  // json.loads of a missing field raises, and of a text holding no list or mapping gives no such length;
  // a text found inside the parsed value (`json.loads(f).get("k")`) is a text of its own.
  const unparsedText = typeof v === 'string' && lookup(event, p.field, false)?.[0] === v;
  if (parsed && (v === undefined || unparsedText))
    return { matched: 'unknown', seen, note: 'len of a JSON text holding no list or mapping is not evaluated' };
  const len =
    v === undefined
      ? 0
      : typeof v === 'string'
        ? [...v].length
        : Array.isArray(v)
          ? v.length
          : isObj(v)
            ? Object.keys(v).length
            : undefined;
  const bound = p.values[0];
  if (len === undefined || typeof bound !== 'number') return { matched: 'unknown', seen, note: 'len of a value that has no length' };
  const ops: Record<string, boolean> = { eq: len === bound, lt: len < bound, lte: len <= bound, gt: len > bound, gte: len >= bound };
  const matched = ops[p.op];
  if (matched === undefined) return { matched: 'unknown', seen, note: `len ${p.op} is not evaluated` };
  return { matched: p.negated ? !matched : matched, seen };
}

/** How the code read the value whose type it tests: as Panther gives it, parsed from JSON, or by `deep_walk` (isinstance.ts). */
type Reader = 'event' | 'json' | 'walk';

/**
 * The names of the types a value is an instance of, as Python reads the event: a missing field is
 * None, a JSON number without a fraction an int (a number written `1.0` reads as 1 here), True and
 * False bools and ints; a list or a mapping Panther's immutable types as the event gives them,
 * `list` / `dict` parsed from JSON, and a list `deep_walk` found a `list` (a mapping it returns as it is).
 */
function typeNames(v: unknown, reader: Reader): string[] {
  if (v === undefined || v === null) return ['NoneType'];
  if (typeof v === 'string') return ['str'];
  if (typeof v === 'boolean') return ['bool', 'int'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['int'] : ['float'];
  if (Array.isArray(v)) return reader === 'event' ? ['ImmutableList', 'Sequence'] : ['list', 'Sequence'];
  return reader === 'json' ? ['dict', 'Mapping'] : ['ImmutableCaseInsensitiveDict', 'Mapping'];
}

/** An empty list, or one of empty lists: what `deep_walk` gives its default for. */
const allEmpty = (v: unknown): boolean => Array.isArray(v) && (v as unknown[]).every(allEmpty);

/**
 * `isinstance(f, T)` (transform `type`, values the type names): the type of the field's one value.
 * `json|type`: read in a parsed JSON text, so a text on the way is walked into; the value itself is
 * what the parse gave (a text in the JSON stays a text). Read by `deep_walk` (nativeOp
 * `isinstance(deep_walk)`): several values found are one `list`, an empty list its default (None).
 */
function typeTest(p: Predicate, event: unknown): Outcome {
  const json = p.transform === 'json|type';
  const walked = !json && p.nativeOp === walkedIsinstance;
  const found = lookup(event, p.field, json, false);
  const values = walked && found?.every(allEmpty) ? undefined : found;
  const seen = values ?? ('missing' as const);
  let types: string[];
  if (values && values.length > 1) {
    if (!walked) return { matched: 'unknown', seen, note: 'the type of a field read through a list is not evaluated' };
    types = ['list', 'Sequence'];
  } else types = typeNames(values?.[0], json ? 'json' : walked ? 'walk' : 'event');
  const matched = p.values.some((t) => typeof t === 'string' && types.includes(t));
  return { matched: p.negated ? !matched : matched, seen };
}

const builtTests = new Map<string, 'startswith' | 'endswith'>([
  ['.startswith', 'startswith'],
  ['.endswith', 'endswith'],
]);

/**
 * `a.endswith(f"/{b}")`: the field's text against the text built from the other field's value
 * (built-texts.ts); a field holding a list matches when an element does. Where Python would raise
 * (the built text cannot be made, the field's value is not a text) it is not evaluated; a missing
 * field does not start or end with anything, as elsewhere.
 */
/** A built-text transform read once per distinct transform: the test runs per event in the fire index. */
const builtSpecs = new Map<string | undefined, Omit<BuiltText, 'field'>>();
function builtSpecOf(transform: string | undefined): Omit<BuiltText, 'field'> {
  let spec = builtSpecs.get(transform);
  if (!spec) {
    if (builtSpecs.size >= 1024) builtSpecs.clear(); // transforms come from rules: bounded whatever the catalogs served
    builtSpecs.set(transform, (spec = parseBuiltTransform(transform) ?? { before: '', after: '' }));
  }
  return spec;
}

function builtTextTest(p: Predicate, values: unknown[] | undefined, otherValues: unknown[] | undefined): Outcome {
  const seen = values ?? ('missing' as const);
  const op = builtTests.get(p.nativeOp)!;
  const spec = builtSpecOf(p.transform);
  const wanted = builtValue(spec, otherValues);
  if (wanted === undefined)
    return { matched: 'unknown', seen, note: `the text ${p.nativeOp} compares with cannot be built from ${String(p.values[0])}` };
  if (!values) return { matched: p.negated, seen };
  const texts = elements(values);
  if (texts.some((t) => typeof t !== 'string')) return { matched: 'unknown', seen, note: `${p.nativeOp} of a value that is not a text` };
  const matched = texts.some((t) => stringMatch(op, fold(t as string, p.caseSensitive), wanted));
  return { matched: p.negated ? !matched : matched, seen };
}

/**
 * `any(d.values())` (transform `values`, a truthy test): one value of the field's one mapping truthy; a
 * missing field has none. Not evaluated for a value that is not a mapping (`.values()` raises) or not one.
 */
function mappingValuesTest(p: Predicate, event: unknown): Outcome {
  const values = lookup(event, p.field);
  const seen = values ?? ('missing' as const);
  if (!values) return { matched: p.negated, seen };
  const v = values.length === 1 ? values[0] : undefined;
  if (!isObj(v)) return { matched: 'unknown', seen, note: '.values() of a value that is not one mapping' };
  const matched = Object.values(v).some(truthy);
  return { matched: p.negated ? !matched : matched, seen };
}

/** What `set(v)` holds of one value: a list's elements, a text's characters; undefined where Python raises (None, a number) or for a mapping. */
function setElements(values: unknown[] | undefined): unknown[] | undefined {
  if (!values || values.length !== 1) return undefined;
  const v = values[0];
  if (typeof v === 'string') return [...v];
  if (!Array.isArray(v)) return undefined;
  // A list of lists or mappings: unhashable, set() raises TypeError.
  return (v as unknown[]).every((x) => x === null || typeof x !== 'object') ? (v as unknown[]) : undefined;
}

/**
 * `set(f) == set(g)` (transform `set`, a `fieldref`): the two fields' values as sets, elements equal
 * as Python's `==` has them. Not evaluated where `set()` raises (a missing field is None) or the
 * value is not one value (a field read through a list).
 */
function setsTest(p: Predicate, values: unknown[] | undefined, otherValues: unknown[] | undefined): Outcome {
  const seen = values ?? ('missing' as const);
  const a = setElements(values);
  const b = setElements(otherValues);
  if (!a || !b) return { matched: 'unknown', seen, note: 'set() of a value that is not one list or text' };
  const same = (x: unknown, y: unknown) => (x === null && y === null) || pyEqual(x, y, p.caseSensitive);
  const within = (xs: unknown[], ys: unknown[]) => xs.every((x) => ys.some((y) => same(x, y)));
  const equal = within(a, b) && within(b, a);
  return { matched: p.negated ? !equal : equal, seen };
}

/** A compared-texts transform read once per distinct transform, as `builtSpecOf`. */
const comparedSpecs = new Map<string, ComparedTexts>();
function comparedSpecOf(transform: string): ComparedTexts {
  let spec = comparedSpecs.get(transform);
  if (!spec) {
    if (comparedSpecs.size >= 1024) comparedSpecs.clear(); // transforms come from rules: bounded whatever the catalogs served
    comparedSpecs.set(transform, (spec = parseComparedTexts(transform)));
  }
  return spec;
}

/**
 * `a != b` of two values built from the event (compared-texts.ts): each side's value built as its
 * spec says, then Python's `==` (None equals None only, a list or a mapping no scalar). Not evaluated
 * where building a side raises or both sides are lists or mappings.
 */
function comparedTextsTest(p: Predicate, event: unknown): Outcome {
  const spec = comparedSpecOf(p.transform!);
  const found = lookup(event, p.field, false, false, true);
  const seen = found ?? ('missing' as const);
  const left = sideValue(spec.left, found);
  const right = sideValue(spec.right, lookup(event, String(p.values[0]), false, false, true));
  if ('raised' in left) return { matched: 'unknown', seen, note: left.raised };
  if ('raised' in right) return { matched: 'unknown', seen, note: right.raised };
  const [a, b] = [left.value, right.value];
  const composite = (v: unknown) => typeof v === 'object' && v !== null;
  // A list or a mapping equals no text, number or None; two of them are not compared here.
  if (composite(a) && composite(b)) return { matched: 'unknown', seen, note: 'two lists or mappings compared' };
  const equal = a === null || b === null ? a === b : !composite(a) && !composite(b) && pyEqual(a, b, true);
  return { matched: p.negated ? !equal : equal, seen };
}

/** `f - g > N` (differences.ts): the arithmetic on the two fields' one values, not evaluated where Python raises. */
function differenceTest(p: Predicate, event: unknown): Outcome {
  const found = lookup(event, p.field);
  const seen = found ?? ('missing' as const);
  const holds = differenceHolds(parseDifference(p.transform!), found, lookup(event, String(p.values[0])));
  if (typeof holds === 'string') return { matched: 'unknown', seen, note: holds };
  return { matched: p.negated ? !holds : holds, seen };
}

/**
 * A test on `unquote(f or "")` (transform `unquote`, unquoted.ts): the test as written on the field's
 * text decoded, a falsy value read as "". Not evaluated for a value that is no text (`unquote`
 * raises) or not one value (a field read through a list).
 */
function unquotedTest(p: Predicate, event: unknown, logType: string | undefined): Outcome {
  // Texts on the way parsed as `json.loads` did (json|unquote); the field's own text is decoded, not parsed.
  const found = lookup(event, p.field, p.transform === jsonUnquotedTransform, false);
  const seen = found ?? ('missing' as const);
  if (found && found.length > 1) return { matched: 'unknown', seen, note: 'unquote() of a field read through a list' };
  const value = found?.[0];
  const text = !truthy(value) ? '' : typeof value === 'string' ? pyUnquote(value) : undefined;
  if (text === undefined) return { matched: 'unknown', seen, note: 'unquote() of a value that is not a text' };
  const decoded = placedAt(p.field, text);
  const { transform: _decoded, ...plain } = p;
  return { ...test(plain, { event: decoded, logType }), seen };
}

/**
 * A test on the last piece of a split field (transform `last:{...}`, last-pieces.ts): the test as
 * written on the text after the field's last separator, a missing field read as the code's default.
 * Not evaluated where Python's `split` raises (None, no text) or for a field read through a list.
 */
function lastPieceTest(p: Predicate, event: unknown, logType: string | undefined): Outcome {
  const spec = parseLastPiece(p.transform!);
  const found = lookup(event, p.field, false, false, true);
  const seen = found ?? ('missing' as const);
  if (!spec) return { matched: 'unknown', seen, note: `transform ${p.transform} not read` };
  if (found && found.length > 1) return { matched: 'unknown', seen, note: 'split() of a field read through a list' };
  const text = lastPieceText(spec, found?.[0]);
  if (text === undefined) return { matched: 'unknown', seen, note: 'split() of a value that is not a text' };
  const piece = placedAt(p.field, text);
  const { transform: _piece, ...plain } = p;
  return { ...test(plain, { event: piece, logType }), seen };
}

/** A split transform read once per distinct transform, as `builtSpecOf`. */
const shlexSpecs = new Map<string, ReturnType<typeof parseShlexTransform>>();
function shlexSpecOf(transform: string): ReturnType<typeof parseShlexTransform> {
  let spec = shlexSpecs.get(transform);
  if (spec === undefined && !shlexSpecs.has(transform)) {
    if (shlexSpecs.size >= 1024) shlexSpecs.clear(); // transforms come from rules: bounded whatever the catalogs served
    shlexSpecs.set(transform, (spec = parseShlexTransform(transform)));
  }
  return spec;
}

/**
 * A test on the words of `shlex.split(f)` (transform `shlex`, shlex-split.ts): the field's one text,
 * its replacements made, split as Python splits it; `shlex.split` (nativeOp) whether it splits. The
 * words are a list: a test reads it as a list field (an element matching), `w in words` an element
 * equal, truthiness its length; `|item:i` reads the one word. Not evaluated where Python raises:
 * no text (None included), a text that does not split, too few words (IndexError).
 */
function shlexTest(p: Predicate, view: View): Outcome {
  const spec = shlexSpecOf(p.transform!);
  const found = lookup(view.event, p.field);
  const seen = found ?? ('missing' as const);
  if (!spec) return { matched: 'unknown', seen, note: `transform ${p.transform} is not read` };
  if (found && found.length > 1) return { matched: 'unknown', seen, note: 'shlex.split of a field read through a list' };
  const value = found?.[0];
  if (typeof value !== 'string') return { matched: 'unknown', seen, note: 'shlex.split of a value that is not a text' };
  const words = pyShlexSplit(applyReplacements(value, spec.replaced));
  if (p.nativeOp === shlexSplitsOp) return { matched: p.negated ? !words : words !== undefined, seen };
  if (!words) return { matched: 'unknown', seen, note: 'shlex.split raises ValueError on this text' };
  if (spec.item !== undefined && spec.item >= words.length)
    return { matched: 'unknown', seen, note: `the words have no element ${spec.item} (IndexError)` };
  if (spec.count) return lengthTest({ ...p, transform: 'len' }, placedAt(p.field, words));
  const { transform: _split, ...plain } = p;
  if (spec.item === undefined && p.op === 'exists') return { matched: p.negated ? words.length === 0 : words.length > 0, seen };
  // `"x" in words`: an element equal (a loop's `"x" in word` is a substring of one word, nativeOp `in element`).
  const membership = spec.item === undefined && p.op === 'contains' && !testsElements(p.nativeOp);
  const tested: Predicate = membership ? { ...plain, op: 'eq' } : plain;
  const at = spec.item === undefined ? words : words[spec.item]!;
  const event = placedAt(p.field, at);
  return { ...test(tested, { ...view, event }), seen };
}

/**
 * A test on `b64decode(f).decode(enc)` (transform `b64decode:`, base64-decoded.ts): the test as
 * written on the field's one text decoded as Python decodes it; `base64.decodes` (nativeOp) whether
 * it decodes. Not evaluated where Python raises (no text, None included; a text that does not
 * decode) or where Python versions differ.
 */
function decodedTest(p: Predicate, view: View): Outcome {
  const spec = parseDecodedTransform(p.transform!);
  const found = lookup(view.event, p.field);
  const seen = found ?? ('missing' as const);
  if (!spec) return { matched: 'unknown', seen, note: `transform ${p.transform} is not read` };
  if (found && found.length > 1) return { matched: 'unknown', seen, note: 'b64decode of a field read through a list' };
  const value = found?.[0];
  if (typeof value !== 'string') return { matched: 'unknown', seen, note: 'b64decode of a value that is not a text' };
  const bytes = pyB64Decode(value, spec.validate);
  if (bytes === 'unsure') return { matched: 'unknown', seen, note: 'padding Python versions decode differently' };
  const text = bytes === 'raises' ? undefined : pyBytesDecode(bytes, spec.encoding);
  if (p.nativeOp === decodesOp) return { matched: p.negated ? text === undefined : text !== undefined, seen };
  if (text === undefined) return { matched: 'unknown', seen, note: 'the text does not decode (ValueError)' };
  const { transform: _decoded, ...plain } = p;
  const event = placedAt(p.field, text);
  return { ...test(plain, { ...view, event }), seen };
}

/** A predicate on another log type's data-model field: not this event's. */
function offLog(p: Predicate, logType: string | undefined): boolean {
  if (!p.logTypes || logType === undefined) return false;
  const own = logType.toLowerCase();
  return !p.logTypes.some((t) => t.toLowerCase() === own);
}

/** The index of a predicate on one element of its field (`f[0]`, transform `item:0`, `json|item:0` in a parsed text; item-index.ts). */
function itemIndex(transform: string | undefined): number | undefined {
  const m = transform !== undefined ? /^(?:json\|)?item:(\d+)$/.exec(transform) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * The element at `index` of each value found: a list's element, a text's character; a missing field
 * stays missing (None[0] raises TypeError: the code's own guard decides). Too short a value raises
 * IndexError in the code: 'short'. A field reached through a list has no one value: 'short' too.
 */
function itemsAt(values: unknown[] | undefined, index: number): unknown[] | undefined | 'short' {
  if (!values) return undefined;
  if (values.length !== 1) return 'short';
  const v = values[0];
  const items = typeof v === 'string' ? [...v] : Array.isArray(v) ? (v as unknown[]) : undefined;
  if (!items || index >= items.length) return 'short';
  const at = items[index];
  return at === null || at === undefined ? undefined : [at];
}

/** The operators that compare the value itself with `==` (a conversion, `str(f) == ...`, names itself first). */
const plainEquality = new Set(['==', '!=', 'in', 'not in']);

/**
 * A missing field is None, and None equals a None among the values (`f in {"a": .., None: ..}`,
 * `f == None`), unless the code read it by index (`None[0]` raises: `raisesOnNone`) or by piece.
 */
function noneMatches(p: Predicate, raisesOnNone: boolean): boolean {
  return (p.op === 'eq' || p.op === 'in') && plainEquality.has(p.nativeOp) && !raisesOnNone && !p.piece && p.values.includes(null);
}

/**
 * `"k" in d` where the field's value is a mapping: a test of its keys, found as written or in any
 * case as Panther's event finds them (a text the code parsed, transform `json`, is a plain dict: as
 * written). A value that is no mapping is read as elsewhere (a text's substring, a list's element).
 */
function keyMembership(p: Predicate, values: unknown[], seen: Outcome['seen']): Outcome {
  let matched = false;
  let note: string | undefined;
  for (const v of values) {
    if (isObj(v)) {
      const has = (w: unknown) => typeof w === 'string' && (p.transform === 'json' ? Object.hasOwn(v, w) : keyOf(v, w) !== undefined);
      if (p.values.some(has)) matched = true;
      continue;
    }
    for (const s of elements([v]))
      for (const w of p.values) {
        const r = matchOne(p, s, w);
        if (r === true) matched = true;
        else if (typeof r === 'string') note = r;
      }
  }
  if (!matched && note) return { matched: 'unknown', seen, note };
  return { matched: p.negated ? !matched : matched, seen };
}

function test(p: Predicate, view: View): Outcome {
  if (offLog(p, view.logType))
    return { matched: p.negated, seen: 'missing', note: `a field of the data model of ${p.logTypes!.join(', ')}` };
  // The event's log type, as Panther's runner gives every event one.
  const event = p.field.toLowerCase() === 'p_log_type' && view.logType !== undefined ? { p_log_type: view.logType } : view.event;
  if (p.field.startsWith('udm:'))
    return { matched: 'unknown', seen: 'missing', note: `${p.field} is a data-model method, not a field the analysis could name` };
  if (p.transform?.startsWith(timePrefix)) return timeTest(p, (f) => lookup(event, f), truthy, view.now);
  if (isShlexTransform(p.transform)) return shlexTest(p, { ...view, event });
  if (isDecodedTransform(p.transform)) return decodedTest(p, { ...view, event });
  if (p.transform === 'len' || p.transform === jsonLengthTransform) return lengthTest(p, event);
  if (p.op === 'fieldref' && isComparedTexts(p.transform)) return comparedTextsTest(p, event);
  if (p.op === 'fieldref' && isDifference(p.transform)) return differenceTest(p, event);
  if (p.transform === unquotedTransform || p.transform === jsonUnquotedTransform) return unquotedTest(p, event, view.logType);
  if (p.transform === 'values') return mappingValuesTest(p, event);
  if (isLastPiece(p.transform)) return lastPieceTest(p, event, view.logType);
  if (p.transform === everyKeyTransform || p.transform === someKeyTransform) {
    const values = lookup(event, p.field);
    return { ...keysTest(p, values), seen: values ?? 'missing' };
  }
  if (p.transform === 'type' || p.transform === 'json|type') return typeTest(p, event);
  const item = itemIndex(p.transform);
  const json = p.transform === 'json' || (item !== undefined && p.transform!.startsWith('json|'));
  // `.get(k, d)` gives d only where the key is absent: a key holding None is there (field-defaults.ts).
  const whole = lookup(event, p.field, json, json, p.op === 'exists' && p.nativeOp === keyPresentOp);
  const values = item === undefined ? whole : itemsAt(whole, item);
  // `x = f[0]` inside a `try` whose handler catches IndexError as it does ValueError (raises.ts): no element, no address.
  if (values === 'short' && p.nativeOp === isAddressOp) return { matched: p.negated, seen: whole ?? 'missing' };
  if (values === 'short') return { matched: 'unknown', seen: whole ?? 'missing', note: `the field has no element ${item} (IndexError)` };
  const seen = values ?? ('missing' as const);
  if (p.op === 'exists') {
    const present = values !== undefined && (p.nativeOp !== 'truthy' || values.some(truthy));
    return { matched: p.negated ? !present : present, seen };
  }
  if (p.op === 'other') return { matched: 'unknown', seen, note: `${p.nativeOp} is not evaluated` };
  if (p.values.length === 0 && p.op !== 'fieldref')
    return { matched: 'unknown', seen, note: 'compared with a value the analysis could not resolve' };
  if (p.op === 'fieldref' && builtTests.has(p.nativeOp)) return builtTextTest(p, values, lookup(event, String(p.values[0])));
  if (p.op === 'fieldref' && p.transform === 'set') return setsTest(p, values, lookup(event, String(p.values[0])));
  if (p.op === 'fieldref') {
    const other = lookup(event, String(p.values[0]));
    // None == None: both missing are equal.
    if (!values || !other) return { matched: !values && !other ? !p.negated : p.negated, seen };
    const same = values.some((s) => other.some((o) => pyEqual(s, o, p.caseSensitive)));
    return { matched: p.negated ? !same : same, seen };
  }
  if (!values) return { matched: noneMatches(p, item !== undefined && !whole) ? !p.negated : p.negated, seen };
  // `ip_address(v)` of one value: a list (or a field read through one) is no address.
  if (p.nativeOp === isAddressOp) {
    const valid = values.length === 1 && isAddressValue(values[0]);
    return { matched: p.negated ? !valid : valid, seen };
  }
  // `str(f)` converts the whole value: a list's or a mapping's text is its `repr`, not its elements' or keys'.
  const converted = convertsValue(p.nativeOp);
  // `"k" in e` of a loop element (element-scope.ts): a list found is its elements, each tested as a value is.
  const tested = testsElements(p.nativeOp) ? elements(values) : values;
  if (p.op === 'contains' && !converted && tested.some(isObj)) return keyMembership(p, tested, seen);
  let matched = false;
  let note: string | undefined;
  for (const s of converted ? values : elements(values))
    for (const w of p.values) {
      const r = matchOne(p, s, w);
      if (r === true) matched = true;
      else if (typeof r === 'string') note = r;
    }
  if (!matched && note) return { matched: 'unknown', seen, note };
  return { matched: p.negated ? !matched : matched, seen };
}

/** nativeOp of an `exists` test of the key itself: a key holding None is present (`.get(k, d)`, field-defaults.ts). */
export const keyPresentOp = 'key in';

/** A predicate on an event holding only `value` at its field, or on an empty one (field-defaults.ts). */
export function outcomeOnValue(p: Predicate, value: Scalar | undefined): Truth {
  const event = value === undefined ? {} : placedAt(p.field, value);
  return test(p, { event, logType: undefined }).matched;
}

function stage(s: Stage): StageRole {
  return s.kind === 'rule' || s.kind === 'policy' ? { role: 'filter' } : { role: 'skip' };
}

function source(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const types = rule.sources.filter((s) => /^(logtype|resourcetype):/.test(s)).map((s) => s.slice(s.indexOf(':') + 1));
  // A scheduled rule names no LogTypes: it runs on every row of its scheduled queries, whatever the row.
  if (types.length === 0 && rule.type === 'scheduled_rule')
    return { matched: true, reason: 'a scheduled rule runs on every row its scheduled queries return' };
  const reads = types.join(', ') || 'no LogTypes';
  const given = log.given ?? log.panther?.logType;
  if (given === undefined)
    return { matched: 'unknown', reason: `the event's log type is not known (p_log_type, or --log-type); the rule reads ${reads}` };
  const why = `the event is ${given}${log.given !== undefined ? ' (--log-type)' : ' (p_log_type)'}; the rule reads ${reads}`;
  if (types.length === 0) return { matched: 'unknown', reason: why };
  return { matched: types.some((t) => t.toLowerCase() === given.toLowerCase()), reason: why };
}

/**
 * One view per element of the list at `field` (a `some` node): the event with that one element in
 * the list's place, keys found as `lookup` finds them. A missing list (None) has no element, a value
 * that is not a list is its one element (as `lookup` walks it); a list on the path (`deep_walk`) is
 * walked: each view keeps the one item that leads to its element.
 */
function elementViews(view: View, field: string, json = false): View[] | undefined {
  const budget = { keys: elementViewKeys };
  return withOneElement(view.event, field.split('.'), 0, budget, json)?.map((event) => ({ ...view, event }));
}

/**
 * Keys copied, at most, to make one field's element views: each view copies the objects on the
 * path to its element, so an event of n elements beside n other keys costs n * n. Past it the
 * `some` node is not evaluated (unknown) rather than letting one event hold the server.
 */
const elementViewKeys = 1_000_000;

/**
 * `value` rebuilt once per element at the path `segments[i..]`, with that element alone there; undefined past the budget.
 * `json`: a JSON text met on the way is put back parsed, as `lookup` walks into it for the predicates inside.
 */
function withOneElement(
  raw: unknown,
  segments: readonly string[],
  i: number,
  budget: { keys: number },
  json: boolean,
): unknown[] | undefined {
  const value = json ? parsedJson(raw) : raw;
  if (i === segments.length) return value === null || value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value as unknown[]) {
      const ones = withOneElement(item, segments, i, budget, json);
      if (!ones) return undefined;
      for (const one of ones) out.push([one]);
    }
    return out;
  }
  if (!isObj(value)) return [];
  for (let j = i + 1; j <= segments.length; j++) {
    const k = keyOf(value, segments.slice(i, j).join('.'));
    if (k === undefined) continue;
    const ones = withOneElement(value[k], segments, j, budget, json);
    if (!ones) return undefined;
    budget.keys -= ones.length * Object.keys(value).length;
    if (budget.keys < 0) return undefined;
    return ones.map((one) => ({ ...value, [k]: one }));
  }
  return [];
}

export const pythonEvaluator: LanguageEvaluator<View> = {
  view: (event, log, now) => ({ event, logType: log.given ?? log.panther?.logType, ...(now !== undefined ? { now } : {}) }),
  test: (p, view) => test(p, view),
  elementViews,
  stage,
  source,
};

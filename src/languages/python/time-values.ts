// Times in a rule's code (timestamps.ts evaluates them): the time now (`datetime.now()`,
// `datetime.utcnow()`), a field parsed into a datetime (`datetime.strptime(f, "%Y-%m-%d")`, or a
// helper that tries formats in order: `for fmt in FORMATS: try: return datetime.strptime(ts, fmt)
// except ValueError: continue`), the difference of two times, and durations (`timedelta(days=90)`,
// sums of them, module constants bound to them). `later - earlier > D` becomes one predicate relating
// the field's time to now (or to another field's time); a parsed time read for its truth is the
// predicate that the parse gives a datetime. Anything else stays as the rest of the analysis reads it.
import type { Node } from 'web-tree-sitter';
import type { PredicateNode, Scalar } from '../../model/types.js';
import type { FieldRef } from './conditions.js';
import { calledFunction, type ModuleContext } from './modules.js';
import { encodeTime, type Edit, type NowKind, type ParseChain, type ParseStep, parsesOp, type TimeSide } from './timestamps.js';
import { field, named, stringValue, unwrap } from './values.js';

/** A time the code holds: now, or a field parsed by `parse`. */
export type TimePoint = { now: NowKind } | { ref: FieldRef; parse: ParseChain };
/** `later - earlier`: a timedelta. */
export interface Elapsed {
  later: TimePoint;
  earlier: TimePoint;
}

/** What the reading needs from the analysis: fields, names in scope, and the module's imports. */
export interface TimeReader {
  mod: ModuleContext;
  fieldOf(node: Node): FieldRef | undefined;
  /** The time or difference a local name holds. */
  bound(name: string): { point: TimePoint } | { elapsed: Elapsed } | undefined;
  /** Whether a name is the module's own or a local (then not the library's). */
  shadowed(name: string): boolean;
  /** Helpers already read as a parse (null: not one), by their node's id: one reading per analysis. */
  chains: Map<number, ParseChain | null>;
}

/** At most this many formats a helper tries are kept (each a few dozen characters in the predicate). */
const maxFormats = 64;
/** How many names deep a duration constant is followed (`MAX = BASE + GRACE`). */
const maxDurationDepth = 4;

/** The dotted name a call's function is, with its root resolved through the imports: `datetime.datetime.now`. */
function datetimeCall(fn: Node, reader: Pick<TimeReader, 'mod' | 'shadowed'>): string | undefined {
  const parts: string[] = [];
  let n: Node | undefined = unwrap(fn);
  while (n?.type === 'attribute') {
    parts.unshift(field(n, 'attribute')?.text ?? '');
    n = field(n, 'object');
  }
  if (n?.type !== 'identifier' || reader.shadowed(n.text)) return undefined;
  const imp = reader.mod.imports.get(n.text);
  if (!imp || imp.module !== 'datetime' || reader.mod.graph.has('datetime')) return undefined;
  return ['datetime', ...(imp.kind === 'name' ? [imp.name] : []), ...parts].join('.');
}

const nowCalls: Record<string, NowKind> = { 'datetime.datetime.now': 'local', 'datetime.datetime.utcnow': 'utc' };
const strptimeName = 'datetime.datetime.strptime';

/** A plain one-field reading: a time is parsed from the field's text itself. */
function plainRef(ref: FieldRef | undefined): FieldRef | undefined {
  if (!ref || ref.fields.length !== 1 || ref.logTypes || ref.after || ref.at || ref.guards || ref.json || ref.trimmed) return undefined;
  if (ref.converted || ref.item !== undefined || ref.walked || ref.lowered) return undefined;
  // `.get(k, d)` gives d only where the key is absent, which the evaluator does not tell from None: a falsy d reads alike.
  const fallback = ref.defaults?.[ref.fields[0]!];
  return fallback && !fallback.onNull && fallback.value ? undefined : ref;
}

/** The time an expression holds: a name bound to one, `datetime.now()`, a field parsed. */
export function timePointOf(node: Node, reader: TimeReader): TimePoint | undefined {
  const n = unwrap(node);
  if (n.type === 'identifier') {
    const b = reader.bound(n.text);
    return b && 'point' in b ? b.point : undefined;
  }
  if (n.type !== 'call') return undefined;
  const fn = field(n, 'function');
  const args = field(n, 'arguments');
  if (!fn || !args) return undefined;
  const given = named(args);
  const name = datetimeCall(fn, reader);
  if (name && Object.hasOwn(nowCalls, name)) return given.length === 0 ? { now: nowCalls[name]! } : undefined;
  if (name === strptimeName) {
    const [value, format] = given;
    const ref = value && plainRef(reader.fieldOf(value));
    const text = format && formatText(format, reader.mod);
    return ref && text !== undefined ? { ref, parse: { steps: [{ strptime: [text], catches: [] }] } } : undefined;
  }
  if (name || given.length !== 1 || given[0]!.type === 'keyword_argument') return undefined;
  const helper = calledFunction(reader.mod, fn);
  const parse = helper && helperChain(helper.def, helper.mod, reader.chains);
  const ref = parse && plainRef(reader.fieldOf(given[0]!));
  return ref && parse ? { ref, parse } : undefined;
}

/** A format: a constant text, or a module constant holding one. */
function formatText(node: Node, mod: ModuleContext): string | undefined {
  const n = unwrap(node);
  if (n.type === 'string') return stringValue(n);
  const v = n.type === 'identifier' ? mod.constants.get(n.text) : undefined;
  return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
}

/** `a - b` of two times (one of them a field's), or a name bound to one. */
export function elapsedOf(node: Node, reader: TimeReader): Elapsed | undefined {
  const n = unwrap(node);
  if (n.type === 'identifier') {
    const b = reader.bound(n.text);
    return b && 'elapsed' in b ? b.elapsed : undefined;
  }
  if (n.type !== 'binary_operator' || field(n, 'operator')?.text !== '-') return undefined;
  const l = field(n, 'left');
  const r = field(n, 'right');
  const later = l && timePointOf(l, reader);
  const earlier = later && r ? timePointOf(r, reader) : undefined;
  if (!later || !earlier || ('now' in later && 'now' in earlier)) return undefined;
  return { later, earlier };
}

/** Seconds per unit of `timedelta`'s arguments, in its positional order. */
const units: [string, number][] = [
  ['days', 86400],
  ['seconds', 1],
  ['microseconds', 1e-6],
  ['milliseconds', 1e-3],
  ['minutes', 60],
  ['hours', 3600],
  ['weeks', 604800],
];

/** A constant duration in seconds: `timedelta(days=90)`, a name bound to one, a sum or difference of them. */
function durationOf(node: Node, reader: Pick<TimeReader, 'mod' | 'shadowed'>, depth = 0): number | undefined {
  if (depth > maxDurationDepth) return undefined;
  const n = unwrap(node);
  if (n.type === 'identifier') {
    if (reader.shadowed(n.text)) return undefined;
    const bound = reader.mod.constants.literal(n);
    return bound && bound !== n ? durationOf(bound, reader, depth + 1) : undefined;
  }
  if (n.type === 'binary_operator') {
    const op = field(n, 'operator')?.text;
    const l = field(n, 'left');
    const r = field(n, 'right');
    const a = l && durationOf(l, reader, depth + 1);
    const b = r && durationOf(r, reader, depth + 1);
    if (a === undefined || b === undefined) return undefined;
    return op === '+' ? a + b : op === '-' ? a - b : undefined;
  }
  if (n.type !== 'call') return undefined;
  const fn = field(n, 'function');
  const args = field(n, 'arguments');
  if (!fn || !args || datetimeCall(fn, reader) !== 'datetime.timedelta') return undefined;
  let seconds = 0;
  let position = 0;
  for (const a of named(args)) {
    const keyword = a.type === 'keyword_argument' ? field(a, 'name')?.text : undefined;
    const unit = keyword !== undefined ? units.find(([u]) => u === keyword) : a.type === 'keyword_argument' ? undefined : units[position++];
    const value = unit && number(a.type === 'keyword_argument' ? field(a, 'value') : a);
    if (!unit || value === undefined) return undefined;
    seconds += value * unit[1];
  }
  return seconds;
}

function number(node: Node | undefined): number | undefined {
  const n = node && unwrap(node);
  if (n?.type === 'unary_operator' && n.text.startsWith('-')) {
    const v = number(field(n, 'argument'));
    return v === undefined ? undefined : -v;
  }
  if (n?.type !== 'integer' && n?.type !== 'float') return undefined;
  const v = Number(n.text.replace(/_/g, ''));
  return Number.isFinite(v) ? v : undefined;
}

const flippedOps = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;
const ops = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' } as const;

function side(point: TimePoint): TimeSide {
  if ('now' in point) return point;
  const name = point.ref.fields[0]!;
  const fallback = point.ref.defaults?.[name];
  const value: Scalar | undefined = fallback?.onNull ? fallback.value : undefined;
  return { field: name, parse: point.parse, ...(value !== undefined ? { default: value } : {}) };
}

/** `later - earlier > D`, `D <= t - now` ...: one predicate on the difference; undefined when not of that shape. */
export function timeCompared(left: Node, op: string, right: Node, text: string, reader: TimeReader): PredicateNode | boolean | undefined {
  if ((op === 'is' || op === 'is not') && unwrap(right).type === 'none') {
    // A parse gives a datetime or None: `t is None` is the parse failing.
    const point = timePointOf(left, reader);
    const parses = point && timeTruth(point, text);
    if (parses === undefined) return undefined;
    if (op === 'is not') return parses;
    return parses === true ? false : { ...parses, predicate: { ...parses.predicate, negated: true } };
  }
  if (op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return undefined;
  const counted = countedElapsed(left, op, right, reader);
  if (counted) return elapsedPredicate(counted.elapsed, counted.op, counted.seconds, text);
  const onLeft = elapsedOf(left, reader);
  const elapsed = onLeft ?? elapsedOf(right, reader);
  const bound = elapsed && durationOf(onLeft ? right : left, reader);
  if (!elapsed || bound === undefined) return undefined;
  return elapsedPredicate(elapsed, onLeft ? op : flippedOps[op], bound, text);
}

type Ordering = '<' | '<=' | '>' | '>=';

/**
 * `d.total_seconds() op N`, and `d.days op N` (whole days, rounded down: `d.days > 2` is `d >= 3
 * days`), with d a difference of times and N a number: the difference against a duration in seconds.
 */
function countedElapsed(
  left: Node,
  op: Ordering,
  right: Node,
  reader: TimeReader,
): { elapsed: Elapsed; op: Ordering; seconds: number } | undefined {
  for (const [side, other, written] of [
    [left, right, op],
    [right, left, flippedOps[op]],
  ] as const) {
    const n = unwrap(side);
    const call = n.type === 'call' && named(field(n, 'arguments')!).length === 0 ? field(n, 'function') : undefined;
    const attribute = call ?? n;
    if (attribute.type !== 'attribute') continue;
    const unit = field(attribute, 'attribute')?.text;
    const inner = field(attribute, 'object');
    const bound = numberOf(other, reader);
    if (!inner || bound === undefined || (call ? unit !== 'total_seconds' : unit !== 'days')) continue;
    const elapsed = elapsedOf(inner, reader);
    if (!elapsed) continue;
    if (call) return { elapsed, op: written, seconds: bound };
    const day = 86400;
    const atLeast = (k: number) => ({ elapsed, op: '>=' as const, seconds: k * day });
    const below = (k: number) => ({ elapsed, op: '<' as const, seconds: k * day });
    if (written === '>') return atLeast(Math.floor(bound) + 1);
    if (written === '>=') return atLeast(Math.ceil(bound));
    if (written === '<') return below(Math.ceil(bound));
    return below(Math.floor(bound) + 1);
  }
  return undefined;
}

/** A number: a literal, or a module constant holding one. */
function numberOf(node: Node, reader: TimeReader): number | undefined {
  const n = unwrap(node);
  if (n.type !== 'identifier') return number(n);
  const v = reader.shadowed(n.text) ? undefined : reader.mod.constants.get(n.text);
  return v?.kind === 'scalar' && typeof v.value === 'number' ? v.value : undefined;
}

function elapsedPredicate(elapsed: Elapsed, written: Ordering, bound: number, text: string): PredicateNode {
  const later = side(elapsed.later);
  const earlier = side(elapsed.earlier);
  const fieldSide = 'field' in later ? later : (earlier as Extract<TimeSide, { field: string }>);
  return {
    kind: 'pred',
    predicate: {
      field: fieldSide.field,
      op: ops[written],
      values: [bound],
      negated: false,
      caseSensitive: true,
      nativeOp: written,
      text,
      transform: encodeTime({ later, earlier }),
    },
  };
}

/** A time read for its truth: now is always true, a parsed field true where the parse gives a datetime. */
export function timeTruth(point: TimePoint, text: string): Extract<PredicateNode, { kind: 'pred' }> | true {
  if ('now' in point) return true;
  const parses = side(point) as Extract<TimeSide, { field: string }>;
  const predicate = {
    field: parses.field,
    op: 'exists' as const,
    values: [],
    negated: false,
    caseSensitive: true,
    nativeOp: parsesOp,
    text,
  };
  return { kind: 'pred', predicate: { ...predicate, transform: encodeTime({ parses }) } };
}

// ---------------------------------------------------------------------------------------------
// A helper that parses its argument: its statements read as the steps it tries in order.

type Catches = ('ValueError' | 'TypeError')[];
type StrptimeStep = Extract<ParseStep, { strptime: string[] }>;

/** What an `except` clause catches, of what strptime raises; undefined for a clause not of that shape. */
function caught(clause: Node): { catches: Catches; body: Node[] } | undefined {
  if (clause.type !== 'except_clause') return undefined;
  const parts = named(clause);
  const body = parts.at(-1);
  if (!body || body.type !== 'block') return undefined;
  const what = parts.length > 1 ? unwrap(parts[0]!) : undefined;
  if (!what) return { catches: ['ValueError', 'TypeError'], body: named(body) };
  const names = (what.type === 'tuple' ? named(what) : [what]).map((x) => x.text);
  if (names.includes('Exception') || names.includes('BaseException')) return { catches: ['ValueError', 'TypeError'], body: named(body) };
  const catches = (['ValueError', 'TypeError'] as const).filter((e) => names.includes(e));
  return { catches, body: named(body) };
}

/** `try: return X` with handlers that go on (`continue` / `pass`): X and what they catch. */
function tryReturn(stmt: Node, goOn: string): { value: Node | undefined; catches: Catches } | undefined {
  if (stmt.type !== 'try_statement') return undefined;
  const [body, ...clauses] = named(stmt);
  const inner = body ? named(body) : [];
  const ret = inner.length === 1 && inner[0]!.type === 'return_statement' ? inner[0]! : undefined;
  if (!ret || clauses.length === 0) return undefined;
  const catches = new Set<'ValueError' | 'TypeError'>();
  for (const c of clauses) {
    const handler = caught(c);
    if (!handler || handler.body.length !== 1 || handler.body[0]!.type !== goOn) return undefined;
    for (const e of handler.catches) catches.add(e);
  }
  return { value: named(ret)[0], catches: [...catches] };
}

/** `datetime.strptime(text, fmt)` where text is the parameter (or a copy edited by `.replace`): the edits and the format node. */
function strptimeOf(value: Node | undefined, mod: ModuleContext, names: Map<string, Edit[]>): { edits: Edit[]; format: Node } | undefined {
  const n = value && unwrap(value);
  const fn = n?.type === 'call' ? field(n, 'function') : undefined;
  const args = n && field(n, 'arguments');
  if (!fn || !args || datetimeCall(fn, { mod, shadowed: (x) => mod.functions.has(x) }) !== strptimeName) return undefined;
  const [text, format] = named(args);
  const edits = text?.type === 'identifier' ? names.get(text.text) : undefined;
  return edits && format ? { edits, format } : undefined;
}

/** `name = param.replace("a", "b")`: the edits of the copy; undefined for any other statement. */
function editedCopy(stmt: Node, names: Map<string, Edit[]>): [string, Edit[]] | undefined {
  const assign = stmt.type === 'expression_statement' ? named(stmt)[0] : undefined;
  const left = assign?.type === 'assignment' ? field(assign, 'left') : undefined;
  const right = assign && field(assign, 'right');
  const fn = right?.type === 'call' ? field(right, 'function') : undefined;
  const obj = fn?.type === 'attribute' ? field(fn, 'object') : undefined;
  const before = obj?.type === 'identifier' ? names.get(obj.text) : undefined;
  if (left?.type !== 'identifier' || !before || field(fn!, 'attribute')?.text !== 'replace') return undefined;
  const [a, b, ...rest] = named(field(right!, 'arguments')!);
  const from = a && stringValue(unwrap(a));
  const to = b && stringValue(unwrap(b));
  return from && to !== undefined && rest.length === 0 ? [left.text, [...before, [from, to]]] : undefined;
}

const returnsNone = (s: Node): boolean => s.type === 'return_statement' && (named(s).length === 0 || named(s)[0]!.type === 'none');

/**
 * The steps a helper of one parameter tries to parse it, read statement by statement: a guard
 * `if not ts: return None` first, copies edited by `.replace`, `try: return datetime.strptime(ts,
 * FMT)` alone or in a loop over constant formats, each with handlers that go on. A `try: return X`
 * of anything else is a step the model does not follow, and the reading stops there, as it does at
 * any other statement (reached, the answer is unknown) and at `return None`. Null when the helper
 * tries no format before such a step.
 */
function helperChain(def: Node, mod: ModuleContext, chains: Map<number, ParseChain | null>): ParseChain | undefined {
  if (!chains.has(def.id)) chains.set(def.id, readChain(def, mod));
  return chains.get(def.id) ?? undefined;
}

function readChain(def: Node, mod: ModuleContext): ParseChain | null {
  const params = field(def, 'parameters');
  const first = params ? named(params)[0] : undefined;
  const body = field(def, 'body');
  if (first?.type !== 'identifier' && first?.type !== 'typed_parameter') return null;
  const param = first.type === 'identifier' ? first.text : named(first)[0]?.text;
  if (!param || !body) return null;
  const names = new Map<string, Edit[]>([[param, []]]);
  const chain: ParseChain = { steps: [] };
  const formats = () => chain.steps.reduce((n, s) => n + ('strptime' in s ? s.strptime.length : 0), 0);
  const stop = (what: Node) => chain.steps.push({ unknown: what.text.split('\n')[0]!.trim().slice(0, 80) });
  const statements = named(body);
  for (const [i, s] of statements.entries()) {
    if (i === 0 && s.type === 'expression_statement' && named(s)[0]?.type === 'string') continue; // a docstring
    if (returnsNone(s)) break;
    // `return datetime.strptime(ts, FMT)` outside a try: its failure raises.
    const last = s.type === 'return_statement' ? strptimeOf(named(s)[0], mod, names) : undefined;
    const lastFormat = last && formatText(last.format, mod);
    if (last && lastFormat !== undefined) {
      chain.steps.push({ strptime: [lastFormat], ...(last.edits.length ? { edits: last.edits } : {}), catches: [] });
      break;
    }
    const guard = s.type === 'if_statement' ? guardedNone(s, param) : false;
    if (guard && chain.steps.length === 0) {
      chain.falsyNone = true;
      continue;
    }
    const copy = editedCopy(s, names);
    if (copy) {
      names.set(copy[0], copy[1]);
      continue;
    }
    const step = s.type === 'for_statement' ? loopSteps(s, mod, names) : oneStep(s, mod, names);
    if (step === 'other') {
      stop(s);
      break;
    }
    if (!step || formats() + step.strptime.length > maxFormats) {
      // A `try: return X` the model does not follow is named by X.
      const unread = s.type === 'try_statement' ? tryReturn(s, 'pass_statement')?.value : undefined;
      stop(unread ?? s);
      break;
    }
    chain.steps.push(step);
  }
  return formats() > 0 ? chain : null;
}

/** `if not param: return None` (nothing else in it). */
function guardedNone(s: Node, param: string): boolean {
  const condition = field(s, 'condition');
  const consequence = field(s, 'consequence');
  const arg = condition?.type === 'not_operator' ? field(condition, 'argument') : undefined;
  const body = consequence ? named(consequence) : [];
  return arg?.text === param && body.length === 1 && returnsNone(body[0]!) && !field(s, 'alternative');
}

/** `try: return datetime.strptime(ts, FMT) except ValueError: pass`: its step. */
function oneStep(s: Node, mod: ModuleContext, names: Map<string, Edit[]>): StrptimeStep | undefined {
  const t = tryReturn(s, 'pass_statement');
  const call = t && strptimeOf(t.value, mod, names);
  const format = call && formatText(call.format, mod);
  return t && call && format !== undefined
    ? { strptime: [format], ...(call.edits.length ? { edits: call.edits } : {}), catches: t.catches }
    : undefined;
}

/** `for fmt in FORMATS: try: return datetime.strptime(ts, fmt) except ValueError: continue`: the formats in order; 'other' for a loop of anything else. */
function loopSteps(s: Node, mod: ModuleContext, names: Map<string, Edit[]>): StrptimeStep | 'other' {
  const left = field(s, 'left');
  const right = field(s, 'right');
  const body = field(s, 'body');
  const inner = body ? named(body) : [];
  if (left?.type !== 'identifier' || !right || inner.length !== 1 || field(s, 'alternative')) return 'other';
  const t = tryReturn(inner[0]!, 'continue_statement');
  const call = t && strptimeOf(t.value, mod, names);
  if (!t || !call || unwrap(call.format).text !== left.text) return 'other';
  const list = unwrap(right);
  const value = list.type === 'identifier' ? mod.constants.get(list.text) : mod.constants.evaluate(list);
  if (value?.kind !== 'collection' || value.partial || !value.values.every((v) => typeof v === 'string')) return 'other';
  return { strptime: value.values, ...(call.edits.length ? { edits: call.edits } : {}), catches: t.catches };
}

// Comparisons every language's evaluator shares: text of a value, numbers given as strings,
// wildcard patterns (already split into parts by the language, which owns its escapes), regexes on
// the linear-time engine, CIDR blocks, field paths into JSON.
import { linearRegex, type Compiled } from '../analysis/linear-regex.js';
import type { Predicate } from '../model/types.js';
import type { IndexNeed, Lookup, Truth } from './types.js';

/** The text a scalar compares as (`4688` and `"4688"` alike); undefined for null, objects and arrays. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** A number, or a string that is one (`"4688"`, `" 12.5 "`, `"0x10"`); undefined otherwise. */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
}

export function fold(text: string, caseSensitive: boolean): string {
  return caseSensitive ? text : text.toLowerCase();
}

export type StringOp = 'eq' | 'contains' | 'startswith' | 'endswith';

/** `seen` against `wanted` by op; both already folded as the language compares. */
export function stringMatch(op: StringOp, seen: string, wanted: string): boolean {
  switch (op) {
    case 'eq':
      return seen === wanted;
    case 'contains':
      return seen.includes(wanted);
    case 'startswith':
      return seen.startsWith(wanted);
    case 'endswith':
      return seen.endsWith(wanted);
  }
}

/** Numbers compare as numbers (a value written `4688` equals an event's `"4688"`); else as text. */
export function equalValues(seen: unknown, wanted: unknown, caseSensitive: boolean): boolean {
  const a = numberOf(seen);
  const b = numberOf(wanted);
  if (a !== undefined && b !== undefined && (typeof seen === 'number' || typeof wanted === 'number')) return a === b;
  const s = textOf(seen);
  const w = textOf(wanted);
  return s !== undefined && w !== undefined && fold(s, caseSensitive) === fold(w, caseSensitive);
}

export function compareNumbers(op: 'gt' | 'gte' | 'lt' | 'lte', seen: unknown, wanted: unknown): boolean {
  const a = numberOf(seen);
  const b = numberOf(wanted);
  if (a === undefined || b === undefined) return false;
  return op === 'gt' ? a > b : op === 'gte' ? a >= b : op === 'lt' ? a < b : a <= b;
}

/** A wildcard pattern as parts: literal text, `*` (any text, empty too) and `?` (one character). */
export type WildcardPart = string | { any: 'many' | 'one' };

/**
 * A pattern in the model's wildcard syntax (`*`, `?`, a backslash escaping the next character: what the
 * SPL and SQL parsers write for LIKE and search wildcards) as parts, folded unless case-sensitive.
 */
export function modelWildcardParts(pattern: string, caseSensitive: boolean): WildcardPart[] {
  const parts: WildcardPart[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push(fold(literal, caseSensitive));
    literal = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) literal += pattern[++i];
    else if (c === '*' || c === '?') {
      flush();
      parts.push({ any: c === '*' ? 'many' : 'one' });
    } else literal += c;
  }
  flush();
  return parts;
}

/**
 * Whole-text match of a wildcard pattern, case-folded by the caller. Greedy with a return only to
 * the last `*` (the classic two-pointer match): at most text × pattern steps, never exponential.
 */
export function wildcardMatch(parts: readonly WildcardPart[], text: string): boolean {
  return compileWildcard(parts)(text);
}

/** Code units that are halves of a character beyond the BMP: a text without them is indexed by character as is. */
const surrogate = /[\uD800-\uDFFF]/;

/** `wildcardMatch` with the pattern read once: for a rule's pattern tried on many values. */
export function compileWildcard(parts: readonly WildcardPart[]): (text: string) => boolean {
  // One character per pattern position: a literal character, or 1 for `*`, 0 for `?`.
  const pat: (string | 0 | 1)[] = [];
  for (const part of parts) {
    if (typeof part === 'string') for (const c of part) pat.push(c);
    else pat.push(part.any === 'many' ? 1 : 0);
  }
  return (text) => {
    // `?` is one character, not one UTF-16 unit: split only a text that holds characters of two units.
    const chars: string | string[] = surrogate.test(text) ? [...text] : text;
    let p = 0;
    let t = 0;
    let starP = -1;
    let starT = 0;
    while (t < chars.length) {
      const want = pat[p];
      if (want === 1) {
        starP = p++;
        starT = t;
      } else if (want !== undefined && (want === 0 || want === chars[t])) {
        p++;
        t++;
      } else if (starP >= 0) {
        p = starP + 1;
        t = ++starT;
      } else return false;
    }
    while (pat[p] === 1) p++;
    return p === pat.length;
  };
}

/** A rule's regex on the event's text (a search, not anchored), on RE2; `unknown` when RE2 cannot run it. */
export function regexMatch(source: string, flags: string, text: string): { matched: Truth; note?: string } {
  return regexOutcome(linearRegex(source, flags), text);
}

/** `regexMatch` with the regex compiled already (an evaluator keeping it with its predicate). */
export function regexOutcome(compiled: Compiled, text: string): { matched: Truth; note?: string } {
  if ('regex' in compiled) return { matched: compiled.regex.test(text) };
  if ('unsupported' in compiled) return { matched: 'unknown', note: `regex not run (RE2 cannot: ${compiled.unsupported})` };
  return { matched: 'unknown', note: `invalid regex: ${compiled.invalid}` };
}

/** Whether an IPv4 or IPv6 address is inside a CIDR block; undefined when either does not read. */
export function inCidr(address: string, block: string): boolean | undefined {
  const slash = block.indexOf('/');
  const base = parseIp(slash < 0 ? block : block.slice(0, slash));
  const ip = parseIp(address.trim());
  if (!base || !ip) return undefined;
  if (base.length !== ip.length) return false;
  const bits = slash < 0 ? base.length * 8 : Number(block.slice(slash + 1));
  if (!Number.isInteger(bits) || bits < 0 || bits > base.length * 8) return undefined;
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((base[byte]! & mask) !== (ip[byte]! & mask)) return false;
  }
  return true;
}

function parseIp(text: string): number[] | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const bytes = text.split('.').map(Number);
    return bytes.every((b) => b <= 255) ? bytes : undefined;
  }
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':')) return undefined;
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) becomes two groups.
  let t = text;
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    if (b.some((x) => x > 255)) return undefined;
    t = t.slice(0, v4.index) + ((b[0]! << 8) | b[1]!).toString(16) + ':' + ((b[2]! << 8) | b[3]!).toString(16);
  }
  const halves = t.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return undefined;
  const all = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 255];
  });
}

/** Array elements one by one, nested arrays too: a field holding a list matches when any element does. */
function flatValues(v: unknown): unknown[] {
  if (!Array.isArray(v)) return [v];
  return v.flatMap(flatValues);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const notFound: Lookup = Object.freeze({ found: false });

/**
 * A field of a JSON event: the key as written first (`winlog.event_id` may be one flat key), then a
 * dotted path through objects (and through each element of an array on the way).
 */
export function pathLookup(event: unknown, field: string): Lookup {
  if (!isRecord(event)) return notFound;
  if (Object.hasOwn(event, field)) return { found: true, values: flatValues(event[field]) };
  // Most fields a catalog names are not in a given event: out at the first key, before any list is made.
  let dot = field.indexOf('.');
  if (dot < 0 || !Object.hasOwn(event, field.slice(0, dot))) return notFound;
  // Through objects one key at a time, without lists, until an array (most paths meet none).
  let single: unknown = event;
  let start = 0;
  while (!Array.isArray(single)) {
    const key = dot < 0 ? field.slice(start) : field.slice(start, dot);
    if (!isRecord(single) || !Object.hasOwn(single, key)) return notFound;
    single = single[key];
    if (dot < 0) return { found: true, values: flatValues(single) };
    start = dot + 1;
    dot = field.indexOf('.', start);
  }
  let current: unknown[] = [single];
  for (const key of field.slice(start).split('.')) {
    const next: unknown[] = [];
    for (const item of current.flatMap(flatValues)) if (isRecord(item) && Object.hasOwn(item, key)) next.push(item[key]);
    if (next.length === 0) return { found: false };
    current = next;
  }
  return { found: true, values: current.flatMap(flatValues) };
}

/** The keys `pathLookup` starts from (evaluate/types.ts `roots`): the field as one key, or its first part. */
export function pathRoots(field: string): readonly string[] {
  const dot = field.indexOf('.');
  return dot < 0 ? [field] : [field, field.slice(0, dot)];
}

const noKeys: readonly string[] = Object.freeze([]);

/** A view's own keys (evaluate/types.ts `keys`), none when it is not an object. */
export function recordKeys(view: unknown): readonly string[] {
  return isRecord(view) ? Object.keys(view) : noKeys;
}

/** Every scalar anywhere in the event (keyword searches: a value with no field). */
export function allScalars(event: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(event)) for (const v of event) allScalars(v, out);
  else if (isRecord(event)) for (const v of Object.values(event)) allScalars(v, out);
  else if (event !== null && event !== undefined) out.push(event);
  return out;
}

/**
 * One event value against one rule value, for the operators every language means the same way
 * (equality and lists, number comparisons, contains / starts / ends with, CIDR blocks): true, false,
 * or undefined for an operator the language decides itself (wildcards, regexes, terms).
 */
export function matchShared(p: Pick<Predicate, 'op' | 'caseSensitive'>, seen: unknown, wanted: unknown): boolean | undefined {
  switch (p.op) {
    case 'eq':
    case 'in':
      return equalValues(seen, wanted, p.caseSensitive);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return compareNumbers(p.op, seen, wanted);
    case 'contains':
    case 'startswith':
    case 'endswith':
    case 'cidr': {
      const text = textOf(seen);
      const w = textOf(wanted);
      if (text === undefined || w === undefined) return false;
      if (p.op === 'cidr') return inCidr(text, w) ?? false;
      return stringMatch(p.op, fold(text, p.caseSensitive), fold(w, p.caseSensitive));
    }
    default:
      return undefined;
  }
}

/**
 * What `matchShared` needs of an event value to hold, for the fire index (`IndexNeed`): equality and
 * lists, a value comparing as one of the rule's; containment without case, a value whose lowercase
 * text holds one of the rule's (a rule value that is not text never matches: left out). Undefined for
 * a negated predicate and for operators it does not decide or compares with case.
 */
export function sharedIndexNeed(p: Pick<Predicate, 'op' | 'caseSensitive' | 'values' | 'negated'>): IndexNeed | undefined {
  if (p.negated) return undefined;
  switch (p.op) {
    case 'eq':
    case 'in':
      return { kind: 'equal', values: p.values };
    case 'contains':
    case 'startswith':
    case 'endswith':
      if (p.caseSensitive) return undefined;
      return { kind: 'contains', alternatives: p.values.flatMap((w) => (textOf(w) === undefined ? [] : [[textOf(w)!.toLowerCase()]])) };
    default:
      return undefined;
  }
}

/**
 * Texts every match of a regex holds, for the fire index (a need, never a test): per branch of a
 * top-level `|`, the runs of literal characters outside groups, classes and escapes, a character a
 * quantifier makes optional dropped. Only ASCII, lowercase: a value the regex matches then holds
 * each text in its lowercase text, whatever the case flag (under case folding `s` also matches `ſ`,
 * which lowercases to itself: left out when the regex may ignore case). Undefined when it cannot
 * tell (a `\Q` quote, an unbalanced group or class): the rule is then tried on every event.
 */
export function regexLiterals(source: string, ignoresCase: boolean): string[][] | undefined {
  if (/\\[QE]/.test(source)) return undefined;
  const foldsBeyondAscii = ignoresCase || source.includes('(?');
  const branches: string[][] = [[]];
  let run = '';
  const flush = () => {
    if (run) branches[branches.length - 1]!.push(run.toLowerCase());
    run = '';
  };
  /** The end of a class opened at `at` (its `]`), or -1. */
  const classEnd = (at: number): number => {
    let i = at + 1;
    if (source[i] === '^') i++;
    if (source[i] === ']') i++;
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === '\\') i++;
      else if (c === '[' && source[i + 1] === ':') {
        const close = source.indexOf(':]', i + 2);
        if (close < 0) return -1;
        i = close + 1;
      } else if (c === ']') return i;
    }
    return -1;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '|') {
      flush();
      branches.push([]);
    } else if (c === '(') {
      flush();
      // Skip the group, whatever it holds (its alternatives are not required).
      let depth = 1;
      for (i++; i < source.length && depth > 0; i++) {
        const g = source[i];
        if (g === '\\') i++;
        else if (g === '[') {
          const end = classEnd(i);
          if (end < 0) return undefined;
          i = end;
        } else if (g === '(') depth++;
        else if (g === ')') depth--;
      }
      if (depth > 0) return undefined;
      i--;
    } else if (c === ')') return undefined;
    else if (c === '[') {
      flush();
      const end = classEnd(i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      // The atom before a quantifier may be absent (`*`, `?`, `{0,}`) or repeated: dropped, and the run ends.
      run = run.slice(0, -1);
      flush();
      if (c === '{') {
        const close = source.indexOf('}', i);
        if (close < 0) return undefined;
        i = close;
      }
    } else if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) return undefined;
      i++;
      // `\.` `\\` `\$` are the character; `\d` `\x41` `\p{L}` `\b` are classes, codes or assertions,
      // whose arguments (and any letters or digits after them) are not read as literals.
      if (/[A-Za-z0-9]/.test(next)) {
        flush();
        while (i + 1 < source.length && /[A-Za-z0-9]/.test(source[i + 1]!)) i++;
      } else addLiteral(next);
    } else if (c === '.' || c === '^' || c === '$') flush();
    else addLiteral(c);
  }
  flush();
  return branches;

  function addLiteral(ch: string): void {
    const code = ch.charCodeAt(0);
    if (code > 0x7e || code < 0x20 || (foldsBeyondAscii && (ch === 's' || ch === 'S'))) flush();
    else run += ch;
  }
}

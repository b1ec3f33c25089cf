// Sigma search identifiers (the maps and lists under `detection:`) → predicate trees.
//
// Shapes:
//   map                 fields AND-ed              `Image|endswith: '\x.exe'`, `EventID: 4688`
//   list of maps        OR of the maps
//   list of scalars     keyword search: field `*`, op contains (wildcard when the keyword has one)
//   scalar              one keyword
// A field's value list is OR-ed (AND-ed with the `all` modifier).
//
// Values and modifiers (`field|mod1|mod2`), the chain as written is the predicate's nativeOp
// (`|contains|all`; empty for a plain `field: value`, `keyword` for keyword lists):
//   plain value            eq (`in` for several); a value with an unescaped `*`/`?` → wildcard
//   contains / startswith / endswith → the same op; with an inner unescaped wildcard the value
//                          becomes a `wildcard` pattern (`*a*b*`, `a*b*`, `*a*b`)
//   all                    one predicate per value, AND-ed
//   re (+ i m s)           regex, case-sensitive unless `i`; `m`, `s` kept in the predicate's `flags`
//   cidr                   cidr
//   exists                 exists (`false` → exists, negated)
//   fieldref               fieldref, the value is the other field's name
//   gt gte lt lte          the same op, values as written (numbers stay numbers)
//   cased                  caseSensitive true (Sigma compares without case by default)
//   windash                values expanded to their `-`, `/`, en dash, em dash and horizontal bar
//                          spellings (the Sigma specification's set; pySigma's `\B[-/]\b` spots)
//   base64 base64offset utf16le utf16be utf16 wide expand
//                          value transformations: the value is kept as written, the op comes from
//                          the other modifiers (contains ...), and the predicate's `transform` names
//                          them in order (`wide|base64offset`): an encoded match, not a plaintext one
//   null value             exists, negated
// Unescaping follows pySigma: `\*` `\?` `\\` are a literal `*` `?` `\`; any other backslash is
// literal. In a wildcard pattern a literal `*`/`?` is written `\*`/`\?` (as the kuery analyser
// does), a literal backslash `\\` where it stands before a wildcard, `*`, `?` or `\` (else as it is),
// other characters as they are: the pattern reads back unambiguously (languages/sigma/evaluate.ts).
import { combine, other, predicate } from '../../model/predicates.js';
import type { Diagnostic, Operator, PredicateNode, Scalar } from '../../model/types.js';

const MATCH_MODIFIERS = new Map<string, Operator>([
  ['contains', 'contains'],
  ['startswith', 'startswith'],
  ['endswith', 'endswith'],
  ['re', 'regex'],
  ['cidr', 'cidr'],
  ['exists', 'exists'],
  ['fieldref', 'fieldref'],
  ['gt', 'gt'],
  ['gte', 'gte'],
  ['lt', 'lt'],
  ['lte', 'lte'],
]);
const REGEX_FLAGS = new Set(['i', 'm', 's', 'ignorecase', 'multiline', 'dotall']);
const TRANSFORMS = new Set(['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash', 'expand']);

export interface ValueContext {
  diagnostics: Diagnostic[];
  /** Name of the search identifier, for diagnostics. */
  identifier: string;
}

/** A Sigma string value: literal text, or a wildcard pattern when it has unescaped `*`/`?`. */
export type SigmaString =
  | { literal: string; wildcard: false; pattern: string }
  | {
      literal: string;
      wildcard: true;
      pattern: string;
      /** Each character, literal or a wildcard: `patternOf` writes a pattern with wildcards added around it. */
      chars: SigmaChar[];
    };

interface SigmaChar {
  c: string;
  wild: boolean;
}

/**
 * The wildcard pattern of these characters: a literal `*`/`?` written `\\*`/`\\?`, a literal backslash
 * `\\\\` where a reader would take it for an escape (before a wildcard, `*`, `?` or another backslash),
 * else as it is: `\\\\*` stays a backslash then a wildcard.
 */
function patternOf(chars: SigmaChar[]): string {
  const written = (k: number): string => {
    const { c, wild } = chars[k]!;
    if (wild) return c;
    if (c === '*' || c === '?') return '\\' + c;
    if (c !== '\\') return c;
    const next = chars[k + 1];
    return next && (next.wild || '*?\\'.includes(next.c)) ? '\\\\' : c;
  };
  return chars.map((_, k) => written(k)).join('');
}

/** A value with no `*`, `?` or backslash: every character literal, written as it is in a pattern. */
const plainValue = /^[^*?\\]*$/;

export function parseSigmaString(raw: string): SigmaString {
  // Most values (hash lists of tens of thousands) need no object per character to be read.
  if (plainValue.test(raw)) return { literal: raw, wildcard: false, pattern: raw };
  // Each character of the value, literal or a wildcard; the pattern is written from them below.
  const chars: SigmaChar[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    const next = raw[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      chars.push({ c: next, wild: false });
      i++;
    } else chars.push({ c, wild: c === '*' || c === '?' });
  }
  const literal = chars.map((x) => x.c).join('');
  const pattern = patternOf(chars);
  return chars.some((x) => x.wild) ? { literal, wildcard: true, pattern, chars } : { literal, wildcard: false, pattern };
}

/** The characters a Windows program may take a switch after (Sigma's `windash`). */
const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** Every windash spelling of a value (every combination up to 2 switches, else each dash throughout). */
export function windashVariants(value: string): string[] {
  const re = /\B[-/](?=\w)/g;
  const spots: number[] = [];
  for (let m = re.exec(value); m; m = re.exec(value)) spots.push(m.index);
  if (spots.length === 0) return [value];
  const set = (chars: string[]) => {
    let out = value;
    spots.forEach((pos, k) => (out = out.slice(0, pos) + chars[k]! + out.slice(pos + 1)));
    return out;
  };
  const out = new Set<string>([value]);
  if (spots.length > 2) {
    for (const dash of dashes) out.add(set(spots.map(() => dash)));
    return [...out];
  }
  const combos = dashes.length ** spots.length;
  for (let n = 0; n < combos; n++) out.add(set(spots.map((_, k) => dashes[Math.floor(n / dashes.length ** k) % dashes.length]!)));
  return [...out];
}

function quote(v: unknown): string {
  if (typeof v === 'string') return `'${v.replace(/'/g, "''")}'`;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `field|mods: value` or `field|mods: [a, b]`, as a reader would write it. */
function valueText(key: string, value: unknown): string {
  const values = Array.isArray(value) ? value : [value];
  const shown = values.length === 1 && !Array.isArray(value) ? quote(values[0]) : `[${values.map(quote).join(', ')}]`;
  return key === '' ? shown : `${key}: ${shown}`;
}

interface Item {
  op: Operator;
  value: Scalar | undefined;
  negated: boolean;
}

/** Predicates for one `field|mods: value(s)` entry of a map (or a keyword list when `keyword`). */
function fieldPredicates(key: string, rawValue: unknown, ctx: ValueContext, keyword = false): PredicateNode {
  const parts = key.split('|');
  const fieldName = parts[0]!.trim();
  const field = fieldName === '' ? '*' : fieldName;
  const mods = parts.slice(1).map((m) => m.trim().toLowerCase());
  const nativeOp = keyword ? 'keyword' : mods.length ? '|' + parts.slice(1).join('|') : '';
  const text = keyword ? valueText('', rawValue) : valueText(key, rawValue);
  let matchOp: Operator | undefined;
  let all = false;
  let cased = false;
  let regexIgnoreCase = false;
  let regexFlags = '';
  let windash = false;
  const transforms: string[] = [];
  for (const mod of mods) {
    const op = MATCH_MODIFIERS.get(mod);
    if (op) {
      if (matchOp && matchOp !== op) {
        ctx.diagnostics.push(warn(`${ctx.identifier}: modifiers '${matchOp}' and '${mod}' of '${key}' conflict; the last one is used`));
      }
      matchOp = op;
    } else if (mod === 'all') all = true;
    else if (mod === 'cased') cased = true;
    else if (REGEX_FLAGS.has(mod)) {
      if (mod === 'i' || mod === 'ignorecase') regexIgnoreCase = true;
      else if ((mod === 'm' || mod === 'multiline') && !regexFlags.includes('m')) regexFlags += 'm';
      else if ((mod === 's' || mod === 'dotall') && !regexFlags.includes('s')) regexFlags += 's';
    } else if (TRANSFORMS.has(mod)) {
      if (mod === 'windash') windash = true;
      else transforms.push(mod);
    } else {
      ctx.diagnostics.push(warn(`${ctx.identifier}: unknown modifier '${mod}' in '${key}'`));
    }
  }
  if (mods.some((m) => REGEX_FLAGS.has(m)) && matchOp !== 'regex') {
    ctx.diagnostics.push(warn(`${ctx.identifier}: regular expression flags in '${key}' without 're'`));
  }
  // A keyword search (no field) matches anywhere in the event.
  const baseOp: Operator = matchOp ?? (fieldName === '' ? 'contains' : 'eq');
  const caseSensitive = baseOp === 'regex' ? !regexIgnoreCase : cased;

  const rawValues: unknown[] = Array.isArray(rawValue) ? rawValue : [rawValue];
  if (rawValues.length === 0) {
    ctx.diagnostics.push(warn(`${ctx.identifier}: '${key}' has an empty value list`));
    return other(text);
  }
  const items: Item[] = [];
  for (const v of rawValues) {
    if (v === null || v === undefined) {
      items.push({ op: 'exists', value: undefined, negated: baseOp !== 'exists' });
      continue;
    }
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      ctx.diagnostics.push(warn(`${ctx.identifier}: '${key}' has a nested ${Array.isArray(v) ? 'list' : 'map'} as a value`));
      items.push({ op: 'other', value: JSON.stringify(v), negated: false });
      continue;
    }
    switch (baseOp) {
      case 'exists': {
        const yes = v === true || String(v).toLowerCase() === 'true';
        items.push({ op: 'exists', value: undefined, negated: !yes });
        break;
      }
      case 'regex':
      case 'cidr':
      case 'fieldref':
        items.push({ op: baseOp, value: String(v), negated: false });
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        items.push({ op: baseOp, value: v, negated: false });
        break;
      default: {
        if (typeof v !== 'string') {
          items.push({ op: baseOp, value: v, negated: false });
          break;
        }
        for (const variant of windash ? windashVariants(v) : [v]) items.push(stringItem(baseOp, variant));
      }
    }
  }

  const transform = transforms.join('|');
  const flags = baseOp === 'regex' ? regexFlags : '';
  const opts = (negated: boolean) => ({
    negated,
    caseSensitive,
    nativeOp,
    text,
    ...(transform ? { transform } : {}),
    ...(flags ? { flags } : {}),
  });
  const valuesOf = (item: Item): Scalar[] => (item.value === undefined ? [] : [item.value]);
  if (all) {
    return combine(
      'and',
      items.map((item) => predicate(field, item.op, valuesOf(item), opts(item.negated))),
    );
  }
  // OR of the values: one predicate per (op, negation), values in the order written.
  // A Set per group, not `values.includes`: lists of tens of thousands of values (hash lists) are real.
  const groups = new Map<string, { op: Operator; negated: boolean; values: Scalar[]; seen: Set<Scalar> }>();
  for (const item of items) {
    const id = `${item.op}\u0000${item.negated}`;
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { op: item.op, negated: item.negated, values: [], seen: new Set() }));
    if (item.value !== undefined && !group.seen.has(item.value)) {
      group.seen.add(item.value);
      group.values.push(item.value);
    }
  }
  return combine(
    'or',
    [...groups.values()].map((g) => predicate(field, g.op === 'eq' && g.values.length > 1 ? 'in' : g.op, g.values, opts(g.negated))),
  );
}

function stringItem(op: Operator, raw: string): Item {
  const s = parseSigmaString(raw);
  if (!s.wildcard) return { op, value: s.literal, negated: false };
  const star: SigmaChar = { c: '*', wild: true };
  const before = op === 'contains' || op === 'endswith' ? [star] : [];
  const after = op === 'contains' || op === 'startswith' ? [star] : [];
  return { op: 'wildcard', value: patternOf([...before, ...s.chars, ...after]), negated: false };
}

function warn(message: string): Diagnostic {
  return { message, severity: 'warning', scope: 'query' };
}

/** The predicate tree of one search identifier's value. */
export function identifierTree(name: string, value: unknown, ctx: ValueContext): PredicateNode {
  if (Array.isArray(value)) {
    const keywords: Scalar[] = [];
    const parts: PredicateNode[] = [];
    const flushKeywords = () => {
      if (keywords.length) parts.push(fieldPredicates('', [...keywords], ctx, true));
      keywords.length = 0;
    };
    for (const item of value) {
      if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
        flushKeywords();
        parts.push(mapTree(item as Record<string, unknown>, ctx));
      } else if (item === null || typeof item !== 'object') {
        keywords.push(item as Scalar);
      } else {
        ctx.diagnostics.push(warn(`${name}: a nested list is not a valid search identifier item`));
        parts.push(other(JSON.stringify(item)));
      }
    }
    flushKeywords();
    if (parts.length === 0) {
      ctx.diagnostics.push(warn(`${name}: empty search identifier`));
      return other(name);
    }
    return combine('or', parts);
  }
  if (value !== null && typeof value === 'object') return mapTree(value as Record<string, unknown>, ctx);
  if (value === null || value === undefined) {
    ctx.diagnostics.push(warn(`${name}: empty search identifier`));
    return other(name);
  }
  return fieldPredicates('', [value], ctx, true);
}

function mapTree(map: Record<string, unknown>, ctx: ValueContext): PredicateNode {
  const entries = Object.entries(map);
  if (entries.length === 0) {
    ctx.diagnostics.push(warn(`${ctx.identifier}: empty map`));
    return other('{}');
  }
  return combine(
    'and',
    entries.map(([key, v]) => fieldPredicates(key, v, ctx)),
  );
}

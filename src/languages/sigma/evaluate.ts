// Sigma's semantics for the evaluator (evaluate/): the contract between this folder's parser
// (values.ts, condition.ts) and the shared evaluation.
//
// - Fields: a Windows event (`Event.System` + `Event.EventData`) is flattened to the names Sigma
//   rules use (evaluate/event-log.ts); any other JSON event is read as is, a field being a key or a
//   dotted path. A field missing from the event matches nothing (so `not sel` holds); `field: null`
//   (exists, negated) holds when the field is missing or null; `''` matches only an empty value.
// - Compare without case unless `cased` (or `re` without `i`); numbers compare as numbers, also when
//   the event gives them as strings (`EventID: 4688` and `"4688"`); a field holding a list matches
//   when any element does; `gt`/`lt`... on values that are not numbers match nothing.
// - Wildcard patterns (values.ts): `*` any text, `?` one character, `\*` `\?` `\\` a literal
//   `*` `?` `\`, any other backslash itself; the whole value must match.
// - `re` is a search (not anchored) on RE2 with the rule's `i`/`m`/`s`; a regex RE2 cannot run is `unknown`.
// - `base64`, `base64offset`, `wide`/`utf16le`, `utf16be`, `utf16` encode the value (in the order
//   written) before it is compared; `expand` (placeholders) is `unknown`: its values are not in the rule.
// - Keywords (no field) match any value anywhere in the event. `fieldref` compares with the other
//   field's values. `windash` was expanded by the parser.
// - Stages: the condition filters; a deprecated aggregation (`| count() > 5`) is not evaluated (the
//   answer is `unknown` when the condition holds), nor is a correlation rule on one event (over a
//   list of events: evaluate-correlation.ts); a Sigma filter (meta filter on other rules) is not a detection.
// - Logsource: product `windows` reads Windows events, by category (channel and event ids) and
//   service (channel) from providers/sigma-logsources.ts; another product does not read them; a
//   category or service not in that table is `unknown` under `product: windows`, and reads no Windows
//   event when no product is named (`category: database`). An event whose log is named (`--log-type`)
//   as a logsource `product/category/service` matches rules with exactly those parts.
import { sigmaWindowsCategories, sigmaWindowsServices, type WindowsLogSelection } from '../../providers/sigma-logsources.js';
import { linearRegex, type Compiled } from '../../analysis/linear-regex.js';
import { flattenWindowsEvent } from '../../evaluate/event-log.js';
import { sigmaCorrelation } from './evaluate-correlation.js';
import {
  allScalars,
  equalValues,
  fold,
  matchShared,
  pathLookup,
  pathRoots,
  recordKeys,
  numberOf,
  regexLiterals,
  regexOutcome,
  sharedIndexNeed,
  stringMatch,
  textOf,
  compileWildcard,
  type WildcardPart,
} from '../../evaluate/match.js';
import type { EvaluatedRule, EventLog, IndexNeed, LanguageEvaluator, Lookup, SourceCheck, StageRole, Truth } from '../../evaluate/types.js';
import type { Predicate, Scalar } from '../../model/types.js';

interface SigmaView {
  record: unknown;
  /** Sigma field → the field this event's log names it by. */
  aliases: Record<string, string>;
  scalars?: unknown[];
  /** The event's texts lowercased, each once for every predicate reading it (a command line is read by hundreds). */
  lower: Map<string, string>;
  /** Each field read, looked up once for every predicate and rule reading it, with its values as compared (`fieldReads`). */
  fields: Map<string, FieldReads>;
  /** Every value of the event, as keywords (`*`) read them. */
  keywords?: FieldReads;
}

/** A field of the view: its lookup, and its values as a caseless and a cased predicate read them (made on the first such read). */
interface FieldReads {
  found: Lookup;
  caseless?: SeenValue[];
  cased?: SeenValue[];
}

function selectionHolds(selection: WindowsLogSelection, windows: NonNullable<EventLog['windows']>): boolean {
  return sameText(selection.channel, windows.channel) && (!selection.eventIds || selection.eventIds.includes(windows.eventId));
}

const sameText = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function view(event: unknown, log: EventLog): SigmaView {
  const aliases: Record<string, string> = {};
  if (log.windows) {
    for (const selections of Object.values(sigmaWindowsCategories)) {
      for (const s of selections) if (s.fields && selectionHolds(s, log.windows)) Object.assign(aliases, s.fields);
    }
  }
  return { record: flattenWindowsEvent(event) ?? event, aliases, lower: new Map(), fields: new Map() };
}

/** Sigma field → every field a Windows log may name it by (any category's aliases): where `lookup` may find it. */
const aliasTargets = new Map<string, string[]>();
for (const selections of Object.values(sigmaWindowsCategories))
  for (const s of selections)
    for (const [field, target] of Object.entries(s.fields ?? {})) aliasTargets.set(field, [...(aliasTargets.get(field) ?? []), target]);

/** For the fire index: the record's keys `lookup` starts from, the field's or an alias's; keywords (`*`) read the whole event. */
function roots(field: string): readonly string[] | undefined {
  if (field === '*') return undefined;
  return [...pathRoots(field), ...(aliasTargets.get(field) ?? []).flatMap(pathRoots)];
}

function lookup(v: SigmaView, field: string): Lookup {
  return fieldReads(v, field).found;
}

function fieldReads(v: SigmaView, field: string): FieldReads {
  let reads = v.fields.get(field);
  if (!reads) {
    const found = pathLookup(v.record, field);
    const alias = v.aliases[field];
    v.fields.set(field, (reads = { found: found.found || alias === undefined ? found : pathLookup(v.record, alias) }));
  }
  return reads;
}

/** A found field's values as a predicate of that case compares them, shared by every predicate reading the field. */
function seenValues(v: SigmaView, reads: FieldReads, caseSensitive: boolean): SeenValue[] {
  const values = reads.found.found ? reads.found.values : [];
  if (caseSensitive) return (reads.cased ??= values.map((raw) => new SeenValue(raw, true, v.lower)));
  return (reads.caseless ??= values.map((raw) => new SeenValue(raw, false, v.lower)));
}

/** A Sigma wildcard pattern (as values.ts writes it) as parts. */
function wildcardParts(pattern: string, caseSensitive: boolean): WildcardPart[] {
  const parts: WildcardPart[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      literal += next;
      i++;
    } else if (c === '*' || c === '?') {
      if (literal) parts.push(fold(literal, caseSensitive));
      literal = '';
      parts.push({ any: c === '*' ? 'many' : 'one' });
    } else literal += c;
  }
  if (literal) parts.push(fold(literal, caseSensitive));
  return parts;
}

/** The value as the event holds it after the rule's encodings (`wide|base64offset`): one text, or the three offsets. */
export function encoded(value: string, transforms: string[]): string[] {
  let bytes: Buffer[] = [Buffer.from(value, 'utf8')];
  let texts: string[] | undefined;
  for (const t of transforms) {
    const source = texts ? texts.map((x) => Buffer.from(x, 'utf8')) : bytes;
    texts = undefined;
    switch (t) {
      case 'wide':
      case 'utf16le':
        bytes = source.map((b) => Buffer.from(b.toString('utf8'), 'utf16le'));
        break;
      case 'utf16be':
        bytes = source.map((b) => Buffer.from(b.toString('utf8'), 'utf16le').swap16());
        break;
      case 'utf16':
        bytes = source.map((b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('utf8'), 'utf16le')]));
        break;
      case 'base64':
        texts = source.map((b) => b.toString('base64'));
        break;
      case 'base64offset':
        texts = source.flatMap((b) => base64Offsets(b));
        break;
    }
  }
  return texts ?? bytes.map((b) => b.toString('latin1'));
}

/** pySigma's three base64 spellings of bytes at any offset in a longer text: the stable middle of each. */
function base64Offsets(b: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  return [0, 1, 2].map((i) => {
    const text = Buffer.concat([Buffer.alloc(i, ' '), b]).toString('base64');
    const end = ends[(b.length + i) % 3]!;
    return text.slice(starts[i], end === 0 ? undefined : end);
  });
}

type Outcome = { matched: Truth; seen: unknown[] | 'missing'; note?: string };

function test(p: Predicate, v: SigmaView): Outcome {
  const result = positive(p, v);
  return p.negated && result.matched !== 'unknown' ? { ...result, matched: !result.matched } : result;
}

function positive(p: Predicate, v: SigmaView): Outcome {
  const plan = planOf(p);
  if (plan.expand) return { matched: 'unknown', seen: [], note: 'expand: the placeholder values are not in the rule' };
  let seen: unknown[];
  let reads: FieldReads;
  if (p.field === '*') {
    seen = v.scalars ??= allScalars(v.record);
    reads = v.keywords ??= { found: { found: true, values: seen } };
  } else {
    reads = fieldReads(v, p.field);
    const found = reads.found;
    if (p.op === 'exists')
      return { matched: found.found && found.values.some((x) => x !== null), seen: found.found ? found.values : 'missing' };
    if (!found.found) return { matched: false, seen: 'missing' };
    seen = found.values;
  }
  if (p.op === 'fieldref') {
    const others = p.values.flatMap((f) => {
      const o = lookup(v, String(f));
      return o.found ? o.values : [];
    });
    return { matched: seen.some((s) => others.some((o) => equalValues(s, o, p.caseSensitive))), seen };
  }
  // Each event value against each rule value in order: the first true decides; else the last reason it could not tell.
  let unknownNote: string | undefined;
  for (const value of seenValues(v, reads, p.caseSensitive)) {
    for (const compare of plan.compares) {
      const m = compare(value);
      if (m === true) return { matched: true, seen };
      if (typeof m === 'string') unknownNote = m;
    }
  }
  return unknownNote ? { matched: 'unknown', seen, note: unknownNote } : { matched: false, seen };
}

/** An event value, its text and number read once, whatever the number of rule values it is compared with. */
class SeenValue {
  readonly text: string | undefined;
  private foldedText?: string;
  private numberValue?: number | null;
  constructor(
    readonly raw: unknown,
    private readonly caseSensitive: boolean,
    private readonly lower: Map<string, string>,
  ) {
    this.text = textOf(raw);
  }
  /** The text as the predicate compares it (lowercase unless case-sensitive). */
  get folded(): string | undefined {
    const text = this.text;
    if (text === undefined || this.caseSensitive) return text;
    if (this.foldedText === undefined) {
      let lower = this.lower.get(text);
      if (lower === undefined) this.lower.set(text, (lower = text.toLowerCase()));
      this.foldedText = lower;
    }
    return this.foldedText;
  }
  /** The text lowercased, whatever the predicate's case (read once per event and text). */
  get lowercase(): string {
    const text = this.text ?? '';
    if (!this.caseSensitive) return this.folded ?? '';
    let lower = this.lower.get(text);
    if (lower === undefined) this.lower.set(text, (lower = text.toLowerCase()));
    return lower;
  }
  get number(): number | undefined {
    if (this.numberValue === undefined) this.numberValue = numberOf(this.raw) ?? null;
    return this.numberValue ?? undefined;
  }
}

/** One rule value's comparison with an event value : true, false, or why it cannot tell. */
type Compare = (seen: SeenValue) => boolean | string;

/** What `positive` reads of a predicate, worked out once: whether it expands placeholders, and a comparison per rule value (after its encodings). */
interface PredicatePlan {
  expand: boolean;
  /** The rule's values as the event holds them (after the encodings). */
  wanted: Scalar[];
  compares: Compare[];
}

const plans = new WeakMap<Predicate, PredicatePlan>();

function planOf(p: Predicate): PredicatePlan {
  let plan = plans.get(p);
  if (!plan) plans.set(p, (plan = makePlan(p)));
  return plan;
}

function makePlan(p: Predicate): PredicatePlan {
  const transforms = p.transform ? p.transform.split('|') : [];
  if (transforms.includes('expand')) return { expand: true, wanted: [], compares: [] };
  const wanted: Scalar[] = transforms.length
    ? p.values.flatMap((x): Scalar[] => (typeof x === 'string' ? encoded(x, transforms) : [x]))
    : p.values;
  return { expand: false, wanted, compares: wanted.map((w) => compareOf(p, w)) };
}

/** One rule value against an event value, with what depends on the rule value alone read once. */
function compareOf(p: Predicate, wanted: Scalar): Compare {
  const w = textOf(wanted);
  switch (p.op) {
    case 'eq':
    case 'in': {
      // equalValues: numbers as numbers when either side is a number, else texts (folded).
      const n = numberOf(wanted);
      const folded = w === undefined ? undefined : fold(w, p.caseSensitive);
      const isNumber = typeof wanted === 'number';
      return (s) => {
        if (n !== undefined && (isNumber || typeof s.raw === 'number')) {
          const a = s.number;
          if (a !== undefined) return a === n;
        }
        return folded !== undefined && s.folded === folded;
      };
    }
    case 'contains':
    case 'startswith':
    case 'endswith': {
      if (w === undefined) return () => false;
      const folded = fold(w, p.caseSensitive);
      const op = p.op;
      return (s) => {
        const text = s.folded;
        return text !== undefined && stringMatch(op, text, folded);
      };
    }
    case 'wildcard': {
      if (w === undefined) return () => false;
      const matches = compileWildcard(wildcardParts(w, p.caseSensitive));
      return (s) => {
        const text = s.folded;
        return text !== undefined && matches(text);
      };
    }
    case 'regex': {
      if (w === undefined) return () => false;
      // Compiled on its first test, then kept with the predicate (a regex RE2 cannot run is that rule's `unknown`).
      let compiled: Compiled | undefined;
      // The literal texts one of whose branches every match holds in its lowercase (what the fire index files it by):
      // a text holding none is no match without running RE2 (a call into WebAssembly with the text copied, per value).
      const branches = regexLiterals(w, !p.caseSensitive || (p.flags ?? '').includes('i'));
      return (s) => {
        if (s.text === undefined) return false;
        compiled ??= linearRegex(w, (p.caseSensitive ? '' : 'i') + (p.flags ?? ''));
        if (branches && 'regex' in compiled) {
          const lower = s.lowercase;
          if (!branches.some((texts) => texts.every((t) => lower.includes(t)))) return false;
        }
        const r = regexOutcome(compiled, s.text);
        return r.matched === 'unknown' ? (r.note ?? 'regex not run') : r.matched;
      };
    }
    default:
      // The other shared operators (numbers, CIDR blocks); any other is not evaluated.
      return (s) =>
        matchShared(p, s.raw, wanted) ?? (s.text === undefined || w === undefined ? false : `operator ${p.op} is not evaluated`);
  }
}

function stage(s: { kind: string }): StageRole {
  switch (s.kind) {
    case 'condition':
      return { role: 'filter' };
    // A timeframe only bounds an aggregation (whose own stage is the gap): for one event it changes nothing.
    case 'selection':
    case 'filter':
    case 'timeframe':
      return { role: 'skip' };
    case 'aggregation':
      return { role: 'gap', what: 'aggregation', reason: 'a count over several events (deprecated Sigma aggregation)' };
    case 'correlation':
      return { role: 'gap', what: 'correlation', reason: 'a correlation over the events of other rules' };
    case 'rules':
      return { role: 'gap', what: 'not evaluated', reason: 'a Sigma filter applies to other rules, it does not fire' };
    default:
      return { role: 'gap', what: 'not evaluated', reason: `stage ${s.kind}` };
  }
}

function logsourceOf(rule: EvaluatedRule): { product?: string; category?: string; service?: string } {
  const out: { product?: string; category?: string; service?: string } = {};
  for (const s of rule.sources) {
    const m = /^(product|category|service):(.*)$/.exec(s);
    if (m) out[m[1] as 'product'] = m[2]!.toLowerCase();
  }
  return out;
}

function source(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const ls = logsourceOf(rule);
  const named = [ls.product, ls.category, ls.service].filter((x): x is string => x !== undefined);
  const path = named.join('/');
  if (log.windows) return windowsSource(ls, log.windows, path);
  if (log.given !== undefined) {
    const given = log.given.toLowerCase().split('/').filter(Boolean).sort().join('/');
    const matched = given === [...named].sort().join('/');
    return { matched, reason: `the event's log is ${log.given} (--log-type); the rule reads ${path || 'no logsource'}` };
  }
  return { matched: 'unknown', reason: `the event's log is not known (name it with --log-type); the rule reads ${path || 'no logsource'}` };
}

function windowsSource(
  ls: { product?: string; category?: string; service?: string },
  windows: NonNullable<EventLog['windows']>,
  path: string,
): SourceCheck {
  const event = `${windows.channel} event ${windows.eventId}`;
  if (ls.product !== undefined && ls.product !== 'windows') return { matched: false, reason: `a ${event}; the rule reads ${path}` };
  // With no product named, only a Windows category or service reads Windows events (`category: database` does not).
  const windowsPart =
    (ls.category !== undefined && ls.category in sigmaWindowsCategories) ||
    (ls.service !== undefined && ls.service in sigmaWindowsServices);
  if (ls.product === undefined && (ls.category !== undefined || ls.service !== undefined) && !windowsPart) {
    return { matched: false, reason: `a ${event}; the rule reads ${path}, no Windows log` };
  }
  const checks: Truth[] = [];
  if (ls.category !== undefined) {
    const selections = sigmaWindowsCategories[ls.category];
    checks.push(selections ? selections.some((s) => selectionHolds(s, windows)) : 'unknown');
  }
  if (ls.service !== undefined) {
    const channels = sigmaWindowsServices[ls.service];
    checks.push(channels ? channels.some((c) => sameText(c, windows.channel)) : 'unknown');
  }
  if (ls.product === undefined && checks.length === 0) return { matched: 'unknown', reason: `a ${event}; the rule names no logsource` };
  const matched = checks.includes(false) ? false : checks.includes('unknown') ? 'unknown' : true;
  const why = matched === 'unknown' ? ' (its Windows log is not in the logsource table)' : '';
  return { matched, reason: `a ${event}; the rule reads ${path}${why}` };
}

/** For the fire index: a field as `positive` reads it, keywords (`*`) as every value of the event. */
function indexLookup(v: SigmaView, field: string): Lookup {
  return field === '*' ? { found: true, values: (v.scalars ??= allScalars(v.record)) } : lookup(v, field);
}

/** For the fire index: what `positive` needs to hold (an encoding or a negation: nothing it can say). */
function indexNeed(p: Predicate): IndexNeed | undefined {
  if (p.negated || p.op === 'fieldref') return undefined;
  if (p.transform) {
    // An encoding (`base64offset`, `wide`): the value as the event holds it, compared as written; `expand`: nothing known.
    const plan = planOf(p);
    if (plan.expand || !(p.op === 'eq' || p.op === 'in' || p.op === 'contains' || p.op === 'startswith' || p.op === 'endswith'))
      return undefined;
    return sharedIndexNeed({ ...p, values: plan.wanted });
  }
  if (p.op === 'exists') return p.field === '*' ? undefined : { kind: 'present' };
  if (p.op === 'regex') {
    // Literal texts every match holds (match.ts regexLiterals), per value: one of them must match.
    const alternatives: string[][] = [];
    for (const w of p.values) {
      const branches = regexLiterals(textOf(w) ?? '', !p.caseSensitive || (p.flags ?? '').includes('i'));
      if (!branches) return undefined;
      alternatives.push(...branches);
    }
    return { kind: 'contains', alternatives };
  }
  // A caseless pattern matches only a text holding each of its literal parts.
  if (p.op === 'wildcard' && !p.caseSensitive) {
    const literals = (w: Scalar) => wildcardParts(textOf(w) ?? '', false).filter((part): part is string => typeof part === 'string');
    return { kind: 'contains', alternatives: p.values.map(literals) };
  }
  return sharedIndexNeed(p);
}

/** A field `positive` reads as missing: its answer then depends on the predicate alone (false, or `unknown` for `expand`). */
function missing(v: SigmaView, field: string): boolean {
  return field !== '*' && !lookup(v, field).found;
}

export const sigmaEvaluator: LanguageEvaluator<SigmaView> = {
  view,
  test,
  missing,
  stage,
  source,
  lookup: indexLookup,
  roots,
  keys: (v) => recordKeys(v.record),
  indexNeed,
  overEvents: sigmaCorrelation,
};

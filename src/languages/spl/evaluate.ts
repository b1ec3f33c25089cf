// Splunk SPL for the evaluator (evaluate/): the contract between this folder's parser (index.ts,
// condition.ts) and the shared evaluation.
//
// - Fields: the event's keys as written (names are case-sensitive), dotted paths into JSON
//   (`requestParameters.x`, spath's `a{}.b` read through the list); a multivalue field matches when
//   any value does. `sourcetype`, `source` and `index` also come from `--log-type` when the event
//   has none. A Windows event (evtx JSON) is read flattened (evaluate/event-log.ts), `EventCode` its `EventID`.
// - Search language (`search`, the leading search, `tstats ... where`): values without case; `*`
//   is the only wildcard (`?` and backslashes are themselves); `f!=v` needs f present, `NOT f=v`
//   holds without it; `f=*` present; `f<v` on numbers (a bound that is not a number: `unknown`);
//   `f IN (...)`; an address block (`10.0.0.0/8`) matches its addresses.
// - A bare term or phrase: against `_raw`, without case (`CASE()` with), as whole terms: the text
//   found with no letter or digit on either side (`TERM()`: no character but a space or a
//   bracket-like breaker); a term with `*` against each space-separated segment. No `_raw`: a term
//   found in a field's value is in the raw text (`yes`), otherwise `unknown`.
// - Eval language (`where`, and `eval` columns the parser traces): with case unless lower()/upper();
//   literals keep their type; `like` / `LIKE` with `%` and `_`; `match` a regex search (RE2);
//   `isnull` / `isnotnull`; `cidrmatch`; `f = g` between fields. A missing field is null, and a
//   comparison with null is false: the row is dropped, `!=` too; a NOT over a null is null as well,
//   so in a `where` holding a NOT, a predicate on a missing field is `unknown`.
// - A filter on a column an earlier command computes without the parser tracing it (eval, rex,
//   rename, iplocation, spath output ...) is `unknown`.
// - Stages: search, where, regex and tstats filter; eval, rename, table, fields, sort, dedup, head,
//   spath, bin, convert, fillnull (nothing after it filters on nulls differently here: a filter
//   after it is `unknown`) keep the row. `stats` / `tstats ... by f` keeps one row per group, and an
//   event without a by-field makes none: a missing by-field is `unknown` (it may be a search-time
//   alias). A filter after stats, eventstats, streamstats, chart or timechart is a threshold;
//   lookup, inputlookup, join, append, transaction, subsearches and any other command are not
//   evaluated. Macros: the source macros (macros.ts) gate the log; `security_content_ctime`,
//   `security_content_summariesonly`, `drop_dm_object_name` format the output; ESCU's `<rule>_filter`
//   macros are a site's tuning, empty as shipped (`search *`); any other macro is not expanded (`unknown`).
// - Source: the rule's sources (`sourcetype:`, `source:`, `index:`, `eventtype:` from its terms and
//   macros, `datamodel:` from tstats) against the event's `sourcetype` / `source` / `index`, a
//   Windows event's `XmlWinEventLog:<Channel>`, the data-model objects its keys name
//   (`Processes.process_name`), or `--log-type` (`sourcetype:aws:cloudtrail`, `datamodel:Endpoint.Processes`,
//   or a bare value tried as any of them). Any one matching: yes; the log tells a kind the rule
//   names and none match: no; nothing to compare: `unknown`. A rule naming no source reads the
//   default indexes: any event.
import { linearRegex, type Compiled } from '../../analysis/linear-regex.js';
import { flattenWindowsEvent } from '../../evaluate/event-log.js';
import {
  allScalars,
  compileWildcard,
  fold,
  matchShared,
  numberOf,
  modelWildcardParts,
  pathLookup,
  pathRoots,
  recordKeys,
  regexOutcome,
  textOf,
  type WildcardPart,
} from '../../evaluate/match.js';
import type { EvaluatedRule, EventLog, IndexNeed, LanguageEvaluator, Lookup, SourceCheck, StageRole, Truth } from '../../evaluate/types.js';
import { readOtherNodes } from '../../evaluate/tree.js';
import { predicate } from '../../model/predicates.js';
import type { Predicate, PredicateNode, Stage } from '../../model/types.js';
import { SOURCE_MACROS } from './macros.js';

type Outcome = { matched: Truth; seen: unknown[] | 'missing'; note?: string };
type Event = Record<string, unknown>;

const FILTERS = new Set(['search', 'where', 'regex']);
const KEEPING = new Set(['eval', 'rename', 'table', 'fields', 'sort', 'dedup', 'head', 'tail', 'spath', 'bin', 'bucket', 'convert']);
const GROUPING = new Set(['stats', 'tstats', 'mstats']);
/** Commands after which a filter reads counts or aggregates, not the event's fields. */
const AGGREGATING = new Set(['stats', 'tstats', 'mstats', 'eventstats', 'streamstats', 'chart', 'timechart', 'top', 'rare']);
/** Commands whose output columns are not the event's fields: a filter on them is `unknown`. */
const DEFINING = new Set(['eval', 'rex', 'rename', 'iplocation', 'lookup', 'fillnull', 'makemv', 'extract', 'kv', 'xmlkv', 'addinfo']);
const FORMATTING_MACROS = new Set(['security_content_ctime', 'security_content_summariesonly', 'drop_dm_object_name']);

const SPL_KINDS = ['sourcetype', 'source', 'index', 'eventtype', 'datamodel'] as const;
type SourceKind = (typeof SPL_KINDS)[number];

function isRecord(v: unknown): v is Event {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// The event

function view(event: unknown, log: EventLog): Event {
  const windows = flattenWindowsEvent(event);
  const base: Event = windows ?? (isRecord(event) ? event : {});
  const out: Event = { ...base };
  if (windows) {
    out.EventCode ??= windows.EventID;
    out.source ??= `XmlWinEventLog:${String(windows.Channel)}`;
  }
  // `--log-type` stands for the field it names (a bare value for sourcetype) when the event has none.
  const given = givenSource(log) ?? (log.given !== undefined ? { kind: 'sourcetype', value: log.given } : undefined);
  if (given && given.kind !== 'datamodel' && !(given.kind in out)) out[given.kind] = given.value;
  return out;
}

/** spath names a list's items `a{}.b`: the same path through the list. */
const pathOf = (field: string) => (field.includes('{}') ? field.replace(/\{\}/g, '') : field);

function lookup(event: Event, field: string): Lookup {
  return pathLookup(event, pathOf(field));
}

// ---------------------------------------------------------------------------------------------
// Comparisons

/** A search-language wildcard value: `*` any text, everything else itself. */
function searchPattern(value: string): WildcardPart[] {
  const parts: WildcardPart[] = [];
  value.split('*').forEach((literal, i) => {
    if (i > 0) parts.push({ any: 'many' });
    if (literal) parts.push(literal.toLowerCase());
  });
  return parts;
}

const isLike = (p: Predicate) => /^like$/i.test(p.nativeOp);

/** A rule value's test of an event text, with what depends on the rule value alone read once. */
type TextTest = (text: string) => boolean | string;

function compileTextTest(p: Predicate, w: string): TextTest {
  if (p.op === 'regex') {
    // Compiled on its first test (a regex RE2 cannot run is that rule's `unknown`).
    let compiled: Compiled | undefined;
    return (text) => {
      compiled ??= linearRegex(w, '');
      const r = regexOutcome(compiled, text);
      return r.matched === 'unknown' ? (r.note ?? 'regex not run') : r.matched;
    };
  }
  if (isLike(p)) {
    const matches = compileWildcard(modelWildcardParts(w, p.caseSensitive));
    return (text) => matches(fold(text, p.caseSensitive));
  }
  const matches = compileWildcard(searchPattern(w));
  return (text) => matches(text.toLowerCase());
}

/** Per wildcard or regex predicate, its values' tests (`compileTextTest`; undefined for a value that is not text), made on its first test. */
const textTests = new WeakMap<Predicate, (TextTest | undefined)[]>();

function textTestsOf(p: Predicate): (TextTest | undefined)[] {
  let tests = textTests.get(p);
  if (!tests) {
    tests = p.values.map((wanted) => {
      const w = textOf(wanted);
      return w === undefined ? undefined : compileTextTest(p, w);
    });
    textTests.set(p, tests);
  }
  return tests;
}

/** One event value against one rule value (`compiled`: the value's test, for a wildcard or a regex). */
function matchOne(p: Predicate, seen: unknown, wanted: unknown, compiled: TextTest | undefined): boolean | string {
  if ((p.op === 'gt' || p.op === 'gte' || p.op === 'lt' || p.op === 'lte') && numberOf(wanted) === undefined)
    return `a bound that is not a number (${String(wanted)}) compares as text in Splunk: not evaluated`;
  const shared = matchShared(p, seen, wanted);
  if (shared !== undefined) return shared;
  const text = textOf(seen);
  const w = textOf(wanted);
  if (text === undefined || w === undefined) return false;
  switch (p.op) {
    case 'wildcard':
    case 'regex':
      return compiled!(text);
    default:
      return `operator ${p.nativeOp || p.op} is not evaluated`;
  }
}

/** Characters that end a term as `TERM()` reads it: spaces and bracket-like major breakers. */
const MAJOR = /[\s[\]<>(){}|!;,'"&]/;
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/** A term or phrase in a raw text (both folded as the search compares), bounded: no letter or digit (TERM: no minor breaker either) on either side. */
function termIn(text: string, want: string, whole: boolean): boolean {
  if (want === '') return false;
  const bounded = (c: string | undefined) => (whole ? c === undefined || MAJOR.test(c) : !isWordChar(c));
  for (let at = text.indexOf(want); at >= 0; at = text.indexOf(want, at + 1)) {
    if (bounded(text[at - 1]) && bounded(text[at + want.length])) return true;
  }
  return false;
}

/**
 * What the raw-text searches of every rule read of one event's view: its scalars (without `_raw`), its
 * texts lowercased and their whitespace-separated segments lowercased (a wildcard term's), each once.
 */
interface RawReads {
  scalars?: unknown[];
  /** The scalars' texts, each lowercased, joined by newlines: a term held by none of them is not in this (one search, not one per scalar). */
  joinedLower?: string;
  lower: Map<string, string>;
  segments: Map<string, string[]>;
}
/**
 * Where a view keeps its raw reads: on the view itself (a symbol, which the view's keys and scalars do not
 * list), not in a WeakMap by the view: a WeakMap's entries kept each event's view past the young generation's collection.
 */
const RAW_READS = Symbol('raw reads');
type ViewWithReads = Event & { [RAW_READS]?: RawReads };

function rawReadsOf(event: Event): RawReads {
  const view = event as ViewWithReads;
  return (view[RAW_READS] ??= { lower: new Map(), segments: new Map() });
}

/** A raw-text search's test of one text, with what depends on the predicate alone read once (rules are tried on many events). */
type RawTest = (text: string, reads: RawReads) => boolean;
const rawTests = new WeakMap<Predicate, RawTest>();
/** A raw-text search's caseless terms (none holding a newline): on an event without `_raw`, looked for in the scalars' join first. */
const rawInJoin = new WeakMap<Predicate, string[]>();

function rawTestOf(p: Predicate): RawTest {
  let test = rawTests.get(p);
  if (test) return test;
  const wanted = p.values.map((v) => textOf(v) ?? '');
  if (p.op === 'wildcard') {
    const patterns = wanted.map((w) => compileWildcard(searchPattern(w)));
    test = (text, reads) => {
      let segments = reads.segments.get(text);
      if (!segments) reads.segments.set(text, (segments = text.split(/\s+/).map((segment) => segment.toLowerCase())));
      return patterns.some((matches) => segments.some(matches));
    };
  } else {
    const whole = p.nativeOp === 'TERM';
    const folded = wanted.map((w) => fold(w, p.caseSensitive));
    // A caseless term without a newline is in a scalar's lowercase only if it is in their join (`RawReads.joinedLower`).
    if (!p.caseSensitive && folded.every((w) => !w.includes('\n'))) rawInJoin.set(p, folded);
    test = (text, reads) => {
      let seen = text;
      if (!p.caseSensitive) {
        const lower = reads.lower.get(text);
        if (lower === undefined) reads.lower.set(text, (seen = text.toLowerCase()));
        else seen = lower;
      }
      return folded.some((w) => termIn(seen, w, whole));
    };
  }
  rawTests.set(p, test);
  return test;
}

function rawTerm(p: Predicate, event: Event): Outcome {
  const raw = lookup(event, '_raw');
  const reads = rawReadsOf(event);
  const test = rawTestOf(p);
  if (raw.found) {
    const seen = raw.values;
    return { matched: seen.some((s) => test(textOf(s) ?? '', reads)), seen };
  }
  // No raw text: the fields' values are in it, but so is what the event does not give (keys, header).
  const seen = (reads.scalars ??= allScalars(event));
  const terms = rawInJoin.get(p);
  const joined = terms ? (reads.joinedLower ??= seen.map((s) => (textOf(s) ?? '').toLowerCase()).join('\n')) : undefined;
  const somewhere = joined === undefined || terms!.some((w) => joined.includes(w));
  if (somewhere && seen.some((s) => test(textOf(s) ?? '', reads))) return { matched: true, seen };
  return { matched: 'unknown', seen: 'missing', note: 'a term searched in _raw, which the event does not give' };
}

interface RuleFacts {
  /** The stage each predicate of the rule comes from. */
  stageOf: Map<Predicate, Stage>;
  /** Per stage, the columns commands before it computed. */
  definedBefore: Map<Stage, Set<string>>;
  /** `where` stages holding a NOT (a null under it is null). */
  whereWithNot: Set<Stage>;
}
const facts = new WeakMap<Stage[], RuleFacts>();

function hasNot(node: PredicateNode | undefined): boolean {
  if (!node) return false;
  if (node.kind === 'not') return true;
  return (node.kind === 'and' || node.kind === 'or') && node.children.some(hasNot);
}

function predicatesOf(node: PredicateNode | undefined, out: Predicate[] = []): Predicate[] {
  if (!node) return out;
  if (node.kind === 'pred') out.push(node.predicate);
  else if (node.kind === 'not') predicatesOf(node.child, out);
  else if (node.kind === 'and' || node.kind === 'or') for (const c of node.children) predicatesOf(c, out);
  return out;
}

/** Top-level comma-separated parts of a command's arguments (commas inside brackets and quotes stay). */
function topLevelParts(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '"') quote = !quote;
    else if (!quote && c === '(') depth++;
    else if (!quote && c === ')') depth--;
    else if (!quote && depth === 0 && c === ',') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The columns a command computes (not traced by the parser: any filter on them is `unknown`). */
function definedBy(stage: Stage): string[] {
  const body = stage.text.replace(/^\s*\|?\s*\w+/, '');
  switch (stage.kind) {
    case 'eval':
      return topLevelParts(body).flatMap((part) => {
        const assign = /^\s*"?([^\s="]+)"?\s*=(?!=)\s*(.*)$/s.exec(part);
        if (!assign) return [];
        // `eval f=lower(f)` leaves f the event's field, case-folded: the parser reads filters on it so.
        const same = new RegExp(`^(?:(?:lower|upper)\\(\\s*)?${assign[1]!.replace(/\W/g, '\\$&')}\\s*\\)?\\s*$`, 'i');
        return same.test(assign[2]!) ? [] : [assign[1]!];
      });
    case 'rex':
      return [...body.matchAll(/\(\?P?<([^>]+)>/g)].map((m) => m[1]!);
    case 'rename':
      return [...body.matchAll(/\bas\s+"?([^\s,"]+)"?/gi)].map((m) => m[1]!);
    case 'iplocation':
      return ['City', 'Country', 'Region', 'lat', 'lon'];
    case 'lookup': {
      // `lookup t key OUTPUT a AS b, c`: the columns it writes; without OUTPUT, every column of the table.
      const output = /\bOUTPUT(?:NEW)?\s+(.+)$/is.exec(body);
      if (!output) return ['*'];
      return topLevelParts(output[1]!).flatMap((part) => {
        const words = part.trim().split(/\s+/);
        return words.length >= 3 && /^as$/i.test(words[1]!) ? [words[2]!] : words.filter((w) => !/^as$/i.test(w));
      });
    }
    default:
      // A command computing columns it does not name: every field after it is in doubt.
      return ['*'];
  }
}

function factsOf(rule: EvaluatedRule): RuleFacts {
  let f = facts.get(rule.stages);
  if (!f) {
    f = { stageOf: new Map(), definedBefore: new Map(), whereWithNot: new Set() };
    const defined = new Set<string>();
    for (const s of rule.stages) {
      if (s.depth) continue;
      f.definedBefore.set(s, new Set(defined));
      for (const p of predicatesOf(s.condition)) f.stageOf.set(p, s);
      if (s.kind === 'where' && hasNot(s.condition)) f.whereWithNot.add(s);
      if (DEFINING.has(s.kind)) for (const name of definedBy(s)) defined.add(name);
    }
    facts.set(rule.stages, f);
  }
  return f;
}

function test(p: Predicate, event: Event, rule: EvaluatedRule): Outcome {
  const f = factsOf(rule);
  const stage = f.stageOf.get(p);
  const defined = stage ? f.definedBefore.get(stage) : undefined;
  if (defined && (defined.has(p.field) || defined.has('*')) && p.field !== '_raw')
    return { matched: 'unknown', seen: [], note: `${p.field} is computed by an earlier command, not evaluated` };
  if (p.field === '_raw' && (p.nativeOp === 'term' || p.nativeOp === 'TERM' || p.nativeOp === 'CASE')) return rawTerm(p, event);
  const found = lookup(event, p.field);
  if (p.op === 'exists' && p.nativeOp === 'by' && !found.found)
    return {
      matched: 'unknown',
      seen: 'missing',
      note: `stats by ${p.field} makes no row without it: it may be a search-time alias or extraction`,
    };
  if (p.op === 'exists') {
    const present = found.found && found.values.some((v) => v !== null);
    return { matched: p.negated ? !present : present, seen: found.found ? found.values : 'missing' };
  }
  if (p.op === 'other') return { matched: 'unknown', seen: found.found ? found.values : 'missing', note: `${p.text} is not evaluated` };
  const evalLanguage = stage?.kind === 'where' || p.caseSensitive;
  if (!found.found || found.values.every((v) => v === null)) {
    // Search: `f!=v` needs f; eval: null compares as null (false), and under a NOT stays null.
    if (evalLanguage && stage && f.whereWithNot.has(stage))
      return { matched: 'unknown', seen: 'missing', note: 'null under a NOT is null: not evaluated' };
    return { matched: false, seen: 'missing' };
  }
  const seen = found.values;
  let wanted: unknown[] = p.values;
  if (p.op === 'fieldref') {
    const other = lookup(event, String(p.values[0]));
    if (!other.found) return { matched: false, seen };
    wanted = other.values;
  }
  const op = p.op === 'fieldref' ? { ...p, op: 'eq' as const } : p;
  const compiled = op.op === 'wildcard' || op.op === 'regex' ? textTestsOf(p) : undefined;
  let note: string | undefined;
  // One true decides (a reason it could not tell counts only without one).
  for (const s of seen)
    for (let i = 0; i < wanted.length; i++) {
      const r = matchOne(op, s, wanted[i], compiled?.[i]);
      if (r === true) return { matched: !p.negated, seen };
      if (typeof r === 'string') note = r;
    }
  if (note) return { matched: 'unknown', seen, note };
  return { matched: p.negated, seen };
}

// ---------------------------------------------------------------------------------------------
// Stages

const macroName = (text: string) => /`([\w-]+)/.exec(text)?.[1] ?? '';

/** `stats ... by a, b` / `tstats ... by a b`: the by-fields. */
function byFields(text: string): string[] {
  const by = /\sby\s+(.+)$/is.exec(text.replace(/"[^"]*"/g, '""'));
  if (!by) return [];
  return by[1]!.split(/[\s,]+/).filter((name) => name && !/^(as|span=.*)$/i.test(name) && /^[\w.{}:@-]+$/.test(name));
}

/** Time modifiers bound the search's window, not the event. */
const TIME_MODIFIER = /^(earliest|latest|_index_earliest|_index_latest|starttime|endtime)\s*=/i;

/**
 * The condition without what holds for any event (a bare `*`, time modifiers): the parser keeps them
 * as text (`other`), which would leave every search `unknown`. `true` when nothing else is left.
 */
function withoutMatchAll(node: PredicateNode): PredicateNode | true {
  return readOtherNodes(node, (other) => (other.text.trim() === '*' || TIME_MODIFIER.test(other.text.trim()) ? true : other));
}

function filterRole(condition: PredicateNode | undefined): StageRole {
  if (!condition) return { role: 'skip' };
  const kept = withoutMatchAll(condition);
  if (kept === true) return { role: 'skip' };
  return kept === condition ? { role: 'filter' } : { role: 'filter', condition: kept };
}

/** A grouping stage keeps one row per group: the event makes one only with every by-field present. */
function grouping(s: Stage): StageRole {
  const fields = byFields(s.text);
  const required = fields.map((field) => predicate(field, 'exists', [], { caseSensitive: true, nativeOp: 'by', text: `by ${field}` }));
  const own = s.condition ? withoutMatchAll(s.condition) : true;
  const condition = [...(own === true ? [] : [own]), ...required];
  if (condition.length === 0) return { role: 'skip' };
  return { role: 'filter', condition: condition.length === 1 ? condition[0]! : { kind: 'and', children: condition } };
}

function stage(s: Stage, rule: EvaluatedRule): StageRole {
  if (s.depth) return { role: 'gap', what: 'join', reason: 'a subsearch: its rows are not this event' };
  const at = rule.stages.indexOf(s);
  const before = rule.stages.slice(0, at).filter((x) => !x.depth);
  const aggregated = before.find((x) => AGGREGATING.has(x.kind));
  if (GROUPING.has(s.kind) || FILTERS.has(s.kind)) {
    if (aggregated) return { role: 'gap', what: 'threshold', reason: `a filter on the result of ${aggregated.kind}` };
    if (before.some((x) => x.kind === 'fillnull')) return { role: 'gap', what: 'not evaluated', reason: 'a filter after fillnull' };
    return GROUPING.has(s.kind) ? grouping(s) : filterRole(s.condition);
  }
  if (KEEPING.has(s.kind) || AGGREGATING.has(s.kind) || s.kind === 'rex' || s.kind === 'fillnull' || s.kind === 'iplocation')
    return { role: 'skip' };
  if (s.kind === 'macro') {
    const name = macroName(s.text);
    if (SOURCE_MACROS[name] || FORMATTING_MACROS.has(name) || name.endsWith('_filter')) return { role: 'skip' };
    return { role: 'gap', what: 'not evaluated', reason: `macro ${name} is not expanded` };
  }
  if (s.kind === 'lookup' || s.kind === 'inputlookup') return { role: 'gap', what: 'lookup', reason: `${s.kind}: a lookup table` };
  if (s.kind === 'join' || s.kind === 'append' || s.kind === 'appendpipe')
    return { role: 'gap', what: 'join', reason: `${s.kind} with another search` };
  if (s.kind === 'transaction') return { role: 'gap', what: 'aggregation', reason: 'transaction groups several events' };
  return { role: 'gap', what: 'not evaluated', reason: `command ${s.kind}` };
}

// ---------------------------------------------------------------------------------------------
// Source

/** `--log-type` as `<kind>:<value>` (kind one of SPL's source kinds), else the bare value. */
function givenSource(log: EventLog): { kind: SourceKind; value: string } | undefined {
  if (log.given === undefined) return undefined;
  const colon = log.given.indexOf(':');
  const kind = colon > 0 ? log.given.slice(0, colon).toLowerCase() : '';
  return (SPL_KINDS as readonly string[]).includes(kind) ? { kind: kind as SourceKind, value: log.given.slice(colon + 1) } : undefined;
}

/** What the event tells of its log, by kind. */
function eventSources(log: EventLog): Map<SourceKind, string[]> {
  const out = new Map<SourceKind, string[]>();
  const add = (kind: SourceKind, value: string | undefined) => {
    if (value) out.set(kind, [...(out.get(kind) ?? []), value]);
  };
  const given = givenSource(log);
  if (given) add(given.kind, given.value);
  else if (log.given !== undefined) for (const kind of SPL_KINDS) add(kind, log.given);
  add('sourcetype', log.splunk?.sourcetype);
  add('source', log.splunk?.source);
  add('index', log.splunk?.index);
  for (const object of log.splunk?.dataModelObjects ?? []) add('datamodel', object);
  if (log.windows) {
    add('source', `XmlWinEventLog:${log.windows.channel}`);
    add('source', `WinEventLog:${log.windows.channel}`);
    add('sourcetype', `XmlWinEventLog:${log.windows.channel}`);
  }
  return out;
}

const globs = new Map<string, (text: string) => boolean>();

/** A source pattern against a value the event tells, the pattern compiled once (each log's check reads every rule's). */
function globMatch(pattern: string, text: string): boolean {
  let matches = globs.get(pattern);
  if (!matches) {
    if (globs.size >= 4096) globs.clear();
    globs.set(pattern, (matches = compileWildcard(searchPattern(pattern))));
  }
  return matches(text.toLowerCase());
}

/** A data set (`Endpoint.Processes`) against a data-model object or dataset the event names: any part in common, case aside. */
function dataModelMatch(dataset: string, told: string): boolean {
  const parts = new Set(dataset.toLowerCase().split('.'));
  const tells = told.toLowerCase();
  return tells === dataset.toLowerCase() || tells.split('.').some((p) => parts.has(p));
}

/** The data-model objects a rule's tstats conditions and by-fields name (`All_Traffic` of `All_Traffic.dest_port`). */
function ruleObjects(rule: EvaluatedRule): string[] {
  const fields = rule.stages
    .filter((s) => GROUPING.has(s.kind) && !s.depth)
    .flatMap((s) => [...predicatesOf(s.condition).map((p) => p.field), ...byFields(s.text)]);
  return fields.flatMap((f) => (f.includes('.') ? [f.slice(0, f.indexOf('.'))] : []));
}

function source(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const named = rule.sources.flatMap((s) => {
    const colon = s.indexOf(':');
    const kind = s.slice(0, colon) as SourceKind;
    return (SPL_KINDS as readonly string[]).includes(kind) ? [{ kind, value: s.slice(colon + 1) }] : [];
  });
  const reads = named.map((n) => `${n.kind}=${n.value}`).join(', ');
  if (named.length === 0) return { matched: true, reason: 'the search names no index, sourcetype or source macro: it reads every event' };
  const told = eventSources(log);
  if (told.size === 0)
    return {
      matched: 'unknown',
      reason: `the event's sourcetype is not known (a sourcetype field, or --log-type); the rule reads ${reads}`,
    };
  const tells = [...told].map(([kind, values]) => `${kind}=${values.join(' | ')}`).join(', ');
  const why = `the event is ${tells}${log.given !== undefined ? ' (--log-type)' : ''}; the rule reads ${reads}`;
  let comparable = false;
  for (const { kind, value } of named) {
    const values = told.get(kind);
    if (!values) continue;
    comparable = true;
    const datasets = kind === 'datamodel' ? [value, ...ruleObjects(rule)] : [];
    const match = (v: string) => (kind === 'datamodel' ? datasets.some((d) => dataModelMatch(d, v)) : globMatch(value, v));
    if (values.some(match)) return { matched: true, reason: why };
  }
  return { matched: comparable ? false : 'unknown', reason: why };
}

/**
 * For the fire index: a search-language wildcard (`f=*foo*bar`, no case) needs a value holding each of
 * its literal parts, on a field no earlier command computes (a missing field is false there); other
 * comparisons of plain values as the index's default.
 */
function indexNeed(p: Predicate, rule: EvaluatedRule): IndexNeed | 'plain' | undefined {
  if (p.op !== 'wildcard') return 'plain';
  if (p.negated || p.field === '_raw' || p.caseSensitive || isLike(p)) return undefined;
  const f = factsOf(rule);
  const stage = f.stageOf.get(p);
  if (!stage || stage.kind === 'where') return undefined;
  const defined = f.definedBefore.get(stage);
  if (defined && (defined.has(p.field) || defined.has('*'))) return undefined;
  const alternatives = p.values.flatMap((w) => {
    const text = textOf(w);
    return text === undefined
      ? []
      : [
          text
            .split('*')
            .filter((literal) => literal !== '')
            .map((literal) => literal.toLowerCase()),
        ];
  });
  return { kind: 'contains', alternatives };
}

export const splEvaluator: LanguageEvaluator<Event> = {
  view,
  test,
  stage,
  source,
  lookup,
  indexNeed,
  missing: (event, field) => !lookup(event, field).found,
  roots: (field) => pathRoots(pathOf(field)),
  keys: recordKeys,
};

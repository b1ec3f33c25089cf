// KQL's semantics for the evaluator (evaluate/): the contract between this folder's parser
// (predicates.ts, values.ts, stages.ts) and the shared evaluation. An event is one row of a
// Sentinel / Defender table, given as a flat JSON object of its columns.
//
// - Fields: a column name as written (`['Account Name']` is `Account Name`); `a.b`, `a["b"]`,
//   `a[0]` and `parse_json(a).b` are paths into a dynamic column, which the event may give as JSON
//   or as a string holding JSON (how Log Analytics exports dynamic columns). Column names are
//   case-sensitive, as in Kusto.
// - A column the event does not have reads as the empty string (Kusto strings are never null, and
//   exports leave empty columns out): `==` fails, `!=` and `!contains` hold, `isempty` holds. Unless
//   an earlier stage (extend, project, parse, summarize ...) names it: then the column is computed,
//   and the predicate is `unknown`. A computed expression kept as the field (`strlen(x) > 5`) is `unknown`.
// - `==` `!=` `in` `!in` `has_cs` `contains_cs` `startswith_cs` `endswith_cs` `like_cs` compare with
//   case; `=~` `!~` `in~` `!in~` `has` `contains` `startswith` `endswith` `hasprefix` `hassuffix`
//   without; `tolower(x)`/`toupper(x)` make any comparison caseless (the parser folds them).
// - `has`: the value as whole terms. A term is a maximal run of ASCII letters and digits; the
//   value must start and end at term boundaries where its own first and last characters are
//   alphanumeric (`has "cmd.exe"` matches `c:\cmd.exe /c` but not `xcmd.exe`). `hasprefix` and
//   `hassuffix`: a term boundary at one end only. `has_any` any value, `has_all` every value.
// - Numbers compare as numbers, also when the event gives them as strings; `between (a .. b)` is
//   inclusive; an ordering comparison or `between` on a value that is not a number (a missing column,
//   a datetime) does not hold, negated or not (Kusto's null). A dynamic array or object compares as its
//   JSON text (Kusto's `tostring`).
// - `matches regex` is a search (not anchored) on RE2, with case; a regex RE2 cannot run is `unknown`.
// - `isempty` / `isnotempty`: null or the empty string; `isnull` / `isnotnull`: null (a missing column
//   of a string type is empty, not null: `isnull` on it does not hold).
// - `let` lists and scalars are resolved by the parser into the values; a `let` table or a
//   subquery (`in (T | ...)`) stays text, `unknown`.
// - Stages: `where`/`search` filter; stages that keep an event's row or change only its columns
//   (extend, project, sort, take, top, distinct, render ...) change nothing for one event; a
//   `where` after `summarize`/`count`/`make-series` is a threshold, not evaluated; join, lookup,
//   externaldata, `evaluate` plugins, `parse-where` and the stages of a subquery (a `let` table, a
//   union member, a join side) are not evaluated.
// - `mv-expand`, and `mv-apply` whose subquery only filters, make one row per element
//   (evaluate-expand.ts has their semantics): the later stages run on each row and the rule fires
//   when one comes out; an expansion of a computed column or of an expression other than a column,
//   a path or `todynamic`/`parse_json` of one is not evaluated. Its columns are the rows' own.
// - Source: the rule's tables against the table the event names (`--log-type`); a rule reading an
//   ASIM parser or another function is `unknown` for any table; with no table named, `unknown`.
import {
  compareNumbers,
  equalValues,
  fold,
  numberOf,
  recordKeys,
  regexMatch,
  stringMatch,
  textOf,
  wildcardMatch,
  type WildcardPart,
} from '../../evaluate/match.js';
import { expandRow, readExpansion, type ExpansionSpec } from './evaluate-expand.js';
import type { EvaluatedRule, EventLog, IndexNeed, LanguageEvaluator, Lookup, SourceCheck, StageRole, Truth } from '../../evaluate/types.js';
import type { Predicate, Stage } from '../../model/types.js';

type Outcome = { matched: Truth; seen: unknown[] | 'missing'; note?: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string holding a JSON object or array, parsed (dynamic columns exported as text); else the value. */
function dynamic(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return v;
  }
}

const stepsOf = new Map<string, (string | number)[]>();

/** `a.b[0].c` as keys and indexes (read once per field: the fire index asks for the same fields on every event). */
function pathSteps(field: string): (string | number)[] {
  let steps = stepsOf.get(field);
  if (!steps) {
    if (stepsOf.size >= 65536) stepsOf.clear();
    stepsOf.set(field, (steps = readPathSteps(field)));
  }
  return steps;
}

function readPathSteps(field: string): (string | number)[] {
  const steps: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      steps.push(part);
      continue;
    }
    if (m[1]) steps.push(m[1]);
    for (const index of m[2]!.matchAll(/\[(\d+)\]/g)) steps.push(Number(index[1]));
  }
  return steps;
}

/** A column, or a path into a dynamic column: the column name as written first, then the path. */
function kqlLookup(event: unknown, field: string): Lookup {
  if (!isRecord(event)) return { found: false };
  if (Object.hasOwn(event, field)) return { found: true, values: [event[field]] };
  let current: unknown = event;
  for (const step of pathSteps(field)) {
    current = dynamic(current);
    if (typeof step === 'number') {
      if (!Array.isArray(current) || step >= current.length) return { found: false };
      current = current[step];
    } else {
      if (!isRecord(current) || !Object.hasOwn(current, step)) return { found: false };
      current = current[step];
    }
  }
  return { found: true, values: [current] };
}

/** The text Kusto compares: a scalar as is, a dynamic array or object as its JSON text; null is empty. */
function kustoText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return textOf(v) ?? JSON.stringify(v);
}

const alnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/** Kusto's `has`: `wanted` found where it starts (`prefix`) and ends (`suffix`) on term boundaries. */
export function hasTerm(text: string, wanted: string, ends: { start: boolean; end: boolean } = { start: true, end: true }): boolean {
  if (wanted === '') return true;
  const checkStart = ends.start && alnum(wanted[0]);
  const checkEnd = ends.end && alnum(wanted[wanted.length - 1]);
  for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + 1)) {
    if (checkStart && alnum(text[at - 1])) continue;
    if (checkEnd && alnum(text[at + wanted.length])) continue;
    return true;
  }
  return false;
}

/** A `like` pattern (`*` and `?` as wildcards, nothing escapes them). */
function likeParts(pattern: string): WildcardPart[] {
  const parts: WildcardPart[] = [];
  for (const piece of pattern.split(/([*?])/)) {
    if (piece === '*' || piece === '?') parts.push({ any: piece === '*' ? 'many' : 'one' });
    else if (piece) parts.push(piece);
  }
  return parts;
}

const folded = new WeakMap<Predicate, string[]>();

/** The predicate's values as text compares them (folded unless case-sensitive), once per predicate. */
function foldedValues(p: Predicate): string[] {
  let values = folded.get(p);
  if (!values) folded.set(p, (values = p.values.map((w) => fold(kustoText(w), p.caseSensitive))));
  return values;
}

/** A rule value as equality reads it (match.ts `equalValues`): its number, whether it is one, its text folded as the predicate compares. */
interface EqualityValue {
  number: number | undefined;
  isNumber: boolean;
  folded: string | undefined;
  empty: boolean;
}

const equalityValues = new WeakMap<Predicate, EqualityValue[]>();

/**
 * `equalValues` of the event value with any of the predicate's values, each rule value read once per
 * predicate and the event value once per test (a list of 200 names was read 200 times per value).
 */
function equalsAny(p: Predicate, seen: unknown): boolean {
  let wanted = equalityValues.get(p);
  if (!wanted) {
    wanted = p.values.map((w) => {
      const text = textOf(w);
      return {
        number: numberOf(w),
        isNumber: typeof w === 'number',
        folded: text === undefined ? undefined : fold(text, p.caseSensitive),
        empty: text === '',
      };
    });
    equalityValues.set(p, wanted);
  }
  if (seen === null || seen === undefined) return wanted.some((w) => w.empty);
  const value = textOrValue(seen);
  const n = numberOf(value);
  const isNumber = typeof value === 'number';
  // The event value's text, folded on the first rule value compared as text (null: not read yet).
  let folded: string | undefined | null = null;
  for (const w of wanted) {
    if (n !== undefined && w.number !== undefined && (isNumber || w.isNumber)) {
      if (n === w.number) return true;
      continue;
    }
    if (folded === null) {
      const text = textOf(value);
      folded = text === undefined ? undefined : fold(text, p.caseSensitive);
    }
    if (folded !== undefined && folded === w.folded) return true;
  }
  return false;
}

/** One event value against the predicate's values, before negation. */
function holds(p: Predicate, seen: unknown): boolean | string {
  const cs = p.caseSensitive;
  switch (p.op) {
    case 'eq':
    case 'in':
      return equalsAny(p, seen);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const op = p.op;
      return p.values.some((w) => compareNumbers(op, seen, w));
    }
    case 'range': {
      const [low, high] = p.values;
      return compareNumbers('gte', seen, low) && compareNumbers('lte', seen, high);
    }
    case 'exists': {
      const empty = seen === null || seen === undefined || (p.nativeOp.endsWith('empty') && kustoText(seen) === '');
      // The model reads isempty/isnull as `exists` negated: holding here means "not empty".
      return !empty;
    }
    default:
  }
  const text = fold(kustoText(seen), cs);
  const values = foldedValues(p);
  switch (p.op) {
    case 'has':
    case 'has_any':
      return values.some((w) => hasTerm(text, w));
    case 'has_all':
      return values.every((w) => hasTerm(text, w));
    case 'hasprefix':
      return values.some((w) => hasTerm(text, w, { start: true, end: false }));
    case 'hassuffix':
      return values.some((w) => hasTerm(text, w, { start: false, end: true }));
    case 'contains':
    case 'startswith':
    case 'endswith': {
      const op = p.op;
      return values.some((w) => stringMatch(op, text, w));
    }
    case 'wildcard':
      return values.some((w) => wildcardMatch(likeParts(w), text));
    case 'regex': {
      let note: string | undefined;
      for (const w of p.values) {
        const r = regexMatch(kustoText(w), '', kustoText(seen));
        if (r.matched === true) return true;
        if (r.matched === 'unknown') note = r.note;
      }
      return note ?? false;
    }
    default:
      return `operator ${p.nativeOp || p.op} is not evaluated`;
  }
}

/** Dynamic arrays and objects compare as their JSON text. */
function textOrValue(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
}

/** Ordering comparisons and `between` on a value that is not a number are Kusto's null: false either way. */
const NUMERIC = new Set(['gt', 'gte', 'lt', 'lte', 'range']);

function test(p: Predicate, event: unknown, rule: EvaluatedRule): Outcome {
  if (p.field.includes('(')) return { matched: 'unknown', seen: [], note: `a computed expression (${p.field}) is not evaluated` };
  if (p.op === 'fieldref') return fieldToField(p, event);
  let seen: unknown[] | 'missing';
  if (p.field === '*') seen = isRecord(event) ? Object.values(event) : [];
  else {
    const found = kqlLookup(event, p.field);
    // A column an earlier stage (re)defines is not the event's own.
    if (computedBefore(rule, p.field)) {
      return {
        matched: 'unknown',
        seen: found.found ? found.values : 'missing',
        note: `${p.field} is computed by an earlier stage, not evaluated`,
      };
    }
    seen = found.found ? found.values : 'missing';
  }
  if (p.field === '*' && p.op === 'wildcard') return { matched: 'unknown', seen, note: 'a search term with a wildcard is not evaluated' };
  // A missing column of a string type is empty; a missing path in a dynamic column is null.
  const values = seen === 'missing' ? [/[.[]/.test(p.field) ? null : ''] : seen;
  let note: string | undefined;
  let matched = false;
  for (const v of values) {
    const r = holds(p, v);
    if (r === true) matched = true;
    else if (typeof r === 'string') note = r;
  }
  if (!matched && note) return { matched: 'unknown', seen, note };
  if (NUMERIC.has(p.op) && values.every((v) => !isNumeric(v))) return { matched: false, seen };
  return { matched: p.negated ? !matched : matched, seen };
}

const isNumeric = (v: unknown) => compareNumbers('gte', v, -Number.MAX_VALUE);

function fieldToField(p: Predicate, event: unknown): Outcome {
  const other = String(p.values[0]);
  if (other === p.field) return { matched: 'unknown', seen: [], note: 'a join key relates two tables' };
  const a = kqlLookup(event, p.field);
  const b = kqlLookup(event, other);
  if (!a.found || !b.found) return { matched: 'unknown', seen: a.found ? a.values : 'missing', note: 'a column not in the event' };
  const matched = a.values.some((x) => b.values.some((y) => equalValues(textOrValue(x), textOrValue(y), p.caseSensitive)));
  if (p.nativeOp !== '==' && p.nativeOp !== '!=' && p.nativeOp !== '=~' && p.nativeOp !== '!~') {
    return { matched: 'unknown', seen: a.values, note: `${p.nativeOp} between two columns is not evaluated` };
  }
  return { matched: p.negated ? !matched : matched, seen: a.values };
}

/** Stages that define or rename columns: a later filter on one of their names reads a computed column. */
const DEFINING = new Set(['extend', 'project', 'project-rename', 'parse', 'parse-kv', 'summarize', 'mv-expand', 'mv-apply', 'evaluate']);

/** What a rule's stages define: the computed names, and the expansions evaluated (whose columns are the rows' own). */
interface Definitions {
  computed: Set<string>;
  /** Evaluated `mv-expand` / `mv-apply` stages, read. */
  expansions: Map<Stage, ExpansionSpec>;
  /** The columns those expansions write. */
  expanded: Set<string>;
  /** Why each other mv-expand / mv-apply is not evaluated. */
  unread: Map<Stage, string>;
}
const definitionsOf = new WeakMap<Stage[], Definitions>();
const rootOf = (field: string) => /^[^.[]*/.exec(field)![0];

/**
 * An `mv-apply` is read when its body (the deeper stages right after it) is only `where` stages, which
 * then filter each row it makes; undefined when it has no body or another stage.
 */
function applyBody(stages: Stage[], at: number): Stage[] | undefined {
  const body: Stage[] = [];
  for (let k = at + 1; k < stages.length && (stages[k]!.depth ?? 0) > 0; k++) body.push(stages[k]!);
  return body.length > 0 && body.every((b) => b.depth === 1 && b.kind === 'where') ? body : undefined;
}

function definitions(rule: EvaluatedRule): Definitions {
  let found = definitionsOf.get(rule.stages);
  if (found) return found;
  found = { computed: new Set(), expansions: new Map(), expanded: new Set(), unread: new Map() };
  const { computed, expansions, expanded, unread } = found;
  rule.stages.forEach((s, at) => {
    if (!DEFINING.has(s.kind)) return;
    if ((s.kind === 'mv-expand' || s.kind === 'mv-apply') && (s.depth ?? 0) === 0) {
      const spec = readExpansion(s.text);
      // The expansion reads its columns where it stands: computed by an earlier stage, they are not the event's.
      const reason =
        typeof spec === 'string'
          ? spec
          : spec.items.some((item) => computed.has(String(item.path[0])))
            ? `${s.kind} of a column an earlier stage computes`
            : s.kind === 'mv-apply' && !applyBody(rule.stages, at)
              ? 'an mv-apply whose subquery does more than filter (where)'
              : undefined;
      if (reason === undefined && typeof spec !== 'string') {
        expansions.set(s, spec);
        for (const item of spec.items) expanded.add(item.name);
        if (spec.index !== undefined) expanded.add(spec.index);
        return;
      }
      unread.set(s, reason!);
    }
    for (const m of s.text.matchAll(/\[?['"]?([A-Za-z_][\w]*)['"]?\]?\s*=(?!=|~)/g)) computed.add(m[1]!);
    if (s.kind === 'parse' || s.kind === 'parse-kv' || s.kind === 'mv-expand' || s.kind === 'mv-apply' || s.kind === 'evaluate') {
      for (const m of s.text.matchAll(/[A-Za-z_]\w*/g)) computed.add(m[0]);
    }
  });
  definitionsOf.set(rule.stages, found);
  return found;
}

function computedBefore(rule: EvaluatedRule, field: string): boolean {
  const { computed } = definitions(rule);
  return computed.has(field) || computed.has(rootOf(field));
}

/** An expansion's column: the rows it makes have it, the event does not (the fire index leaves it out). */
function expandedColumn(rule: EvaluatedRule, field: string): boolean {
  const { expanded } = definitions(rule);
  return expanded.size > 0 && (expanded.has(field) || expanded.has(rootOf(field)));
}

/** A column or path of a row, parsed when it holds JSON text (mv-expand's reading of its expressions). */
function readPath(row: Record<string, unknown>, path: (string | number)[]): { found: boolean; value?: unknown } {
  const field = path.map((step, k) => (typeof step === 'number' ? `[${step}]` : k === 0 ? step : `.${step}`)).join('');
  const found = kqlLookup(row, field);
  return found.found ? { found: true, value: dynamic(found.values[0]) } : { found: false };
}

/** Stages that keep an event's row as it is for the question "does this row come out". */
const ROW_PRESERVING = new Set([
  'source',
  'let',
  'extend',
  'project',
  'project-away',
  'project-keep',
  'project-rename',
  'project-reorder',
  'sort',
  'take',
  'top',
  'distinct',
  'serialize',
  'render',
  'as',
  'parse',
  'parse-kv',
  'union',
  'datatable',
  'set',
  'declare',
  'sample',
]);
const AGGREGATING = new Set(['summarize', 'count', 'make-series', 'top-nested', 'top-hitters', 'reduce']);

function stage(s: Stage, rule: EvaluatedRule): StageRole {
  if ((s.depth ?? 0) > 0) {
    if (s.kind === 'source' || s.kind === 'let') return { role: 'skip' };
    if (s.kind === 'where' && insideEvaluatedApply(s, rule)) return { role: 'filter' };
    return { role: 'gap', what: 'not evaluated', reason: `a subquery's ${s.kind} (a let table, a union member or a join side)` };
  }
  const before = rule.stages.slice(0, rule.stages.indexOf(s)).filter((x) => (x.depth ?? 0) === 0);
  const aggregated = before.find((x) => AGGREGATING.has(x.kind));
  if (s.kind === 'where' || s.kind === 'search') {
    if (aggregated) return { role: 'gap', what: 'threshold', reason: `a filter on the result of ${aggregated.kind}` };
    return { role: 'filter' };
  }
  if (ROW_PRESERVING.has(s.kind)) return { role: 'skip' };
  if (s.kind === 'mv-expand' || s.kind === 'mv-apply') {
    const { expansions, unread } = definitions(rule);
    const spec = expansions.get(s);
    if (spec) {
      // The columns expanded: a missing one expands as null (one row holding null), whatever else the row holds.
      const columns = spec.items.map((item) => item.path[0]);
      const reads = columns.every((c): c is string => typeof c === 'string') ? { reads: columns } : {};
      return { role: 'expand', expand: (view) => expandRow(spec, view, readPath), ...reads };
    }
    return { role: 'gap', what: 'not evaluated', reason: unread.get(s) ?? `stage ${s.kind}` };
  }
  if (AGGREGATING.has(s.kind)) return { role: 'gap', what: 'aggregation', reason: `${s.kind} over several events` };
  if (s.kind === 'join') return { role: 'gap', what: 'join', reason: 'a join with another table' };
  if (s.kind === 'lookup') return { role: 'gap', what: 'lookup', reason: 'a lookup in another table' };
  if (s.kind === 'externaldata') return { role: 'gap', what: 'external list', reason: 'external data' };
  return { role: 'gap', what: 'not evaluated', reason: `stage ${s.kind}` };
}

/** A `where` of the body of an evaluated `mv-apply`: it filters the rows the expansion makes. */
function insideEvaluatedApply(s: Stage, rule: EvaluatedRule): boolean {
  const at = rule.stages.indexOf(s);
  let head = at - 1;
  while (head >= 0 && (rule.stages[head]!.depth ?? 0) > 0) head--;
  const apply = rule.stages[head];
  return apply !== undefined && apply.kind === 'mv-apply' && definitions(rule).expansions.has(apply);
}

/** ASIM parsers (`imProcessCreate`, `_Im_Dns`, `ASimAuthentication`) and `_GetWatchlist` read many tables. */
const FUNCTION_SOURCE = /^(_?[iI]m_?[A-Z]|_?ASim[A-Z]|_Get[A-Z])/;

function source(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const tables = rule.sources;
  const reads = tables.join(', ') || 'no table';
  if (log.given === undefined)
    return { matched: 'unknown', reason: `the event's table is not known (name it with --log-type); the rule reads ${reads}` };
  const given = log.given.toLowerCase();
  const why = `the event is a ${log.given} row (--log-type); the rule reads ${reads}`;
  if (tables.some((t) => t.toLowerCase() === given)) return { matched: true, reason: why };
  if (tables.length === 0 || tables.some((t) => FUNCTION_SOURCE.test(t)))
    return { matched: 'unknown', reason: `${why} (a function: its tables are not known)` };
  return { matched: false, reason: why };
}

/** For the fire index: a column as `test` compares it (missing: empty; null: empty; dynamic: its JSON text); `*` every column. */
function indexLookup(event: unknown, field: string): Lookup {
  const found = field === '*' ? { found: true, values: isRecord(event) ? Object.values(event) : [] } : kqlLookup(event, field);
  const values = found.found ? found.values : [null];
  return { found: true, values: values.map((v) => (v === null || v === undefined ? '' : textOrValue(v))) };
}

/** For the fire index: what `holds` needs, on a column of the event's own (not computed, not an expression). */
function indexNeed(p: Predicate, rule: EvaluatedRule): IndexNeed | undefined {
  // `*` (search, `* has`): any column; its terms are filed like a column's (a wildcard term is `unknown`, left out below).
  if (p.negated || p.field.includes('(') || p.op === 'fieldref' || computedBefore(rule, p.field)) return undefined;
  if (expandedColumn(rule, p.field)) return undefined;
  if (p.op === 'eq' || p.op === 'in') return { kind: 'equal', values: p.values };
  // Caseless term and text comparisons find the value's folded text in the column's.
  if (p.caseSensitive) return undefined;
  const folded = p.values.map((w) => fold(kustoText(w), false));
  switch (p.op) {
    case 'has':
    case 'has_any':
    case 'hasprefix':
    case 'hassuffix':
    case 'contains':
    case 'startswith':
    case 'endswith':
      return { kind: 'contains', alternatives: folded.map((w) => [w]) };
    case 'has_all':
      return { kind: 'contains', alternatives: [folded] };
    default:
      return undefined;
  }
}

/** A column or path `test` reads as missing (a missing column of a string type as empty, a path as null: the same for any event). */
const missing = (event: unknown, field: string) => !kqlLookup(event, field).found;

/** The columns `kqlLookup` starts from: the field as one column, or its path's first column (no step: the row itself). */
function roots(field: string): readonly string[] | undefined {
  if (field === '*') return undefined;
  const steps = pathSteps(field);
  if (steps.length === 0) return undefined;
  const first = steps[0];
  return typeof first === 'string' && first !== field ? [field, first] : [field];
}

export const kqlEvaluator: LanguageEvaluator = {
  view: (event) => event,
  test,
  stage,
  source,
  lookup: indexLookup,
  indexNeed,
  missing,
  roots,
  keys: recordKeys,
};

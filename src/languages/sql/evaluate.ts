// Snowflake SQL (Panther scheduled and saved queries) for the evaluator (evaluate/), best effort:
// the WHERE of a query over one log table, on one event as a row of that table.
//
// - The event is a row: its top-level keys are the columns, named without case as Snowflake's
//   unquoted identifiers are; what follows `:` (the parser writes `actor:alternateId` as
//   `actor.alternateId`) is a path into a VARIANT, with case.
// - `=` with case, `lower(x) = 'a'` and ILIKE without; numbers as numbers; LIKE / ILIKE with `%`
//   and `_`; RLIKE / REGEXP_LIKE match the whole value (RE2); BETWEEN and `<` on numbers, else on
//   dates when both sides read as dates, else as text; IN; IS [NOT] NULL; ARRAY_CONTAINS an element;
//   CONTAINS / STARTSWITH / ENDSWITH; a column against a column.
// - NULL: a missing key or a null is NULL, and a comparison with it is NULL: the row is dropped,
//   `!=` and NOT IN too. NOT NULL is NULL as well, which a Boolean tree cannot say: in a WHERE
//   holding a NOT, a predicate on a NULL is `unknown`.
// - Panther's time macros: `p_occurs_between('a', 'b')` is the event's `p_event_time` between the
//   two (as dates; no p_event_time: `unknown`); `p_occurs_since(...)` and the other windows relative
//   to when the query runs hold for an event as it arrives (as SPL's `earliest=-1d`).
// - Stages: WHERE filters; SELECT, FROM, ORDER BY, LIMIT and GROUP BY (one event makes one group)
//   keep the row; HAVING is a threshold; JOIN, QUALIFY, set operations (UNION ...), CTEs, subqueries
//   and Jinja templates or macros are not evaluated, nor is any condition the parser keeps as text.
// - Source: a `panther_logs` table (`panther_logs.public.okta_systemlog`) is the log type whose
//   name it is lower-cased with `.` as `_` (Okta.SystemLog), against the event's `p_log_type` or
//   `--log-type` (a log type or a table name); other databases (views over all logs, rule matches,
//   signals) are `unknown`.
import {
  compareNumbers,
  equalValues,
  fold,
  matchShared,
  numberOf,
  pathLookup,
  recordKeys,
  regexMatch,
  textOf,
  modelWildcardParts,
  wildcardMatch,
} from '../../evaluate/match.js';
import type { EvaluatedRule, EventLog, LanguageEvaluator, Lookup, SourceCheck, StageRole, Truth } from '../../evaluate/types.js';
import { readOtherNodes } from '../../evaluate/tree.js';
import { predicate } from '../../model/predicates.js';
import type { Predicate, PredicateNode, Stage } from '../../model/types.js';

type Outcome = { matched: Truth; seen: unknown[] | 'missing'; note?: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The column a field names: its first part. */
const columnOf = (field: string) => {
  const dot = field.indexOf('.');
  return dot < 0 ? field : field.slice(0, dot);
};

/** A column (any case), then a path into it (with case). */
function lookup(event: unknown, field: string): Lookup {
  if (!isRecord(event)) return { found: false };
  const dot = field.indexOf('.');
  const column = columnOf(field);
  const key = Object.hasOwn(event, column) ? column : Object.keys(event).find((k) => k.toLowerCase() === column.toLowerCase());
  if (key === undefined) return { found: false };
  return pathLookup({ [key]: event[key] }, dot < 0 ? key : `${key}${field.slice(dot)}`);
}

const dateOf = (v: unknown): number | undefined => {
  const t = textOf(v);
  if (t === undefined || numberOf(t) !== undefined || !/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
  const ms = Date.parse(t.includes(' ') && !t.includes('T') ? t.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? '' : 'Z') : t);
  return Number.isNaN(ms) ? undefined : ms;
};

/** `<` and friends: numbers, else dates when both read as dates, else text. */
function ordered(op: 'gt' | 'gte' | 'lt' | 'lte', seen: unknown, wanted: unknown): boolean {
  if (numberOf(seen) !== undefined && numberOf(wanted) !== undefined) return compareNumbers(op, seen, wanted);
  const a = dateOf(seen);
  const b = dateOf(wanted);
  if (a !== undefined && b !== undefined) return compareNumbers(op, a, b);
  const s = textOf(seen);
  const w = textOf(wanted);
  if (s === undefined || w === undefined) return false;
  return op === 'gt' ? s > w : op === 'gte' ? s >= w : op === 'lt' ? s < w : s <= w;
}

function matchOne(p: Predicate, seen: unknown, wanted: unknown): boolean | string {
  switch (p.op) {
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return ordered(p.op, seen, wanted);
    case 'contains':
      // ARRAY_CONTAINS('x', col): an element equal to the value (the array's elements come one by one).
      if (/^array_contains$/i.test(p.nativeOp)) return equalValues(seen, wanted, true);
      return matchShared(p, seen, wanted)!;
    case 'wildcard': {
      const text = textOf(seen);
      return text !== undefined && wildcardMatch(modelWildcardParts(String(wanted), p.caseSensitive), fold(text, p.caseSensitive));
    }
    case 'regex': {
      const r = regexMatch(`^(?:${String(wanted)})$`, p.caseSensitive ? '' : 'i', textOf(seen) ?? '');
      return r.matched === 'unknown' ? (r.note ?? 'regex not run') : r.matched;
    }
    default:
      return matchShared(p, seen, wanted) ?? `operator ${p.nativeOp || p.op} is not evaluated`;
  }
}

interface RuleFacts {
  /** Predicates of WHERE stages holding a NOT (a NULL under it stays NULL). */
  underNot: Set<Predicate>;
}
const facts = new WeakMap<Stage[], RuleFacts>();

function collect(node: PredicateNode | undefined, out: Set<Predicate>): void {
  if (!node) return;
  if (node.kind === 'pred') out.add(node.predicate);
  else if (node.kind === 'not') collect(node.child, out);
  else if (node.kind === 'and' || node.kind === 'or') for (const c of node.children) collect(c, out);
}

function hasNot(node: PredicateNode | undefined): boolean {
  if (!node) return false;
  if (node.kind === 'not') return true;
  return (node.kind === 'and' || node.kind === 'or') && node.children.some(hasNot);
}

function factsOf(rule: EvaluatedRule): RuleFacts {
  let f = facts.get(rule.stages);
  if (!f) {
    f = { underNot: new Set() };
    for (const s of rule.stages) if (s.kind === 'where' && hasNot(s.condition)) collect(s.condition, f.underNot);
    facts.set(rule.stages, f);
  }
  return f;
}

function range(p: Predicate, seen: unknown): boolean {
  const [low, high] = p.values;
  if (p.nativeOp === 'p_occurs_between') {
    const t = dateOf(seen);
    const a = dateOf(low);
    const b = dateOf(high);
    return t !== undefined && a !== undefined && b !== undefined && t >= a && t <= b;
  }
  return ordered('gte', seen, low) && ordered('lte', seen, high);
}

function test(p: Predicate, event: unknown, rule: EvaluatedRule): Outcome {
  const found = lookup(event, p.field);
  const seen = found.found ? found.values : ('missing' as const);
  if (p.op === 'other') return { matched: 'unknown', seen, note: `${p.nativeOp} is not evaluated: ${p.text}` };
  if (p.op === 'exists') {
    const present = found.found && found.values.some((v) => v !== null);
    return { matched: p.negated ? !present : present, seen };
  }
  const values = found.found ? found.values.filter((v) => v !== null) : [];
  if (values.length === 0 && p.nativeOp === 'p_occurs_between')
    return { matched: 'unknown', seen, note: 'p_event_time not given (Panther sets it on every event)' };
  if (values.length === 0) {
    if (factsOf(rule).underNot.has(p)) return { matched: 'unknown', seen, note: 'NULL under a NOT is NULL: not evaluated' };
    return { matched: false, seen };
  }
  let wanted: unknown[] = p.values;
  if (p.op === 'fieldref') {
    const other = lookup(event, String(p.values[0]));
    if (!other.found) return { matched: false, seen };
    wanted = other.values;
  }
  const op = p.op === 'fieldref' ? { ...p, op: 'eq' as const } : p;
  let note: string | undefined;
  let matched = false;
  for (const s of values) {
    const results = op.op === 'range' ? [range(op, s)] : wanted.map((w) => matchOne(op, s, w));
    for (const r of results) {
      if (r === true) matched = true;
      else if (typeof r === 'string') note = r;
    }
  }
  if (!matched && note) return { matched: 'unknown', seen, note };
  return { matched: p.negated ? !matched : matched, seen };
}

// ---------------------------------------------------------------------------------------------
// Panther's time macros, which the parser keeps as text

const OCCURS_BETWEEN = /^p_occurs_between\s*\(\s*'([^']*)'\s*,\s*'([^']*)'\s*(?:,[^)]*)?\)$/i;
const RELATIVE_WINDOW = /^p_occurs_(since|after|before|around)\b/i;

/**
 * The condition with Panther's time macros read: `p_occurs_between` with two dates as a predicate on
 * `p_event_time`; a window relative to when the query runs (`p_occurs_since('1 day')`) holds for an
 * event as it arrives, as SPL's `earliest=-1d` does (`true`: dropped from an `and`, deciding an `or`).
 */
function withTimeMacros(node: PredicateNode): PredicateNode | true {
  return readOtherNodes(node, (other) => {
    const text = other.text.trim();
    const between = OCCURS_BETWEEN.exec(text);
    if (between) return predicate('p_event_time', 'range', [between[1]!, between[2]!], { nativeOp: 'p_occurs_between', text });
    return RELATIVE_WINDOW.test(text) ? true : other;
  });
}

const KEEPING = new Set(['select', 'from', 'order by', 'limit', 'offset', 'fetch', 'group by']);

function stage(s: Stage): StageRole {
  if (s.depth) return { role: 'gap', what: 'join', reason: `${s.kind} of a CTE or subquery` };
  switch (s.kind) {
    case 'where': {
      if (!s.condition) return { role: 'skip' };
      const condition = withTimeMacros(s.condition);
      if (condition === true) return { role: 'skip' };
      return JSON.stringify(condition) === JSON.stringify(s.condition) ? { role: 'filter' } : { role: 'filter', condition };
    }
    case 'having':
      return { role: 'gap', what: 'threshold', reason: 'HAVING on the groups' };
    case 'join':
      return { role: 'gap', what: 'join', reason: 'a JOIN with another table' };
    default:
      if (KEEPING.has(s.kind)) return { role: 'skip' };
      return { role: 'gap', what: 'not evaluated', reason: s.kind.toUpperCase() };
  }
}

const tableOfLogType = (logType: string) => logType.toLowerCase().replace(/\./g, '_');

function source(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const tables = rule.sources.filter((t) => !t.includes(':'));
  const reads = tables.join(', ') || 'no table';
  const logTables = tables.flatMap((t) => {
    const parts = t.toLowerCase().split('.');
    return parts.length === 1 || parts[0] === 'panther_logs' ? [parts.at(-1)!] : [];
  });
  const given = log.given ?? log.panther?.logType;
  if (given === undefined)
    return { matched: 'unknown', reason: `the event's log type is not known (p_log_type, or --log-type); the query reads ${reads}` };
  const why = `the event is ${given}${log.given !== undefined ? ' (--log-type)' : ' (p_log_type)'}; the query reads ${reads}`;
  if (logTables.length === 0 || logTables.length !== tables.length) return { matched: 'unknown', reason: `${why} (not one log table)` };
  const table = tableOfLogType(given.split('.').length > 2 ? given.split('.').at(-1)! : given);
  return { matched: logTables.includes(table), reason: why };
}

export const sqlEvaluator: LanguageEvaluator = {
  view: (event) => event,
  test,
  stage,
  source,
  lookup,
  // A missing column is NULL: the predicate's answer alone (false, `unknown` under a NOT).
  missing: (event, field) => !lookup(event, field).found,
  // Columns without case: a view's keys and a field's column lower-cased.
  roots: (field) => [columnOf(field).toLowerCase()],
  keys: (event) => recordKeys(event).map((k) => k.toLowerCase()),
};

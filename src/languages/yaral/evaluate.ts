// YARA-L 2.0 for the evaluator (evaluate/): the contract between this folder's parser (index.ts,
// stages.ts, condition.ts) and the shared evaluation.
//
// - The event: a UDM event (`metadata`, `principal`, `target` ...), or one under `udm`. Fields are
//   UDM paths as rules write them (snake_case), also found in camelCase (`product_event_type` as
//   `productEventType`, as exports write them); a repeated field matches when any value does (`all`:
//   every value); `labels["k"]` reads a map's key, or the `value` of the `{key, value}` items whose
//   `key` is k. UDM has no nulls: an unset field is `""` (numbers 0), so `f != "x"` holds without f.
// - `=` / `!=` with case, `nocase` and strings.to_lower/to_upper without; numbers compare as numbers;
//   `/re/` and re.regex() are RE2 searches (not anchored), `nocase` case-insensitive;
//   strings.contains / starts_with / ends_with; net.ip_in_range_cidr.
// - Placeholders (`$e.principal.user.userid = $user`): on one event, the fields bound to the same
//   placeholder must share a value; a field alone binds any value, except that a match variable's
//   zero value (`""`) is left out, as Google SecOps does unless `options: allow_zero_values = true`.
//   `$e.a = $e.b` compares two fields of the event.
// - Not evaluated (`unknown`): reference lists (`in %list`), conditions the parser keeps as text
//   (arithmetic, other functions), rules with several event variables (a correlation over several
//   events within the match window), a condition count above one event (`#e >= 3`) and thresholds
//   on outcome variables (`$risk > 10`).
// - Source: the rule's `metadata.log_type` values against the event's (or `--log-type`, which also
//   stands for an event without one); a rule naming no log type reads any UDM event; a UDM event
//   is recognised by its `metadata`. The rule's other metadata conditions (`product_event_type`,
//   `event_type`, `product_name`) are conditions on the event itself.
import { fold, matchShared, recordKeys, regexMatch, textOf } from '../../evaluate/match.js';
import type { EvaluatedRule, EventLog, LanguageEvaluator, Lookup, SourceCheck, StageRole, Truth } from '../../evaluate/types.js';
import { eachPredicate } from '../../model/predicates.js';
import { yaralEvents } from './evaluate-events.js';
import type { Predicate, Stage } from '../../model/types.js';

type Outcome = { matched: Truth; seen: unknown[] | 'missing'; note?: string };
type Event = Record<string, unknown>;

const isRecord = (v: unknown): v is Event => typeof v === 'object' && v !== null && !Array.isArray(v);
const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function view(event: unknown, log: EventLog): Event {
  const root = isRecord(event) && isRecord(event.udm) && !isRecord(event.metadata) ? event.udm : event;
  const out: Event = isRecord(root) ? root : {};
  if (log.given === undefined || log.udm?.logType !== undefined) return out;
  // `--log-type` names the event's log type when it has none.
  const metadata = isRecord(out.metadata) ? out.metadata : {};
  return { ...out, metadata: { ...metadata, log_type: log.given } };
}

/** A repeated field's values one by one. */
const elements = (v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]);

/** A UDM path (`about.labels["k"].x`) through objects, lists and `{key, value}` label lists. */
type Step = { key: string } | { map: string };
const stepsOf = new Map<string, Step[]>();

/** A path's steps, read once per path (the fire index asks for the same paths on every event). */
function pathSteps(path: string): Step[] {
  let steps = stepsOf.get(path);
  if (!steps) {
    if (stepsOf.size >= 65536) stepsOf.clear();
    steps = [...path.matchAll(/([^.[\]]+)|\["((?:[^"\\]|\\.)*)"\]/g)].map((m): Step =>
      m[1] !== undefined ? { key: m[1] } : { map: m[2]! },
    );
    stepsOf.set(path, steps);
  }
  return steps;
}

/** For the fire index: the event's keys `lookup` starts from (the first key, also in camelCase); a map first: any. */
function roots(path: string): readonly string[] | undefined {
  const first = pathSteps(path)[0];
  return first && 'key' in first ? [first.key, camel(first.key)] : undefined;
}

export function lookup(event: Event, path: string): Lookup {
  const steps = pathSteps(path);
  let current: unknown[] = [event];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const item of current.flatMap(elements)) {
      if ('key' in step) {
        if (!isRecord(item)) continue;
        const key = Object.hasOwn(item, step.key) ? step.key : camel(step.key);
        if (Object.hasOwn(item, key)) next.push(item[key]);
      } else if (isRecord(item) && Object.hasOwn(item, step.map)) next.push(item[step.map]);
      else if (isRecord(item) && item.key === step.map && 'value' in item) next.push(item.value);
    }
    if (next.length === 0) return { found: false };
    current = next;
  }
  const values = current.flatMap(elements).filter((v) => v !== null && v !== undefined);
  return values.length ? { found: true, values } : { found: false };
}

export interface RuleFacts {
  /** Placeholder → the fields bound to it, each of an event variable. */
  bindings: Map<string, { variable: string; field: string }[]>;
  /** The event variable of each predicate of an event's own stage. */
  variableOf: Map<Predicate, string>;
  /** Placeholders of the match section. */
  matchVariables: Set<string>;
  allowZero: boolean;
  /** The rule's event variables. */
  variables: string[];
}
const facts = new WeakMap<Stage[], RuleFacts>();

export function factsOf(rule: EvaluatedRule): RuleFacts {
  let f = facts.get(rule.stages);
  if (!f) {
    f = { bindings: new Map(), variableOf: new Map(), matchVariables: new Set(), allowZero: false, variables: [] };
    for (const s of rule.stages) {
      if (s.variable && !f.variables.includes(s.variable)) f.variables.push(s.variable);
      if (s.kind === 'match') for (const m of s.text.matchAll(/\$(\w+)/g)) f.matchVariables.add(`$${m[1]}`);
      if (s.kind === 'options' && /allow_zero_values\s*=\s*true/i.test(s.text)) f.allowZero = true;
      const variable = s.variable;
      if (s.condition && variable)
        eachPredicate(s.condition, (p) => {
          f!.variableOf.set(p, variable);
          const v = String(p.values[0] ?? '');
          if (p.op === 'fieldref' && /^\$\w+$/.test(v)) f!.bindings.set(v, [...(f!.bindings.get(v) ?? []), { variable, field: p.field }]);
        });
    }
    facts.set(rule.stages, f);
  }
  return f;
}

function matchOne(p: Predicate, seen: unknown, wanted: unknown): boolean | string {
  if (p.op === 'regex') {
    const r = regexMatch(String(wanted), p.caseSensitive ? '' : 'i', textOf(seen) ?? '');
    return r.matched === 'unknown' ? (r.note ?? 'regex not run') : r.matched;
  }
  return matchShared(p, seen, wanted) ?? `operator ${p.nativeOp || p.op} is not evaluated`;
}

/** A field bound to a placeholder: the values every field bound to it shares. */
function placeholder(p: Predicate, event: Event, rule: EvaluatedRule, seen: unknown[] | 'missing'): Outcome {
  const f = factsOf(rule);
  const name = String(p.values[0]);
  if (p.negated) return { matched: 'unknown', seen, note: `a field unlike placeholder ${name} is not evaluated` };
  const values = (field: string) => {
    const found = lookup(event, field);
    return found.found ? found.values.map((v) => fold(textOf(v) ?? JSON.stringify(v), p.caseSensitive)) : [''];
  };
  let shared = new Set(values(p.field));
  // On one event, the fields of the same event variable (another variable's are another event's).
  const variable = f.variableOf.get(p);
  for (const { field } of (f.bindings.get(name) ?? []).filter((b) => b.variable === variable))
    shared = new Set(values(field).filter((v) => shared.has(v)));
  if (f.matchVariables.has(name) && !f.allowZero) shared.delete('');
  if (shared.size > 0) return { matched: true, seen };
  return { matched: false, seen, note: `the fields bound to ${name} share no value (a match variable's zero value is left out)` };
}

function test(p: Predicate, event: Event, rule: EvaluatedRule): Outcome {
  const found = lookup(event, p.field);
  const seen = found.found ? found.values : ('missing' as const);
  if (p.transform === 'reference list') return { matched: 'unknown', seen, note: `reference list ${String(p.values[0])} is not available` };
  if (p.op === 'exists') {
    const present = found.found && found.values.some((v) => textOf(v) !== '');
    return { matched: p.negated ? !present : present, seen };
  }
  if (p.op === 'other') return { matched: 'unknown', seen, note: `${p.text} is not evaluated` };
  if (p.op === 'fieldref') {
    const ref = String(p.values[0]);
    if (/^\$\w+$/.test(ref)) return placeholder(p, event, rule, seen);
    // `$e.a = $e.b`: another field of the same event (a rule of one event variable).
    const other = lookup(event, ref.replace(/^\$\w+\./, ''));
    const theirs = other.found ? other.values : [''];
    const same = (found.found ? found.values : ['']).some((a) =>
      theirs.some((b) => matchShared({ op: 'eq', caseSensitive: p.caseSensitive }, a, b)),
    );
    return { matched: p.negated ? !same : same, seen };
  }
  // An unset field is the zero value: "" (0 for a number compared with one).
  const values = found.found ? found.values : [p.values.some((v) => typeof v === 'number') ? 0 : ''];
  const every = p.nativeOp.startsWith('all ');
  let note: string | undefined;
  const passes = values.map((s) => {
    let hit = false;
    for (const w of p.values) {
      const r = matchOne(p, s, w);
      if (r === true) hit = true;
      else if (typeof r === 'string') note = r;
    }
    return p.negated ? !hit : hit;
  });
  const matched = every ? passes.every(Boolean) : passes.some(Boolean);
  if (note && !matched) return { matched: 'unknown', seen, note };
  return { matched, seen };
}

/** Whether one event meets a count threshold of the condition (`#e >= 1` yes, `#e > 2` no). */
function oneEventMeets(t: NonNullable<Stage['thresholds']>[number]): boolean {
  const n = 1;
  const holds =
    t.op === 'eq'
      ? n === t.value
      : t.op === 'gt'
        ? n > t.value
        : t.op === 'gte'
          ? n >= t.value
          : t.op === 'lt'
            ? n < t.value
            : n <= t.value;
  return t.negated ? !holds : holds;
}

function stage(s: Stage, rule: EvaluatedRule): StageRole {
  const f = factsOf(rule);
  switch (s.kind) {
    case 'events':
      if (f.variables.length > 1)
        return {
          role: 'gap',
          what: 'correlation',
          reason: `${f.variables.length} event variables (${f.variables.join(', ')}) joined within the match window`,
        };
      return { role: 'filter' };
    case 'event':
      return { role: 'gap', what: 'correlation', reason: `event ${s.variable ?? ''}: one of several events of the rule` };
    case 'condition': {
      for (const t of s.thresholds ?? []) {
        if (!t.of.startsWith('#')) return { role: 'gap', what: 'aggregation', reason: `a threshold on outcome ${t.text}` };
        if (!oneEventMeets(t)) return { role: 'gap', what: 'threshold', reason: `${t.text}: more than one event` };
      }
      return { role: 'skip' };
    }
    case 'match':
    case 'outcome':
    case 'options':
      return { role: 'skip' };
    default:
      return { role: 'gap', what: 'not evaluated', reason: `section ${s.kind}` };
  }
}

function source(rule: EvaluatedRule, log: EventLog): SourceCheck {
  const logTypes = rule.sources.filter((x) => x.startsWith('log_type:')).map((x) => x.slice('log_type:'.length));
  const reads = logTypes.join(', ') || 'any log type';
  const told = log.udm?.logType ?? log.given;
  if (told === undefined) {
    if (log.udm && logTypes.length === 0) return { matched: true, reason: 'a UDM event; the rule names no log type' };
    const what = log.udm ? "the event's log type is not known (metadata.log_type, or --log-type)" : 'not a UDM event (no metadata)';
    return { matched: 'unknown', reason: `${what}; the rule reads ${reads}` };
  }
  const why = `the event is ${told}${log.udm?.logType === undefined ? ' (--log-type)' : ' (metadata.log_type)'}; the rule reads ${reads}`;
  if (logTypes.length === 0) return { matched: true, reason: why };
  return { matched: logTypes.some((t) => t.toLowerCase() === told.toLowerCase()), reason: why };
}

export const yaralEvaluator: LanguageEvaluator<Event> = {
  view,
  test,
  stage,
  source,
  lookup,
  roots,
  keys: recordKeys,
  overEvents: (rule, events) => yaralEvents(yaralEvaluator, rule, events),
};

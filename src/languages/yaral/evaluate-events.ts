// YARA-L rules of several event variables over an ordered list of UDM events, for evaluate/events.ts.
//
// Read: rules whose condition requires every event variable once (`$a and $b`), with a match window
// (`match: $ip over 5m`). A match is one event per variable (distinct events), each meeting its
// variable's own statements (evaluate.ts) and the rule's log type, the fields bound to one
// placeholder sharing a value across the events (a match variable's zero value left out unless
// `allow_zero_values`), the statements joining two variables (`$a.f = $b.g`) holding, and all the
// events within the window (by `metadata.event_timestamp`, else `@timestamp` or `timestamp`); any
// other joining statement (`$a.t < $b.t`, which the parser keeps as text) is not evaluated (`unknown`).
// Three-valued like EQL sequences: `yes` when all of it is known, `unknown` when a match exists only
// if something unknown goes its way (a statement `unknown`, a timestamp missing), `no` otherwise.
// Past 200,000 combinations tried, `unknown`. Not read (left to the per-event answer, `unknown` with the correlation named): counts (`#e >= 3`),
// absent events (`!$e`), `or` in the condition and outcome thresholds.
import { fold, numberOf, textOf } from '../../evaluate/match.js';
import type { PreparedEvent } from '../../evaluate/rule.js';
import { and, evaluateTree } from '../../evaluate/tree.js';
import type { EvaluatedRule, EventsEvaluation, LanguageEvaluator, Truth } from '../../evaluate/types.js';
import type { Predicate, Stage } from '../../model/types.js';
import { factsOf, lookup } from './evaluate.js';

type Event = Record<string, unknown>;
type Mode = 'strict' | 'open';
const passes = (t: Truth, mode: Mode) => t === true || (mode === 'open' && t === 'unknown');

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function timeOf(view: Event): number | undefined {
  for (const field of ['metadata.event_timestamp', '@timestamp', 'timestamp']) {
    const found = lookup(view, field);
    const v = found.found ? found.values[0] : undefined;
    if (v === undefined) continue;
    // Protobuf JSON timestamps may come as `{seconds, nanos}`.
    if (typeof v === 'object' && v !== null && 'seconds' in v) return Number(v.seconds) * 1000;
    const t = numberOf(v) ?? Date.parse(String(v));
    if (!Number.isNaN(t)) return t;
  }
  return undefined;
}

/** Values of a field as text, the zero value `""` for an unset one. */
function texts(view: Event, field: string, caseSensitive: boolean): string[] {
  const found = lookup(view, field);
  return found.found ? found.values.map((v) => fold(textOf(v) ?? JSON.stringify(v), caseSensitive)) : [''];
}

export function yaralEvents(
  evaluator: LanguageEvaluator,
  rule: EvaluatedRule,
  events: readonly PreparedEvent[],
): EventsEvaluation | undefined {
  const own = rule.stages.filter((s): s is Stage & { variable: string } => s.kind === 'event' && s.variable !== undefined);
  if (own.length < 2) return undefined;
  const variables = own.map((s) => s.variable);
  // The condition must require each variable once: `$a and $b`.
  const condition = rule.stages.find((s) => s.kind === 'condition')?.text.replace(/^\s*condition:\s*/i, '') ?? '';
  const required = condition.split(/\s+and\s+/i).map((t) => t.trim());
  if (required.length !== variables.length || !variables.every((v) => required.includes(v))) return undefined;
  const window = /\bover\s+(\d+)\s*([smhd])\b/i.exec(rule.stages.find((s) => s.kind === 'match')?.text ?? '');
  if (!window) return undefined;
  const span = Number(window[1]) * UNIT_MS[window[2]!.toLowerCase()]!;
  const joining = rule.stages.find((s) => s.kind === 'events')?.condition;
  const joins: { left: string; field: string; right: string; other: string; p: Predicate }[] = [];
  // A joining statement read otherwise (`$a.t < $b.t`, kept as text) leaves a match open: at best `unknown`.
  const unread: string[] = [];
  const statements = !joining ? [] : joining.kind === 'and' ? joining.children : [joining];
  for (const node of statements) {
    if (node.kind !== 'pred') {
      unread.push(node.kind === 'other' ? node.text : 'a joining condition');
      continue;
    }
    const p = node.predicate;
    const left = /^\s*(?:any\s+|all\s+)?(\$\w+)\./.exec(p.text)?.[1];
    const ref = /^(\$\w+)\.(.+)$/.exec(String(p.values[0] ?? ''));
    if (p.op !== 'fieldref' || p.negated || !left || !ref) unread.push(p.text);
    else joins.push({ left, field: p.field, right: ref[1]!, other: ref[2]!, p });
  }

  const f = factsOf(rule);
  const views = events.map((e) => e.viewFor(evaluator) as Event);
  const times = views.map(timeOf);
  const truths = own.map((s) =>
    events.map((e, at) =>
      and([
        evaluator.source(rule, e.log).matched,
        s.condition ? evaluateTree(s.condition, (node) => evaluator.test(node.predicate, views[at], rule)) : true,
      ]),
    ),
  );

  /** Whether the chosen events (one per variable, in order) join. */
  const joined = (chosen: number[], mode: Mode): boolean => {
    const eventOf = (variable: string) => views[chosen[variables.indexOf(variable)]!]!;
    for (const [name, binders] of f.bindings) {
      const byVariable = binders.filter((b) => variables.includes(b.variable));
      if (byVariable.length === 0) continue;
      let shared: Set<string> | undefined;
      for (const b of byVariable) {
        const values = texts(eventOf(b.variable), b.field, true);
        shared = new Set(shared ? values.filter((v) => shared!.has(v)) : values);
      }
      if (f.matchVariables.has(name) && !f.allowZero) shared?.delete('');
      if (!shared?.size) return false;
    }
    for (const j of joins) {
      const theirs = new Set(texts(eventOf(j.right), j.other, j.p.caseSensitive));
      if (!texts(eventOf(j.left), j.field, j.p.caseSensitive).some((v) => theirs.has(v))) return false;
    }
    if (unread.length && mode === 'strict') return false;
    const at = chosen.map((i) => times[i]);
    if (at.some((t) => t === undefined)) return mode === 'open';
    return Math.max(...(at as number[])) - Math.min(...(at as number[])) <= span;
  };

  // Combinations grow as events^variables: past this many, the answer is left open.
  let budget = 200_000;
  const find = (mode: Mode): number[] | undefined => {
    const chosen: number[] = [];
    const pick = (k: number): boolean => {
      if (--budget < 0) return false;
      if (k === variables.length) return joined(chosen, mode);
      for (let at = 0; at < events.length; at++) {
        if (chosen.includes(at) || !passes(truths[k]![at]!, mode)) continue;
        chosen.push(at);
        if (pick(k + 1)) return true;
        chosen.pop();
      }
      return false;
    };
    return pick(0) ? [...chosen] : undefined;
  };

  const sure = find('strict');
  const found = sure ?? find('open');
  if (budget < 0 && !sure) {
    const reason = `more combinations of ${events.length} events for ${variables.join(', ')} than are tried`;
    return {
      fires: 'unknown',
      source: { matched: 'unknown', reason },
      conditions: 'unknown',
      trace: [],
      unevaluated: [{ stage: 'events', what: 'correlation', reason }],
      events: [],
    };
  }
  const fires = sure ? 'yes' : found ? 'unknown' : 'no';
  return {
    fires,
    source: found ? evaluator.source(rule, events[found[0]!]!.log) : { matched: 'unknown', reason: 'no events of the rule' },
    conditions: fires === 'yes' ? true : fires === 'no' ? false : 'unknown',
    trace: [],
    unevaluated: unread.map((text) => ({ stage: 'events', what: 'not evaluated' as const, reason: `joining statement ${text}` })),
    events: found ? [...found].sort((a, b) => a - b) : [],
  };
}

// EQL sequences over an ordered list of events (oldest first), for evaluate/events.ts:
//
//   sequence [by k1, k2] [with maxspan=5m]
//     [category where cond] [by a] [with runs=N]
//     ...
//   [until [category where cond]]
//
// A sequence fires when events i1 < i2 < ... < in of the list match the steps in order (each step's
// category, the rule's index and its condition, as for one event: eql/evaluate.ts), share the values
// of the sequence's `by` fields and, position by position, of the steps' own `by` fields, lie within
// `maxspan` of each other (by `@timestamp`: epoch milliseconds or a date text), and no event between
// the first and the last with the same keys matches `until`. A step `with runs=N` is N steps. An
// event that could start a sequence again only moves its start later, so the earliest following match
// of each step, from every possible start, finds a sequence whenever Elasticsearch does.
// Three-valued: a sequence whose steps, keys, timestamps and `until` are all known is `yes`; one that
// exists only if something unknown goes its way (a step `unknown`, a missing key or timestamp, an
// `until` event that may match) is `unknown`; none at all is `no`. Missing steps (`![..]`), samples
// and pipes other than head / tail are not evaluated.
import { numberOf, pathLookup, textOf } from '../../evaluate/match.js';
import type { PreparedEvent } from '../../evaluate/rule.js';
import { and, evaluateTree } from '../../evaluate/tree.js';
import type {
  EvaluatedRule,
  EventsContext,
  EventsEvaluation,
  LanguageEvaluator,
  PredicateTrace,
  StageGap,
  Truth,
} from '../../evaluate/types.js';
import type { PredicateNode, Stage } from '../../model/types.js';
import { categoryCheck, elasticRuleGaps, elasticSource } from '../evaluate-elastic.js';
import { matchesAll } from './evaluate.js';

interface Step {
  stage: Stage;
  condition: PredicateNode | undefined;
  by: string[];
}

/** What follows a step's closing bracket: `by a, b with runs=2`. */
function afterBrackets(text: string): string {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return text.slice(i + 1);
  }
  return '';
}

function byFields(text: string): string[] {
  const by = /\bby\s+(.+?)(?:\s+with\b|$)/is.exec(text);
  return by
    ? by[1]!
        .split(',')
        .map((f) => f.trim().replace(/^\?/, ''))
        .filter(Boolean)
    : [];
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function maxspanOf(header: string): number | undefined {
  const m = /\bmaxspan\s*=\s*(\d+)\s*(ms|s|m|h|d)?\b/i.exec(header);
  return m ? Number(m[1]) * UNIT_MS[(m[2] ?? 'ms').toLowerCase()]! : undefined;
}

function timestampOf(view: unknown): number | undefined {
  const found = pathLookup(view, '@timestamp');
  const v = found.found ? found.values[0] : undefined;
  if (typeof v === 'string' && numberOf(v) === undefined) {
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  }
  return numberOf(v);
}

type Mode = 'strict' | 'open';
const passes = (t: Truth, mode: Mode) => t === true || (mode === 'open' && t === 'unknown');

/**
 * The sequence of an EQL rule on a list of events, or undefined when the rule is no sequence (its
 * events are then answered one by one).
 */
export function eqlSequence(
  evaluator: LanguageEvaluator,
  rule: EvaluatedRule,
  events: readonly PreparedEvent[],
  opts: EventsContext,
): EventsEvaluation | undefined {
  const header = rule.stages.find((s) => s.kind === 'sequence' && !s.depth);
  if (!header) return undefined;
  const gaps: StageGap[] = [...elasticRuleGaps(rule)];
  const steps: Step[] = [];
  let until: PredicateNode | undefined;
  let untilStage: Stage | undefined;
  for (const s of rule.stages) {
    if (s.kind === 'step') {
      const after = afterBrackets(s.text);
      const runs = Number(/\bruns\s*=\s*(\d+)/i.exec(after)?.[1] ?? 1);
      for (let i = 0; i < runs; i++) steps.push({ stage: s, condition: s.condition, by: byFields(after) });
    } else if (s.kind === 'until') {
      untilStage = s;
      until = s.condition?.kind === 'not' ? s.condition.child : s.condition;
    } else if (s.kind === 'missing-step') gaps.push({ stage: s.kind, what: 'sequence', reason: 'a missing step (![..]) is not evaluated' });
    else if (s.kind !== 'sequence' && s.kind !== 'head' && s.kind !== 'tail')
      gaps.push({ stage: s.kind, what: 'not evaluated', reason: `pipe ${s.kind}` });
  }
  const keyFields = byFields(header.text.replace(/\bwith\b.*$/is, ''));
  const maxspan = maxspanOf(header.text);

  const views = events.map((e) => e.viewFor(evaluator));
  const indexes = events.map((e) => elasticSource(rule, e.log));
  const truthOf = (at: number, stage: Stage | undefined, condition: PredicateNode | undefined, trace?: PredicateTrace[]): Truth => {
    const category = categoryCheck(stage?.sources ?? [], events[at]!.log);
    const own =
      condition && !matchesAll(condition)
        ? evaluateTree(condition, (node) => evaluator.test(node.predicate, views[at], rule), trace)
        : true;
    return and([indexes[at]!.matched, category, own]);
  };
  const matches = steps.map((step) => events.map((_, at) => truthOf(at, step.stage, step.condition)));
  const untils = untilStage ? events.map((_, at) => truthOf(at, untilStage, until)) : [];
  // Join keys per event and step: undefined where a key field is missing.
  const keysOf = (at: number, step: Step): (string | undefined)[] =>
    [...keyFields, ...step.by].map((field) => {
      const found = pathLookup(views[at], field);
      const v = found.found ? found.values[0] : undefined;
      return v === undefined || v === null ? undefined : (textOf(v) ?? JSON.stringify(v));
    });
  const sameKeys = (a: (string | undefined)[], b: (string | undefined)[], mode: Mode) =>
    a.every((x, i) => (x !== undefined && b[i] !== undefined ? x === b[i] : mode === 'open'));
  const times = views.map(timestampOf);
  const untilKeys = (at: number) => keysOf(at, { stage: untilStage!, condition: until, by: [] }).slice(0, keyFields.length);

  const find = (mode: Mode): number[] | undefined => {
    if (steps.length === 0) return undefined;
    for (let start = 0; start < events.length; start++) {
      if (!passes(matches[0]![start]!, mode)) continue;
      const first = keysOf(start, steps[0]!).slice(0, keyFields.length);
      const chain = [start];
      for (let j = 1; j < steps.length && chain.length === j; j++) {
        // Step by-fields join position by position: the first step's j-th by-value against this step's.
        const want = keysOf(start, steps[0]!);
        for (let at = chain[j - 1]! + 1; at < events.length; at++) {
          if (!passes(matches[j]![at]!, mode)) continue;
          const keys = keysOf(at, steps[j]!);
          if (
            sameKeys(first, keys.slice(0, keyFields.length), mode) &&
            sameKeys(want.slice(keyFields.length), keys.slice(keyFields.length), mode)
          ) {
            chain.push(at);
            break;
          }
        }
      }
      if (chain.length !== steps.length) continue;
      const end = chain.at(-1)!;
      if (maxspan !== undefined) {
        const t0 = times[start];
        const t1 = times[end];
        if (t0 === undefined || t1 === undefined ? mode === 'strict' : t1 - t0 > maxspan) continue;
      }
      // For a sure match, an `until` event that may end the sequence does; for a possible one, only one that surely does.
      const ends = (t: Truth, at: number) =>
        mode === 'strict' ? t !== false && sameKeys(first, untilKeys(at), 'open') : t === true && sameKeys(first, untilKeys(at), 'strict');
      if (!untils.some((t, at) => at > start && at < end && ends(t, at))) return chain;
    }
    return undefined;
  };

  const strict = find('strict');
  const chain = strict ?? find('open');
  const trace: PredicateTrace[] = [];
  if (chain && opts.trace) chain.forEach((at, j) => truthOf(at, steps[j]!.stage, steps[j]!.condition, trace));
  const fires = !chain ? 'no' : strict && gaps.length === 0 ? 'yes' : 'unknown';
  const source = chain ? indexes[chain[0]!]! : (indexes[0] ?? { matched: 'unknown' as const, reason: 'no events' });
  return {
    fires,
    source,
    conditions: !chain ? false : strict ? true : 'unknown',
    trace,
    unevaluated: gaps,
    events: chain ?? [],
  };
}

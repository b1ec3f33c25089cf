// Panther correlation rules run over the rule outputs a test gives (`Tests: - RuleOutputs:`): each
// output names a step (`ID`) and, per field, the values its rule's signals had and when
// (`Matches: {field: {value: [time, ...]}}`; a time is an ISO date, or a number of minutes).
//
// Read as Panther documents them (the correlation rule reference and panther-analysis's
// correlation style guide):
// - Group: every step not marked `Absence: true` has at least `MinMatchCount` (default 1) signals
//   with one shared value, all within `LookbackWindowMinutes` (default 15) of each other, in any
//   order. `MatchCriteria` names, per criterion, the field each step's value is read from; without
//   it every signal of a step counts, whatever its values. An absent step defeats a match when it
//   has a signal with that value within the lookback window of the match's signals (before or after).
// - Sequence: the steps happen in order (each signal no earlier than the one before), each
//   `Transitions` entry From → To within its `WithinTimeFrameMinutes` (default: the lookback
//   window), with equal values of its `Match: - On: field`; the whole sequence within the lookback.
// - `EventEvaluationOrder: Chronological`: signals ordered by their time, as the tests give it.
// Anything else (several criteria, a sequence step with Absence or MinMatchCount, a transition
// matching different fields, keys not listed here) is `unknown`, with the construct named.
import type { Fires } from '../../evaluate/types.js';

export interface CorrelationAnswer {
  fires: Fires;
  reason: string;
}

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why the rule or the test cannot be read: the answer is `unknown` with this reason. */
class Unread extends Error {}

/** Documented default of LookbackWindowMinutes (and so of WithinTimeFrameMinutes). */
const defaultLookbackMinutes = 15;

const itemKeys = new Set([
  'Group',
  'Sequence',
  'Transitions',
  'MatchCriteria',
  'LookbackWindowMinutes',
  'Schedule',
  'EventEvaluationOrder',
]);
const stepKeys = new Set(['ID', 'RuleID', 'MinMatchCount', 'Absence']);
const transitionKeys = new Set(['ID', 'From', 'To', 'WithinTimeFrameMinutes', 'Match']);

interface Step {
  id: string;
  minCount: number;
  absent: boolean;
}

/** One step's signals: field → value → times in minutes. */
type Signals = Map<string, Map<string, number[]>>;

function positive(v: unknown, what: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0)) throw new Unread(`${what} is not a positive number: ${JSON.stringify(v)}`);
  return v;
}

function stepsOf(list: unknown[]): Step[] {
  return list.map((s) => {
    if (!isDoc(s) || typeof s.ID !== 'string') throw new Unread(`a step without an ID: ${JSON.stringify(s)}`);
    const extra = Object.keys(s).find((k) => !stepKeys.has(k));
    if (extra) throw new Unread(`step ${s.ID} has ${extra}, which is not read`);
    const minCount = positive(s.MinMatchCount, `MinMatchCount of ${s.ID}`, 1);
    if (s.Absence !== undefined && typeof s.Absence !== 'boolean') throw new Unread(`Absence of ${s.ID} is not true or false`);
    return { id: s.ID, minCount, absent: s.Absence === true };
  });
}

/** A time as minutes: numbers are minutes as written, texts ISO dates; one test uses one kind. */
function timesOf(list: unknown, kinds: Set<string>, where: string): number[] {
  if (!Array.isArray(list)) throw new Unread(`the times of ${where} are not a list`);
  return list.map((t) => {
    if (typeof t === 'number') {
      kinds.add('minutes');
      return t;
    }
    const ms = typeof t === 'string' ? Date.parse(t) : NaN;
    if (Number.isNaN(ms)) throw new Unread(`${where} has a time that is neither minutes nor a date: ${JSON.stringify(t)}`);
    kinds.add('dates');
    return ms / 60_000;
  });
}

/** The test's outputs by step ID; an output naming no step is unread (Panther's tests name their steps exactly). */
function signalsOf(outputs: unknown, steps: readonly Step[]): Map<string, Signals> {
  if (!Array.isArray(outputs)) throw new Unread('RuleOutputs is not a list');
  const ids = new Set(steps.map((s) => s.id));
  const kinds = new Set<string>();
  const out = new Map<string, Signals>();
  for (const o of outputs) {
    if (!isDoc(o) || typeof o.ID !== 'string' || !isDoc(o.Matches))
      throw new Unread(`a rule output without ID and Matches: ${JSON.stringify(o)}`);
    if (!ids.has(o.ID)) throw new Unread(`a rule output names ${o.ID}, which is no step of the rule`);
    const signals = out.get(o.ID) ?? new Map<string, Map<string, number[]>>();
    out.set(o.ID, signals);
    for (const [field, values] of Object.entries(o.Matches)) {
      if (!isDoc(values)) throw new Unread(`the values of ${o.ID}'s ${field} are not a mapping`);
      const byValue = signals.get(field) ?? new Map<string, number[]>();
      signals.set(field, byValue);
      for (const [value, times] of Object.entries(values))
        byValue.set(value, [...(byValue.get(value) ?? []), ...timesOf(times, kinds, `${o.ID}'s ${field}`)]);
    }
  }
  if (kinds.size > 1) throw new Unread('the outputs mix times in minutes with dates');
  return out;
}

/** A step's times for a value of its field (`field` undefined: every signal, whatever its values). */
function timesFor(signals: Signals | undefined, field: string | undefined, value: string | undefined): number[] {
  if (!signals) return [];
  if (field === undefined) return [...signals.values()].flatMap((byValue) => [...byValue.values()].flat());
  return signals.get(field)?.get(value ?? '') ?? [];
}

/** The field each step's value is read from, for the one criterion of MatchCriteria (undefined: none given). */
function groupFields(criteria: unknown, steps: readonly Step[], signals: Map<string, Signals>): Map<string, string> | undefined {
  if (criteria === undefined) return undefined;
  if (!isDoc(criteria)) throw new Unread('MatchCriteria is not a mapping');
  const entries = Object.entries(criteria);
  if (entries.length !== 1) throw new Unread(`MatchCriteria has ${entries.length} criteria (one is read)`);
  const [name, list] = entries[0]!;
  if (!Array.isArray(list)) throw new Unread(`criterion ${name} is not a list`);
  const fields = new Map<string, string>();
  for (const m of list) {
    if (!isDoc(m) || typeof m.GroupID !== 'string' || typeof m.Match !== 'string' || Object.keys(m).length !== 2)
      throw new Unread(`criterion ${name} has an entry other than GroupID and Match: ${JSON.stringify(m)}`);
    fields.set(m.GroupID, m.Match);
  }
  for (const s of steps) {
    const field = fields.get(s.id);
    if (field === undefined) throw new Unread(`criterion ${name} does not say which field of ${s.id} it matches`);
    for (const given of signals.get(s.id)?.keys() ?? [])
      if (given !== field) throw new Unread(`the outputs of ${s.id} give ${given}, the criterion reads ${field}`);
  }
  return fields;
}

/** Whether at least `min` times fall in [start, start + window]; the times used, sorted. */
function inWindow(times: readonly number[], start: number, window: number): number[] {
  return times.filter((t) => t >= start && t <= start + window).sort((a, b) => a - b);
}

function runGroup(item: Doc, steps: readonly Step[], signals: Map<string, Signals>, lookback: number): CorrelationAnswer {
  const fields = groupFields(item.MatchCriteria, steps, signals);
  const present = steps.filter((s) => !s.absent);
  const absent = steps.filter((s) => s.absent);
  if (present.length === 0) throw new Unread('every step of the group is an absence');
  const values = fields
    ? [...new Set(present.flatMap((s) => [...(signals.get(s.id)?.get(fields.get(s.id)!)?.keys() ?? [])]))]
    : [undefined];
  for (const value of values) {
    const times = present.map((s) => timesFor(signals.get(s.id), fields?.get(s.id), value));
    for (const start of new Set(times.flat())) {
      const used = present.map((s, i) => inWindow(times[i]!, start, lookback));
      if (used.some((u, i) => u.length < present[i]!.minCount)) continue;
      const all = used.flat();
      const first = Math.min(...all);
      const last = Math.max(...all);
      const blocker = absent.find((s) =>
        timesFor(signals.get(s.id), fields?.get(s.id), value).some((t) => t >= last - lookback && t <= first + lookback),
      );
      if (blocker) continue;
      const on = value === undefined ? '' : ` on ${JSON.stringify(value)}`;
      return { fires: 'yes', reason: `the group matched${on}: ${present.map((s) => s.id).join(', ')} within ${lookback} minutes` };
    }
  }
  return {
    fires: 'no',
    reason: `no value has every step of the group within ${lookback} minutes${absent.length ? ' without an absent step' : ''}`,
  };
}

interface Transition {
  within: number;
  on?: string;
}

/** The transition between each step and the next, in order (Panther's sequence is a chain). */
function transitionsOf(list: unknown, steps: readonly Step[], lookback: number): Transition[] {
  if (!Array.isArray(list)) throw new Unread('a sequence without Transitions');
  const byPair = new Map<string, Transition>();
  for (const t of list) {
    if (!isDoc(t) || typeof t.From !== 'string' || typeof t.To !== 'string')
      throw new Unread(`a transition without From and To: ${JSON.stringify(t)}`);
    const extra = Object.keys(t).find((k) => !transitionKeys.has(k));
    if (extra) throw new Unread(`transition ${t.From} → ${t.To} has ${extra}, which is not read`);
    const on: string[] = [];
    if (t.Match !== undefined) {
      if (!Array.isArray(t.Match)) throw new Unread(`the Match of ${t.From} → ${t.To} is not a list`);
      for (const m of t.Match) {
        if (!isDoc(m) || typeof m.On !== 'string' || Object.keys(m).length !== 1)
          throw new Unread(`transition ${t.From} → ${t.To} matches other than On: ${JSON.stringify(m)}`);
        on.push(m.On);
      }
    }
    if (on.length > 1) throw new Unread(`transition ${t.From} → ${t.To} matches on ${on.length} fields (one is read)`);
    const within = positive(t.WithinTimeFrameMinutes, `WithinTimeFrameMinutes of ${t.From} → ${t.To}`, lookback);
    byPair.set(`${t.From}\0${t.To}`, { within, ...(on[0] !== undefined ? { on: on[0] } : {}) });
  }
  if (byPair.size !== steps.length - 1) throw new Unread('the transitions are not one from each step to the next');
  return steps.slice(1).map((s, i) => {
    const t = byPair.get(`${steps[i]!.id}\0${s.id}`);
    if (!t) throw new Unread(`no transition from ${steps[i]!.id} to ${s.id}`);
    return t;
  });
}

function runSequence(item: Doc, steps: readonly Step[], signals: Map<string, Signals>, lookback: number): CorrelationAnswer {
  const odd = steps.find((s) => s.absent || s.minCount !== 1);
  if (odd) throw new Unread(`sequence step ${odd.id} has ${odd.absent ? 'Absence' : 'MinMatchCount'}, which is not read in a sequence`);
  if (steps.length < 2) throw new Unread('a sequence of fewer than two steps');
  const transitions = transitionsOf(item.Transitions, steps, lookback);
  // The field a step's signals are read from: the transitions on each side must read the same one.
  const fieldOf = steps.map((_, i) => {
    const sides = [transitions[i - 1]?.on, transitions[i]?.on].filter((f): f is string => f !== undefined);
    if (new Set(sides).size > 1) throw new Unread(`step ${steps[i]!.id} is matched on ${sides.join(' and ')}`);
    return sides[0];
  });
  type Signal = { value: string | undefined; t: number };
  const signalsOfStep = (i: number): Signal[] => {
    const s = signals.get(steps[i]!.id);
    const field = fieldOf[i];
    if (!s) return [];
    if (field === undefined)
      return [...s.values()].flatMap((byValue) => [...byValue.entries()].flatMap(([value, ts]) => ts.map((t) => ({ value, t }))));
    return [...(s.get(field)?.entries() ?? [])].flatMap(([value, ts]) => ts.map((t) => ({ value, t })));
  };
  const all = steps.map((_, i) => signalsOfStep(i));
  const follow = (i: number, prev: Signal, start: number): boolean => {
    if (i === steps.length) return true;
    const tr = transitions[i - 1]!;
    return all[i]!.some(
      (s) =>
        s.t >= prev.t &&
        s.t - prev.t <= tr.within &&
        s.t - start <= lookback &&
        (tr.on === undefined || s.value === prev.value) &&
        follow(i + 1, s, start),
    );
  };
  const matched = all[0]!.find((s) => follow(1, s, s.t));
  if (matched)
    return {
      fires: 'yes',
      reason: `the sequence ${steps.map((s) => s.id).join(' → ')} happened${matched.value !== undefined && transitions[0]!.on ? ` on ${JSON.stringify(matched.value)}` : ''}`,
    };
  return { fires: 'no', reason: `the sequence ${steps.map((s) => s.id).join(' → ')} did not happen in order within its time frames` };
}

/**
 * A correlation rule's answer over a test's rule outputs: `detection` is the rule's `Detection`
 * (its list of items), `outputs` the test's `RuleOutputs`.
 */
export function runCorrelationTest(detection: unknown, outputs: unknown): CorrelationAnswer {
  try {
    const items = Array.isArray(detection) ? detection : [detection];
    if (items.length !== 1 || !isDoc(items[0])) throw new Unread(`a Detection of ${items.length} items (one Group or Sequence is read)`);
    const item = items[0];
    const extra = Object.keys(item).find((k) => !itemKeys.has(k));
    if (extra) throw new Unread(`the correlation has ${extra}, which is not read`);
    if (item.EventEvaluationOrder !== undefined && item.EventEvaluationOrder !== 'Chronological')
      throw new Unread(`EventEvaluationOrder ${JSON.stringify(item.EventEvaluationOrder)} is not read`);
    const lookback = positive(item.LookbackWindowMinutes, 'LookbackWindowMinutes', defaultLookbackMinutes);
    const group = Array.isArray(item.Group);
    const sequence = Array.isArray(item.Sequence);
    if (group === sequence) throw new Unread('the correlation is not one Group or one Sequence');
    const steps = stepsOf((group ? item.Group : item.Sequence) as unknown[]);
    const signals = signalsOf(outputs, steps);
    if (group) {
      if (item.Transitions !== undefined) throw new Unread('a group with Transitions');
      return runGroup(item, steps, signals, lookback);
    }
    if (item.MatchCriteria !== undefined) throw new Unread('a sequence with MatchCriteria');
    return runSequence(item, steps, signals, lookback);
  } catch (err) {
    if (err instanceof Unread) return { fires: 'unknown', reason: err.message };
    throw err;
  }
}

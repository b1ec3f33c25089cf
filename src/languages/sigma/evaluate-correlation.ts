// Sigma correlation rules over an ordered list of events (oldest first), for evaluate/events.ts. The
// rules a correlation names are found by the caller (`opts.rules`: by name or id) and evaluated on
// each event as single-event rules; then, per group (the `group-by` fields' values, through
// `aliases` where a field has another name in each rule) and within `timespan` of the first event of
// a window (times from `@timestamp`, `timestamp`, a Windows event's `TimeCreated` `SystemTime`, or
// `UtcTime`):
//
//   event_count        the events any named rule fires on, against the condition (gte, gt, eq, lte, lt)
//   value_count        the distinct values of the condition's `field` among them
//   temporal           every named rule fires (each on an event of its own) within the span
//   temporal_ordered   ... in the order the rules are listed
//
// Three-valued: counted on the events a rule surely fires on, the condition met is `yes`; met only
// with the events a rule may fire on, or only without times or group values that are missing,
// `unknown`; otherwise `no`. A named rule not found, an unknown type, and conditions that count
// down (`lte`, `lt`: met by silence, which a list cannot show) are `unknown`.
import { loadYaml } from '../../formats/yaml.js';
import { numberOf, pathLookup, textOf } from '../../evaluate/match.js';
import type { PreparedEvent } from '../../evaluate/rule.js';
import type { EvaluatedRule, EventsContext, EventsEvaluation, Fires, StageGap } from '../../evaluate/types.js';
import { flattenWindowsEvent } from '../../evaluate/event-log.js';

type Doc = Record<string, unknown>;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function spanOf(v: unknown): number | undefined {
  const m = /^(\d+)\s*([smhd])$/i.exec(String(v ?? '').trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]! : undefined;
}

const TIME_FIELDS = ['@timestamp', 'timestamp', 'TimeCreated_SystemTime', 'UtcTime', 'EventTime'];

function timeOf(record: unknown): number | undefined {
  for (const field of TIME_FIELDS) {
    const found = pathLookup(record, field);
    const v = found.found ? found.values[0] : undefined;
    if (v === undefined) continue;
    const n = numberOf(v);
    const t = n ?? Date.parse(String(v).replace(' ', 'T'));
    if (!Number.isNaN(t)) return t;
  }
  return undefined;
}

interface Correlation {
  type: string;
  rules: string[];
  groupBy: string[];
  timespan: number | undefined;
  condition: Doc;
  aliases: Record<string, Record<string, string>>;
}

function readCorrelation(text: string): Correlation | undefined {
  let doc: unknown;
  try {
    doc = loadYaml(text);
  } catch {
    return undefined;
  }
  const c = isDoc(doc) && isDoc(doc.correlation) ? doc.correlation : doc;
  if (!isDoc(c)) return undefined;
  const aliases: Record<string, Record<string, string>> = {};
  if (isDoc(c.aliases))
    for (const [alias, byRule] of Object.entries(c.aliases))
      if (isDoc(byRule)) aliases[alias] = Object.fromEntries(Object.entries(byRule).map(([k, v]) => [k, String(v)]));
  return {
    type: String(c.type ?? ''),
    rules: list(c.rules),
    groupBy: list(c['group-by']),
    timespan: spanOf(c.timespan),
    condition: isDoc(c.condition) ? c.condition : {},
    aliases,
  };
}

const unknownAnswer = (reason: string, what: StageGap['what'] = 'correlation'): EventsEvaluation => ({
  fires: 'unknown',
  source: { matched: 'unknown', reason },
  conditions: 'unknown',
  trace: [],
  unevaluated: [{ stage: 'correlation', what, reason }],
  events: [],
});

/** One event as the correlation sees it: which named rules fire on it (surely or maybe), its time and fields. */
interface Row {
  at: number;
  sure: Set<number>;
  maybe: Set<number>;
  time: number | undefined;
  record: unknown;
}

/**
 * A Sigma correlation rule on a list of events, or undefined when the rule is no correlation (its
 * events are then answered one by one).
 */
export function sigmaCorrelation(rule: EvaluatedRule, events: readonly PreparedEvent[], opts: EventsContext): EventsEvaluation | undefined {
  const stage = rule.stages.find((s) => s.kind === 'correlation');
  if (!stage) return undefined;
  const c = readCorrelation(stage.text);
  if (!c) return unknownAnswer('the correlation could not be read');
  const named = c.rules.map((ref) => opts.rules?.(ref));
  const lost = c.rules.filter((_, i) => !named[i]);
  if (lost.length) return unknownAnswer(`the correlated rules ${lost.join(', ')} were not found`);
  const rules = named as EvaluatedRule[];

  const rows: Row[] = events.map((event, at) => {
    const row: Row = { at, sure: new Set(), maybe: new Set(), time: undefined, record: flattenWindowsEvent(event.event) ?? event.event };
    row.time = timeOf(row.record);
    rules.forEach((r, j) => {
      const fires = opts.evaluate(r, event).fires;
      if (fires === 'yes') row.sure.add(j);
      if (fires !== 'no') row.maybe.add(j);
    });
    return row;
  });

  /** A group-by field of an event, through the alias of a rule that fires on it. */
  const valueOf = (row: Row, field: string): string | undefined => {
    const names = c.aliases[field] ? [...row.maybe].map((j) => c.aliases[field]![c.rules[j]!] ?? field) : [field];
    for (const name of names) {
      const found = pathLookup(row.record, name);
      const v = found.found ? textOf(found.values[0]) : undefined;
      if (v !== undefined) return v;
    }
    return undefined;
  };

  const check = (mode: 'sure' | 'maybe'): { met: boolean; events: number[] } => {
    const pool = rows.filter((r) => (mode === 'sure' ? r.sure : r.maybe).size > 0);
    const groups = new Map<string, Row[]>();
    for (const row of pool) {
      const values = c.groupBy.map((f) => valueOf(row, f));
      if (values.includes(undefined) && mode === 'sure') continue;
      // A missing group value may be any group's: in the possible reading, the row joins every group.
      const key = JSON.stringify(values);
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    if (mode === 'maybe') {
      const loose = groups.get(JSON.stringify(c.groupBy.map(() => null))) ?? [];
      for (const [key, members] of groups) if (!key.includes('null')) members.push(...loose);
      for (const members of groups.values()) members.sort((a, b) => a.at - b.at);
    }
    for (const members of groups.values()) {
      for (let i = 0; i < members.length; i++) {
        const start = members[i]!;
        const window = members.slice(i).filter((r) => {
          if (c.timespan === undefined) return true;
          if (r.time === undefined || start.time === undefined) return mode === 'maybe';
          return r.time - start.time <= c.timespan && r.time >= start.time;
        });
        const met = meets(window, mode);
        if (met) return { met: true, events: met };
      }
    }
    return { met: false, events: [] };
  };

  const fired = (r: Row, mode: 'sure' | 'maybe') => (mode === 'sure' ? r.sure : r.maybe);
  /** The events of the window that meet the condition, or undefined. */
  const meets = (window: Row[], mode: 'sure' | 'maybe'): number[] | undefined => {
    const cond = c.condition;
    const compare = (n: number) => {
      if (cond.gte !== undefined && !(n >= Number(cond.gte))) return false;
      if (cond.gt !== undefined && !(n > Number(cond.gt))) return false;
      if (cond.eq !== undefined && n !== Number(cond.eq)) return false;
      return true;
    };
    switch (c.type) {
      case 'event_count':
        return window.length > 0 && compare(window.length) ? window.map((r) => r.at) : undefined;
      case 'value_count': {
        const field = String(cond.field ?? '');
        const values = new Set(window.flatMap((r) => valueOf(r, field) ?? []));
        return compare(values.size) ? window.map((r) => r.at) : undefined;
      }
      case 'temporal':
      case 'temporal_ordered': {
        const chosen: number[] = [];
        let from = 0;
        for (let j = 0; j < rules.length; j++) {
          const ordered = c.type === 'temporal_ordered';
          const k = window.findIndex((r, at) => (!ordered || at >= from) && fired(r, mode).has(j) && !chosen.includes(r.at));
          if (k < 0) return undefined;
          chosen.push(window[k]!.at);
          from = k + 1;
        }
        return chosen.sort((a, b) => a - b);
      }
      default:
        return undefined;
    }
  };

  if (!['event_count', 'value_count', 'temporal', 'temporal_ordered'].includes(c.type)) return unknownAnswer(`correlation type ${c.type}`);
  if (c.condition.lte !== undefined || c.condition.lt !== undefined)
    return unknownAnswer('a condition met by too few events (lte / lt): silence a list of events cannot show', 'threshold');
  const sure = check('sure');
  const found = sure.met ? sure : check('maybe');
  const fires: Fires = sure.met ? 'yes' : found.met ? 'unknown' : 'no';
  const reason = `${c.type} of ${c.rules.join(', ')}${c.groupBy.length ? ` by ${c.groupBy.join(', ')}` : ''}`;
  return {
    fires,
    source: { matched: true, reason: `the events of the correlated rules: ${reason}` },
    conditions: fires === 'yes' ? true : fires === 'no' ? false : 'unknown',
    trace: [],
    unevaluated: [],
    events: found.events,
  };
}

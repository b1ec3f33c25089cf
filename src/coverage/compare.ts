// Platform A against platform B: the techniques, events and indicators one covers and the other does not.
import type { Operator, Rule } from '../model/types.js';
import { providerName } from '../providers/registry.js';
import { indicatorKey } from './indicators.js';

export interface CompareItem {
  /** Technique id, `provider/event`, or the indicator as `field op value`. */
  key: string;
  label: string;
  /** Rules of each side. */
  a: number;
  b: number;
  /** For indicators: what it is, and whether it is in the shared (canonical) vocabulary. */
  indicator?: { field: string; op: Operator; value: string; negated: boolean; canonical: boolean };
}

export interface CompareSection {
  onlyA: CompareItem[];
  onlyB: CompareItem[];
  shared: CompareItem[];
  /** Sizes before the limit. */
  totals: { onlyA: number; onlyB: number; shared: number };
}

export interface PlatformComparison {
  a: string;
  b: string;
  rulesA: number;
  rulesB: number;
  techniques: CompareSection;
  events: CompareSection;
  /** Keyed by the canonical indicator where one is known, else as written. */
  indicators: CompareSection;
}

type Counter = Map<string, { label: string; a: number; b: number; indicator?: CompareItem['indicator'] }>;

function bump(map: Counter, key: string, side: 'a' | 'b', label: string, indicator?: CompareItem['indicator']) {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = { label, a: 0, b: 0, indicator }));
  entry[side]++;
}

function section(map: Counter, limit: number): CompareSection {
  const items = [...map].map(([key, e]): CompareItem => ({ key, label: e.label, a: e.a, b: e.b, ...(e.indicator ? { indicator: e.indicator } : {}) }));
  const order = (score: (i: CompareItem) => number) => (x: CompareItem, y: CompareItem) => score(y) - score(x) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  const onlyA = items.filter((i) => i.b === 0).sort(order((i) => i.a));
  const onlyB = items.filter((i) => i.a === 0).sort(order((i) => i.b));
  const shared = items.filter((i) => i.a > 0 && i.b > 0).sort(order((i) => i.a + i.b));
  return {
    onlyA: onlyA.slice(0, limit),
    onlyB: onlyB.slice(0, limit),
    shared: shared.slice(0, limit),
    totals: { onlyA: onlyA.length, onlyB: onlyB.length, shared: shared.length },
  };
}

/** Compare the rules of two platforms within a rule set; `limit` caps each list. */
export function comparePlatforms(rules: readonly Rule[], a: string, b: string, limit = 200): PlatformComparison {
  const techniques: Counter = new Map();
  const events: Counter = new Map();
  const indicators: Counter = new Map();
  let rulesA = 0;
  let rulesB = 0;
  for (const rule of rules) {
    const side = rule.platform === a ? 'a' : rule.platform === b ? 'b' : undefined;
    if (!side) continue;
    if (side === 'a') rulesA++;
    else rulesB++;
    // Each rule counts once per item, however often it names it.
    const seen = new Set<string>();
    const once = (key: string) => !seen.has(key) && !!seen.add(key);
    for (const t of rule.attack.techniques) if (once(`t:${t.id}`)) bump(techniques, t.id, side, t.name || t.id);
    for (const e of rule.events) {
      const key = `${e.provider}/${e.event}`;
      if (once(`e:${key}`)) bump(events, key, side, `${providerName(e.provider)}: ${e.event}`);
    }
    for (const ind of rule.indicators) {
      const canonical = !!ind.canonical;
      const k = indicatorKey(ind, canonical)!;
      const text = `${k.field} ${k.negated ? 'not ' : ''}${k.op} ${k.value}`;
      const key = `${canonical ? 'c' : 'r'}:${text}`;
      if (once(`i:${key}`)) bump(indicators, key, side, text, { ...k, canonical });
    }
  }
  return { a, b, rulesA, rulesB, techniques: section(techniques, limit), events: section(events, limit), indicators: section(indicators, limit) };
}

// Platform A against platform B: the techniques, events and indicators one covers and the other does not.
import type { Operator, Rule } from '../model/types.js';
import { providerName } from '../providers/registry.js';
import { type IndicatorIndex, indicatorIndex, topCodes } from './indicator-index.js';

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

/** Per item: its label, rules of each side, and the last rule counted (a rule counts once per item). */
type Counter = Map<string, { label: string; a: number; b: number; lastRule: number }>;

/** Count rule number `rule` for the item once, however often the rule names it; the label is the first rule's. */
function bump(map: Counter, key: string, side: 'a' | 'b', rule: number, label: () => string) {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = { label: label(), a: 0, b: 0, lastRule: -1 }));
  if (entry.lastRule === rule) return;
  entry.lastRule = rule;
  entry[side]++;
}

function section(map: Counter, limit: number, offset: number): CompareSection {
  const items = [...map].map(([key, e]): CompareItem => ({ key, label: e.label, a: e.a, b: e.b }));
  const order = (score: (i: CompareItem) => number) => (x: CompareItem, y: CompareItem) =>
    score(y) - score(x) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
  const onlyA = items.filter((i) => i.b === 0).sort(order((i) => i.a));
  const onlyB = items.filter((i) => i.a === 0).sort(order((i) => i.b));
  const shared = items.filter((i) => i.a > 0 && i.b > 0).sort(order((i) => i.a + i.b));
  return {
    onlyA: onlyA.slice(offset, offset + limit),
    onlyB: onlyB.slice(offset, offset + limit),
    shared: shared.slice(offset, offset + limit),
    totals: { onlyA: onlyA.length, onlyB: onlyB.length, shared: shared.length },
  };
}

/** The indicator part of a comparison, by codes of the canonical-else-written vocabulary. */
function indicatorSection(
  rules: readonly Rule[],
  a: string,
  b: string,
  limit: number,
  offset: number,
  index: IndicatorIndex,
): CompareSection {
  const d = index.mixed;
  const countA = new Int32Array(d.keys.length);
  const countB = new Int32Array(d.keys.length);
  for (const rule of rules) {
    const counts = rule.platform === a ? countA : rule.platform === b ? countB : undefined;
    const i = index.position.get(rule);
    if (!counts || i === undefined) continue;
    for (let j = d.offsets[i]!; j < d.offsets[i + 1]!; j++) counts[d.codes[j]!]!++;
  }
  const onlyA: number[] = [];
  const onlyB: number[] = [];
  const shared: number[] = [];
  for (let c = 0; c < d.keys.length; c++) {
    if (countA[c] && countB[c]) shared.push(c);
    else if (countA[c]) onlyA.push(c);
    else if (countB[c]) onlyB.push(c);
  }
  const item = (code: number): CompareItem => {
    const k = d.keys[code]!;
    const canonical = d.canonical[code] === 1;
    const label = `${k.field} ${k.negated ? 'not ' : ''}${k.op} ${k.value}`;
    return { key: `${canonical ? 'c' : 'r'}:${label}`, label, a: countA[code]!, b: countB[code]!, indicator: { ...k, canonical } };
  };
  const top = (codes: number[], count: (code: number) => number) =>
    topCodes(codes, count, d, offset + limit)
      .slice(offset)
      .map(item);
  return {
    onlyA: top(onlyA, (c) => countA[c]!),
    onlyB: top(onlyB, (c) => countB[c]!),
    shared: top(shared, (c) => countA[c]! + countB[c]!),
    totals: { onlyA: onlyA.length, onlyB: onlyB.length, shared: shared.length },
  };
}

/**
 * Compare the rules of two platforms within a rule set; each list from item `offset` on (a page past the
 * first), at most `limit` items; `index` as for indicatorCoverage.
 */
export function comparePlatforms(
  rules: readonly Rule[],
  a: string,
  b: string,
  limit = 200,
  index: IndicatorIndex = indicatorIndex(rules),
  offset = 0,
): PlatformComparison {
  const techniques: Counter = new Map();
  const events: Counter = new Map();
  let rulesA = 0;
  let rulesB = 0;
  // Each rule counts once per item, however often it names it: the item remembers the last rule
  // counted (a set of keys per rule was most of a comparison's time).
  for (let k = 0; k < rules.length; k++) {
    const rule = rules[k]!;
    const side = rule.platform === a ? 'a' : rule.platform === b ? 'b' : undefined;
    if (!side) continue;
    if (side === 'a') rulesA++;
    else rulesB++;
    for (const t of rule.attack.techniques) bump(techniques, t.id, side, k, () => t.name || t.id);
    for (const e of rule.events) bump(events, `${e.provider}/${e.event}`, side, k, () => `${providerName(e.provider)}: ${e.event}`);
  }
  return {
    a,
    b,
    rulesA,
    rulesB,
    techniques: section(techniques, limit, offset),
    events: section(events, limit, offset),
    indicators: indicatorSection(rules, a, b, limit, offset, index),
  };
}

/** Items `offset` .. `offset + limit` of each list of a comparison made from item 0 with a limit at least that far. */
export function comparisonSlice(c: PlatformComparison, offset: number, limit: number): PlatformComparison {
  const slice = (s: CompareSection): CompareSection => ({
    onlyA: s.onlyA.slice(offset, offset + limit),
    onlyB: s.onlyB.slice(offset, offset + limit),
    shared: s.shared.slice(offset, offset + limit),
    totals: s.totals,
  });
  return { ...c, techniques: slice(c.techniques), events: slice(c.events), indicators: slice(c.indicators) };
}

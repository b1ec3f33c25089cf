// The most used indicators per field, as rules write them or in the shared (canonical) vocabulary.
import type { Indicator, Operator, Rule } from '../model/types.js';
import { countByPlatform } from './platforms.js';

export interface RuleRef {
  id: string;
  name: string;
  platform: string;
}

export interface IndicatorRow {
  field: string;
  op: Operator;
  value: string;
  negated: boolean;
  /** Distinct rules using it. */
  count: number;
  byPlatform: Record<string, number>;
  /** The first rules (in the rule set's order), up to the limit. */
  rules: RuleRef[];
}

export interface FieldRow {
  field: string;
  /** Distinct rules testing the field. */
  count: number;
  /** Distinct indicators on the field. */
  distinct: number;
  /** Most used first, up to the limit. */
  indicators: IndicatorRow[];
}

export interface IndicatorCoverage {
  canonical: boolean;
  rules: number;
  /** Rules with at least one indicator in this view. */
  rulesWithIndicators: number;
  /** Fields in the view before the limit. */
  totalFields: number;
  /** Most used first, up to the limit. */
  fields: FieldRow[];
}

export interface IndicatorOptions {
  /** Use `indicator.canonical` (indicators without one are left out). */
  canonical?: boolean;
  /** Keep the field of that name (any case), or when none has it, the fields whose name contains it. */
  field?: string;
  fieldLimit?: number;
  valueLimit?: number;
  ruleLimit?: number;
}

/** The field, op and value an indicator counts under in a view; undefined when it has none there. */
export function indicatorKey(ind: Indicator, canonical: boolean): { field: string; op: Operator; value: string; negated: boolean } | undefined {
  if (!canonical) return { field: ind.field, op: ind.op, value: ind.value, negated: ind.negated };
  const c = ind.canonical;
  return c ? { field: c.field, op: c.op, value: c.value, negated: ind.negated } : undefined;
}

interface Acc {
  row: Omit<IndicatorRow, 'count' | 'byPlatform' | 'rules'>;
  rules: Rule[];
}

export function indicatorCoverage(rules: readonly Rule[], opts: IndicatorOptions = {}): IndicatorCoverage {
  const canonical = opts.canonical ?? false;
  const needle = (opts.field ?? '').trim().toLowerCase();
  // A name that is a field exactly picks that field alone; otherwise any field containing it.
  const exact = !!needle && rules.some((r) => r.indicators.some((i) => indicatorKey(i, canonical)?.field.toLowerCase() === needle));
  const keep = (field: string) => !needle || (exact ? field.toLowerCase() === needle : field.toLowerCase().includes(needle));
  const byField = new Map<string, { rules: Set<Rule>; indicators: Map<string, Acc> }>();
  let withIndicators = 0;
  for (const rule of rules) {
    let any = false;
    for (const ind of rule.indicators) {
      const key = indicatorKey(ind, canonical);
      if (!key || !keep(key.field)) continue;
      any = true;
      let f = byField.get(key.field);
      if (!f) byField.set(key.field, (f = { rules: new Set(), indicators: new Map() }));
      f.rules.add(rule);
      const id = `${key.op}\u0000${key.negated ? 1 : 0}\u0000${key.value}`;
      let acc = f.indicators.get(id);
      if (!acc) f.indicators.set(id, (acc = { row: key, rules: [] }));
      // A rule can test the same thing twice (two stages); count it once.
      if (acc.rules.at(-1) !== rule) acc.rules.push(rule);
    }
    if (any) withIndicators++;
  }
  const valueLimit = opts.valueLimit ?? 10;
  const ruleLimit = opts.ruleLimit ?? 25;
  const fields = [...byField]
    .map(([field, f]) => ({ field, f }))
    .sort((a, b) => b.f.rules.size - a.f.rules.size || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0));
  return {
    canonical,
    rules: rules.length,
    rulesWithIndicators: withIndicators,
    totalFields: fields.length,
    fields: fields.slice(0, opts.fieldLimit ?? 40).map(({ field, f }) => ({
      field,
      count: f.rules.size,
      distinct: f.indicators.size,
      indicators: [...f.indicators.values()]
        .sort((a, b) => b.rules.length - a.rules.length || (a.row.value < b.row.value ? -1 : a.row.value > b.row.value ? 1 : 0))
        .slice(0, valueLimit)
        .map((acc) => ({
          ...acc.row,
          count: acc.rules.length,
          byPlatform: countByPlatform(acc.rules),
          rules: acc.rules.slice(0, ruleLimit).map((r) => ({ id: r.id, name: r.name || r.nativeId, platform: r.platform })),
        })),
    })),
  };
}

// The most used indicators per field, as rules write them or in the shared (canonical) vocabulary.
import type { Operator, Rule } from '../model/types.js';
import { type IndicatorIndex, indicatorIndex, topCodes } from './indicator-index.js';

interface RuleRef {
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

interface FieldRow {
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

/**
 * The most used indicators per field over a rule set. `index` is built over a superset of the
 * rules (a server builds it once over the catalog); rules outside it are not counted.
 */
export function indicatorCoverage(
  rules: readonly Rule[],
  opts: IndicatorOptions = {},
  index: IndicatorIndex = indicatorIndex(rules),
): IndicatorCoverage {
  const canonical = opts.canonical ?? false;
  const d = canonical ? index.canonical : index.written;
  const needle = (opts.field ?? '').trim().toLowerCase();
  // A name that is a field exactly picks that field alone; otherwise any field containing it.
  const exact = !!needle && d.fields.some((f) => f.toLowerCase() === needle);
  const allowed = Uint8Array.from(d.fields, (f) =>
    Number(!needle || (exact ? f.toLowerCase() === needle : f.toLowerCase().includes(needle))),
  );
  const counts = new Int32Array(d.keys.length);
  const fieldCounts = new Int32Array(d.fields.length);
  const fieldLast = new Int32Array(d.fields.length).fill(-1);
  let withIndicators = 0;
  for (let k = 0; k < rules.length; k++) {
    const i = index.position.get(rules[k]!);
    if (i === undefined) continue;
    let any = false;
    for (let j = d.offsets[i]!; j < d.offsets[i + 1]!; j++) {
      const code = d.codes[j]!;
      const f = d.fieldOf[code]!;
      if (!allowed[f]) continue;
      any = true;
      counts[code]!++;
      if (fieldLast[f] !== k) {
        fieldLast[f] = k;
        fieldCounts[f]!++;
      }
    }
    if (any) withIndicators++;
  }
  const used: number[] = [];
  for (let f = 0; f < fieldCounts.length; f++) if (fieldCounts[f]) used.push(f);
  used.sort((a, b) => fieldCounts[b]! - fieldCounts[a]! || (d.fields[a]! < d.fields[b]! ? -1 : 1));
  const valueLimit = opts.valueLimit ?? 10;
  const ruleLimit = opts.ruleLimit ?? 25;
  const rows = new Map<number, IndicatorRow>();
  const fields = used.slice(0, opts.fieldLimit ?? 40).map((f): FieldRow => {
    const { offsets, values } = d.keysOfField;
    const present = values.subarray(offsets[f], offsets[f + 1]).filter((c) => counts[c]! > 0);
    const top = topCodes(present, (c) => counts[c]!, d, valueLimit);
    return {
      field: d.fields[f]!,
      count: fieldCounts[f]!,
      distinct: present.length,
      indicators: top.map((code) => {
        const row: IndicatorRow = { ...d.keys[code]!, count: counts[code]!, byPlatform: {}, rules: [] };
        rows.set(code, row);
        return row;
      }),
    };
  });
  // The shown rows' platforms and first rules: a second pass over the set, in its order.
  for (const rule of rules) {
    const i = index.position.get(rule);
    if (i === undefined) continue;
    for (let j = d.offsets[i]!; j < d.offsets[i + 1]!; j++) {
      const row = rows.get(d.codes[j]!);
      if (!row) continue;
      row.byPlatform[rule.platform] = (row.byPlatform[rule.platform] ?? 0) + 1;
      if (row.rules.length < ruleLimit) row.rules.push({ id: rule.id, name: rule.name || rule.nativeId, platform: rule.platform });
    }
  }
  return { canonical, rules: rules.length, rulesWithIndicators: withIndicators, totalFields: used.length, fields };
}

// The most used indicators per field, as rules write them or in the shared (canonical) vocabulary.
import type { Operator, Rule } from '../model/types.js';
import { type IndicatorDict, type IndicatorIndex, indicatorIndex, topCodes } from './indicator-index.js';
import { setRanks } from './rule-set.js';

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
  /** Fields skipped before the first shown (a page past the first). */
  fieldOffset?: number;
  fieldLimit?: number;
  valueLimit?: number;
  ruleLimit?: number;
}

/**
 * A view's counts before any row is chosen: per indicator and per field, its rules in the set, and the fields
 * in order (most rules first). What every page of the view shares: a server keeps the whole catalog's.
 */
export interface IndicatorTally {
  canonical: boolean;
  rules: readonly Rule[];
  /** Each catalog position's rank in `rules` (-1: not in it). */
  ranks: Int32Array;
  counts: Int32Array;
  fieldCounts: Int32Array;
  /** Field codes with at least one rule, most rules first. */
  used: number[];
  withIndicators: number;
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
  return indicatorPage(indicatorTally(rules, opts, index), opts, index);
}

/** Count arrays a transient tally reuses, per dictionary: one request's tally at a time. */
const scratchOf = new WeakMap<object, { counts: Int32Array; fieldCounts: Int32Array; counted: Uint8Array }>();

function scratchCounts(d: object, keys: number, fields: number, positions: number) {
  const s = scratchOf.get(d);
  if (s && s.counts.length === keys && s.fieldCounts.length === fields && s.counted.length === positions) {
    s.counts.fill(0);
    s.fieldCounts.fill(0);
    s.counted.fill(0);
    return s;
  }
  const fresh = { counts: new Int32Array(keys), fieldCounts: new Int32Array(fields), counted: new Uint8Array(positions) };
  scratchOf.set(d, fresh);
  return fresh;
}

/**
 * The counts of a view: the chosen fields' (rule, code) pairs only, so that a field filter reads its fields alone.
 * `transient`: the tally is read before the next transient one and never kept (a request's own field filter),
 * so its counts reuse one set of arrays per dictionary. Allocated per request they were about 0.65 MB of
 * array buffers outside the JS heap, which V8 frees only in a full collection once young-generation
 * collections are rare (the server's 64 MB semi-spaces): a mark-compact every 70 requests of the route.
 */
export function indicatorTally(
  rules: readonly Rule[],
  opts: Pick<IndicatorOptions, 'canonical' | 'field'>,
  index: IndicatorIndex,
  transient = false,
): IndicatorTally {
  const canonical = opts.canonical ?? false;
  const d = canonical ? index.canonical : index.written;
  const ranks = setRanks(index.position, rules);
  const needle = (opts.field ?? '').trim().toLowerCase();
  // A name that is a field exactly picks that field alone; otherwise any field containing it.
  const exact = !!needle && d.fieldsLower.includes(needle);
  const allowed: number[] = [];
  d.fieldsLower.forEach((name, f) => {
    if (!needle || (exact ? name === needle : name.includes(needle))) allowed.push(f);
  });
  const { counts, fieldCounts, counted } = transient
    ? scratchCounts(d, d.keys.length, d.fields.length, ranks.length)
    : { counts: new Int32Array(d.keys.length), fieldCounts: new Int32Array(d.fields.length), counted: new Uint8Array(ranks.length) };
  let withIndicators = 0;
  const pairs = d.byField;
  for (const f of allowed) {
    let last = -1;
    for (let j = pairs.offsets[f]!; j < pairs.offsets[f + 1]!; j++) {
      const r = pairs.rules[j]!;
      if (ranks[r]! < 0) continue;
      counts[pairs.codes[j]!]!++;
      if (r === last) continue;
      last = r;
      fieldCounts[f]!++;
      if (!counted[r]) {
        counted[r] = 1;
        withIndicators++;
      }
    }
  }
  const used = allowed.filter((f) => fieldCounts[f]);
  used.sort((a, b) => fieldCounts[b]! - fieldCounts[a]! || (d.fields[a]! < d.fields[b]! ? -1 : 1));
  return { canonical, rules, ranks, counts, fieldCounts, used, withIndicators };
}

/** The fields from `fieldOffset` on, up to `fieldLimit`, each with its most used indicators and their first rules. */
export function indicatorPage(t: IndicatorTally, opts: IndicatorOptions, index: IndicatorIndex): IndicatorCoverage {
  const d = t.canonical ? index.canonical : index.written;
  const valueLimit = opts.valueLimit ?? 10;
  const ruleLimit = opts.ruleLimit ?? 25;
  const offset = Math.max(0, opts.fieldOffset ?? 0);
  const fields = t.used.slice(offset, offset + (opts.fieldLimit ?? 40)).map((f): FieldRow => {
    const { offsets, values } = d.keysOfField;
    const present = new Int32Array(offsets[f + 1]! - offsets[f]!);
    let distinct = 0;
    for (let j = offsets[f]!; j < offsets[f + 1]!; j++) if (t.counts[values[j]!]! > 0) present[distinct++] = values[j]!;
    const top = topCodes(present.subarray(0, distinct), (c) => t.counts[c]!, d, valueLimit);
    return {
      field: d.fields[f]!,
      count: t.fieldCounts[f]!,
      distinct,
      indicators: top.map((code) => shownRow(t, code, index, d, ruleLimit)),
    };
  });
  return { canonical: t.canonical, rules: t.rules.length, rulesWithIndicators: t.withIndicators, totalFields: t.used.length, fields };
}

/** A shown row: its platforms and first rules in the set's order, from the code's own rules. */
function shownRow(
  { rules, ranks, counts }: IndicatorTally,
  code: number,
  index: IndicatorIndex,
  d: IndicatorDict,
  ruleLimit: number,
): IndicatorRow {
  const perPlatform = new Int32Array(index.platforms.length);
  const firstRank = new Int32Array(index.platforms.length).fill(-1);
  // The smallest ranks so far, ascending (a handful: a sorted insert beats sorting every rule's rank).
  const first: number[] = [];
  const { offsets, rules: positions } = d.rulesOfKey;
  for (let j = offsets[code]!; j < offsets[code + 1]!; j++) {
    const r = positions[j]!;
    const rank = ranks[r]!;
    if (rank < 0) continue;
    const p = index.platformOf[r]!;
    perPlatform[p]!++;
    if (firstRank[p] === -1 || rank < firstRank[p]!) firstRank[p] = rank;
    if (first.length === ruleLimit && rank > first[ruleLimit - 1]!) continue;
    let at = first.length;
    while (at > 0 && first[at - 1]! > rank) at--;
    first.splice(at, 0, rank);
    if (first.length > ruleLimit) first.pop();
  }
  // Platforms in the order the set meets them (the JSON keeps that order).
  const byPlatform: Record<string, number> = {};
  const met = [...perPlatform.keys()].filter((p) => perPlatform[p]).sort((a, b) => firstRank[a]! - firstRank[b]!);
  for (const p of met) byPlatform[index.platforms[p]!] = perPlatform[p]!;
  return {
    ...d.keys[code]!,
    count: counts[code]!,
    byPlatform,
    rules: first.map((rank): RuleRef => {
      const rule = rules[rank]!;
      return { id: rule.id, name: rule.name || rule.nativeId, platform: rule.platform };
    }),
  };
}

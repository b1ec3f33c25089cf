// Indicators as small integer codes, built once per catalog: a coverage view then counts with
// typed-array increments instead of building strings and maps for 100k indicators per request.
import type { Indicator, Operator, Rule } from '../model/types.js';

interface IndicatorKey {
  field: string;
  op: Operator;
  value: string;
  negated: boolean;
}

/** One vocabulary (as written, canonical, or canonical-else-written): distinct keys and each rule's codes. */
export interface IndicatorDict {
  keys: IndicatorKey[];
  /** Canonical where the key came from `indicator.canonical` (only the mixed dictionary has both). */
  canonical: Uint8Array;
  /** Field code of each key, and the fields. */
  fieldOf: Int32Array;
  fields: string[];
  /** Keys of each field: `keysOfField.values[keysOfField.offsets[f] ..]`. */
  keysOfField: { offsets: Int32Array; values: Int32Array };
  /** Each key's place in (field, op, negated, value) order: ties break on it; `order` is the inverse. */
  rank: Int32Array;
  order: Int32Array;
  /** Rule i's distinct codes: `codes[offsets[i]] .. codes[offsets[i + 1]]`. */
  offsets: Int32Array;
  codes: Int32Array;
  /** The fields lower-cased (a field filter is any case). */
  fieldsLower: string[];
  /**
   * The same (rule, code) pairs by field, rules ascending: field f's are `rules[offsets[f]] ..` with
   * `codes` beside them. A view of one field reads its pairs only, not every rule's codes.
   */
  byField: { offsets: Int32Array; rules: Int32Array; codes: Int32Array };
  /** The rules of each code, ascending: `rules[offsets[code]] .. rules[offsets[code + 1]]`. */
  rulesOfKey: { offsets: Int32Array; rules: Int32Array };
}

export interface IndicatorIndex {
  /** The rules indexed, and each one's position (its codes' row). */
  rules: readonly Rule[];
  position: Map<Rule, number>;
  /** Each position's platform, as a code into `platforms`. */
  platformOf: Int32Array;
  platforms: string[];
  written: IndicatorDict;
  canonical: IndicatorDict;
  /** Canonical where known, else as written: what platform comparisons use. */
  mixed: IndicatorDict;
}

/** The parts of an indicator a vocabulary keys on, written into `out`; false when it has none there. */
type Picker = (ind: Indicator, out: IndicatorKey) => boolean;

// An encoded value (Sigma `base64offset` ...) is its own indicator, shown with its transform.
const written: Picker = (i, out) => {
  out.field = i.field;
  out.op = i.op;
  out.value = i.transform ? `${i.value} (${i.transform})` : i.value;
  out.negated = i.negated;
  return true;
};
const canonical: Picker = (i, out) => {
  if (!i.canonical) return false;
  out.field = i.canonical.field;
  out.op = i.canonical.op;
  out.value = i.canonical.value;
  out.negated = i.negated;
  return true;
};
/** Canonical where known, else as written; the two never share a key. */
const mixed = (i: Indicator, out: IndicatorKey): 'c' | 'r' => (canonical(i, out) ? 'c' : (written(i, out), 'r'));

/**
 * Codes of keys by their parts, in nested maps of the indicators' own strings: a key of the whole
 * corpus's 300k-odd indicators per vocabulary costs no string or object unless it is new (a joined
 * text per indicator was most of the 90 MB of garbage a server made building this index).
 */
class KeyCodes {
  /** By canonical (2) or not (0) plus negated (1) or not (0). */
  private readonly bySlot = [0, 1, 2, 3].map(() => new Map<string, Map<string, Map<string, number>>>());

  get(slot: number, key: IndicatorKey): number | undefined {
    return this.bySlot[slot]!.get(key.field)?.get(key.op)?.get(key.value);
  }

  set(slot: number, key: IndicatorKey, code: number): void {
    const fields = this.bySlot[slot]!;
    const ops = fields.get(key.field) ?? new Map<string, Map<string, number>>();
    fields.set(key.field, ops);
    const values = ops.get(key.op) ?? new Map<string, number>();
    ops.set(key.op, values);
    values.set(key.value, code);
  }
}

function dict(rules: readonly Rule[], pick: (ind: Indicator, out: IndicatorKey) => 'c' | 'r' | undefined): IndicatorDict {
  const codeOf = new KeyCodes();
  const keys: IndicatorKey[] = [];
  const isCanonical: number[] = [];
  const fieldCode = new Map<string, number>();
  const fields: string[] = [];
  const fieldOf: number[] = [];
  const offsets = new Int32Array(rules.length + 1);
  const codes: number[] = [];
  // The last rule each code was counted for: a rule's repeats are found in constant time (a scan of
  // the rule's codes so far made a rule with 70k indicators quadratic).
  const lastRule: number[] = [];
  const key: IndicatorKey = { field: '', op: 'eq', value: '', negated: false };
  rules.forEach((rule, r) => {
    for (const ind of rule.indicators) {
      const kind = pick(ind, key);
      if (!kind) continue;
      const slot = (kind === 'c' ? 2 : 0) + (key.negated ? 1 : 0);
      let code = codeOf.get(slot, key);
      if (code === undefined) {
        code = keys.length;
        codeOf.set(slot, key, code);
        keys.push({ ...key });
        isCanonical.push(kind === 'c' ? 1 : 0);
        let f = fieldCode.get(key.field);
        if (f === undefined) fieldCode.set(key.field, (f = fields.push(key.field) - 1));
        fieldOf.push(f);
        lastRule.push(-1);
      }
      // A rule testing the same thing twice (two stages) counts once.
      if (lastRule[code] !== r) {
        lastRule[code] = r;
        codes.push(code);
      }
    }
    offsets[r + 1] = codes.length;
  });
  const byField = fields.map((): number[] => []);
  fieldOf.forEach((f, code) => byField[f]!.push(code));
  const kOffsets = new Int32Array(fields.length + 1);
  byField.forEach((list, f) => (kOffsets[f + 1] = kOffsets[f]! + list.length));
  const str = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const order = keys
    .map((_, i) => i)
    .sort((a, b) => {
      const x = keys[a]!;
      const y = keys[b]!;
      return (
        str(x.field, y.field) ||
        str(x.op, y.op) ||
        Number(x.negated) - Number(y.negated) ||
        str(x.value, y.value) ||
        isCanonical[a]! - isCanonical[b]!
      );
    });
  const rank = new Int32Array(keys.length);
  order.forEach((code, i) => (rank[code] = i));
  const allCodes = Int32Array.from(codes);
  const ofKey = pairsBy(offsets, allCodes, keys.length, (code) => code);
  return {
    keys,
    canonical: Uint8Array.from(isCanonical),
    fieldOf: Int32Array.from(fieldOf),
    fields,
    keysOfField: { offsets: kOffsets, values: Int32Array.from(byField.flat()) },
    rank,
    order: Int32Array.from(order),
    offsets,
    codes: allCodes,
    fieldsLower: fields.map((f) => f.toLowerCase()),
    byField: pairsBy(offsets, allCodes, fields.length, (code) => fieldOf[code]!),
    rulesOfKey: { offsets: ofKey.offsets, rules: ofKey.rules },
  };
}

/** The (rule, code) pairs grouped by `groupOf(code)` (a counting sort: rules stay ascending within a group). */
function pairsBy(
  offsets: Int32Array,
  codes: Int32Array,
  groups: number,
  groupOf: (code: number) => number,
): { offsets: Int32Array; rules: Int32Array; codes: Int32Array } {
  const starts = new Int32Array(groups + 1);
  for (const code of codes) starts[groupOf(code) + 1]!++;
  for (let g = 0; g < groups; g++) starts[g + 1]! += starts[g]!;
  const next = starts.slice(0, groups);
  const rules = new Int32Array(codes.length);
  const grouped = new Int32Array(codes.length);
  for (let r = 0; r + 1 < offsets.length; r++) {
    for (let j = offsets[r]!; j < offsets[r + 1]!; j++) {
      const at = next[groupOf(codes[j]!)]!++;
      rules[at] = r;
      grouped[at] = codes[j]!;
    }
  }
  return { offsets: starts, rules, codes: grouped };
}

export function indicatorIndex(rules: readonly Rule[]): IndicatorIndex {
  const platformCode = new Map<string, number>();
  const platformOf = Int32Array.from(rules, (rule) => {
    let code = platformCode.get(rule.platform);
    if (code === undefined) platformCode.set(rule.platform, (code = platformCode.size));
    return code;
  });
  return {
    rules,
    platformOf,
    platforms: [...platformCode.keys()],
    position: new Map(rules.map((r, i) => [r, i])),
    written: dict(rules, (i, out) => (written(i, out) ? 'r' : undefined)),
    canonical: dict(rules, (i, out) => (canonical(i, out) ? 'c' : undefined)),
    mixed: dict(rules, mixed),
  };
}

/**
 * The index's heap bytes, roughly, as web/per-catalog.ts estimates a value's (16 bytes of header, 8 per slot,
 * strings by their characters; the rules are the catalog's): its typed arrays, keys and field names.
 */
export function indicatorIndexBytes(index: IndicatorIndex): number {
  let bytes = 32 + index.position.size * 24 + 64 + index.platformOf.byteLength;
  for (const d of [index.written, index.canonical, index.mixed]) {
    const arrays = [d.canonical, d.fieldOf, d.keysOfField.offsets, d.keysOfField.values, d.rank, d.order, d.offsets, d.codes];
    arrays.push(d.byField.offsets, d.byField.rules, d.byField.codes, d.rulesOfKey.offsets, d.rulesOfKey.rules);
    for (const a of arrays) bytes += 64 + a.byteLength;
    bytes += 16 + d.keys.length * 8;
    // A key: its object (four slots) and its value's characters (fields and operators are shared strings).
    for (const k of d.keys) bytes += 48 + 16 + k.value.length * 2;
    for (const f of d.fields) bytes += 2 * (16 + f.length * 2) + 16;
  }
  return bytes;
}

/**
 * The `limit` codes with the largest counts, ties in rank order, without sorting every code: a
 * count histogram finds the threshold, and only the codes at or above it are ordered.
 */
export function topCodes(
  codes: ArrayLike<number>,
  count: (code: number) => number,
  d: Pick<IndicatorDict, 'rank' | 'order'>,
  limit: number,
): number[] {
  const byCount = (a: number, b: number) => count(b) - count(a) || d.rank[a]! - d.rank[b]!;
  if (codes.length <= limit) return Array.from(codes).sort(byCount);
  let max = 0;
  for (let i = 0; i < codes.length; i++) max = Math.max(max, count(codes[i]!));
  const hist = new Int32Array(max + 1);
  for (let i = 0; i < codes.length; i++) hist[count(codes[i]!)]!++;
  let above = 0;
  let threshold = max;
  while (threshold > 0 && above + hist[threshold]! < limit) above += hist[threshold--]!;
  const top: number[] = [];
  const ranks: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    const n = count(c);
    if (n > threshold) top.push(c);
    else if (n === threshold) ranks.push(d.rank[c]!);
  }
  top.sort(byCount);
  // The threshold bucket can hold thousands of ties: a native numeric sort of their ranks.
  const tied = Int32Array.from(ranks)
    .sort()
    .subarray(0, limit - top.length);
  for (const r of tied) top.push(d.order[r]!);
  return top;
}

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
}

export interface IndicatorIndex {
  /** A rule's position (its codes' row). */
  position: Map<Rule, number>;
  written: IndicatorDict;
  canonical: IndicatorDict;
  /** Canonical where known, else as written: what platform comparisons use. */
  mixed: IndicatorDict;
}

type Picker = (ind: Indicator) => { key: IndicatorKey; canonical: boolean } | undefined;

// An encoded value (Sigma `base64offset` ...) is its own indicator, shown with its transform.
const written: Picker = (i) => ({
  key: { field: i.field, op: i.op, value: i.transform ? `${i.value} (${i.transform})` : i.value, negated: i.negated },
  canonical: false,
});
const canonical: Picker = (i) =>
  i.canonical
    ? { key: { field: i.canonical.field, op: i.canonical.op, value: i.canonical.value, negated: i.negated }, canonical: true }
    : undefined;
const mixed: Picker = (i) => canonical(i) ?? written(i);

function dict(rules: readonly Rule[], pick: Picker): IndicatorDict {
  const codeOf = new Map<string, number>();
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
  rules.forEach((rule, r) => {
    for (const ind of rule.indicators) {
      const picked = pick(ind);
      if (!picked) continue;
      const { key } = picked;
      const text = `${picked.canonical ? 'c' : 'r'}\u0000${key.field}\u0000${key.op}\u0000${key.negated ? 1 : 0}\u0000${key.value}`;
      let code = codeOf.get(text);
      if (code === undefined) {
        code = keys.length;
        codeOf.set(text, code);
        keys.push(key);
        isCanonical.push(picked.canonical ? 1 : 0);
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
  return {
    keys,
    canonical: Uint8Array.from(isCanonical),
    fieldOf: Int32Array.from(fieldOf),
    fields,
    keysOfField: { offsets: kOffsets, values: Int32Array.from(byField.flat()) },
    rank,
    order: Int32Array.from(order),
    offsets,
    codes: Int32Array.from(codes),
  };
}

export function indicatorIndex(rules: readonly Rule[]): IndicatorIndex {
  return {
    position: new Map(rules.map((r, i) => [r, i])),
    written: dict(rules, written),
    canonical: dict(rules, canonical),
    mixed: dict(rules, mixed),
  };
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

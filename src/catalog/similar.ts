import { similarityWeight } from '../canonical/vocabulary.js';
import type { DuplicateInfo } from '../model/types.js';
import { type Dictionary, IND_STRIDE, INDICATOR_ALTERNATIVE, INDICATOR_EXCLUDED, type PassSimilar } from './pass.js';

/** What ranking similar rules reads of a rule: interned canonical indicators and techniques (pass.ts). */
export interface SimilarInput {
  id: string;
  nativeId: string;
  platform: string;
  name: string;
  duplicates?: DuplicateInfo;
  removed?: boolean;
  /** Indicators, IND_STRIDE numbers each (pass.ts). */
  ind: readonly number[];
  /** Technique keys. */
  techniques: readonly number[];
  similar?: PassSimilar[];
}

export interface SimilarOptions {
  /** How many neighbours a rule keeps. */
  limit: number;
  /** Indicators used by more than this share of the rules (and more than `commonFloor`) say nothing. */
  maxShare: number;
  commonFloor: number;
  /** Techniques weigh this much beside an indicator of the same rarity; they never link rules alone. */
  techniqueWeight: number;
  /** Items listed as shared, weightiest (rarest) first. */
  sharedLimit: number;
  /** Weight of indicators on a canonical field, 1 when unlisted. */
  fieldWeights: Readonly<Record<string, number>>;
  /**
   * What an alternative (one of several values any of which the rule accepts) weighs beside a
   * required value, in a rule's vector; exclusions weigh nothing (they say what a rule is not about).
   */
  alternativeWeight: number;
}

const similarDefaults: SimilarOptions = {
  limit: 8,
  maxShare: 0.02,
  commonFloor: 10,
  techniqueWeight: 0.25,
  sharedLimit: 6,
  fieldWeights: similarityWeight,
  alternativeWeight: 0.5,
};

interface Entry {
  rule: SimilarInput;
  group: string;
  /** Keys of its positive canonical indicators and of its techniques, each once, in the rule's order. */
  indicators: number[];
  /** Per indicator: 1 when the rule only ever accepts it as one alternative among several. */
  alternative: Uint8Array;
  techniques: number[];
  /** Where its indicators' damping factors start in the shared `damp` array. */
  off: number;
  norm: number;
}

const groupOf = (r: SimilarInput) => `${r.platform}:${r.nativeId}`;

/**
 * What linkSimilar reads of a rule's own analysis, as text: its positive canonical indicators with
 * their fields, and its techniques. The rest it reads (id, copies, removal) the pass decides.
 */
export function similarityItems(rule: Pick<SimilarInput, 'ind' | 'techniques'>): string {
  const items: number[] = [];
  eachPositive(rule, (key, field, alternative) => items.push(key, field, alternative ? 1 : 0));
  items.push(-1, ...rule.techniques);
  return items.join(',');
}

/** Each positive canonical indicator of a rule (exclusions say what a rule is not about): its key, field, and whether it is an alternative. */
function eachPositive(rule: Pick<SimilarInput, 'ind'>, f: (key: number, field: number, alternative: boolean) => void): void {
  const ind = rule.ind;
  for (let k = 0; k < ind.length; k += IND_STRIDE)
    if (ind[k + 1]! >= 0 && (ind[k + 3]! & INDICATOR_EXCLUDED) === 0)
      f(ind[k + 1]!, ind[k + 2]!, (ind[k + 3]! & INDICATOR_ALTERNATIVE) !== 0);
}

/**
 * What a sync knows of the last ranking, when the live rules, their ids and their currency are as
 * it left them: the rules whose items changed since, each with its rule as it was.
 */
export interface SimilarSince {
  before: ReadonlyMap<SimilarInput, Pick<SimilarInput, 'ind' | 'techniques'>>;
}

/**
 * similar: for every rule, the current rules (other than its own copies) closest to it by shared
 * canonical indicators and techniques: cosine similarity of item vectors where an item weighs its
 * inverse document frequency (a rare shared indicator counts more than a common one) and a list of
 * values on one field (twenty file extensions) weighs about as much as one value.
 * Candidates come from an inverted index over indicators only, so techniques rank rules that
 * already share an indicator but never link two rules alone. Items are the dictionary's keys
 * (`dict` names the fields, for their weights); `shared` lists keys too.
 */
export function linkSimilar(
  rules: SimilarInput[],
  dict: Pick<Dictionary, 'text'>,
  options: Partial<SimilarOptions> = {},
  since?: SimilarSince,
): Set<SimilarInput> {
  const opts = { ...similarDefaults, ...options };
  // Nothing any ranking reads has changed: every list stays as it is.
  if (since && since.before.size === 0) return new Set();
  // Arrays below are indexed by key: keys are dense from 0.
  let size = 0;
  for (const rule of rules) {
    eachPositive(rule, (key, field) => (size = Math.max(size, key + 1, field + 1)));
    for (const t of rule.techniques) if (t >= size) size = t + 1;
  }
  // Field of each indicator key (-1: a technique), and a weight per field, looked up once per field.
  const fieldOf = new Int32Array(size).fill(-1);
  const fieldWeight = new Map<number, number>();
  // Each key once per rule, by a stamp per rule (no set per rule).
  const seen = new Uint32Array(size);
  let seenStamp = 0;
  let dampSize = 0;
  const entries: Entry[] = rules.map((rule) => {
    const indicators: number[] = [];
    const alternatives: boolean[] = [];
    seenStamp++;
    eachPositive(rule, (key, field, alternative) => {
      if (seen[key] === seenStamp) {
        // Required wherever it is written once required.
        if (!alternative) alternatives[indicators.indexOf(key)] = false;
        return;
      }
      seen[key] = seenStamp;
      indicators.push(key);
      alternatives.push(alternative);
      fieldOf[key] = field;
      if (!fieldWeight.has(field)) fieldWeight.set(field, opts.fieldWeights[dict.text(field)] ?? 1);
    });
    const techniques: number[] = [];
    seenStamp++;
    for (const t of rule.techniques) {
      if (seen[t] === seenStamp) continue;
      seen[t] = seenStamp;
      techniques.push(t);
    }
    const off = dampSize;
    dampSize += indicators.length;
    return { rule, group: groupOf(rule), indicators, alternative: Uint8Array.from(alternatives, Number), techniques, off, norm: 0 };
  });
  const current = entries.filter((e) => !e.rule.removed && (!e.rule.duplicates || e.rule.duplicates.newest));
  const n = current.length;
  // Document frequencies over current rules (one per native id).
  const df = new Uint32Array(size);
  for (const e of current) {
    for (const i of e.indicators) df[i]!++;
    for (const t of e.techniques) df[t]!++;
  }
  const cap = Math.max(opts.commonFloor, Math.floor(opts.maxShare * n));
  const weight = new Float64Array(size);
  const usable = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    weight[i] = (fieldOf[i]! < 0 ? 1 : fieldWeight.get(fieldOf[i]!)!) * Math.log(1 + n / Math.max(1, df[i]!)) ** 2;
    usable[i] = df[i]! <= cap ? 1 : 0;
  }
  // Fields are keys too: per-rule counts by field in a scratch array, not a map per rule.
  const perField = new Uint32Array(size);
  // Per indicator of each rule (at its entry's `off`): 1/sqrt(how many of the rule's indicators share its field).
  const damp = new Float64Array(dampSize);
  for (const e of entries) {
    for (const i of e.indicators) if (usable[i]) perField[fieldOf[i]!]!++;
    e.indicators.forEach(
      (i, k) => (damp[e.off + k] = usable[i] ? (e.alternative[k] ? opts.alternativeWeight : 1) / Math.sqrt(perField[fieldOf[i]!]!) : 0),
    );
    for (const i of e.indicators) perField[fieldOf[i]!] = 0;
    let norm = 0;
    e.indicators.forEach((i, k) => (norm += weight[i]! * damp[e.off + k]! ** 2));
    for (const t of e.techniques) norm += opts.techniqueWeight * weight[t]!;
    e.norm = norm;
  }

  const rank = since ? toRank(entries, since, usable) : undefined;

  // Postings of usable indicators in flat arrays: item i's are at start[i] .. start[i + 1], in `current` order.
  const start = new Uint32Array(size + 1);
  for (const e of current) for (const i of e.indicators) if (usable[i]) start[i + 1]!++;
  for (let i = 0; i < size; i++) start[i + 1]! += start[i]!;
  const postIdx = new Uint32Array(start[size]!);
  const postDamp = new Float64Array(start[size]!);
  const fill = start.slice(0, size);
  current.forEach((e, idx) => {
    e.indicators.forEach((i, k) => {
      if (!usable[i]) return;
      const at = fill[i]!++;
      postIdx[at] = idx;
      postDamp[at] = damp[e.off + k]!;
    });
  });
  // Marks the items of one neighbour at a time (a stamp per neighbour: no set per pair).
  const mark = new Uint32Array(size);
  let stamp = 0;
  const dot = new Float64Array(n);
  const touched: number[] = [];

  const ranked = new Set<SimilarInput>();
  entries.forEach((e, at) => {
    if (rank && !rank[at]) return;
    ranked.add(e.rule);
    e.indicators.forEach((i, k) => {
      if (!usable[i]) return;
      const w = weight[i]! * damp[e.off + k]!;
      for (let p = start[i]!, end = start[i + 1]!; p < end; p++) {
        const idx = postIdx[p]!;
        if (dot[idx] === 0) touched.push(idx);
        dot[idx] = dot[idx]! + w * postDamp[p]!;
      }
    });
    // The best `limit` candidates, kept sorted: most rules touch far more candidates than they keep.
    const best: { idx: number; score: number }[] = [];
    for (const idx of touched) {
      const other = current[idx]!;
      if (other.group === e.group) continue;
      let total = dot[idx]!;
      for (const t of e.techniques) if (other.techniques.includes(t)) total += opts.techniqueWeight * weight[t]!;
      const score = total / Math.sqrt(e.norm * other.norm);
      if (best.length === opts.limit && !better(score, other, best[best.length - 1]!)) continue;
      let at = best.length;
      while (at > 0 && better(score, other, best[at - 1]!)) at--;
      best.splice(at, 0, { idx, score });
      if (best.length > opts.limit) best.pop();
    }
    for (const idx of touched) dot[idx] = 0;
    touched.length = 0;
    e.rule.similar = best.map(({ idx, score }) => {
      const other = current[idx]!;
      stamp++;
      for (const i of other.indicators) mark[i] = stamp;
      for (const t of other.techniques) mark[t] = stamp;
      const shared = [
        ...e.indicators.filter((i) => usable[i] && mark[i] === stamp).sort((a, b) => weight[b]! - weight[a]!),
        ...e.techniques.filter((t) => mark[t] === stamp),
      ];
      return {
        id: other.rule.id,
        name: other.rule.name,
        platform: other.rule.platform,
        score: Math.round(score * 1000) / 1000,
        shared: shared.slice(0, opts.sharedLimit),
      };
    });
  });
  return ranked;

  /** Higher score first, then id, for a stable order. */
  function better(score: number, rule: Entry, than: { idx: number; score: number }): boolean {
    return score > than.score || (score === than.score && rule.rule.id < current[than.idx]!.rule.id);
  }
}

/**
 * Which rules a ranking after `since` must rank again (1), the others' lists being as they were.
 * Only the weights of items some changed rule gained or lost (delta) moved, so a score moved only
 * when one of its rules holds a delta item or changed (S: norms, dot products, and which items
 * are usable, all move with those items alone); a rule's list can move only when it is in S or
 * shares a usable indicator (a candidate) with a rule in S.
 */
function toRank(entries: readonly Entry[], since: SimilarSince, usable: Uint8Array): Uint8Array {
  const deltaIndicators = new Set<number>();
  const deltaTechniques = new Set<number>();
  const difference = (a: Set<number>, b: Set<number>, into: Set<number>) => {
    for (const x of a) if (!b.has(x)) into.add(x);
    for (const x of b) if (!a.has(x)) into.add(x);
  };
  const positives = (r: Pick<SimilarInput, 'ind'>) => {
    const keys = new Set<number>();
    eachPositive(r, (key) => keys.add(key));
    return keys;
  };
  for (const [rule, before] of since.before) {
    difference(positives(before), positives(rule), deltaIndicators);
    difference(new Set(before.techniques), new Set(rule.techniques), deltaTechniques);
  }
  const rank = new Uint8Array(entries.length);
  const candidate = new Uint8Array(usable.length);
  entries.forEach((e, at) => {
    if (!since.before.has(e.rule) && !e.indicators.some((i) => deltaIndicators.has(i)) && !e.techniques.some((t) => deltaTechniques.has(t)))
      return;
    rank[at] = 1;
    for (const i of e.indicators) if (usable[i]) candidate[i] = 1;
  });
  entries.forEach((e, at) => {
    if (!rank[at] && e.indicators.some((i) => candidate[i])) rank[at] = 1;
  });
  return rank;
}

// The catalog rules nearest to a rule that is not in it (a draft): a duplicate check before writing
// one. Same action: rules watching one of its provider events. Similar: rules sharing its positive
// canonical indicators, rarer indicators weighing more, as the corpus pass ranks similar rules.
import { canonicalText } from '../analysis/canonical.js';
import type { IndicatorDict } from '../coverage/indicator-index.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';
import { catalogIndicators } from '../web/coverage-routes.js';

/** An indicator shared by more than this share of the rules (and more than `commonFloor` rules) tells rules apart from nothing. */
const maxShare = 0.02;
const commonFloor = 10;

interface Postings {
  codeOf: Map<string, number>;
  /** Rules (positions in store.rules) per canonical code. */
  rulesOf: number[][];
}

const postingsOf = new WeakMap<IndicatorDict, Postings>();

const keyText = (k: { field: string; op: string; value: string; negated: boolean }) =>
  `${k.field}\u0000${k.op}\u0000${k.negated ? 1 : 0}\u0000${k.value}`;

/** Built once per catalog, on the first draft compared with it. */
function postings(d: IndicatorDict): Postings {
  let p = postingsOf.get(d);
  if (!p) {
    const rulesOf: number[][] = d.keys.map(() => []);
    for (let i = 0; i + 1 < d.offsets.length; i++) for (let j = d.offsets[i]!; j < d.offsets[i + 1]!; j++) rulesOf[d.codes[j]!]!.push(i);
    p = { codeOf: new Map(d.keys.map((k, code) => [keyText(k), code])), rulesOf };
    postingsOf.set(d, p);
  }
  return p;
}

/** Rules that count as the catalog's own answer: present upstream, newest copy. */
const current = (r: Rule) => !r.removed && (!r.duplicates || r.duplicates.newest);

export interface NearestRules {
  sameAction: { id: string; name: string; platform: string; events: string[] }[];
  similar: { id: string; name: string; platform: string; score: number; shared: string[] }[];
}

export function nearestRules(store: CatalogStore, draft: Rule, limit: number): NearestRules {
  const events = new Set(draft.events.map((e) => `${e.provider}/${e.event}`));
  const sameAction = store.rules
    .filter((r) => current(r) && r.events.some((e) => events.has(`${e.provider}/${e.event}`)))
    .map((r) => ({ rule: r, shared: [...new Set(r.events.map((e) => `${e.provider}/${e.event}`).filter((e) => events.has(e)))] }))
    .sort((a, b) => b.shared.length - a.shared.length || (a.rule.name < b.rule.name ? -1 : 1))
    .slice(0, limit)
    .map(({ rule, shared }) => ({ id: rule.id, name: rule.name, platform: rule.platform, events: shared }));

  const index = catalogIndicators(store);
  const d = index.canonical;
  const { codeOf, rulesOf } = postings(d);
  const common = Math.max(commonFloor, maxShare * store.rules.length);
  const weight = (code: number) => 1 / Math.log2(2 + rulesOf[code]!.length);
  const own = new Set<number>();
  for (const ind of draft.indicators) {
    if (!ind.canonical || ind.negated) continue;
    const code = codeOf.get(keyText({ ...ind.canonical, negated: false }));
    if (code !== undefined && rulesOf[code]!.length <= common) own.add(code);
  }
  const draftWeight = [...own].reduce((sum, c) => sum + weight(c), 0);
  const sharedBy = new Map<number, number[]>();
  for (const code of own) for (const i of rulesOf[code]!) (sharedBy.get(i) ?? sharedBy.set(i, []).get(i)!).push(code);
  const similar = [...sharedBy]
    .filter(([i]) => current(store.rules[i]!))
    .map(([i, shared]) => {
      // The candidate's own weight over its informative indicators: a rule testing much else is less alike.
      let theirs = 0;
      for (let j = d.offsets[i]!; j < d.offsets[i + 1]!; j++) {
        const code = d.codes[j]!;
        if (!d.keys[code]!.negated && rulesOf[code]!.length <= common) theirs += weight(code);
      }
      const together = shared.reduce((sum, c) => sum + weight(c), 0);
      return { i, shared, score: together / Math.sqrt(draftWeight * Math.max(theirs, together)) };
    })
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .map(({ i, shared, score }) => {
      const rule = store.rules[i]!;
      return {
        id: rule.id,
        name: rule.name,
        platform: rule.platform,
        score: Math.round(score * 1000) / 1000,
        shared: shared.slice(0, 5).map((c) => canonicalText(d.keys[c]!)),
      };
    });
  return { sameAction, similar };
}

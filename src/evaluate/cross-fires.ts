// Sigma rules that fire on another rule's regression sample (`ruleatlas test`, issue 13): each stored
// Sigma sample's events go through the fire index over the catalog's Sigma rules, source gating on,
// and every rule other than the sample's own that fires (`yes`) makes a pair. A pair is either a real
// overlap (a generic or hunting rule, a variant of the same detection) or a gating gap: a rule tried
// on a log it does not read. Listing them is how the second kind is found.
import type { Rule, Scalar } from '../model/types.js';
import { recogniseLog } from './event-log.js';
import { FireIndex } from './fire.js';
import type { StoredTest } from './stored-tests.js';
import type { EventLog } from './types.js';

interface CrossFirePair {
  /** The sample's own rule: its catalog id (absent when the catalog does not hold it), native id and name. */
  sampleRule: { id?: string; nativeId: string; name?: string };
  /** The sample (its test's name: the folder of its `info.yml`). */
  sample: string;
  /** The log of the event the other rule fired on, as recognised (a Windows event's channel and event id). */
  log: string;
  other: { id: string; nativeId: string; name: string; logsource: string };
  /** The other rule's predicates that matched the event (its filters, negated, left out). */
  matched: { field: string; op: string; values: Scalar[] }[];
}

export interface CrossFires {
  /** Sigma samples with events, tried. */
  samples: number;
  /** Samples on which at least one other Sigma rule fires. */
  firing: number;
  /** Distinct other rules that fire on some sample. */
  rules: number;
  /** Sample and other rule pairs where the other rule may fire (`unknown`): not in `pairs`. */
  mayFire: number;
  /** One per sample and other rule, the first of the sample's events it fires on; in sample order, then id order. */
  pairs: CrossFirePair[];
}

/** A Sigma rule's logsource as `product/category/service`, from its declared sources. */
export function sigmaLogsource(rule: Pick<Rule, 'sources'>): string {
  const parts: Record<string, string> = {};
  for (const s of rule.sources) {
    const m = /^(product|category|service):(.*)$/.exec(s);
    if (m) parts[m[1]!] = m[2]!;
  }
  return ['product', 'category', 'service'].flatMap((k) => (parts[k] !== undefined ? [parts[k]] : [])).join('/');
}

const logName = (log: EventLog): string =>
  log.given ?? (log.windows ? `${log.windows.channel} ${log.windows.eventId}` : `log not known (${log.how})`);

/**
 * The cross-fires of the regression samples among `tests` (other tests are ignored) over the rules of
 * each sample's platform among `rules` (removed rules left out), each event's log recognised as `test` does.
 */
export function crossFires(tests: readonly StoredTest[], rules: readonly Rule[]): CrossFires {
  const samples = tests.filter((t) => t.kind === 'sigma-sample' && t.events.length > 0 && !t.problem);
  const out: CrossFires = { samples: samples.length, firing: 0, rules: 0, mayFire: 0, pairs: [] };
  if (samples.length === 0) return out;
  // A sample is tried on the rules of its own platform: one index per platform the samples name.
  const platforms = new Map<string, { index: FireIndex; byNativeId: Map<string, Rule> }>();
  const platformOf = (platform: string) => {
    let found = platforms.get(platform);
    if (found) return found;
    const live = rules.filter((r) => r.platform === platform && !r.removed);
    const byNativeId = new Map<string, Rule>();
    for (const r of live) if (!byNativeId.has(r.nativeId)) byNativeId.set(r.nativeId, r);
    platforms.set(platform, (found = { index: new FireIndex(live), byNativeId }));
    return found;
  };
  const others = new Set<string>();
  for (const test of samples) {
    const { index, byNativeId } = platformOf(test.platform);
    const own = byNativeId.get(test.ruleId);
    const fired = new Set<string>();
    const maybe = new Set<string>();
    for (const event of test.events) {
      const log = recogniseLog(event);
      for (const { rule, evaluation } of index.fire(event, log)) {
        if (rule.nativeId === test.ruleId || fired.has(rule.id)) continue;
        if (evaluation.fires !== 'yes') {
          maybe.add(rule.id);
          continue;
        }
        fired.add(rule.id);
        others.add(rule.id);
        out.pairs.push({
          sampleRule: { ...(own ? { id: own.id, name: own.name } : {}), nativeId: test.ruleId },
          sample: test.name,
          log: logName(log),
          other: { id: rule.id, nativeId: rule.nativeId, name: rule.name, logsource: sigmaLogsource(rule) },
          matched: evaluation.trace
            .filter((t) => t.matched === true && !t.negated)
            .map((t) => ({ field: t.field, op: t.op, values: t.values })),
        });
      }
    }
    for (const id of maybe) if (!fired.has(id)) out.mayFire++;
    if (fired.size > 0) out.firing++;
  }
  out.rules = others.size;
  return out;
}

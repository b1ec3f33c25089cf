import { createHash } from 'node:crypto';
import { otherGroupsUsing } from './group-counts.js';
import { IND_STRIDE } from './pass.js';
import type { DuplicateInfo, EventRef, Rule } from '../model/types.js';

/** The part of a rule the corpus pass reads and writes. */
export interface CorpusRule {
  id: string;
  nativeId: string;
  platform: string;
  name: string;
  path: string;
  sourceName: string;
  version?: string;
  updated?: string;
  /** Indicators, IND_STRIDE numbers each (pass.ts), and per indicator the count this pass sets. */
  ind: readonly number[];
  counts?: number[];
  events: EventRef[];
  duplicates?: DuplicateInfo;
  /** The rules themselves (no copy each): applyPass writes their id, name and platform onto the core. */
  sameAction: Pick<Rule['sameAction'][number], 'id' | 'name' | 'platform'>[];
}

function compareVersions(a: string | undefined, b: string | undefined): number {
  const pa = (a ?? '').split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = (b ?? '').split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Newest first: higher version, then later update date, then path for a stable order. */
function newestFirst(a: CorpusRule, b: CorpusRule): number {
  return (
    compareVersions(b.version, a.version) ||
    (b.updated ?? '').localeCompare(a.updated ?? '') ||
    a.path.localeCompare(b.path)
  );
}

function shortHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

function groupKey(rule: CorpusRule): string {
  return `${rule.platform}:${rule.nativeId}`;
}

/**
 * Give every rule a stable unique id. Files that repeat a native id are all kept: the newest
 * copy takes `<platform>:<native id>`, the others add `@<hash of their path>`.
 */
export function assignIds(rules: CorpusRule[]): void {
  const groups = new Map<string, CorpusRule[]>();
  for (const rule of rules) {
    const key = groupKey(rule);
    const group = groups.get(key);
    if (group) group.push(rule);
    else groups.set(key, [rule]);
  }
  for (const [key, group] of groups) {
    if (group.length === 1) {
      group[0]!.id = key;
      continue;
    }
    group.sort(newestFirst);
    group.forEach((rule, i) => {
      rule.id = i === 0 ? key : `${key}@${shortHash(`${rule.sourceName}/${rule.path}`)}`;
    });
    for (const rule of group) {
      rule.duplicates = { others: group.filter((r) => r !== rule).map((r) => r.id), newest: rule === group[0] };
    }
  }
}

function isCurrent(rule: CorpusRule): boolean {
  return !rule.duplicates || rule.duplicates.newest;
}

/** corpusCount: how many other rules (copies of one rule count once) use the same indicator. */
export function countIndicators(rules: CorpusRule[]): void {
  const counts = otherGroupsUsing(rules, groupKey, (rule) => {
    const keys: number[] = [];
    for (let k = 0; k < rule.ind.length; k += IND_STRIDE) keys.push(rule.ind[k]!);
    return keys;
  });
  rules.forEach((rule, r) => (rule.counts = counts[r]));
}

/** sameAction: current rules sharing a provider and event, other platforms first. */
export function linkSameAction(rules: CorpusRule[]): void {
  // Group keys once per rule, not once per pair compared.
  const groupOf = new Map(rules.map((r) => [r, groupKey(r)]));
  const byEvent = new Map<string, CorpusRule[]>();
  for (const rule of rules) {
    if (!isCurrent(rule)) continue;
    for (const e of rule.events) {
      const key = `${e.provider}\u0000${e.event.toLowerCase()}`;
      const list = byEvent.get(key);
      if (list) list.push(rule);
      else byEvent.set(key, [rule]);
    }
  }
  for (const rule of rules) {
    const own = groupOf.get(rule);
    const found = new Map<string, CorpusRule>();
    for (const e of rule.events) {
      for (const other of byEvent.get(`${e.provider}\u0000${e.event.toLowerCase()}`) ?? []) {
        if (groupOf.get(other) !== own) found.set(other.id, other);
      }
    }
    rule.sameAction = [...found.values()]
      .sort(
        (a, b) =>
          Number(a.platform === rule.platform) - Number(b.platform === rule.platform) ||
          a.platform.localeCompare(b.platform) ||
          a.name.localeCompare(b.name),
      );
  }
}

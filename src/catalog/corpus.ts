import { createHash } from 'node:crypto';
import { otherGroupsUsing } from './group-counts.js';
import { IND_STRIDE, type SameActionLink } from './pass.js';
import type { DuplicateInfo, EventRef } from '../model/types.js';

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
  /**
   * Its sameAction links (sameActionOf) before its own copies are left out: one array of the rules
   * themselves, shared by the rules watching the same events on one platform (a catalog stores it
   * once: store/action-lists). A list per rule grew with the square of the corpus, in memory as on disk.
   */
  sameActionList?: readonly SameActionLink[];
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
  return compareVersions(b.version, a.version) || (b.updated ?? '').localeCompare(a.updated ?? '') || a.path.localeCompare(b.path);
}

function shortHash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 8);
}

function groupKey(rule: CorpusRule): string {
  return `${rule.platform}:${rule.nativeId}`;
}

/**
 * Give every rule a stable id, unique whatever the sources. Files that repeat a native id are all
 * kept: the newest copy takes `<platform>:<native id>`, the others add `@<hash of their path>`.
 * The user's own sources (`mine`) never take the id of a public rule: a public copy, when there is
 * one, keeps `<platform>:<native id>`, and the newest copy on each side is current, so neither
 * side's rule turns into an "older copy" hidden by the other. An id taken already (a native id
 * that looks like a copy's, or one file with two rules of one native id) gets `-2`, `-3` ...
 */
export function assignIds(rules: CorpusRule[], mine: ReadonlySet<string> = new Set()): void {
  const groups = new Map<string, CorpusRule[]>();
  for (const rule of rules) {
    const key = groupKey(rule);
    const group = groups.get(key);
    if (group) group.push(rule);
    else groups.set(key, [rule]);
  }
  const isMine = (rule: CorpusRule) => mine.has(rule.sourceName);
  const taken = new Set<string>();
  // The next suffix to try per id: a file repeating one native id thousands of times stays linear.
  const nextSuffix = new Map<string, number>();
  const claim = (id: string) => {
    let unique = id;
    let n = nextSuffix.get(id) ?? 2;
    while (taken.has(unique)) unique = `${id}-${n++}`;
    nextSuffix.set(id, n);
    taken.add(unique);
    return unique;
  };
  // Canonical ids first, so that no copy's id can take one.
  const copies: [string, CorpusRule[]][] = [];
  for (const [key, group] of groups) {
    if (group.length > 1) group.sort((a, b) => Number(isMine(a)) - Number(isMine(b)) || newestFirst(a, b));
    group[0]!.id = claim(key);
    if (group.length > 1) copies.push([key, group]);
  }
  for (const [key, group] of copies) {
    for (const rule of group.slice(1)) rule.id = claim(`${key}@${shortHash(`${rule.sourceName}/${rule.path}`)}`);
    const firstMine = group.findIndex(isMine);
    for (const rule of group) {
      const newest = rule === group[0] || (firstMine > 0 && rule === group[firstMine]);
      rule.duplicates = othersOf(group, rule, newest);
    }
  }
}

/**
 * A rule's copies as its duplicates list names them: every copy listing every other one grows with
 * the square of the copies (a hostile file repeating one native id ten thousand times: a hundred
 * million ids), so a long group lists its newest copies and says how many there are.
 */
export const maxDuplicateOthers = 50;

function othersOf(group: readonly CorpusRule[], rule: CorpusRule, newest: boolean): DuplicateInfo {
  const others: string[] = [];
  for (const r of group) {
    if (others.length === maxDuplicateOthers) break;
    if (r !== rule) others.push(r.id);
  }
  return group.length - 1 > others.length ? { others, newest, copies: group.length } : { others, newest };
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

const collator = new Intl.Collator();

/**
 * sameAction: current rules sharing a provider and event, other platforms first, then by
 * platform, name and id. Rules watching the same events on one platform share one sorted list
 * (most rules of a provider watch few events), each leaving out its own copies.
 */
export function linkSameAction(rules: CorpusRule[]): void {
  const eventKeys = (rule: CorpusRule) => [...new Set(rule.events.map((e) => `${e.provider}\u0000${e.event.toLowerCase()}`))];
  const byEvent = new Map<string, CorpusRule[]>();
  const keysOf = new Map<CorpusRule, string[]>();
  for (const rule of rules) {
    if (!rule.events.length) continue;
    const keys = eventKeys(rule);
    keysOf.set(rule, keys);
    if (!isCurrent(rule)) continue;
    for (const key of keys) {
      const list = byEvent.get(key);
      if (list) list.push(rule);
      else byEvent.set(key, [rule]);
    }
  }
  const sorted = new Map<string, CorpusRule[]>();
  for (const rule of rules) {
    const keys = keysOf.get(rule);
    if (!keys) {
      rule.sameActionList = undefined;
      continue;
    }
    const cacheKey = `${rule.platform}\u0001${[...keys].sort().join('\u0001')}`;
    let list = sorted.get(cacheKey);
    if (!list) {
      const found = new Set<CorpusRule>();
      for (const key of keys) for (const other of byEvent.get(key) ?? []) found.add(other);
      list = [...found].sort(
        (a, b) =>
          Number(a.platform === rule.platform) - Number(b.platform === rule.platform) ||
          collator.compare(a.platform, b.platform) ||
          collator.compare(a.name, b.name) ||
          (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      sorted.set(cacheKey, list);
    }
    rule.sameActionList = list;
  }
}

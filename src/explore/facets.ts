import { ruleCves } from '../analysis/cves.js';
import { ruleStories } from '../coverage/stories.js';
import type { TestsStatus } from '../evaluate/catalog-tests.js';
import type { Rule } from '../model/types.js';

export const facetNames = [
  'platform',
  'language',
  'severity',
  'tactic',
  'technique',
  'provider',
  'event',
  'source',
  'author',
  'cve',
  'story',
  'tests',
  'testresult',
] as const;
export type FacetName = (typeof facetNames)[number];

/** What the catalog knows of a rule beyond the rule: whether its stored tests pass (undefined: it has none). */
export type TestsStatusOf = (rule: Rule) => TestsStatus | undefined;

/** The values a rule has for a facet, each once. */
export function facetValues(rule: Rule, facet: FacetName, testsStatus: TestsStatusOf): string[] {
  return [...new Set(rawFacetValues(rule, facet, testsStatus))];
}

function rawFacetValues(rule: Rule, facet: FacetName, testsStatus: TestsStatusOf): string[] {
  switch (facet) {
    case 'platform':
      return [rule.platform];
    case 'language':
      return [rule.language];
    case 'severity':
      return [rule.severity];
    case 'tactic':
      return rule.attack.tactics.map((t) => t.id);
    case 'technique':
      return rule.attack.techniques.map((t) => t.id);
    case 'provider':
      return rule.events.map((e) => e.provider);
    case 'event':
      return rule.events.map((e) => `${e.provider}/${e.event}`);
    case 'source':
      return [rule.sourceName];
    case 'author':
      // As the rule writes each author: the facet lists people; `author:` in the search finds a part of one.
      return rule.authors;
    case 'cve':
      return ruleCves(rule);
    case 'story':
      // Splunk analytic stories, by name as /stories shows them.
      return ruleStories(rule);
    case 'tests':
      return [testsStatus(rule) ? 'yes' : 'no'];
    case 'testresult': {
      const status = testsStatus(rule);
      return status ? [status] : [];
    }
  }
}

/** When a rule last changed upstream, YYYY-MM-DD, and what says so (see changeDate). */
export interface ChangeDate {
  date: string;
  /** `git`: its file's last commit; `sync`: a sync saw it change (or come, or go); `rule`: its own updated/modified field; `file`: its file's modification time. */
  from: 'git' | 'sync' | 'rule' | 'file';
}

/** A date's day (YYYY-MM-DD), slashes read as dashes. */
export const day = (date: string) => date.slice(0, 10).replaceAll('/', '-');

/**
 * The latest of what is known of the rule's upstream changes: its file's last commit (a git work tree
 * with history), the changes syncs saw (not the first write's "added": that is the day of the build,
 * not of a change), its own `updated` field (written 2025/06/01 too); when none is known, its file's
 * modification time; undefined when nothing is.
 */
export function changeDate(rule: Rule): ChangeDate | undefined {
  let best: ChangeDate | undefined;
  const consider = (date: string | undefined, from: ChangeDate['from']) => {
    const d = date ? day(date) : '';
    if (/^\d{4}-\d\d-\d\d$/.test(d) && (!best || d > best.date)) best = { date: d, from };
  };
  if (rule.fileDate?.from === 'git') consider(rule.fileDate.date, 'git');
  for (const h of rule.history ?? []) if (h.change !== 'added' || h.sync > 1) consider(h.date, 'sync');
  consider(rule.updated, 'rule');
  if (!best && rule.fileDate?.from === 'file') consider(rule.fileDate.date, 'file');
  return best;
}

/** changeDate's day, or '' when none is known. */
export function lastChanged(rule: Rule): string {
  return changeDate(rule)?.date ?? '';
}

// What every MCP tool shares: the Explore filters as arguments, paging, compact rule references,
// answers as structured content with resource links, and errors that name the argument at fault.
import type { CallToolResult, ResourceLink } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { type ExploreQuery, facetNames, parseExploreQuery, sortNames } from '../explore/explore.js';
import type { Rule } from '../model/types.js';
import type { CatalogStore } from '../store/read.js';

/** Every tool only reads the catalog it was given: nothing outside it, nothing changed. */
export const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

/** One value or several (assistants often send a single string where a list is asked). */
const values = (what: string) =>
  z
    .union([z.string().max(300), z.array(z.string().max(300)).max(20)])
    .optional()
    .describe(`${what} (one value or a list: any of them)`);

/** The Explore filters, as `search_rules` and every coverage tool take them. */
export const filterShape = {
  query: z.string().max(500).optional().describe('full-text words (name, description, query, fields, values, tags)'),
  platform: values('platform ids: sentinel, elastic, sigma, splunk, chronicle, panther, defender-xdr'),
  language: values('query language ids: kql, kuery, eql, esql, lucene, sigma, spl, yaral, python, sql ...'),
  severity: values('severities as rules write them: low, medium, high, critical ...'),
  tactic: values('ATT&CK tactic ids (TA0004)'),
  technique: values('ATT&CK technique ids (T1134 or T1134.003)'),
  provider: values('log provider ids (okta, aws-cloudtrail, windows-security ...)'),
  event: values('provider/event names (okta/user.session.impersonation.initiate)'),
  source: values('source names (the folders the catalog was built from)'),
  author: values('authors exactly as rules name them (the query `author:part` finds a part of one)'),
  cve: values('CVE ids the rules name (CVE-2021-44228)'),
  story: values('Splunk analytic stories the rules name, by name'),
  tests: values('yes: rules with stored tests (Panther Tests:, Sigma regression samples); no: without'),
  testresult: values("pass, fail or unknown: how the rule's stored tests fare"),
  since: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'since must be YYYY-MM-DD')
    .optional()
    .describe('YYYY-MM-DD: only rules changed on or after that day'),
  duplicates: z.boolean().optional().describe('also older copies of a repeated native id'),
  removed: z.boolean().optional().describe('also rules gone upstream'),
};

/** The filters but those a tool takes as its own argument of the same name (a single technique, a provider). */
export function filtersWithout<K extends keyof typeof filterShape>(...names: K[]): Omit<typeof filterShape, K> {
  const shape: Partial<typeof filterShape> = { ...filterShape };
  for (const name of names) delete shape[name];
  return shape as Omit<typeof filterShape, K>;
}

type FilterArgs = { [K in keyof typeof filterShape]?: z.infer<(typeof filterShape)[K]> };

export const pagingShape = {
  page: z.number().int().min(1).max(100000).optional().describe('page number, from 1'),
  pageSize: z.number().int().min(1).max(100).optional().describe('items per page (default 10)'),
};

const defaultPageSize = 10;

/** The same URL parameters /api/rules and /api/coverage/* read, so that a tool and the API agree on a question. */
export function filterParams(args: FilterArgs & { sort?: string; page?: number; pageSize?: number }): URLSearchParams {
  const params = new URLSearchParams();
  if (args.query) params.set('q', args.query);
  for (const facet of facetNames) {
    const given = args[facet];
    for (const v of typeof given === 'string' ? [given] : (given ?? [])) params.append(facet, v);
  }
  if (args.since) params.set('since', args.since);
  if (args.duplicates) params.set('duplicates', '1');
  if (args.removed) params.set('removed', '1');
  if (args.sort) params.set('sort', args.sort);
  if (args.page) params.set('page', String(args.page));
  params.set('size', String(args.pageSize ?? defaultPageSize));
  return params;
}

export function exploreQueryOf(args: FilterArgs & { sort?: string; page?: number; pageSize?: number }): ExploreQuery {
  return parseExploreQuery(filterParams(args));
}

export const sortSchema = z.enum(sortNames).optional().describe('relevance (default), name, updated or severity');

/** A rule as a list names it: enough to tell it and to ask for it. */
export interface RuleRef {
  id: string;
  name: string;
  platform: string;
}

export const ruleRefSchema = z.object({ id: z.string(), name: z.string(), platform: z.string() });

export function ruleRef(rule: Pick<Rule, 'id' | 'name' | 'platform'>): RuleRef {
  return { id: rule.id, name: rule.name, platform: rule.platform };
}

/** The resource of a rule (its JSON); the web UI shows the same rule at /rules/<id>. */
function ruleUri(id: string): string {
  return `ruleatlas://rules/${encodeURIComponent(id)}`;
}

function ruleLink(rule: RuleRef): ResourceLink {
  return { type: 'resource_link', uri: ruleUri(rule.id), name: rule.name };
}

/** A tool's answer: the structured value, its JSON as text (clients without structured content), a link per rule named. */
export function answer(value: Record<string, unknown>, rules: readonly RuleRef[] = []): CallToolResult {
  const seen = new Set<string>();
  const links = rules.filter((r) => !seen.has(r.id) && seen.add(r.id)).map(ruleLink);
  const text = JSON.stringify(value);
  // Structured content as it will travel (no undefined members), whatever the transport.
  return { structuredContent: JSON.parse(text) as Record<string, unknown>, content: [{ type: 'text', text }, ...links] };
}

/** A bad argument: the message starts with the argument's name, so that the assistant can correct it. */
export class ArgumentError extends Error {
  constructor(argument: string, problem: string) {
    super(`${argument}: ${problem}`);
  }
}

/**
 * The rule a selector names (id, native id, or path, as `show` takes it): the newest copy when
 * several files repeat a native id; other copies are listed by the caller if it wants.
 */
export function resolveRule(store: CatalogStore, selector: string, argument = 'rule'): { rule: Rule; others: Rule[] } {
  const matches = store.select(selector.trim());
  if (!matches.length)
    throw new ArgumentError(argument, `no rule has the id, native id or path "${selector}" (search_rules finds rules by words)`);
  const rule = matches.find((r) => !r.removed && (!r.duplicates || r.duplicates.newest)) ?? matches[0]!;
  return { rule, others: matches.filter((r) => r !== rule) };
}

/** One page of a list, and how many there are. */
export function pageOf<T>(items: readonly T[], page = 1, pageSize = defaultPageSize): { total: number; page: number; items: T[] } {
  const start = (page - 1) * pageSize;
  return { total: items.length, page, items: items.slice(start, start + pageSize) };
}

/** A text cut to `max` characters, saying so. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Which parts of a detailed answer were asked for (`all` is every part). */
export function wants<T extends string>(include: readonly T[] | undefined, part: T): boolean {
  return !!include && (include.includes(part) || include.includes('all' as T));
}

import {
  type ExploreOptions,
  type ExploreQuery,
  type ExploreResult,
  type FacetName,
  type FacetValue,
  facetNames,
  naturalDirection,
  sortNames,
} from '../../explore/explore.js';
import type { Rule } from '../../model/types.js';
import type { BuildReport } from '../../report/report.js';
import { formatCount, languageBadge, olderCopyBadge, platformBadge, removedBadge, plural, severityBadge, snippet } from '../components.js';
import type { WebContext } from '../context.js';
import { html, type HtmlValue, oneByteHtml, type SafeHtml } from '../html.js';
import { facetTitles } from '../labels.js';
import { layout } from '../layout.js';
import { addedValueHrefs, exploreParams, exploreUrl, facetUrl, moreHrefs, ruleUrl, toggleFacetUrl } from '../urls.js';
import { changeDateLabel } from '../change-date.js';
import { coverageLinks } from './coverage-links.js';
import { searchFields } from '../../explore/search-fields.js';
import { markTerms, type MarkTerm } from '../../explore/search.js';
import { markedText, snippetAround } from '../mark-terms.js';
import { exploreIndex } from '../../explore/index.js';

const sortLabels: Record<ExploreQuery['sort'], string> = {
  relevance: 'Relevance',
  name: 'Name',
  updated: 'Recently updated',
  severity: 'Severity',
};

/** Each order's two directions, its own first (sent as no `dir`, so that changing the order starts from its own direction). */
const directionLabels: Record<Exclude<ExploreQuery['sort'], 'relevance'>, Record<'asc' | 'desc', string>> = {
  name: { asc: 'A to Z', desc: 'Z to A' },
  updated: { desc: 'Newest first', asc: 'Oldest first' },
  severity: { desc: 'Most severe first', asc: 'Least severe first' },
};

function directionSelect(query: ExploreQuery): SafeHtml | '' {
  if (query.sort === 'relevance') return '';
  const own = naturalDirection[query.sort];
  const other = own === 'asc' ? 'desc' : 'asc';
  const labels = directionLabels[query.sort];
  return html`<label class="sort"><span>Order</span>
    <select name="dir" data-autosubmit><option value="">${labels[own]}</option><option value="${other}"${query.dir === other ? html` selected` : ''}>${labels[other]}</option></select>
  </label>`;
}

/**
 * Values a facet lists before its "more" link; the link opens the page again with every value of that
 * facet (`more=<facet>`). Every Explore page carries the sidebar: thirteen facets of up to 150 values
 * each were two thirds of a page's bytes and a quarter of its rendering.
 */
const facetShown = 8;
/**
 * The sidebar's order: after the platform, what a rule watches (provider, event, log source), so that
 * these are in view without scrolling at 1,280 × 900 (issue #14 item 9); then the rest.
 */
const sidebarFirst: readonly FacetName[] = ['platform', 'provider', 'event', 'source'];
const sidebarOrder = [...sidebarFirst, ...facetNames.filter((f) => !sidebarFirst.includes(f))];
/** What explore() is asked for: the values the sidebar shows (the facet opened with `more`: all of them). */
export function exploreOptions(query: ExploreQuery): ExploreOptions {
  return { facetLimit: facetShown, ...(query.more ? { facetLimits: { [query.more]: Number.MAX_SAFE_INTEGER } } : {}) };
}

/**
 * Facet counts for the sidebar. A facet with an active filter counts over the rules that match
 * every other filter, so that more values of the same facet can be added (OR within a facet).
 */
function sidebarFacets(result: ExploreResult): Record<FacetName, { values: FacetValue[]; total: number }> {
  const out = {} as Record<FacetName, { values: FacetValue[]; total: number }>;
  for (const facet of facetNames) {
    const choices = result.facetChoices[facet];
    out[facet] = choices
      ? { values: choices, total: result.facetChoiceTotals[facet] ?? choices.length }
      : { values: result.facets[facet], total: result.facetTotals[facet] };
  }
  return out;
}

/** An unselected option's markup around its href, label and count (see facetBlock). */
const optionOpen = html`<li><a class="facet-opt" href="`;
const optionLabel = html`" rel="nofollow"><span class="label">`;
const optionCount = html`</span><span class="count">`;
const optionClose = html`</span></a></li>`;

/** What each facet's block links to, built once per page (see urls.ts). */
interface SidebarHrefs {
  add: (facet: FacetName) => { head: SafeHtml; tail: SafeHtml };
  more: (facet: FacetName) => SafeHtml;
}

/**
 * The sidebar list of a facet: the values selected, then the most frequent (`values`, as explore()
 * orders them), `total` how many there are; all of them when the facet is the one opened (`more`),
 * else the first `facetShown` and a link that opens it. Appended to `out` as pieces, joined once
 * with the whole sidebar: a template per option (a hundred per page) was a third of a page's garbage.
 */
function facetBlock(
  ctx: WebContext,
  query: ExploreQuery,
  hrefs: SidebarHrefs,
  facet: FacetName,
  values: FacetValue[],
  total: number,
  out: HtmlValue[],
): void {
  const active = query.filters[facet] ?? [];
  if (values.length === 0) return;
  // Selected values first, then by count (as explore orders them; it lists the selected ones whatever their count).
  const list = active.length ? [...values].sort((a, b) => Number(active.includes(b.value)) - Number(active.includes(a.value))) : values;
  const { head, tail } = hrefs.add(facet);
  const open = query.more === facet;
  // The selected values are listed whatever their count, so the list can hold more than `total`.
  const count = Math.max(total, list.length);
  const shown = open ? list.length : Math.min(list.length, Math.max(facetShown, active.length));
  out.push(
    html`<section class="facet" aria-label="${facetTitles[facet]}"${open ? html` id="more"` : ''}>
<h3>${facetTitles[facet]}${active.length ? html` <a class="clear" href="${exploreUrl(query, { filters: { ...query.filters, [facet]: [] }, page: 1 })}">clear</a>` : ''}</h3>
<ul>`,
  );
  // Markup kept to what differs per value: the sidebar lists a hundred of them on every page. The
  // check box is drawn by CSS (`.facet-opt::before`) and the label is shown whole, so neither a box
  // element nor a title repeating the label is sent per value.
  for (let k = 0; k < shown; k++) {
    const v = list[k]!;
    if (active.includes(v.value))
      out.push(
        html`<li><a class="facet-opt on" href="${toggleFacetUrl(query, facet, v.value)}" rel="nofollow"><span class="label"><span class="sr-only">Selected: </span>${ctx.labels.facetLabelHtml(facet, v.value)}</span><span class="count">${formatCount(v.count)}</span></a></li>`,
      );
    else
      out.push(
        optionOpen,
        head,
        ctx.labels.facetValueQueryHtml(facet, v.value),
        tail,
        optionLabel,
        ctx.labels.facetLabelHtml(facet, v.value),
        optionCount,
        formatCount(v.count),
        optionClose,
      );
  }
  const more = open
    ? html`<a class="facet-more" href="${exploreUrl(query, { more: undefined })}" rel="nofollow">Fewer values</a>`
    : count > shown
      ? html`<a class="facet-more" href="${hrefs.more(facet)}#more" rel="nofollow" aria-label="${facetTitles[facet]}: ${plural(count - shown, 'more value')}">${plural(count - shown, 'more value')}</a>`
      : '';
  out.push(html`</ul>
${more}
</section>`);
}

/** The sidebar's facet blocks, as one list of pieces. */
function facetBlocks(ctx: WebContext, query: ExploreQuery, result: ExploreResult): HtmlValue[] {
  const facets = sidebarFacets(result);
  const hrefs: SidebarHrefs = { add: addedValueHrefs(query), more: moreHrefs(query) };
  const out: HtmlValue[] = [];
  for (const f of sidebarOrder) facetBlock(ctx, query, hrefs, f, facets[f].values, facets[f].total, out);
  return out;
}

function activeChips(ctx: WebContext, query: ExploreQuery): SafeHtml | '' {
  const chips: SafeHtml[] = [];
  for (const facet of facetNames) {
    for (const value of query.filters[facet] ?? []) {
      chips.push(
        html`<a class="chip" href="${toggleFacetUrl(query, facet, value)}" rel="nofollow" title="Remove this filter"><span class="chip-k">${facetTitles[facet]}:</span> ${ctx.labels.facetLabel(facet, value)} <span aria-hidden="true">×</span></a>`,
      );
    }
  }
  for (const kind of ['indicator', 'canonical'] as const)
    for (const value of query[kind] ?? [])
      chips.push(
        html`<a class="chip" href="${exploreUrl(query, { [kind]: query[kind]!.filter((v) => v !== value), page: 1 })}" rel="nofollow" title="Remove this filter"><span class="chip-k">${kind === 'canonical' ? 'Canonical indicator' : 'Indicator'}:</span> ${indicatorLabel(value)} <span aria-hidden="true">×</span></a>`,
      );
  if (!chips.length) return '';
  return html`<div class="chips">${chips}<a class="chip-clear" href="${exploreUrl(query, { filters: {}, indicator: [], canonical: [], page: 1 })}">Clear filters</a></div>`;
}

/** `field|op|value` as the indicator table writes it: field, op (`not` for `!`), value. */
function indicatorLabel(filter: string): string {
  const [field = '', op = '', ...value] = filter.split('|');
  return `${field} ${op.startsWith('!') ? `not ${op.slice(1)}` : op} ${value.join('|')}`;
}

/** A result row: kept per rule when nothing is marked in it (the same in every answer), made per search when terms are. */
function resultItem(ctx: WebContext, rule: Rule, terms: readonly MarkTerm[], termsKey: string): SafeHtml {
  // Marked rows are kept too, by their terms (the same LRU, bounded in bytes): paging or filtering a search repeats them.
  const key = terms.length ? `${termsKey}\u0000${rule.id}` : rule.id;
  let row = ctx.resultRows.get(key);
  // One-byte form: a row cut from a name or description that held a character above U+00FF would make the whole page two-byte.
  if (!row) ctx.resultRows.set(key, (row = oneByteHtml(resultRow(ctx, rule, terms))));
  return row;
}

function resultRow(ctx: WebContext, rule: Rule, terms: readonly MarkTerm[]): SafeHtml {
  const techniques = rule.attack.techniques.slice(0, 8);
  const description = terms.length
    ? markedText(snippetAround(rule.description.replace(/\s+/g, ' ').trim(), terms), terms)
    : snippet(rule.description);
  return html`<li class="result">
<h3><a href="${ruleUrl(rule.id)}">${markedText(rule.name || rule.nativeId, terms)}</a></h3>
<div class="badges">${platformBadge(rule.platform)}${languageBadge(rule.language)}${severityBadge(rule.severity)}${olderCopyBadge(rule)}${removedBadge(rule)} ${changeDateLabel(rule)}</div>
${rule.description ? html`<p class="desc">${description}</p>` : ''}
${
  techniques.length
    ? html`<div class="techs">${techniques.map((t) => html`<a class="tech" href="${facetUrl('technique', t.id)}" title="${ctx.labels.facetLabelHtml('technique', t.id)}">${t.id}</a>`)}${rule.attack.techniques.length > techniques.length ? html`<span class="muted small">+${rule.attack.techniques.length - techniques.length}</span>` : ''}</div>`
    : ''
}
</li>`;
}

function pager(query: ExploreQuery, result: ExploreResult): SafeHtml | '' {
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  // Past the last page the message above the list says so and links back.
  if ((pages <= 1 && result.page <= 1) || result.page > pages) return '';
  const prev =
    result.page > 1
      ? html`<a class="btn" rel="prev" href="${exploreUrl(query, { page: Math.min(result.page - 1, pages) })}">&larr; Previous</a>`
      : html`<span class="btn disabled">&larr; Previous</span>`;
  const next =
    result.page < pages
      ? html`<a class="btn" rel="next" href="${exploreUrl(query, { page: result.page + 1 })}">Next &rarr;</a>`
      : html`<span class="btn disabled">Next &rarr;</span>`;
  return html`<nav class="pager" aria-label="Pages">${prev}<span class="muted">Page ${formatCount(result.page)} of ${formatCount(pages)}</span>${next}</nav>`;
}

/** /api/export for every rule of the current query: paging is dropped, the rest is kept. */
export function exportUrl(query: ExploreQuery, format: string): string {
  const params = exploreParams({ ...query, page: 1, pageSize: 25 });
  return `/api/export?${new URLSearchParams([['format', format], ...params]).toString()}`;
}

function exportLinks(query: ExploreQuery): SafeHtml {
  // exportUrl for each format, the query's parameters encoded once (format names need no encoding).
  const params = exploreParams({ ...query, page: 1, pageSize: 25 }).toString();
  const rest = html`${params ? `&${params}` : ''}`;
  return html`<p class="muted small export-links">Export <a href="/api/export?format=json${rest}" rel="nofollow" download>JSON</a> · <a href="/api/export?format=csv${rest}" rel="nofollow" download>CSV</a> · <a href="/api/export?format=navigator${rest}" rel="nofollow" download>Navigator layer</a></p>
${coverageLinks(query)}`;
}

function reportSummary(report: BuildReport): SafeHtml | '' {
  if (!report || typeof report.rules !== 'number') return '';
  let analysed = 0;
  let parsed = 0;
  for (const l of Object.values(report.languages ?? {})) {
    analysed += l.rules - l.notAnalysed;
    parsed += l.parsed;
  }
  const pct = analysed ? `${((100 * parsed) / analysed).toFixed(1)}% of analysed queries parsed` : 'no analysed queries';
  return html`<section class="facet report-box">
<h3>Catalog</h3>
<p>${plural(report.rules, 'rule')} from ${plural(report.files, 'file')}; ${pct}.</p>
<p><a href="/report">Build report &rarr;</a></p>
</section>`;
}

/** Examples of the search syntax (explore/search-syntax.peggy), each a link that runs it. */
const searchExamples: [string, string][] = [
  ['okta impersonation', 'both words (or words starting so)'],
  ['"session start"', 'the phrase'],
  ['okta OR azure', 'either word'],
  ['okta -impersonation', 'okta, without impersonation (also NOT impersonation)'],
  ['(okta OR azure) mfa', 'brackets group'],
  ['author:roth', 'a part of an author (the Author filter lists them whole)'],
  ['id:cdbebdc1*', 'an id or native id (a value ending in * is a prefix)'],
  ['platform:elastic language:eql', 'a platform (id or name) and a query language'],
  ['technique:T1059 platform:sigma', 'a technique and its sub-techniques, on one platform'],
  ['tactic:"defense evasion"', 'a tactic by name or id (TA0005)'],
  ['event:okta/user.session.*', 'events starting so (a value ending in * is a prefix)'],
  ['field:process.name tag:okta', 'a field a rule tests; a part of a tag'],
];

/** The same on every Explore page: made once (its twelve example links were a few percent of a page). */
let searchHelpHtml: SafeHtml | undefined;

function searchHelp(): SafeHtml {
  return (searchHelpHtml ??= html`<details class="search-help"><summary>Search syntax</summary><div class="search-help-body">
<p>Words find rules whose name, description, query, fields, values, tags or ATT&amp;CK names hold them (a word finds longer words starting with it). An id, native id, file name or path finds its rule first.</p>
<dl>${searchExamples.map(([q, what]) => html`<dt><a href="/?${new URLSearchParams({ q }).toString()}"><code>${q}</code></a></dt><dd>${what}</dd>`)}</dl>
<p class="muted small">OR, AND and NOT are written in capitals. Fields: ${searchFields.join(', ')}.</p>
</div></details>`);
}

export function renderExplore(ctx: WebContext, query: ExploreQuery, result: ExploreResult): string {
  // The words and phrases the search looked for, marked in each result's name and description.
  const terms = markTerms(query.q);
  const termsKey = JSON.stringify(terms);
  const hidden = [
    ...facetNames.flatMap((facet) => (query.filters[facet] ?? []).map((v) => html`<input type="hidden" name="${facet}" value="${v}">`)),
    ...(['indicator', 'canonical'] as const).flatMap((kind) =>
      (query[kind] ?? []).map((v) => html`<input type="hidden" name="${kind}" value="${v}">`),
    ),
  ];
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const body = html`<div class="explore">
<form class="search" method="get" action="/" role="search">
  <input type="search" name="q" value="${query.q}" placeholder="Search names, descriptions, queries, fields, values, techniques&hellip;" aria-label="Search rules" id="q">
  ${hidden}
  ${query.duplicates ? html`<input type="hidden" name="duplicates" value="1">` : ''}
  ${query.removed ? html`<input type="hidden" name="removed" value="1">` : ''}
  ${query.pageSize !== 25 ? html`<input type="hidden" name="size" value="${query.pageSize}">` : ''}
  <label class="sort"><span>Changed since</span><input type="date" name="since" value="${query.since ?? ''}" aria-label="Only rules changed or updated since"></label>
  <label class="sort"><span>Sort</span>
    <select name="sort" data-autosubmit>${sortNames.map((s) => html`<option value="${s}"${s === query.sort ? html` selected` : ''}>${sortLabels[s]}</option>`)}</select>
  </label>
  ${directionSelect(query)}
  <button type="submit" class="btn primary">Search</button>
  ${searchHelp()}
</form>
${activeChips(ctx, query)}
<div class="explore-grid">
<aside class="facets" aria-label="Filters">
${facetBlocks(ctx, query, result)}
<section class="facet">
<h3>Copies</h3>
<ul><li><a class="facet-opt${query.duplicates ? ' on' : ''}" rel="nofollow" href="${exploreUrl(query, { duplicates: !query.duplicates, page: 1 })}"><span class="label">${query.duplicates ? html`<span class="sr-only">Selected: </span>` : ''}Include older copies of repeated rules</span></a></li>${
    exploreIndex(ctx.store).anyRemoved
      ? html`<li><a class="facet-opt${query.removed ? ' on' : ''}" rel="nofollow" href="${exploreUrl(query, { removed: !query.removed, page: 1 })}"><span class="label">${query.removed ? html`<span class="sr-only">Selected: </span>` : ''}Include rules removed upstream</span></a></li>`
      : ''
  }</ul>
</section>
${reportSummary(ctx.store.report)}
</aside>
<section class="results" aria-label="Results">
<div class="results-head"><h2 class="count">${plural(result.total, 'rule')}</h2>${pages > 1 && result.page <= pages ? html`<span class="muted">page ${formatCount(result.page)} of ${formatCount(pages)}</span>` : ''}</div>
${result.error !== undefined ? html`<p class="search-error" role="alert"><strong>This search cannot be run.</strong> ${result.error}</p>` : ''}
${
  result.total && result.page > pages
    ? html`<p class="search-error" role="alert">Page ${formatCount(result.page)} is past the last page of these results (${formatCount(pages)}): <a href="${exploreUrl(query, { page: pages })}">go to page ${formatCount(pages)}</a>.</p>`
    : ''
}
${
  result.items.length
    ? html`<ol class="result-list">${result.items.map((r) => resultItem(ctx, r, terms, termsKey))}</ol>`
    : result.error !== undefined || result.total
      ? ''
      : html`<div class="empty"><p>No rules match${query.q ? html` &ldquo;${query.q}&rdquo;` : ''}.</p><p><a href="/">Start over</a></p></div>`
}
${pager(query, result)}
${result.total ? exportLinks({ ...query, more: undefined }) : ''}
</section>
</div>
</div>`;
  const title = query.q ? `“${query.q}”` : 'Explore detection rules';
  return layout(ctx.assets, { title, nav: 'explore', body }).toString();
}

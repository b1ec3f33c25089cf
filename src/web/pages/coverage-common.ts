// What every coverage page shares: the view tabs, the active Explore filters, platform pickers, export links.
import { type ExploreQuery, facetNames } from '../../explore/explore.js';
import { heatLegend } from '../../coverage/platforms.js';
import { formatCount, plural } from '../components.js';
import type { WebContext } from '../context.js';
import { type CoverageParams, coverageSearch, coverageUrl, filtersOnly } from '../coverage-params.js';
import type { PageLinks, Paging } from '../coverage-paging.js';
import { html, type HtmlValue, type SafeHtml } from '../html.js';
import { facetTitles, platformName } from '../labels.js';
import { layout } from '../layout.js';
import { exploreUrl } from '../urls.js';

type CoverageView = 'matrix' | 'providers' | 'indicators' | 'compare' | 'visibility';

const views: { id: CoverageView; path: string; title: string }[] = [
  { id: 'matrix', path: '/coverage/matrix', title: 'ATT&CK matrix' },
  { id: 'providers', path: '/coverage/providers', title: 'Providers' },
  { id: 'indicators', path: '/coverage/indicators', title: 'Indicators' },
  { id: 'compare', path: '/coverage/compare', title: 'Compare platforms' },
  { id: 'visibility', path: '/coverage/visibility', title: 'Visibility' },
];

/** Explore with the view's filters and some changes (a technique, an event, a platform ...). */
export function exploreWith(query: ExploreQuery, filters: Partial<ExploreQuery['filters']>): string {
  return exploreUrl(query, { filters: { ...query.filters, ...filters }, page: 1 });
}

/** Hidden inputs that keep a state through a GET form, minus the parameters the form itself sets. */
export function hiddenInputs(p: CoverageParams, except: readonly string[]): SafeHtml[] {
  return [...coverageSearch(p)].filter(([k]) => !except.includes(k)).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
}

function filterChips(ctx: WebContext, p: CoverageParams, path: string): SafeHtml {
  const chips: SafeHtml[] = [];
  if (p.query.q)
    chips.push(
      html`<a class="chip" href="${coverageUrl(path, p, { query: { ...p.query, q: '' } })}" rel="nofollow" title="Remove this filter"><span class="chip-k">Search:</span> ${p.query.q} <span aria-hidden="true">×</span></a>`,
    );
  for (const facet of facetNames) {
    for (const value of p.query.filters[facet] ?? []) {
      const filters = { ...p.query.filters, [facet]: (p.query.filters[facet] ?? []).filter((v) => v !== value) };
      chips.push(
        html`<a class="chip" href="${coverageUrl(path, p, { query: { ...p.query, filters } })}" rel="nofollow" title="Remove this filter"><span class="chip-k">${facetTitles[facet]}:</span> ${ctx.labels.facetLabel(facet, value)} <span aria-hidden="true">×</span></a>`,
      );
    }
  }
  if (p.query.since)
    chips.push(
      html`<a class="chip" href="${coverageUrl(path, p, { query: { ...p.query, since: undefined } })}" rel="nofollow"><span class="chip-k">Since:</span> ${p.query.since} <span aria-hidden="true">×</span></a>`,
    );
  return html`<div class="chips cov-filters">${chips.length ? chips : html`<span class="muted small">All rules (newest copies, no removed rules).</span>`}<a class="chip-clear" href="${exploreUrl(p.query)}">${chips.length ? 'Edit filters in Explore' : 'Filter in Explore'}</a></div>`;
}

export interface ShellOptions {
  view: CoverageView;
  title: string;
  /** The path filter chips and the tabs keep (a provider page keeps its provider). */
  path: string;
  lead: HtmlValue;
  body: HtmlValue;
  exports: HtmlValue;
}

export function coverageShell(ctx: WebContext, p: CoverageParams, o: ShellOptions): string {
  const carry = filtersOnly(p);
  const body = html`<div class="coverage">
<h1>Coverage</h1>
<nav class="tabs" aria-label="Coverage views">${views.map((v) => html`<a href="${coverageUrl(v.path, v.id === o.view ? p : carry)}"${v.id === o.view ? html` aria-current="page"` : ''}>${v.title}</a>`)}</nav>
${filterChips(ctx, p, o.path)}
<p class="lead">${o.lead}</p>
${o.body}
<p class="muted small export-links">${o.exports}</p>
</div>`;
  return layout(ctx.assets, { title: o.title, nav: 'coverage', body }).toString();
}

/** Checkboxes choosing the platforms shown side by side (GET form, no script needed). */
export function platformPicker(p: CoverageParams, path: string, platforms: readonly string[], extra: HtmlValue = ''): SafeHtml {
  return html`<form class="cov-form" method="get" action="${path}">
${hiddenInputs(p, ['compare', 'covered', 'gaps'])}
<fieldset><legend>Compare platforms</legend>${platforms.map(
    (id) =>
      html`<label><input type="checkbox" name="compare" value="${id}"${p.compare.includes(id) ? html` checked` : ''}> ${platformName(id)}</label>`,
  )}</fieldset>
${extra}
<button type="submit" class="btn">Show</button>
</form>`;
}

export function legend(max: number): SafeHtml {
  return html`<div class="legend" aria-label="Colour legend"><span class="muted small">Rules per cell:</span> <span class="lg"><span class="sw h0"></span>0</span>${heatLegend(
    max,
  ).map((s) => html`<span class="lg"><span class="sw h${s.level}"></span>${s.from === s.to ? s.from : `${s.from}–${s.to}`}</span>`)}</div>`;
}

export function count(n: number): string {
  return formatCount(n);
}

export { plural };

/** Where a paged view is: its page, how many, and the links to the pages beside it. */
export interface CoveragePaging {
  paging: Paging;
  pages: number;
  links: PageLinks;
}

/** Previous and next of a paged view; nothing when there is one page and this is it. */
export function coveragePager({ paging, pages, links }: CoveragePaging): SafeHtml | '' {
  if (pages <= 1 && paging.page <= 1) return '';
  const link = (href: string | null, label: string, rel: string) =>
    href ? html`<a class="btn" rel="${rel}" href="${href}">${label}</a>` : html`<span class="btn disabled">${label}</span>`;
  return html`<nav class="pager" aria-label="Pages">${link(links.prev, '← Previous', 'prev')}<span class="muted">Page ${formatCount(paging.page)} of ${formatCount(pages)}</span>${link(links.next, 'Next →', 'next')}</nav>`;
}

/** A URL with the page's place added (the page past the first, a limit the request named). */
export function withPaging(url: string, paging: Paging): string {
  const extra = new URLSearchParams();
  if (paging.page > 1) extra.set('page', String(paging.page));
  if (paging.explicitLimit) extra.set('limit', String(paging.limit));
  const text = extra.toString();
  return text ? `${url}${url.includes('?') ? '&' : '?'}${text}` : url;
}

/** A coverage API URL with a download format. */
export function apiUrl(path: string, p: CoverageParams, format: 'csv' | 'json' | 'layer'): string {
  const url = coverageUrl(path, p);
  return `${url}${url.includes('?') ? '&' : '?'}format=${format}`;
}

// Platform A against platform B: techniques, events and indicators each covers alone, and shared ones.
import type { CompareItem, CompareSection, PlatformComparison } from '../../coverage/compare.js';
import type { ExploreQuery } from '../../explore/explore.js';
import type { WebContext } from '../context.js';
import type { CoverageParams } from '../coverage-params.js';
import { html, type SafeHtml } from '../html.js';
import { platformName } from '../labels.js';
import { exploreHrefs } from '../urls.js';
import { apiUrl, count, type CoveragePaging, coveragePager, coverageShell, hiddenInputs, plural, withPaging } from './coverage-common.js';

type Kind = 'technique' | 'event' | 'indicator';

/**
 * Where the items of a list lead, as attribute markup: Explore on that technique or event for the
 * platform; an indicator's value as a search (exploreHrefs: the URL around the item built once per list).
 */
function itemHrefs(query: ExploreQuery, kind: Kind, platform: string): (item: CompareItem) => SafeHtml {
  const filters = { ...query.filters, platform: [platform] };
  if (kind === 'indicator') {
    const href = exploreHrefs(query, (q) => ({ filters, q }));
    return (item) => href(item.indicator?.value ?? '');
  }
  const facet = kind === 'technique' ? 'technique' : 'event';
  const href = exploreHrefs(query, (value) => ({ filters: { ...filters, [facet]: [value] } }));
  return (item) => href(item.key);
}

function itemList(
  query: ExploreQuery,
  kind: Kind,
  items: CompareItem[],
  total: number,
  sides: { a: string; b: string },
  show: 'a' | 'b' | 'both',
  offset: number,
): SafeHtml {
  if (!items.length) return html`<p class="muted small">${offset && total ? 'None on this page.' : 'None.'}</p>`;
  const hrefs = { a: itemHrefs(query, kind, sides.a), b: itemHrefs(query, kind, sides.b) };
  const names = { a: platformName(sides.a), b: platformName(sides.b) };
  const link = (item: CompareItem, side: 'a' | 'b') =>
    html`<a href="${hrefs[side](item)}" title="${names[side]}: ${plural(item[side], 'rule')}">${count(item[side])}</a>`;
  // A later page numbers its items on from the pages before it.
  return html`<ol class="cmp-list"${offset ? html` start="${offset + 1}"` : ''}>${items.map(
    (item) =>
      html`<li><span class="cmp-label">${kind === 'technique' ? html`<span class="mx-id">${item.key}</span> ` : ''}${kind === 'indicator' ? html`<code class="wrap-any">${item.label}</code>${item.indicator?.canonical ? html` <span class="badge" title="Canonical indicator">canonical</span>` : ''}` : kind === 'technique' ? (item.label === item.key ? '' : item.label) : item.label}</span> <span class="cmp-n">${show === 'both' ? html`${link(item, 'a')} / ${link(item, 'b')}` : link(item, show)}</span></li>`,
  )}</ol>${
    offset
      ? html`<p class="muted small">${count(offset + 1)} to ${count(offset + items.length)} of ${count(total)} shown.</p>`
      : total > items.length
        ? html`<p class="muted small">${count(items.length)} of ${count(total)} shown; the CSV has them all.</p>`
        : ''
  }`;
}

function compareSection(
  query: ExploreQuery,
  kind: Kind,
  title: string,
  s: CompareSection,
  c: PlatformComparison,
  offset: number,
): SafeHtml {
  const a = platformName(c.a);
  const b = platformName(c.b);
  return html`<section class="card cmp" id="cmp-${kind}" aria-labelledby="cmp-${kind}-h"><h2 id="cmp-${kind}-h">${title}</h2>
<div class="cmp-grid">
<div class="cmp-col only-a"><h3>Only ${a} <span class="muted small">${count(s.totals.onlyA)}</span></h3>${itemList(query, kind, s.onlyA, s.totals.onlyA, c, 'a', offset)}</div>
<div class="cmp-col only-b"><h3>Only ${b} <span class="muted small">${count(s.totals.onlyB)}</span></h3>${itemList(query, kind, s.onlyB, s.totals.onlyB, c, 'b', offset)}</div>
<div class="cmp-col shared"><h3>Both <span class="muted small">${count(s.totals.shared)} · rules ${a} / ${b}</span></h3>${itemList(query, kind, s.shared, s.totals.shared, c, 'both', offset)}</div>
</div></section>`;
}

export function renderCompare(
  ctx: WebContext,
  p: CoverageParams,
  c: PlatformComparison,
  platforms: readonly string[],
  paged: CoveragePaging,
): string {
  const path = '/coverage/compare';
  const select = (name: 'a' | 'b', current: string) =>
    html`<label>${name === 'a' ? 'Platform A' : 'Platform B'} <select name="${name}" aria-label="${name === 'a' ? 'Platform A' : 'Platform B'}">${platforms.map((id) => html`<option value="${id}"${id === current ? html` selected` : ''}>${platformName(id)}</option>`)}</select></label>`;
  const form = html`<form class="cov-form" method="get" action="${path}">
${hiddenInputs(p, ['a', 'b'])}
${select('a', c.a)} ${select('b', c.b)}
<button type="submit" class="btn">Compare</button>
</form>`;
  const query = p.query;
  const offset = (paged.paging.page - 1) * paged.paging.limit;
  const body =
    c.a && c.b
      ? html`${form}
${compareSection(query, 'technique', 'ATT&CK techniques', c.techniques, c, offset)}
${compareSection(query, 'event', 'Provider events', c.events, c, offset)}
${compareSection(query, 'indicator', 'Indicators (canonical where known, else as written)', c.indicators, c, offset)}${coveragePager(paged)}`
      : html`${form}<div class="empty"><p>Comparing needs rules of two platforms in this set.</p></div>`;
  return coverageShell(ctx, p, {
    view: 'compare',
    title: `Compare ${platformName(c.a)} and ${platformName(c.b)}`,
    path,
    lead: html`${platformName(c.a)} (${plural(c.rulesA, 'rule')}) against ${platformName(c.b)} (${plural(c.rulesB, 'rule')}); every Explore filter but the platform applies. Counts are rules; each opens them in Explore.`,
    body,
    exports: html`Export <a href="${apiUrl('/api/coverage/compare', { ...p, a: c.a, b: c.b }, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${withPaging(apiUrl('/api/coverage/compare', { ...p, a: c.a, b: c.b }, 'json'), paged.paging)}" rel="nofollow" download>JSON</a>`,
  });
}

// Provider coverage: the providers index, and one provider's events by platform with the gaps marked.
import { platformsOf } from '../../coverage/platforms.js';
import type { ProviderCoverage, ProviderSummary } from '../../coverage/providers.js';
import type { Rule } from '../../model/types.js';
import type { WebContext } from '../context.js';
import { catalogCoverage } from '../coverage-catalog.js';
import { type PartSource, partsHere, renderedNow, splicedPage } from '../coverage-kept.js';
import type { PooledBytes } from '../reply-bytes.js';
import { type CoverageParams, coverageUrl } from '../coverage-params.js';
import { html } from '../html.js';
import { platformName, providerName } from '../labels.js';
import { exploreHrefs } from '../urls.js';
import { apiUrl, count, coverageShell, hiddenInputs, platformPicker, plural } from './coverage-common.js';

function providerPath(id: string): string {
  return `/coverage/providers/${encodeURIComponent(id)}`;
}

export function renderProviderIndex(ctx: WebContext, p: CoverageParams, rules: Rule[], index: ProviderSummary[]): string {
  const platforms = platformsOf(rules);
  // The URLs around a provider, per platform and for all, built once (exploreHrefs), not once per cell.
  const providerHref = (platform?: string) =>
    exploreHrefs(p.query, (id) => ({ filters: { ...p.query.filters, provider: [id], ...(platform ? { platform: [platform] } : {}) } }));
  const hrefs = new Map(platforms.map((pl) => [pl, providerHref(pl)]));
  const allHref = providerHref();
  const table = index.length
    ? html`<div class="scroll"><table class="grid cov-table"><thead><tr><th scope="col">Provider</th><th scope="col" class="num">Rules</th><th scope="col" class="num">Events</th>${platforms.map((pl) => html`<th scope="col" class="num">${platformName(pl)}</th>`)}</tr></thead><tbody>${index.map(
        (pr) =>
          html`<tr><th scope="row"><a href="${coverageUrl(providerPath(pr.id), p)}">${pr.name}</a></th><td class="num"><a href="${allHref(pr.id)}">${count(pr.rules)}</a></td><td class="num">${count(pr.events)}</td>${platforms.map(
            (pl) => {
              const n = pr.byPlatform[pl] ?? 0;
              return n ? html`<td class="num"><a href="${hrefs.get(pl)!(pr.id)}">${count(n)}</a></td>` : html`<td class="num muted">0</td>`;
            },
          )}</tr>`,
      )}</tbody></table></div>`
    : html`<div class="empty"><p>No rule in this set watches a known provider's events.</p></div>`;
  return coverageShell(ctx, p, {
    view: 'providers',
    title: 'Provider coverage',
    path: '/coverage/providers',
    lead: html`${plural(index.length, 'provider')} watched by ${plural(rules.length, 'rule')} in this set. Open a provider to see its events by platform.`,
    body: table,
    exports: html`Export <a href="${apiUrl('/api/coverage/providers', p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl('/api/coverage/providers', p, 'json')}" rel="nofollow" download>JSON</a>`,
  });
}

/**
 * A provider's page as bytes. Its events table comes from `part`, keyed by the provider: a server keeps it per
 * catalog for the view's default states (coverage-kept.ts), where the table depends on the provider alone.
 */
export function renderProvider(ctx: WebContext, p: CoverageParams, c: ProviderCoverage, part: PartSource = renderedNow): PooledBytes {
  const path = providerPath(c.id);
  const { providerChoices: known, platforms: allPlatforms } = catalogCoverage(ctx.store);
  const choose = html`<form class="cov-form" method="get" action="/coverage/providers">
${hiddenInputs(p, [])}
<label>Provider <select name="id" aria-label="Provider">${known.map((id) => html`<option value="${id}"${id === c.id ? html` selected` : ''}>${providerName(id)}</option>`)}</select></label>
<button type="submit" class="btn">Open</button>
</form>`;
  // The URLs around an event, per platform and for all, built once (exploreHrefs), not once per cell.
  const eventHref = (platform?: string) =>
    exploreHrefs(p.query, (event) => ({ filters: { ...p.query.filters, event: [event], ...(platform ? { platform: [platform] } : {}) } }));
  const hrefs = new Map(c.platforms.map((pl) => [pl, eventHref(pl)]));
  const allHref = eventHref();
  const eventUrl = (event: string, platform?: string) => (platform ? hrefs.get(platform)! : allHref)(`${c.id}/${event}`);
  const table = part(c.id, () =>
    c.events.length
      ? html`<div class="scroll"><table class="grid cov-table prov-table"><thead><tr><th scope="col">Event</th><th scope="col" class="num">Rules</th>${c.platforms.map((pl) => html`<th scope="col" class="num">${platformName(pl)} <span class="muted small">${count(c.byPlatform[pl] ?? 0)}</span></th>`)}</tr></thead><tbody>${c.events.map(
          (e) =>
            html`<tr${e.missing.length ? html` class="has-gap"` : ''}><th scope="row"><code class="wrap-any">${e.event}</code></th><td class="num"><a href="${eventUrl(e.event)}">${count(e.count)}</a></td>${c.platforms.map(
              (pl) => {
                const n = e.byPlatform[pl] ?? 0;
                return n
                  ? html`<td class="num"><a href="${eventUrl(e.event, pl)}">${count(n)}</a></td>`
                  : html`<td class="num gap" title="No ${platformName(pl)} rule watches this event"><span aria-hidden="true">&#10005;</span><span class="sr-only">gap: no ${platformName(pl)} rule</span></td>`;
              },
            )}</tr>`,
        )}</tbody></table></div>`
      : html`<div class="empty"><p>No rule in this set watches ${c.name} events${p.gapsOnly ? ' with a gap' : ''}.</p></div>`,
  );
  const gapsToggle = html`<label class="cov-opt"><input type="checkbox" name="gaps" value="1"${p.gapsOnly ? html` checked` : ''}> Only events with a gap</label>`;
  const text = coverageShell(ctx, p, {
    view: 'providers',
    title: `${c.name} coverage`,
    path,
    lead: html`<a href="${coverageUrl('/coverage/providers', { ...p, compare: [], gapsOnly: false })}">Providers</a> &rsaquo; <strong>${c.name}</strong>: ${plural(c.rules, 'rule')} watch ${plural(c.events.length, 'event')}${c.platforms.length > 1 ? html`; ${plural(c.gaps, 'event')} watched by some platforms and not others (&#10005;)` : ''}.`,
    body: html`${choose}${platformPicker(p, path, allPlatforms, gapsToggle)}${partsHere}`,
    exports: html`Export <a href="${apiUrl(`/api/coverage/providers/${encodeURIComponent(c.id)}`, p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl(`/api/coverage/providers/${encodeURIComponent(c.id)}`, p, 'json')}" rel="nofollow" download>JSON</a>`,
  });
  return splicedPage(text, [table]);
}

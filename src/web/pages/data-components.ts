// Data component pages: every ATT&CK data component with the rules consuming it (coverage/data-components.ts), and
// one component's log sources, its rules' events and log sources per platform, the techniques they detect.
import type { DataComponentCoverage } from '../../coverage/data-components.js';
import { clipText, formatCount, platformBadge, plural } from '../components.js';
import type { WebContext } from '../context.js';
import { type CoverageParams, coverageUrl } from '../coverage-params.js';
import { html, type SafeHtml } from '../html.js';
import { platformName, providerName } from '../labels.js';
import { ruleUrl } from '../urls.js';
import { apiUrl, exploreWith } from './coverage-common.js';
import { threatShell } from './threats.js';

const dataComponentPath = (id: string) => `/data-components/${encodeURIComponent(id)}`;

/** At most this many events or log sources in a cell of the index (the component's page and the CSV have all). */
const cellItems = 4;

function countedList(list: readonly { value: string; rules: number }[], limit = Infinity): SafeHtml {
  const shown = list.slice(0, limit);
  return html`${shown.map((c, i) => html`${i ? ', ' : ''}<code>${c.value}</code> <span class="muted">${c.rules}</span>`)}${list.length > shown.length ? html` <span class="muted">+${list.length - shown.length}</span>` : ''}`;
}

const exportLinks = (api: string, p: CoverageParams) =>
  html`<p class="muted small export-links">Export <a href="${apiUrl(api, p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl(api, p, 'json')}" rel="nofollow" download>JSON</a></p>`;

const rule = html`<p class="muted small">A rule consumes a component when a provider event it watches is named by one of the component's log sources (<code>WinEventLog:Security</code> <code>EventCode=4688</code> names Windows Security 4688).</p>`;

export function renderDataComponentIndex(ctx: WebContext, p: CoverageParams, rows: readonly DataComponentCoverage[]): string {
  const sorted = [...rows].sort((a, b) => b.rules - a.rules || a.name.localeCompare(b.name, 'en'));
  const body = rows.length
    ? html`<p class="lead">${plural(rows.length, 'data component')} from ATT&CK, ${formatCount(rows.filter((r) => r.rules > 0).length)} consumed by rules; most rules first.</p>
${rule}
<div class="scroll"><table class="grid cov-table datacomp-index"><thead><tr><th scope="col">Component</th><th scope="col">ID</th><th scope="col" class="num">Rules</th><th scope="col">Provider events</th><th scope="col">Tables, indexes, log types</th></tr></thead><tbody>${sorted.map(
        (c) =>
          html`<tr><th scope="row"><a href="${coverageUrl(dataComponentPath(c.id), p)}">${c.name}</a></th><td><code>${c.id}</code></td><td class="num">${formatCount(c.rules)}</td><td class="small">${countedList(c.events, cellItems)}</td><td class="small">${countedList(c.reads, cellItems)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<div class="empty"><p>The catalog has no ATT&CK data components. Build it with an ATT&CK bundle (<code>enterprise-attack.json</code>).</p></div>`;
  return threatShell(ctx, p, 'datacomp', 'ATT&CK data components', html`${body}${exportLinks('/api/data-components', p)}`);
}

export function renderDataComponent(ctx: WebContext, p: CoverageParams, c: DataComponentCoverage): string {
  const sources = html`<h2>Log sources ATT&CK lists</h2><div class="scroll"><table class="grid cov-table datacomp-sources"><thead><tr><th scope="col">Log source</th><th scope="col">Channel</th><th scope="col">Provider</th></tr></thead><tbody>${c.logSources.map(
    (s) =>
      html`<tr><td><code>${s.name}</code></td><td class="small">${clipText(s.channel, 160)}</td><td>${s.provider ? providerName(s.provider) : html`<span class="muted">&ndash;</span>`}</td></tr>`,
  )}</tbody></table></div>`;
  const allEvents = c.events.map((e) => e.value);
  const platforms = c.platforms.length
    ? html`<h2>Its rules per platform</h2><div class="scroll"><table class="grid cov-table datacomp-platforms"><thead><tr><th scope="col">Platform</th><th scope="col" class="num">Rules</th><th scope="col">Provider events</th><th scope="col">Tables, indexes, log types</th></tr></thead><tbody>${c.platforms.map(
        (pl) =>
          html`<tr><th scope="row">${platformName(pl.platform)}</th><td class="num"><a href="${exploreWith(p.query, { event: allEvents, platform: [pl.platform] })}">${formatCount(pl.rules)}</a></td><td class="small">${countedList(pl.events)}</td><td class="small">${countedList(pl.reads)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<div class="empty"><p>No rule in this set watches an event this component's log sources name.</p></div>`;
  const techniques = c.techniques.length
    ? html`<h2>Techniques its rules detect</h2><ul class="threat-list datacomp-techniques">${c.techniques.map(
        (t) =>
          html`<li><a href="${exploreWith(p.query, { event: allEvents, technique: [t.id] })}"><code>${t.id}</code></a> ${t.name} <span class="muted small">${plural(t.rules, 'rule')}</span></li>`,
      )}</ul>`
    : '';
  const rules = c.ruleList.length
    ? html`<h2>Rules</h2><div class="scroll"><table class="grid cov-table datacomp-rules"><thead><tr><th scope="col">Rule</th><th scope="col">Platform</th><th scope="col">Events</th></tr></thead><tbody>${c.ruleList.map(
        (r) =>
          html`<tr><th scope="row"><a href="${ruleUrl(r.id)}">${r.name || r.id}</a></th><td>${platformBadge(r.platform)}</td><td class="small">${r.events.map((e, i) => html`${i ? ', ' : ''}<code>${e}</code>`)}</td></tr>`,
      )}</tbody></table></div>`
    : '';
  return threatShell(
    ctx,
    p,
    'datacomp',
    `${c.name} (${c.id})`,
    html`<p class="crumbs"><a href="${coverageUrl('/data-components', p)}">Data components</a> &rsaquo;</p>
<h2 class="threat-name">${c.name} <span class="muted">${c.id}</span></h2>
<p class="lead">${plural(c.rules, 'rule')} consume it${c.rules ? html`. <a href="${exploreWith(p.query, { event: allEvents })}">Open in Explore</a>` : ''}.</p>
${rule}
${platforms}
${techniques}
${sources}
${rules}
${exportLinks(`/api/data-components/${encodeURIComponent(c.id)}`, p)}`,
  );
}

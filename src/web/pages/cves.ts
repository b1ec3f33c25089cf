// CVE pages: every CVE the rules name, and one CVE's rules (where each names it) and their techniques.
import type { CveCoverage, CveSummary } from '../../coverage/cves.js';
import { formatCount, platformBadge, plural, severityBadge } from '../components.js';
import type { WebContext } from '../context.js';
import { type CoverageParams, coverageUrl } from '../coverage-params.js';
import { html } from '../html.js';
import { platformName } from '../labels.js';
import { ruleUrl } from '../urls.js';
import { apiUrl, exploreWith } from './coverage-common.js';
import { threatShell } from './threats.js';

const cvePath = (id: string) => `/cves/${encodeURIComponent(id)}`;

/** Rows shown on the index page (the API and CSV have them all). */
const indexRows = 500;

export function renderCveIndex(ctx: WebContext, p: CoverageParams, rows: CveSummary[]): string {
  const body = rows.length
    ? html`<p class="lead">${plural(rows.length, 'CVE')} named by rules (in tags, names, descriptions, references or query values), most rules first.</p>
<form class="cov-form" method="get" action="/cves/go"><label>CVE <input name="id" placeholder="CVE-2021-44228" aria-label="CVE id"></label> <button type="submit" class="btn">Open</button></form>
<div class="scroll"><table class="grid cov-table cve-index"><thead><tr><th scope="col">CVE</th><th scope="col" class="num">Rules</th><th scope="col">Platforms</th></tr></thead><tbody>${rows
        .slice(0, indexRows)
        .map(
          (r) =>
            html`<tr><th scope="row"><a href="${coverageUrl(cvePath(r.id), p)}">${r.id}</a></th><td class="num"><a href="${exploreWith(p.query, { cve: [r.id] })}">${formatCount(r.rules)}</a></td><td class="small">${Object.entries(
              r.byPlatform,
            )
              .map(([pl, n]) => `${platformName(pl)} ${n}`)
              .join(', ')}</td></tr>`,
        )}</tbody></table></div>${rows.length > indexRows ? html`<p class="muted small">The first ${indexRows} shown; the CSV has all.</p>` : ''}`
    : html`<div class="empty"><p>No rule in this set names a CVE.</p></div>`;
  return threatShell(
    ctx,
    p,
    'cve',
    'CVEs',
    html`${body}<p class="muted small export-links">Export <a href="${apiUrl('/api/cves', p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl('/api/cves', p, 'json')}" rel="nofollow" download>JSON</a></p>`,
  );
}

export function renderCve(ctx: WebContext, p: CoverageParams, c: CveCoverage): string {
  const rules = c.ruleList.length
    ? html`<div class="scroll"><table class="grid cov-table cve-rules"><thead><tr><th scope="col">Rule</th><th scope="col">Platform</th><th scope="col">Severity</th><th scope="col">Named in</th></tr></thead><tbody>${c.ruleList.map(
        (r) =>
          html`<tr><th scope="row"><a href="${ruleUrl(r.id)}">${r.name || r.id}</a></th><td>${platformBadge(r.platform)}</td><td>${severityBadge(r.severity)}</td><td class="small">${r.where.join(', ')}</td></tr>`,
      )}</tbody></table></div>`
    : html`<div class="empty"><p>No rule in this set names ${c.id}: a gap, if it matters to you.</p></div>`;
  const techniques = c.techniques.length
    ? html`<h2>Techniques of these rules</h2><ul class="threat-list">${c.techniques.map((t) => html`<li><a href="${exploreWith(p.query, { cve: [c.id], technique: [t.id] })}"><code>${t.id}</code></a> ${t.name} <span class="muted small">${plural(t.rules, 'rule')}</span></li>`)}</ul>`
    : '';
  const api = `/api/cves/${encodeURIComponent(c.id)}`;
  return threatShell(
    ctx,
    p,
    'cve',
    c.id,
    html`<p class="crumbs"><a href="${coverageUrl('/cves', p)}">CVEs</a> &rsaquo;</p>
<h2 class="threat-name">${c.id}</h2>
<p class="lead">${plural(c.rules, 'rule')} name ${c.id}${
      c.rules
        ? html` (${Object.entries(c.byPlatform)
            .map(([pl, n]) => `${platformName(pl)} ${n}`)
            .join(', ')}). <a href="${exploreWith(p.query, { cve: [c.id] })}">Open in Explore</a>`
        : ''
    }.</p>
${rules}
${techniques}
<p class="muted small export-links">Export <a href="${apiUrl(api, p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl(api, p, 'json')}" rel="nofollow" download>JSON</a></p>`,
  );
}

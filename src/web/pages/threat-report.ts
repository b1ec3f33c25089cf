// The threat report page: paste a report (or upload its text file) and see the techniques, groups, campaigns,
// software and CVEs it names with the rules covering each per platform, gaps first. The report's text is the
// visitor's: every part of it shown goes through the escaping template.
import { notInBundle } from '../../attack/catalog.js';
import type { ThreatReportCoverage } from '../../coverage/threat-report.js';
import { formatCount, plural } from '../components.js';
import type { WebContext } from '../context.js';
import { type CoverageParams, coverageSearch, coverageUrl } from '../coverage-params.js';
import { html, type SafeHtml } from '../html.js';
import { platformName } from '../labels.js';
import { exploreWith } from './coverage-common.js';
import { entityPath, ruleCountCells, shareCell, threatShell } from './threats.js';

const kindNames = { group: 'Group', campaign: 'Campaign', software: 'Software', story: 'Splunk story' } as const;

/** A path with the view's Explore filters, and more parameters after them. */
function withFilters(path: string, p: CoverageParams, extra: Record<string, string> = {}): string {
  const search = coverageSearch(p);
  for (const [k, v] of Object.entries(extra)) search.set(k, v);
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** The form: paste or upload; once a report is read, its text stays in it and the exports post it again. */
function reportForm(p: CoverageParams, text: string, analysed: boolean): SafeHtml {
  const exports = analysed
    ? html`<span class="muted small">Export</span> <button type="submit" class="btn" formaction="${withFilters('/api/threat-report', p, { format: 'csv' })}">CSV</button> <button type="submit" class="btn" formaction="${withFilters('/api/threat-report', p, { format: 'json' })}">JSON</button> <button type="submit" class="btn" formaction="${withFilters('/api/threat-report', p, { format: 'layer' })}">ATT&CK Navigator layer</button>`
    : '';
  return html`<form class="cov-form report-form" method="post" action="${withFilters('/threat-report', p)}" enctype="multipart/form-data">
<label for="report-text">Report text</label>
<textarea id="report-text" name="text" rows="12" spellcheck="false" placeholder="Paste a threat report: technique ids (T1059.001), group, campaign and software names, CVE ids.">${text}</textarea>
<p><label>or upload a text file <input type="file" name="file" accept=".txt,.md,.csv,.json,.html,.htm,.xml,text/*"></label></p>
<p class="muted small">Nothing is fetched: links in the text are not followed. Up to 1 MB.</p>
<p><button type="submit" class="btn">Find coverage</button> ${exports}</p>
</form>`;
}

function techniquesTable(ctx: WebContext, p: CoverageParams, r: ThreatReportCoverage): SafeHtml {
  // Gaps first, then as the report names them.
  const rows = [...r.techniques].sort((a, b) => Number(a.total > 0) - Number(b.total > 0));
  return html`<div class="scroll"><table class="grid cov-table report-techniques"><thead><tr><th scope="col">ID</th><th scope="col">Technique</th><th scope="col" class="num">Rules</th>${r.platforms.map((pl) => html`<th scope="col" class="num">${platformName(pl)}</th>`)}</tr></thead><tbody>${rows.map(
    (t) =>
      html`<tr${t.total ? '' : html` class="has-gap"`}><th scope="row"><code>${t.id}</code></th><td>${t.name}${t.tactics.length ? html`<br><span class="muted small">${t.tactics.join(', ')}</span>` : ''}</td>${ruleCountCells(ctx, p, t, r.platforms)}</tr>`,
  )}</tbody></table></div>`;
}

function entitiesTable(p: CoverageParams, r: ThreatReportCoverage): SafeHtml {
  const rows = [...r.entities].sort((a, b) => a.anyCoverage - b.anyCoverage);
  return html`<div class="scroll"><table class="grid cov-table report-entities"><thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Named as</th><th scope="col" class="num">Techniques covered</th><th scope="col" class="num">Share</th>${r.platforms.map((pl) => html`<th scope="col" class="num">${platformName(pl)}</th>`)}<th scope="col">Gaps</th></tr></thead><tbody>${rows.map(
    (e) =>
      html`<tr${e.covered ? '' : html` class="has-gap"`}><th scope="row"><a href="${coverageUrl(entityPath(e.id), p)}">${e.name}</a> <code class="muted">${e.id}</code></th><td>${kindNames[e.kind]}</td><td class="small">${e.as.join(', ')}</td><td class="num">${formatCount(e.covered)} of ${formatCount(e.techniques)}</td>${shareCell(e.anyCoverage)}${r.platforms.map((pl) => shareCell(e.coverage[pl]))}<td class="small">${e.gaps.map((g, i) => html`${i ? ', ' : ''}<code title="${g.name}">${g.id}</code>`)}${e.techniques - e.covered > e.gaps.length ? ' …' : ''}</td></tr>`,
  )}</tbody></table></div>`;
}

function cvesTable(p: CoverageParams, r: ThreatReportCoverage): SafeHtml {
  const rows = [...r.cves].sort((a, b) => Number(a.rules > 0) - Number(b.rules > 0));
  return html`<div class="scroll"><table class="grid cov-table report-cves"><thead><tr><th scope="col">CVE</th><th scope="col" class="num">Rules</th>${r.platforms.map((pl) => html`<th scope="col" class="num">${platformName(pl)}</th>`)}</tr></thead><tbody>${rows.map(
    (c) =>
      html`<tr${c.rules ? '' : html` class="has-gap"`}><th scope="row"><a href="${coverageUrl(`/cves/${encodeURIComponent(c.id)}`, p)}">${c.id}</a></th><td class="num">${c.rules ? html`<a href="${exploreWith(p.query, { cve: [c.id] })}">${formatCount(c.rules)}</a>` : html`<span class="gap-mark" title="No rule names this CVE">&#10005; <span class="sr-only">gap</span></span>`}</td>${r.platforms.map(
        (pl) => {
          const n = c.byPlatform[pl] ?? 0;
          return n
            ? html`<td class="num"><a href="${exploreWith(p.query, { cve: [c.id], platform: [pl] })}">${formatCount(n)}</a></td>`
            : html`<td class="num muted">0</td>`;
        },
      )}</tr>`,
  )}</tbody></table></div>`;
}

function results(ctx: WebContext, p: CoverageParams, r: ThreatReportCoverage): SafeHtml {
  const named = r.techniques.length + r.unknownTechniques.length + r.entities.length + r.cves.length;
  if (!named)
    return html`<div class="empty report-nothing"><p>The text names no ATT&CK technique id, group, campaign or software, and no CVE id.</p></div>`;
  const entityGaps = r.entities.filter((e) => !e.covered).length;
  const cveGaps = r.cves.filter((c) => !c.rules).length;
  return html`<p class="lead report-summary">${plural(r.techniques.length, 'technique')} (${plural(r.gaps.length, 'gap')}), ${plural(r.entities.length, 'group, campaign or software', 'groups, campaigns or software')} and ${plural(r.cves.length, 'CVE')} named, measured against ${plural(r.ruleCount, 'rule')}.${entityGaps || cveGaps ? ` Not covered at all: ${[entityGaps ? plural(entityGaps, 'threat') : '', cveGaps ? plural(cveGaps, 'CVE') : ''].filter(Boolean).join(', ')}.` : ''}</p>
${r.truncated ? html`<p class="report-error">Only the first ${formatCount(r.read)} characters were read.</p>` : ''}
${r.techniques.length ? html`<h2>Techniques (${formatCount(r.techniques.length)})</h2><p class="muted small">Gaps first; a technique counts the rules on its sub-techniques, as on the matrix.</p>${techniquesTable(ctx, p, r)}` : ''}
${
  r.unknownTechniques.length
    ? html`<h2>Not in the loaded ATT&CK (${formatCount(r.unknownTechniques.length)})</h2><p class="muted small">Technique ids the report names that the catalog's ATT&CK release does not know (${notInBundle}): a newer or withdrawn id, or a typo.</p><ul class="threat-list report-unknown">${r.unknownTechniques.map((id) => html`<li><code>${id}</code></li>`)}</ul>`
    : ''
}
${r.entities.length ? html`<h2>Groups, campaigns and software (${formatCount(r.entities.length)})</h2><p class="muted small">The least covered first; covered: techniques of theirs at least one rule covers.</p>${entitiesTable(p, r)}` : ''}
${r.cves.length ? html`<h2>CVEs (${formatCount(r.cves.length)})</h2><p class="muted small">Rules naming each CVE (tags, names, descriptions, references, query values).</p>${cvesTable(p, r)}` : ''}`;
}

/** The form alone (GET), or a report read against the rules (POST); `error` says why a body was refused. */
export function renderThreatReport(
  ctx: WebContext,
  p: CoverageParams,
  report?: { text: string; coverage: ThreatReportCoverage },
  error?: string,
): string {
  const body = html`<p class="lead">Paste a threat report, or upload it as a text file: the ATT&CK techniques, groups, campaigns, software and CVEs it names, with the rules that cover each.</p>
${error ? html`<p class="report-error" role="alert">${error}</p>` : ''}
${report ? results(ctx, p, report.coverage) : ''}
${reportForm(p, report?.text ?? '', !!report)}`;
  return threatShell(ctx, p, 'report', 'Threat report', body);
}

// Threat pages: ATT&CK groups ("actors"), campaigns and software with the rules covering their techniques.
import { notInBundle } from '../../attack/catalog.js';
import type { ThreatEntity, ThreatKind } from '../../attack/threats.js';
import type { ThreatComparison, ThreatCoverage, ThreatTechniqueRow } from '../../coverage/threats.js';
import { clipText, formatCount, plural } from '../components.js';
import type { WebContext } from '../context.js';
import { type CoverageParams, coverageUrl } from '../coverage-params.js';
import { html, type HtmlValue, type SafeHtml } from '../html.js';
import { platformName } from '../labels.js';
import { layout } from '../layout.js';
import { apiUrl, exploreWith } from './coverage-common.js';
import type { StoryDetection } from '../../coverage/stories.js';
import { ruleUrl } from '../urls.js';

const kinds: { kind: ThreatKind; path: string; title: string; one: string }[] = [
  { kind: 'group', path: '/actors', title: 'Groups', one: 'group' },
  { kind: 'campaign', path: '/campaigns', title: 'Campaigns', one: 'campaign' },
  { kind: 'software', path: '/software', title: 'Software', one: 'software' },
  { kind: 'story', path: '/stories', title: 'Splunk stories', one: 'story' },
];
const kindInfo = (kind: ThreatKind) => kinds.find((k) => k.kind === kind)!;

/** Where an ATT&CK id's page is: G… groups, C… campaigns, S… software. */
export function entityPath(id: string): string {
  if (!/^[GCS]\d{4}$/.test(id)) return `/stories/${encodeURIComponent(id)}`;
  const path = id.startsWith('C') ? '/campaigns' : id.startsWith('S') ? '/software' : '/actors';
  return `${path}/${encodeURIComponent(id)}`;
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

/** The threat pages' frame: tabs for the kinds, CVEs, data components and the threat report; `current` is the tab shown. */
export function threatShell(
  ctx: WebContext,
  p: CoverageParams,
  current: ThreatKind | 'cve' | 'datacomp' | 'report',
  title: string,
  body: HtmlValue,
): string {
  const filtered = !!p.query.q || Object.values(p.query.filters).some((v) => v?.length) || !!p.query.since;
  const tabs = [
    ...kinds,
    { kind: 'cve' as const, path: '/cves', title: 'CVEs' },
    { kind: 'datacomp' as const, path: '/data-components', title: 'Data components' },
    { kind: 'report' as const, path: '/threat-report', title: 'Threat report' },
  ];
  const here = tabs.find((k) => k.kind === current)!;
  const page = html`<div class="coverage threats">
<h1>Threats</h1>
<nav class="tabs" aria-label="Threat kinds">${tabs.map((k) => html`<a href="${coverageUrl(k.path, p)}"${k.kind === current ? html` aria-current="page"` : ''}>${k.title}</a>`)}</nav>
${filtered ? html`<p class="muted small">Coverage by the rules the Explore filters leave. <a href="${here.path}">All rules</a></p>` : ''}
${body}
</div>`;
  return layout(ctx.assets, { title, nav: 'threats', body: page }).toString();
}

/** A share as a number and a bar (the bar is decoration: the number says it). */
export function shareCell(share: number | undefined): SafeHtml {
  if (share === undefined) return html`<td class="num muted">&ndash;</td>`;
  return html`<td class="num share"><span class="bar" aria-hidden="true"><span class="bar-fill" data-pct="${Math.round(share * 10) * 10}"></span></span> ${percent(share)}</td>`;
}

function noThreats(kind: ThreatKind): SafeHtml {
  if (kind === 'story')
    return html`<div class="empty"><p>No rule in this set names a Splunk analytic story (ESCU detections name theirs).</p></div>`;
  return html`<div class="empty"><p>The catalog has no ATT&CK ${kindInfo(kind).title.toLowerCase()}. Build it with an ATT&CK bundle that has them (a release bundle, or <code>enterprise-attack.json</code> with <code>enterprise-attack-groups.json</code> beside it).</p></div>`;
}

export function renderThreatIndex(ctx: WebContext, p: CoverageParams, kind: ThreatKind, rows: ThreatCoverage[]): string {
  const info = kindInfo(kind);
  const mine = ctx.store.mine.size > 0;
  const sorted = [...rows].sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.id < b.id ? -1 : 1));
  const table = rows.length
    ? html`<form method="get" action="${info.path}/compare" class="threat-index">
<p><button type="submit" class="btn">Compare selected</button> <span class="muted small">Tick two or more.</span></p>
<div class="scroll"><table class="grid cov-table"><thead><tr><th scope="col"><span class="sr-only">Compare</span></th><th scope="col">Name</th><th scope="col">ID</th><th scope="col">Also known as</th><th scope="col" class="num">Techniques</th><th scope="col" class="num">Covered</th>${mine ? html`<th scope="col" class="num">By your rules</th>` : ''}</tr></thead><tbody>${sorted.map(
        (c) =>
          html`<tr><td><input type="checkbox" name="id" value="${c.id}" aria-label="Compare ${c.name}"></td><th scope="row"><a href="${coverageUrl(entityPath(c.id), p)}">${c.name}</a></th><td><code>${c.id}</code></td><td class="small">${clipText(c.aliases.join(', '), 120)}</td><td class="num">${formatCount(c.techniques.length)}</td>${shareCell(c.anyCoverage)}${mine ? shareCell(c.mineCoverage) : ''}</tr>`,
      )}</tbody></table></div></form>`
    : noThreats(kind);
  return threatShell(
    ctx,
    p,
    kind,
    `ATT&CK ${info.title.toLowerCase()}`,
    html`<p class="lead">${plural(rows.length, info.one, info.one === 'software' ? 'software' : info.one === 'story' ? 'stories' : `${info.one}s`)} ${kind === 'story' ? 'named by ESCU detections (their techniques are those of its detections)' : 'from ATT&CK'}; covered: the share of its techniques at least one rule covers (a technique counts the rules on its sub-techniques, as on the matrix).</p>
${table}
<p class="muted small export-links">Export <a href="${apiUrl(`/api${info.path}`, p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl(`/api${info.path}`, p, 'json')}" rel="nofollow" download>JSON</a></p>`,
  );
}

function techniqueName(t: { name: string }): SafeHtml {
  return t.name === notInBundle ? html`<span class="muted">${notInBundle}</span>` : html`${t.name}`;
}

/** Explore with the technique, and for a technique its sub-techniques too (the count includes their rules). */
function techniqueFilter(ctx: WebContext, id: string): string[] {
  if (id.includes('.')) return [id];
  return [id, ...[...ctx.labels.techniques.keys()].filter((v) => v.startsWith(`${id}.`))];
}

/** A technique's rules, all platforms (✕ for a gap) then one cell per platform, each leading to Explore. */
export function ruleCountCells(
  ctx: WebContext,
  p: CoverageParams,
  t: { id: string; total: number; rules: Record<string, number> },
  platforms: readonly string[],
): SafeHtml {
  const filter = techniqueFilter(ctx, t.id);
  return html`<td class="num">${t.total ? html`<a href="${exploreWith(p.query, { technique: filter })}">${formatCount(t.total)}</a>` : html`<span class="gap-mark" title="No rule covers this technique">&#10005; <span class="sr-only">gap</span></span>`}</td>${platforms.map(
    (pl) => {
      const n = t.rules[pl] ?? 0;
      return n
        ? html`<td class="num"><a href="${exploreWith(p.query, { technique: filter, platform: [pl] })}">${formatCount(n)}</a></td>`
        : html`<td class="num muted">0</td>`;
    },
  )}`;
}

function techniqueRow(ctx: WebContext, p: CoverageParams, c: ThreatCoverage, t: ThreatTechniqueRow, mine: boolean): SafeHtml {
  const other = t.otherIds.length
    ? html` <span class="muted small">(${t.otherIds.length > 1 ? 'other ids' : 'also'} ${t.otherIds.join(', ')})</span>`
    : '';
  return html`<tr${t.total ? '' : html` class="has-gap"`}><th scope="row"><code>${t.id}</code></th><td>${techniqueName(t)}${other}${t.tactics.length ? html`<br><span class="muted small">${t.tactics.join(', ')}</span>` : ''}</td>${ruleCountCells(ctx, p, t, c.platforms)}${mine ? html`<td class="num">${formatCount(t.mine)}</td>` : ''}<td class="small procedure">${t.procedure ? html`<details><summary>${clipText(t.procedure.split('\n')[0]!, 90)}</summary>${t.procedure}</details>` : ''}</td></tr>`;
}

export function renderThreat(
  ctx: WebContext,
  p: CoverageParams,
  base: string,
  c: ThreatCoverage,
  entities: readonly ThreatEntity[],
  detections?: readonly StoryDetection[],
): string {
  const mine = c.mineCoverage !== undefined;
  const gaps = c.techniques.filter((t) => t.total === 0).length;
  const api = `/api${base}/${encodeURIComponent(c.id)}`;
  const summary = html`<div class="scroll"><table class="grid cov-table threat-summary"><thead><tr><th scope="col">Rules of</th><th scope="col" class="num">Techniques covered</th><th scope="col" class="num">Share</th></tr></thead><tbody>
<tr><th scope="row">Any platform</th><td class="num">${formatCount(c.techniques.length - gaps)} of ${formatCount(c.techniques.length)}</td>${shareCell(c.anyCoverage)}</tr>
${c.platforms.map(
  (pl) =>
    html`<tr><th scope="row">${platformName(pl)}</th><td class="num">${formatCount(c.techniques.filter((t) => (t.rules[pl] ?? 0) > 0).length)}</td>${shareCell(c.coverage[pl])}</tr>`,
)}
${mine ? html`<tr><th scope="row">Your rules</th><td class="num">${formatCount(c.techniques.filter((t) => t.mine > 0).length)}</td>${shareCell(c.mineCoverage)}</tr>` : ''}
</tbody></table></div>`;
  const others = entities.filter((e) => e.id !== c.id).sort((a, b) => a.name.localeCompare(b.name, 'en'));
  const compare = others.length
    ? html`<form class="cov-form" method="get" action="${base}/compare"><input type="hidden" name="id" value="${c.id}"><label>Compare with <select name="id" aria-label="Compare with">${others.map((e) => html`<option value="${e.id}">${e.name} (${e.id})</option>`)}</select></label> <button type="submit" class="btn">Compare</button></form>`
    : '';
  const related = c.related.length
    ? html`<p class="small">Related: ${c.related.map((id, i) => html`${i ? ', ' : ''}<a href="${entityPath(id)}">${id}</a>`)}</p>`
    : '';
  const table = c.techniques.length
    ? html`<div class="scroll"><table class="grid cov-table threat-techniques"><thead><tr><th scope="col">ID</th><th scope="col">Technique</th><th scope="col" class="num">Rules</th>${c.platforms.map((pl) => html`<th scope="col" class="num">${platformName(pl)}</th>`)}${mine ? html`<th scope="col" class="num">Yours</th>` : ''}<th scope="col">How it was used</th></tr></thead><tbody>${c.techniques.map((t) => techniqueRow(ctx, p, c, t, mine))}</tbody></table></div>`
    : html`<div class="empty"><p>ATT&CK lists no technique for ${c.name}.</p></div>`;
  return threatShell(
    ctx,
    p,
    c.kind,
    `${c.name} (${c.id})`,
    html`<p class="crumbs"><a href="${coverageUrl(base, p)}">${kindInfo(c.kind).title}</a> &rsaquo;</p>
<h2 class="threat-name">${c.name} <code class="muted">${c.id}</code></h2>
${c.aliases.length ? html`<p class="small">Also known as ${c.aliases.join(', ')}</p>` : ''}
${c.description ? html`<p class="threat-desc">${clipText(c.description, 1500)}</p>` : ''}
${related}
${detections ? html`<details class="story-detections"><summary>${plural(detections.length, 'detection')} of this story</summary><ul class="threat-list">${detections.map((d) => html`<li><a href="${ruleUrl(d.id)}">${d.name || d.id}</a>${d.removed ? html` <span class="muted small">(removed)</span>` : ''}</li>`)}</ul></details>` : ''}
<p class="lead">${plural(c.techniques.length, 'technique')}, ${plural(gaps, 'gap')} (no rule at all, listed first), measured against ${plural(c.ruleCount, 'rule')}.</p>
${summary}
${compare}
${table}
<p class="muted small export-links">Export <a href="${apiUrl(api, p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl(api, p, 'json')}" rel="nofollow" download>JSON</a> · <a href="${coverageUrl(`${api}/layer`, p)}" rel="nofollow" download>ATT&CK Navigator layer</a></p>`,
  );
}

export function renderThreatCompare(
  ctx: WebContext,
  p: CoverageParams,
  kind: ThreatKind,
  entities: readonly ThreatEntity[],
  each: readonly ThreatCoverage[],
  comparison: ThreatComparison,
): string {
  const info = kindInfo(kind);
  const chosen = new Set(each.map((c) => c.id));
  const picker = html`<form class="cov-form" method="get" action="${info.path}/compare"><fieldset><legend>Compare</legend><select name="id" multiple size="6" aria-label="${info.title} to compare">${[
    ...entities,
  ]
    .sort((a, b) => a.name.localeCompare(b.name, 'en'))
    .map(
      (e) => html`<option value="${e.id}"${chosen.has(e.id) ? html` selected` : ''}>${e.name} (${e.id})</option>`,
    )}</select></fieldset><button type="submit" class="btn">Compare</button></form>`;
  const list = (rows: ThreatComparison['shared'], empty: string) =>
    rows.length
      ? html`<ul class="threat-list">${rows.map((r) => html`<li><code>${r.id}</code> ${techniqueName(r)} <span class="muted small">${r.total ? plural(r.total, 'rule') : 'no rule'}</span></li>`)}</ul>`
      : html`<p class="muted">${empty}</p>`;
  const body =
    each.length < 2
      ? html`<p class="lead">Choose two or more ${info.title.toLowerCase()} to compare.</p>${picker}`
      : html`<p class="lead">${each.map((c, i) => html`${i ? ' · ' : ''}<a href="${coverageUrl(entityPath(c.id), p)}">${c.name}</a> (${percent(c.anyCoverage)} of ${plural(c.techniques.length, 'technique')} covered)`)}</p>
${picker}
<h2>Used by all (${formatCount(comparison.shared.length)})</h2>
${list(comparison.shared, 'No technique is used by all of them.')}
<h2>Shared gaps (${formatCount(comparison.sharedGaps.length)})</h2>
<p class="muted small">Techniques two or more of them use that no rule covers.</p>
${list(comparison.sharedGaps, 'No shared gap.')}
<h2>Every technique</h2>
<div class="scroll"><table class="grid cov-table threat-compare"><thead><tr><th scope="col">ID</th><th scope="col">Technique</th><th scope="col" class="num">Rules</th>${each.map((c) => html`<th scope="col">${c.name}</th>`)}</tr></thead><tbody>${comparison.all.map(
          (r) =>
            html`<tr${r.total ? '' : html` class="has-gap"`}><th scope="row"><code>${r.id}</code></th><td>${techniqueName(r)}</td><td class="num">${formatCount(r.total)}</td>${each.map((c) => (r.usedBy.includes(c.id) ? html`<td class="used">&#10003;<span class="sr-only"> used</span></td>` : html`<td></td>`))}</tr>`,
        )}</tbody></table></div>
<p class="muted small export-links">Export <a href="${`${apiUrl(`/api${info.path}/compare`, p, 'csv')}&${each.map((c) => `id=${encodeURIComponent(c.id)}`).join('&')}`}" rel="nofollow" download>CSV</a></p>`;
  return threatShell(ctx, p, kind, `Compare ${info.title.toLowerCase()}`, body);
}

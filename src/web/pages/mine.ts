import { type MineReport, mineReport } from '../../mine/mine.js';
import type { CatalogStore } from '../../store/read.js';
import { perCatalog } from '../per-catalog.js';
import { plural, section } from '../components.js';
import type { WebContext } from '../context.js';
import { html } from '../html.js';
import { platformName, providerName } from '../labels.js';
import { layout } from '../layout.js';
import { facetUrl, ruleUrl } from '../urls.js';

/** Rows shown per group before "all N in Explore". */
const perGroup = 25;
const linksShown = 8;

function yourRules(report: MineReport) {
  if (!report.rules.length) return html`<p class="muted">No rules in your sources yet.</p>`;
  return html`<table class="grid"><thead><tr><th scope="col">Your rule</th><th scope="col">Platform</th><th scope="col">Public rules detecting the same action</th></tr></thead><tbody>${report.rules.map(
    (r) =>
      html`<tr><td><a href="${ruleUrl(r.id)}">${r.name || r.id}</a> <span class="muted small">${r.source}/${r.path}</span></td><td>${platformName(r.platform)}</td><td>${
        r.publicSameAction.length
          ? html`<ul class="plain">${r.publicSameAction.slice(0, linksShown).map((o) => html`<li><a href="${ruleUrl(o.id)}">${o.name || o.id}</a> <span class="muted small">${platformName(o.platform)} · ${o.source}</span></li>`)}</ul>${
              r.publicSameAction.length > linksShown
                ? html`<span class="muted small">and ${r.publicSameAction.length - linksShown} more on <a href="${ruleUrl(r.id)}#same-action">the rule page</a></span>`
                : ''
            }`
          : html`<span class="muted">none</span>`
      }</td></tr>`,
  )}</tbody></table>`;
}

function eventGaps(report: MineReport) {
  if (!report.eventGaps.length) return html`<p class="muted">Your rules detect every event the public rules detect.</p>`;
  return report.eventGaps.map(
    (g) => html`<h3>${providerName(g.provider)} <span class="muted small">${plural(g.events.length, 'event')}</span></h3>
<table class="grid"><thead><tr><th scope="col">Event</th><th scope="col">Public rules</th></tr></thead><tbody>${g.events
      .slice(0, perGroup)
      .map(
        (e) => html`<tr><td><a href="${facetUrl('event', `${g.provider}/${e.event}`)}">${e.event}</a></td><td>${e.rules}</td></tr>`,
      )}</tbody></table>${g.events.length > perGroup ? html`<p class="muted small">${g.events.length - perGroup} more: <a href="${facetUrl('provider', g.provider)}">every ${providerName(g.provider)} rule in Explore</a>.</p>` : ''}`,
  );
}

function techniqueGaps(report: MineReport) {
  if (!report.techniqueGaps.length) return html`<p class="muted">Your rules cover every technique the public rules cover.</p>`;
  return report.techniqueGaps.map(
    (
      g,
    ) => html`<h3>${g.tacticName}${g.tactic ? html` <span class="muted small">${g.tactic}</span>` : ''} <span class="muted small">${plural(g.techniques.length, 'technique')}</span></h3>
<table class="grid"><thead><tr><th scope="col">Technique</th><th scope="col">Public rules</th></tr></thead><tbody>${g.techniques
      .slice(0, perGroup)
      .map(
        (t) =>
          html`<tr><td><a href="${facetUrl('technique', t.id)}">${t.id} ${t.name === t.id ? '' : t.name}</a></td><td>${t.rules}</td></tr>`,
      )}</tbody></table>${g.techniques.length > perGroup && g.tactic ? html`<p class="muted small">${g.techniques.length - perGroup} more: <a href="${facetUrl('tactic', g.tactic)}">every ${g.tacticName} rule in Explore</a>.</p>` : ''}`,
  );
}

/** Your rules against the public corpus: same-action matches and coverage gaps. */
export function renderMine(ctx: WebContext): string {
  const report = catalogMineReport(ctx.store);
  const none = !report.sources.length;
  const body = html`<div class="report">
<h1>Your rules</h1>
${
  none
    ? html`<p class="lead muted">No source is marked as yours. Mark one in the sources config with <code>"mine": true</code> (for example <code>{ "name": "ours", "dir": "detections", "mine": true }</code>) and run <code>ruleatlas sync</code>, or build with <code>ruleatlas build --mine DIR</code>.</p>`
    : html`<p class="lead">${plural(report.rules.length, 'rule')} from ${report.sources.join(', ')}, compared with every other source. <a href="/api/mine">JSON</a></p>
${section('yours', 'Your rules', yourRules(report), 'For each of your rules, the public rules that detect the same provider event.')}
${section('event-gaps', 'Events only public rules detect', eventGaps(report), 'Provider events some public rule detects and none of yours does, most detected first.')}
${section('technique-gaps', 'Techniques only public rules cover', techniqueGaps(report), 'ATT&CK techniques some public rule covers and none of yours does, by tactic, most covered first.')}`
}
</div>`;
  return layout(ctx.assets, { title: 'Your rules', nav: 'mine', body }).toString();
}

/** "Your rules" depends on the catalog alone (its `mine` sources): worked out once per catalog. */
export function catalogMineReport(store: CatalogStore): MineReport {
  return perCatalog(store, 'mine', () => mineReport(store));
}

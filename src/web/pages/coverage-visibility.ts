// Visibility: pick the log providers you collect; the rules that can run, the techniques you still see and those you are blind to.
import type { ProviderSummary } from '../../coverage/providers.js';
import { logSourceKinds } from '../../coverage/log-sources.js';
import type { Visibility, VisibilityTechnique } from '../../coverage/visibility.js';
import { platformBadge } from '../components.js';
import type { WebContext } from '../context.js';
import type { CoverageParams } from '../coverage-params.js';
import { html, type SafeHtml } from '../html.js';
import { providerName } from '../labels.js';
import { ruleUrl } from '../urls.js';
import { apiUrl, count, coverageShell, exploreWith, hiddenInputs, plural } from './coverage-common.js';

/** A provider by name; a log source entry (`table:AuditLogs`) as it is typed. */
const missingName = (entry: string) => (entry.includes(':') ? entry : providerName(entry));

/** Runnable rules listed on the page (the API has them all). */
const rulesShown = 200;

function techniqueTable(p: CoverageParams, rows: VisibilityTechnique[], cls: string, withMissing: boolean): SafeHtml {
  return html`<div class="scroll"><table class="grid cov-table ${cls}"><thead><tr><th scope="col">Technique</th><th scope="col" class="num">Rules</th><th scope="col" class="num">Can run</th>${withMissing ? html`<th scope="col">Collect to see it</th>` : ''}</tr></thead><tbody>${rows.map(
    (t) =>
      html`<tr><th scope="row"><a href="${exploreWith(p.query, { technique: [t.id] })}"><code>${t.id}</code></a> <span class="small">${t.name}</span></th><td class="num">${count(t.rules)}</td><td class="num">${count(t.runnable)}</td>${withMissing ? html`<td class="small">${t.missing.map(missingName).join(', ')}</td>` : ''}</tr>`,
  )}</tbody></table></div>`;
}

export function renderVisibility(ctx: WebContext, p: CoverageParams, v: Visibility, providers: ProviderSummary[]): string {
  const chosen = new Set(p.logs);
  const listed = new Set(providers.map((pr) => pr.id));
  // Tables, indexes, sourcetypes, log types (and providers no rule names) go in the text field.
  const typed = p.logs.filter((entry) => !listed.has(entry));
  const picker = html`<form class="cov-form" method="get" action="/coverage/visibility">
${hiddenInputs(p, ['logs'])}
<fieldset><legend>My log sources</legend>${providers.map(
    (pr) => html`<label><input type="checkbox" name="logs" value="${pr.id}"${chosen.has(pr.id) ? html` checked` : ''}> ${pr.name}</label>`,
  )}</fieldset>
<label class="vis-sources">Tables, indexes, sourcetypes, log types <input type="search" name="logs" value="${typed.join(', ')}" size="60" placeholder="table:SigninLogs, dataset:okta.system, index:logs-*, sourcetype:aws:cloudtrail, logtype:Okta.SystemLog"></label>
<button type="submit" class="btn">Show</button>
</form>`;
  const body = !p.logs.length
    ? html`${picker}<p class="muted">Tick the log providers you collect, or name what you collect as ${logSourceKinds.map((k, i) => html`${i ? ', ' : ''}<code>${k}:</code>`)} entries: a rule is then judged by the tables, indexes, sourcetypes or log types it reads.</p>`
    : html`${picker}
<h2>Techniques you are blind to (${count(v.blind.length)})</h2>
<p class="muted small">Rules cover them, but each needs a log you do not collect.</p>
${v.blind.length ? techniqueTable(p, v.blind, 'vis-blind', true) : html`<p class="muted">None.</p>`}
<h2>Rules that can run (${count(v.runnable.length)})</h2>
${
  v.runnable.length
    ? html`<ul class="vis-rules">${v.runnable.slice(0, rulesShown).map((r) => html`<li><a href="${ruleUrl(r.id)}">${r.name || r.id}</a> ${platformBadge(r.platform)} <span class="muted small">${r.providers.map(providerName).join(', ')}</span></li>`)}</ul>${v.runnable.length > rulesShown ? html`<p class="muted small">The first ${rulesShown}; the JSON has all.</p>` : ''}`
    : html`<p class="muted">None.</p>`
}
<h2>Techniques you still see (${count(v.visible.length)})</h2>
${v.visible.length ? techniqueTable(p, v.visible, 'vis-visible', false) : html`<p class="muted">None.</p>`}
<h2>Cannot tell (${count(v.unsure.length)})</h2>
<p class="muted small">Techniques only rules whose log provider is not known cover.</p>
${v.unsure.length ? techniqueTable(p, v.unsure, 'vis-unsure', false) : html`<p class="muted">None.</p>`}`;
  return coverageShell(ctx, p, {
    view: 'visibility',
    title: 'Visibility',
    path: '/coverage/visibility',
    lead: p.logs.length
      ? html`Collecting ${v.logs.map((l) => l.name).join(', ')}: ${plural(v.runnable.length, 'rule')} of ${count(v.rules)} can run; ${count(v.blocked)} need another log; ${count(v.unknown)} name no known provider.`
      : html`Which rules can run, and which techniques you can see, with only the logs you collect.`,
    body,
    exports: html`Export <a href="${apiUrl('/api/coverage/visibility', p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl('/api/coverage/visibility', p, 'json')}" rel="nofollow" download>JSON</a> · <a href="${apiUrl('/api/coverage/visibility', p, 'layer')}" rel="nofollow" download>ATT&CK Navigator layer</a>`,
  });
}

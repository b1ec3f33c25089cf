import type { BuildReport } from '../../report/report.js';
import { plural, section } from '../components.js';
import type { WebContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import { languageName, platformName } from '../labels.js';
import { layout } from '../layout.js';
import { facetUrl, ruleUrl } from '../urls.js';

/** Long lists are cut here on the page; the JSON report has them all. */
const listMax = 500;

function pct(part: number, whole: number): string {
  return whole ? `${((100 * part) / whole).toFixed(1)}%` : '—';
}

function more(total: number): SafeHtml | '' {
  return total > listMax
    ? html`<p class="muted small">Showing ${listMax} of ${total.toLocaleString('en-US')}; <a href="/api/report">the JSON report</a> has all.</p>`
    : '';
}

function languagesTable(report: BuildReport): SafeHtml {
  const rows = Object.entries(report.languages ?? {}).sort((a, b) => b[1].rules - a[1].rules);
  if (!rows.length) return html`<p class="muted">No rule with a query.</p>`;
  return html`<table class="grid"><thead><tr><th scope="col">Language</th><th scope="col" class="num">Rules</th><th scope="col" class="num">Parsed</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Not analysed</th><th scope="col" class="num">Parsed %</th></tr></thead><tbody>${rows.map(
    ([id, l]) => {
      const analysed = l.rules - l.notAnalysed;
      return html`<tr><th scope="row"><a href="${facetUrl('language', id)}">${languageName(id)}</a></th><td class="num">${l.rules.toLocaleString('en-US')}</td><td class="num">${l.parsed.toLocaleString('en-US')}</td><td class="num">${l.failed.toLocaleString('en-US')}</td><td class="num">${l.notAnalysed.toLocaleString('en-US')}</td><td class="num">${analysed ? html`<meter min="0" max="${analysed}" value="${l.parsed}"></meter> ${pct(l.parsed, analysed)}` : html`<span class="muted">not analysed yet</span>`}</td></tr>`;
    },
  )}</tbody></table>`;
}

function platformsTable(report: BuildReport): SafeHtml {
  const rows = Object.entries(report.platforms ?? {}).sort((a, b) => b[1].rules - a[1].rules);
  return html`<table class="grid"><thead><tr><th scope="col">Platform</th><th scope="col" class="num">Rules</th><th scope="col">Languages</th></tr></thead><tbody>${rows.map(
    ([id, p]) =>
      html`<tr><th scope="row"><a href="${facetUrl('platform', id)}">${platformName(id)}</a></th><td class="num">${p.rules.toLocaleString('en-US')}</td><td>${Object.entries(
        p.languages,
      )
        .sort((a, b) => b[1] - a[1])
        .map(
          ([lang, n], i) => html`${i ? ', ' : ''}${languageName(lang)} <span class="muted">${n.toLocaleString('en-US')}</span>`,
        )}</td></tr>`,
  )}</tbody></table>`;
}

function failuresList(report: BuildReport): SafeHtml {
  const failures = report.failures ?? [];
  if (!failures.length) return html`<p class="muted">Every analysed query parsed.</p>`;
  return html`<div class="scroll"><table class="grid"><thead><tr><th scope="col">Rule</th><th scope="col">Language</th><th scope="col">Reason</th><th scope="col">At</th></tr></thead><tbody>${failures
    .slice(0, listMax)
    .map(
      (f) =>
        html`<tr><td><a href="${ruleUrl(f.id)}" class="wrap-any">${f.path}</a></td><td>${languageName(f.language)}</td><td>${f.reason}</td><td class="nowrap">${f.line !== undefined ? `${f.line}:${f.column ?? 1}` : ''}</td></tr>`,
    )}</tbody></table></div>${more(failures.length)}`;
}

function errorsList(report: BuildReport): SafeHtml {
  const errors = report.errors ?? [];
  if (!errors.length) return html`<p class="muted">Every rule file could be read.</p>`;
  return html`<ul class="plain errors">${errors.slice(0, listMax).map((e) => html`<li><code class="wrap-any">${e.path}</code>: ${e.partial ? 'read in part: ' : ''}${e.reason}</li>`)}</ul>${more(errors.length)}`;
}

export function renderReport(ctx: WebContext): string {
  const report = ctx.store.report;
  let analysed = 0;
  let parsed = 0;
  for (const l of Object.values(report.languages ?? {})) {
    analysed += l.rules - l.notAnalysed;
    parsed += l.parsed;
  }
  const skipped = report.skipped ?? [];
  const body = html`<div class="report">
<h1>Build report</h1>
<p class="lead">${plural(report.rules ?? 0, 'rule')} from ${plural(report.files ?? 0, 'file')}${report.millis !== undefined ? ` in ${(report.millis / 1000).toFixed(1)} s` : ''}${report.builtAt ? html`, built <time datetime="${report.builtAt}">${report.builtAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time>` : ''}. ${pct(parsed, analysed)} of analysed queries parsed.</p>
<div class="stats">
<div class="stat"><span class="stat-n">${(report.rules ?? 0).toLocaleString('en-US')}</span><span class="stat-l">rules</span></div>
<div class="stat"><span class="stat-n">${pct(parsed, analysed)}</span><span class="stat-l">queries parsed</span></div>
<div class="stat"><span class="stat-n">${(report.failures ?? []).length.toLocaleString('en-US')}</span><span class="stat-l">parse failures</span></div>
<div class="stat"><span class="stat-n">${(report.errors ?? []).length.toLocaleString('en-US')}</span><span class="stat-l">unreadable files</span></div>
<div class="stat"><span class="stat-n">${skipped.length.toLocaleString('en-US')}</span><span class="stat-l">files skipped</span></div>
<div class="stat"><span class="stat-n">${(report.duplicates ?? 0).toLocaleString('en-US')}</span><span class="stat-l">older copies</span></div>
</div>
${section('languages', 'Languages', languagesTable(report))}
${section('platforms', 'Platforms', platformsTable(report))}
${section('failures', 'Queries that did not parse', failuresList(report))}
${section('errors', 'Files with errors', errorsList(report))}
${section(
  'skipped',
  'Skipped files',
  skipped.length
    ? html`<details><summary>${plural(skipped.length, 'file')} no format claims (licences, notes &hellip;) or not read (links that leave the source &hellip;)</summary><ul class="plain">${skipped.slice(0, listMax).map((s) => html`<li><code class="wrap-any">${s.path}</code> <span class="muted">${s.reason}</span></li>`)}</ul>${more(skipped.length)}</details>`
    : html`<p class="muted">No file was skipped.</p>`,
)}
</div>`;
  return layout(ctx.assets, { title: 'Build report', nav: 'report', body }).toString();
}

// The ATT&CK matrix page: tactics as columns, techniques coloured by rule count, sub-techniques in a disclosure.
import type { AttackMatrix, MatrixCell } from '../../coverage/matrix.js';
import { heatLevel } from '../../coverage/platforms.js';
import type { ExploreQuery } from '../../explore/explore.js';
import type { WebContext } from '../context.js';
import { catalogCoverage } from '../coverage-catalog.js';
import { type PartSource, partsHere, renderedNow, splicedPage } from '../coverage-kept.js';
import type { PooledBytes } from '../reply-bytes.js';
import type { CoverageParams } from '../coverage-params.js';
import { html, type SafeHtml } from '../html.js';
import { platformName } from '../labels.js';
import { exportUrl } from './explore.js';
import { apiUrl, count, coverageShell, exploreWith, legend, platformPicker, plural } from './coverage-common.js';

/**
 * Explore for a cell: the rules counted in it, by the `matrix:` search term (the tactic and the
 * technique with its sub-techniques, as the matrix places them), within the view's own search and filters.
 */
function cellUrl(query: ExploreQuery, tactic: string, cell: MatrixCell, platforms?: string[]): string {
  const term = `matrix:${tactic}/${cell.id}`;
  const q = query.q.trim() ? `(${query.q}) ${term}` : term;
  return exploreWith({ ...query, q }, platforms ? { platform: platforms } : {});
}

function platformCounts(query: ExploreQuery, tactic: string, cell: MatrixCell, compare: string[]): SafeHtml | '' {
  if (compare.length < 2) return '';
  return html`<ul class="mx-plats">${compare.map((p) => {
    const n = cell.byPlatform[p] ?? 0;
    // A platform at 0 while another covers the cell is the gap worth seeing.
    return n
      ? html`<li><a href="${cellUrl(query, tactic, cell, [p])}" title="${platformName(p)}: ${plural(n, 'rule')}">${platformName(p)} <b>${count(n)}</b></a></li>`
      : html`<li class="${cell.count ? 'gap' : 'none'}" title="No ${platformName(p)} rule">${platformName(p)} <b>0</b></li>`;
  })}</ul>`;
}

function cellHtml(query: ExploreQuery, tactic: string, cell: MatrixCell, max: number, compare: string[], sub = false): SafeHtml {
  const label = html`<span class="mx-label"><span class="mx-id">${cell.id}</span> <span class="mx-name">${sub ? cell.name.replace(/^[^:]*: /, '') : cell.name}</span></span>`;
  const head = cell.count
    ? html`<a class="mx-link" href="${cellUrl(query, tactic, cell, compare.length ? compare : undefined)}" title="${cell.id} ${cell.name}: ${plural(cell.count, 'rule')} in Explore">${label}<span class="mx-n">${count(cell.count)}</span></a>`
    : html`<span class="mx-link" title="${cell.id} ${cell.name}: no rule">${label}<span class="mx-n">0</span></span>`;
  const subs = cell.subtechniques;
  const covered = subs.filter((s) => s.count > 0).length;
  return html`<li class="mx-cell h${heatLevel(cell.count, max)}">${head}${platformCounts(query, tactic, cell, compare)}${
    subs.length
      ? html`<details class="mx-subs"><summary>${covered}/${plural(subs.length, 'sub-technique')}</summary><ul>${subs.map((s) => cellHtml(query, tactic, s, max, compare, true))}</ul></details>`
      : ''
  }</li>`;
}

/**
 * The page as bytes. Each tactic's column comes from `part`, keyed by the tactic: a server keeps them per
 * catalog for the view's default states (coverage-kept.ts), where a column depends on the matrix alone.
 */
export function renderMatrix(ctx: WebContext, p: CoverageParams, m: AttackMatrix, part: PartSource = renderedNow): PooledBytes {
  const all = catalogCoverage(ctx.store).platforms;
  const path = '/coverage/matrix';
  const columns = m.columns.map((col) =>
    part(
      col.id,
      () =>
        html`<section class="mx-col" aria-labelledby="mx-${col.id}"><h2 id="mx-${col.id}" class="mx-tactic"><span>${col.name}</span> <span class="muted small">${col.covered}/${col.techniques.length}</span></h2><ul>${col.techniques.map((c) => cellHtml(p.query, col.id, c, m.max, p.compare))}</ul></section>`,
    ),
  );
  const body = html`${platformPicker(
    p,
    path,
    all,
    html`<label class="cov-opt"><input type="checkbox" name="covered" value="1"${p.coveredOnly ? html` checked` : ''}> Only covered techniques</label>`,
  )}
${legend(m.max)}
${m.columns.length ? html`<div class="mx-scroll"><div class="mx">${partsHere}</div></div>` : html`${partsHere}<div class="empty"><p>No technique to show.</p></div>`}
${m.unplaced ? html`<p class="muted small">${plural(m.unplaced, 'technique mention')} without any tactic (neither the rule nor the ATT&amp;CK bundle names one) are not shown.</p>` : ''}`;
  const shown = p.compare.length ? p.compare.map(platformName).join(' vs ') : '';
  const text = coverageShell(ctx, p, {
    view: 'matrix',
    title: 'ATT&CK matrix',
    path,
    lead: html`${plural(m.rules, 'rule')}${shown ? html` of ${shown}` : ''} cover ${plural(m.techniquesCovered, 'technique')} (sub-techniques included). A technique's count includes the rules on its sub-techniques; each cell opens those rules in Explore.`,
    body,
    exports: html`Export <a href="${exportUrl(p.query, 'navigator')}" rel="nofollow" download>Navigator layer</a> · matrix <a href="${apiUrl('/api/coverage/matrix', p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${apiUrl('/api/coverage/matrix', p, 'json')}" rel="nofollow" download>JSON</a>`,
  });
  return splicedPage(text, columns);
}

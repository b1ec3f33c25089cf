// The most used indicators per field (as written, or canonical), with the rules behind each.
import type { FieldRow, IndicatorCoverage, IndicatorRow } from '../../coverage/indicators.js';
import type { WebContext } from '../context.js';
import { type PartSource, partsHere, renderedNow, splicedPage } from '../coverage-kept.js';
import type { PooledBytes } from '../reply-bytes.js';
import { type CoverageParams, coverageUrl } from '../coverage-params.js';
import { html, type SafeHtml } from '../html.js';
import { platformName } from '../labels.js';
import { exploreHrefs, ruleUrl } from '../urls.js';
import { indicatorFilter } from '../../explore/search-fields.js';
import { apiUrl, count, type CoveragePaging, coveragePager, coverageShell, hiddenInputs, plural, withPaging } from './coverage-common.js';

function valueText(value: string): SafeHtml {
  return value === '' ? html`<span class="muted">(empty string)</span>` : html`<code>${value}</code>`;
}

/**
 * Explore listing exactly the rules behind a row (the filters of the view kept): what its count counts;
 * the URL around the row's filter built once per page (exploreHrefs).
 */
function rulesHrefs(p: CoverageParams): (field: string, i: IndicatorRow) => SafeHtml {
  const href = exploreHrefs(p.query, (filter) => (p.canonical ? { canonical: [filter] } : { indicator: [filter] }));
  return (field, i) => href(indicatorFilter({ field, op: i.op, value: i.value, negated: i.negated }));
}

function indicatorRow(rulesHref: ReturnType<typeof rulesHrefs>, field: string, i: IndicatorRow): SafeHtml {
  const platforms = Object.entries(i.byPlatform).sort((a, b) => b[1] - a[1]);
  const more = i.count - i.rules.length;
  const all = rulesHref(field, i);
  return html`<tr><td>${i.negated ? html`<span class="neg">not</span> ` : ''}${i.op}</td><td class="val">${valueText(i.value)}</td><td class="num"><a href="${all}" title="List these rules in Explore">${count(i.count)}</a></td><td>${platforms.map(
    ([pl, n], k) => html`${k ? ', ' : ''}${platformName(pl)} <span class="muted">${count(n)}</span>`,
  )}</td><td><details class="ind-rules"><summary>${plural(i.count, 'rule')}</summary><ul class="plain">${i.rules.map(
    (r) => html`<li><a href="${ruleUrl(r.id)}">${r.name}</a> <span class="muted small">${platformName(r.platform)}</span></li>`,
  )}</ul>${more > 0 ? html`<p class="muted small"><a href="${all}">and ${count(more)} more</a></p>` : ''}</details></td></tr>`;
}

/** A field's table: its most used indicators, and a link to the field alone when it has more. */
function fieldSection(p: CoverageParams, path: string, rulesHref: ReturnType<typeof rulesHrefs>, f: FieldRow): SafeHtml {
  return html`<section class="card ind-field"><h2><code class="wrap-any">${f.field}</code> <span class="muted small">${plural(f.count, 'rule')}, ${plural(f.distinct, 'distinct indicator')}</span></h2>
<div class="scroll"><table class="grid"><thead><tr><th scope="col">Operator</th><th scope="col">Value</th><th scope="col" class="num">Rules</th><th scope="col">Platforms</th><th scope="col">Rules behind it</th></tr></thead><tbody>${f.indicators.map((i) => indicatorRow(rulesHref, f.field, i))}</tbody></table></div>
${f.distinct > f.indicators.length ? html`<p class="muted small">The ${f.indicators.length} most used of ${count(f.distinct)}; <a href="${coverageUrl(path, p, { field: f.field })}">this field only</a> or the CSV has more.</p>` : ''}
</section>`;
}

/**
 * The page as bytes. Each field's table comes from `part`, keyed by the field's name: a server keeps them per
 * catalog for a view's default state (coverage-kept.ts), where a table depends on the field alone.
 */
export function renderIndicators(
  ctx: WebContext,
  p: CoverageParams,
  c: IndicatorCoverage,
  paged: CoveragePaging,
  part: PartSource = renderedNow,
): PooledBytes {
  const path = '/coverage/indicators';
  const form = html`<form class="cov-form" method="get" action="${path}">
${hiddenInputs(p, ['field', 'view'])}
<label>Field <input type="search" name="field" value="${p.field}" placeholder="any field (part of a name)" aria-label="Field name contains"></label>
<label>View <select name="view" aria-label="Indicator view"><option value="">As written</option><option value="canonical"${p.canonical ? html` selected` : ''}>Canonical (shared field names)</option></select></label>
<button type="submit" class="btn">Show</button>
</form>`;
  const rulesHref = rulesHrefs(p);
  const fields = c.fields.map((f) => part(f.field, () => fieldSection(p, path, rulesHref, f)));
  const { page, limit } = paged.paging;
  const past = page > paged.pages;
  const empty = past
    ? html`There is no page ${count(page)}: the view has ${plural(paged.pages, 'page')} (<a href="${paged.links.prev ?? path}">the last</a>).`
    : c.canonical
      ? 'No indicator in this set has a canonical form yet (the catalog was built before canonical fields, or no field maps to a common one).'
      : 'No indicator in this set.';
  const first = (page - 1) * limit;
  // The first page says how many of the most used it shows; a later one which of them.
  const shown =
    c.fields.length >= c.totalFields
      ? ''
      : page === 1
        ? html`, the ${c.fields.length} most used shown`
        : c.fields.length
          ? html`, the most used ${count(first + 1)} to ${count(first + c.fields.length)} shown`
          : '';
  const text = coverageShell(ctx, p, {
    view: 'indicators',
    title: 'Indicators',
    path,
    lead: html`${c.canonical ? 'Canonical indicators (fields mapped to a shared vocabulary, so that platforms line up)' : 'Indicators as the rules write them'}: ${plural(c.totalFields, 'field')} over ${plural(c.rulesWithIndicators, 'rule')} of ${count(c.rules)}${shown}.`,
    body: html`${form}${partsHere}${c.fields.length ? '' : html`<div class="empty"><p>${empty}</p></div>`}${coveragePager(paged)}`,
    exports: html`Export <a href="${apiUrl('/api/coverage/indicators', p, 'csv')}" rel="nofollow" download>CSV</a> · <a href="${withPaging(apiUrl('/api/coverage/indicators', p, 'json'), paged.paging)}" rel="nofollow" download>JSON</a>`,
  });
  return splicedPage(text, fields);
}

// The rule page's indicators: what the rule requires, what it excludes, and which values are one of
// several (analysis/indicators places each in its condition's groups).
import type { CanonicalIndicator, Indicator, IndicatorGroup, Rule } from '../../model/types.js';
import { clipText, formatCount, plural, section, shownChars } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { indicatorFilter } from '../../explore/search-fields.js';
import { formEncode } from '../urls.js';

/** A value as URLSearchParams#toString writes it; a lone surrogate (which encodeURIComponent refuses) the way URLSearchParams writes it too. */
function formValue(value: string): string {
  try {
    return formEncode(value);
  } catch {
    return new URLSearchParams({ v: value }).toString().slice(2);
  }
}

/**
 * The start of the Explore links of a rule's counts, `/?q=-id:"<id>"&`, encoded and escaped (`&amp;`) once per
 * page: a page of many indicators built it, with a URLSearchParams, twice per row.
 */
function countLinksHead(rule: Rule): SafeHtml {
  return html`/?q=${formValue(`-id:"${rule.id}"`)}&amp;`;
}

/**
 * A corpus count, linking to the rules it counts: Explore filtered by the indicator (as written or
 * canonical), without this rule (its other copies are not counted either: they share its id's group).
 * `head`: countLinksHead of the rule.
 */
function countCell(head: SafeHtml, kind: 'indicator' | 'canonical', key: string, count: number | undefined, title: string): SafeHtml {
  if (count === undefined) return html`<td class="num"><span class="muted" title="${title}">&mdash;</span></td>`;
  if (count === 0) return html`<td class="num">0</td>`;
  return html`<td class="num shared"><a href="${head}${kind}=${formValue(key)}" title="${plural(count, 'other rule')} (copies of a rule counted once) with this ${kind === 'canonical' ? 'canonical indicator' : 'indicator'}: open the current copies in Explore">${formatCount(count)}</a></td>`;
}

const not = html`<span class="neg">not</span> `;

function canonicalCell(c: CanonicalIndicator | undefined, negated: boolean): SafeHtml {
  if (!c) return html`<td><span class="muted" title="The field has no canonical form">&mdash;</span></td>`;
  return html`<td class="canon"><code>${c.field}</code> ${negated ? not : ''}${c.op} <code>${clipText(c.value, shownChars.value)}</code></td>`;
}

/** Members of an excluded group read positively under its heading: their `not` is the group's. */
function shownNegated(ind: Indicator): boolean {
  let flips = 0;
  for (const g of ind.groups ?? []) if (g.kind === 'notAll') flips++;
  return ind.negated !== (flips % 2 === 1);
}

/** Groups numbered 1, 2 ... in the order their first indicator appears (a group may hold none: `a or <text>`). */
function groupNumbers(indicators: readonly Indicator[]): Map<number, number> {
  const numbers = new Map<number, number>();
  for (const ind of indicators) for (const g of ind.groups ?? []) if (!numbers.has(g.id)) numbers.set(g.id, numbers.size + 1);
  return numbers;
}

/** Its place under its group's heading: the branch or member, then the groups nested in it. */
function placeText(groups: readonly IndicatorGroup[], numbers: ReadonlyMap<number, number>): string {
  const step = (g: IndicatorGroup) => `${g.kind === 'any' ? 'branch' : 'member'} ${g.branch + 1}`;
  const [outer, ...inner] = groups;
  return [step(outer!), ...inner.map((g) => `${g.kind === 'any' ? 'one of' : 'excluded together'} #${numbers.get(g.id)}, ${step(g)}`)].join(
    ' › ',
  );
}

function roleCell(ind: Indicator, numbers: ReadonlyMap<number, number>): SafeHtml {
  if (!ind.role) return html`<td><span class="muted" title="Analysed before roles were derived: sync the catalog">&mdash;</span></td>`;
  const place = ind.groups?.length ? html` <span class="muted small">${placeText(ind.groups, numbers)}</span>` : '';
  return html`<td><span class="role role-${ind.role}">${ind.role}</span>${place}</td>`;
}

function row(head: SafeHtml, ind: Indicator, numbers: ReadonlyMap<number, number>): SafeHtml {
  const value =
    ind.value === ''
      ? html`<span class="muted">(empty string)</span>`
      : ind.op === 'exists' && ind.value === '*'
        ? html`<span class="muted">(field is present)</span>`
        : html`<code>${clipText(ind.value, shownChars.value)}</code>`;
  const count = ind.corpusCount ?? 0;
  const negated = shownNegated(ind);
  return html`<tr>${roleCell(ind, numbers)}<td class="fld"><code>${ind.field}</code></td><td>${negated ? not : ''}${ind.op}${ind.transform ? html` <span class="badge" title="The value is transformed before it is compared: not a plaintext match">${ind.transform}</span>` : ''}${ind.caseSensitive ? html` <span class="muted small">(case-sensitive)</span>` : ''}</td><td class="val">${value}</td>${countCell(head, 'indicator', indicatorFilter(ind), count, '')}${canonicalCell(ind.canonical, negated)}${countCell(head, 'canonical', ind.canonical ? indicatorFilter({ ...ind.canonical, negated: ind.negated }) : '', ind.canonical ? (ind.canonical.corpusCount ?? 0) : undefined, 'No canonical form to count')}</tr>`;
}

const columns = 7;

// No count of branches or members: a branch kept as text (a condition not analysed) holds no indicator.
function groupHeading(group: IndicatorGroup, number: number): SafeHtml {
  const text =
    group.kind === 'any'
      ? `One of #${number}: the rule matches when any one branch holds`
      : `Excluded together #${number}: the rule does not match when all of its members hold (each alone is not excluded)`;
  return html`<tr class="group group-${group.kind}"><th scope="rowgroup" colspan="${columns}">${text}</th></tr>`;
}

/** The shape of the conditions in a line: how many indicators are required, excluded, in groups. */
function summary(rule: Rule, numbers: ReadonlyMap<number, number>): string {
  const required = rule.indicators.filter((i) => i.role === 'required').length;
  const excluded = rule.indicators.filter((i) => i.role === 'exclusion' && !i.groups?.length).length;
  const outer = new Map<number, IndicatorGroup['kind']>();
  for (const ind of rule.indicators) if (ind.groups?.length) outer.set(ind.groups[0]!.id, ind.groups[0]!.kind);
  const anyGroups = [...outer.values()].filter((k) => k === 'any').length;
  const parts = [`${formatCount(required)} required`, `${formatCount(excluded)} excluded alone`];
  parts.push(`${plural(anyGroups, '"one of" group')}`, `${plural(outer.size - anyGroups, 'group')} excluded together`);
  if (rule.correlations?.length) parts.push(`${plural(rule.correlations.length, 'correlation')} (below, never counted)`);
  return numbers.size || required || excluded ? `${parts.join(' · ')}.` : '';
}

/**
 * Rows in this order: required, excluded alone, then each outermost group under its heading (its
 * members in the query's order, nested groups named in the role column).
 */
function bodyRows(rule: Rule, numbers: ReadonlyMap<number, number>): SafeHtml[] {
  const head = countLinksHead(rule);
  const plain = rule.indicators.filter((i) => !i.groups?.length);
  const rows = [...plain.filter((i) => i.role !== 'exclusion'), ...plain.filter((i) => i.role === 'exclusion')].map((i) =>
    row(head, i, numbers),
  );
  const byGroup = new Map<number, { group: IndicatorGroup; members: Indicator[] }>();
  for (const ind of rule.indicators) {
    const outer = ind.groups?.[0];
    if (!outer) continue;
    let entry = byGroup.get(outer.id);
    if (!entry) byGroup.set(outer.id, (entry = { group: outer, members: [] }));
    entry.members.push(ind);
  }
  for (const { group, members } of byGroup.values())
    rows.push(groupHeading(group, numbers.get(group.id)!), ...members.map((i) => row(head, i, numbers)));
  return rows;
}

export function indicatorsSection(rule: Rule): SafeHtml {
  const intro =
    'Each row is a field, operator and value that the rule matches. Its role says how the conditions use it: required in every way the rule matches; one alternative of a "one of" group, where any branch suffices; an exclusion on its own, or a member of a group excluded together (not (a and b) excludes the pair, not each). The corpus column counts how many other rules in the catalog look for the same combination: high numbers point to widely-used, community-vetted indicators; 0 shows that the indicator is specific to this rule. The canonical form puts the field in a vocabulary shared by every platform (Sigma Image, Defender FileName and Elastic process.name alike) and the last column counts the other rules, on any platform, with the same canonical indicator.';
  if (!rule.indicators.length)
    return section('indicators', 'Indicators', html`<p class="muted">No field-and-value comparison was found in the query.</p>`, intro);
  const numbers = groupNumbers(rule.indicators);
  const line = summary(rule, numbers);
  return section(
    'indicators',
    'Indicators',
    html`${line ? html`<p class="small" id="indicator-shape">${line}</p>` : ''}<div class="scroll"><table class="grid indicators"><thead><tr><th scope="col">Role</th><th scope="col">Field</th><th scope="col">Kind</th><th scope="col">Value</th><th scope="col" class="num">Corpus</th><th scope="col">Canonical</th><th scope="col" class="num" title="Other rules on any platform with the same canonical indicator">All platforms</th></tr></thead><tbody>${bodyRows(rule, numbers)}</tbody></table></div>`,
    intro,
  );
}

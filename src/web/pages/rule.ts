import type { AttackTechnique, Diagnostic, PredicateNode, Rule, Scalar, Stage } from '../../model/types.js';
import {
  clipText,
  languageBadge,
  olderCopyBadge,
  removedBadge,
  platformBadge,
  plainBadge,
  plural,
  section,
  severityBadge,
  shownChars,
} from '../components.js';
import type { WebContext } from '../context.js';
import { highlight } from '../highlight.js';
import { html, type HtmlValue, markdown, safeExternalUrl, type SafeHtml } from '../html.js';
import { languageName, providerName, ruleTypeName } from '../labels.js';
import { layout } from '../layout.js';
import { facetUrl, ruleUrl } from '../urls.js';
import { changeDateLabel } from '../change-date.js';
import type { BuildReport } from '../../report/report.js';
import { type Upstream, upstreamOf } from '../upstream.js';
import { testsSection, tryEventSection } from './evaluation.js';
import { clippedNote, shownCode } from './rule-code.js';
import { type RuleParts, rulePartsOf, splicedRuleParts } from './rule-kept.js';
import type { PooledBytes } from '../reply-bytes.js';

// ---------- ATT&CK ----------

/** Drop a parent technique when one of its sub-techniques is listed beside it. */
function mostSpecific(techniques: AttackTechnique[]): AttackTechnique[] {
  return techniques.filter((t) => t.id.includes('.') || !techniques.some((s) => s.id.startsWith(`${t.id}.`)));
}

function mitreUrl(id: string): string | undefined {
  const m = /^(T\d{4})(?:\.(\d{3}))?$/.exec(id);
  if (m) return `https://attack.mitre.org/techniques/${m[1]}/${m[2] ? `${m[2]}/` : ''}`;
  if (/^TA\d{4}$/.test(id)) return `https://attack.mitre.org/tactics/${id}/`;
  return undefined;
}

function externalIcon(url: string | undefined, label: string): SafeHtml | '' {
  return url
    ? html` <a class="ext" href="${url}" rel="noopener noreferrer nofollow" target="_blank" title="${label} on attack.mitre.org" aria-label="${label} on attack.mitre.org">&nearr;</a>`
    : '';
}

function techniqueItem(t: AttackTechnique): SafeHtml {
  const name = t.name && t.name !== t.id ? t.name : '';
  return html`<li><a class="tech" href="${facetUrl('technique', t.id)}" title="Rules with ${t.id}">${t.id}</a> ${name}${externalIcon(mitreUrl(t.id), t.id)}</li>`;
}

function attackSection(rule: Rule): SafeHtml {
  const { tactics, techniques } = rule.attack;
  if (!tactics.length && !techniques.length)
    return section('attack', 'MITRE ATT&CK coverage', html`<p class="muted">The rule names no ATT&amp;CK tactic or technique.</p>`);
  const rows: SafeHtml[] = [];
  const placed = new Set<string>();
  for (const tactic of tactics) {
    const under = techniques.filter((t) => t.tactics.includes(tactic.id));
    for (const t of under) placed.add(t.id);
    const shown = mostSpecific(under);
    rows.push(html`<tr><th scope="row"><a href="${facetUrl('tactic', tactic.id)}">${tactic.name || tactic.id}</a> <span class="muted small">${tactic.id !== tactic.name ? tactic.id : ''}</span></th>
<td>${shown.length ? html`<ul class="plain">${shown.map(techniqueItem)}</ul>` : html`<span class="muted">&mdash;</span>`}</td></tr>`);
  }
  const loose = mostSpecific(techniques.filter((t) => !placed.has(t.id)));
  if (loose.length) {
    rows.push(
      html`<tr><th scope="row"><span class="muted">${tactics.length ? 'Other tactics' : 'No tactic given'}</span></th><td><ul class="plain">${loose.map(techniqueItem)}</ul></td></tr>`,
    );
  }
  return section(
    'attack',
    'MITRE ATT&CK coverage',
    html`<table class="grid"><thead><tr><th scope="col">Tactic</th><th scope="col">Techniques</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

// ---------- events and same action ----------

function eventsSection(rule: Rule): SafeHtml {
  if (!rule.events.length) {
    return section('events', 'Event coverage', html`<p class="muted">No provider event was recognised in this rule&rsquo;s query.</p>`);
  }
  return section(
    'events',
    'Event coverage',
    html`<table class="grid"><thead><tr><th scope="col">Provider</th><th scope="col">Event</th></tr></thead><tbody>${rule.events.map(
      (e) =>
        html`<tr><td><a href="${facetUrl('provider', e.provider)}">${providerName(e.provider)}</a></td><td>${e.event.length > shownChars.value ? html`<code>${clipText(e.event, shownChars.value)}</code>` : html`<a href="${facetUrl('event', `${e.provider}/${e.event}`)}"><code>${e.event}</code></a>`}</td></tr>`,
    )}</tbody></table>`,
  );
}

// ---------- query, stages and predicates ----------

/** Highlighted code by the text shown, for one page render (rule-kept.ts: kept per catalog; a single stage often repeats the query). */
type HighlightMemo = Map<string, SafeHtml>;

function codeBlock(memo: HighlightMemo, text: string, language: string, label: string): SafeHtml {
  const { text: shown, more } = shownCode(text);
  let code = memo.get(shown);
  if (!code) memo.set(shown, (code = highlight(shown, language)));
  return html`<pre class="code" tabindex="0" aria-label="${label}"><code>${code}</code></pre>${more ? clippedNote(more) : ''}`;
}

/**
 * Long query lines are cut by their scroll box: this box wraps every code block of the page (CSS
 * `:has`, so without script); the page script remembers the choice for the next rule page.
 */
const wrapToggle = html`<label class="wrap-toggle"><input type="checkbox" id="wrap-code"> Wrap long lines</label>`;

function scalar(v: Scalar): string {
  if (typeof v === 'string') return JSON.stringify(v);
  return v === null ? 'null' : String(v);
}

function predicateValues(values: Scalar[]): string {
  if (values.length === 0) return '';
  if (values.length === 1) return clipText(scalar(values[0]!), shownChars.value);
  return clipText(`(${values.map(scalar).join(', ')})`, shownChars.value);
}

const maxTreeDepth = 64;

function predicateTree(node: PredicateNode, depth = 0): SafeHtml {
  if (depth > maxTreeDepth) return html`<span class="muted">&hellip; (nested too deep to show)</span>`;
  switch (node.kind) {
    case 'and':
    case 'or':
      return html`<div class="pn pn-${node.kind}"><span class="pn-op">${node.kind.toUpperCase()}</span><ul>${node.children.map(
        (c) => html`<li>${predicateTree(c, depth + 1)}</li>`,
      )}</ul></div>`;
    case 'not':
      return html`<div class="pn pn-not"><span class="pn-op">NOT</span><ul><li>${predicateTree(node.child, depth + 1)}</li></ul></div>`;
    case 'some':
      return html`<div class="pn pn-some"><span class="pn-op">${node.atLeast ? `AT LEAST ${node.atLeast} ELEMENTS OF` : 'SOME ELEMENT OF'} <code>${node.field}</code></span><ul><li>${predicateTree(node.child, depth + 1)}</li></ul></div>`;
    case 'pred': {
      const p = node.predicate;
      const values = predicateValues(p.values);
      return html`<code class="pred" title="${clipText(p.text, shownChars.value)}"><span class="pf">${p.field}</span> <span class="po">${p.negated ? 'not ' : ''}${p.op}</span>${values ? html` <span class="pv">${values}</span>` : ''}${p.transform ? html` <span class="badge" title="The values are transformed before they are compared: not a plaintext match">${p.transform}</span>` : ''}${p.caseSensitive ? html` <span class="muted small">(case-sensitive)</span>` : ''}</code>${p.nativeOp && p.nativeOp !== p.op ? html` <span class="muted small">as <code>${p.nativeOp}</code></span>` : ''}`;
    }
    case 'other':
      return html`<code class="pred other" title="kept as text">${clipText(node.text, shownChars.value)}</code>`;
  }
}

function stageItem(memo: HighlightMemo, stage: Stage, index: number, language: string): SafeHtml {
  const depth = Math.min(4, Math.max(0, stage.depth ?? 0));
  return html`<li class="stage d${depth}">
<div class="stage-h"><strong>Stage ${index + 1}: ${stage.kind}${stage.variable ? html` <code>${stage.variable}</code>` : ''}</strong>${stage.sources?.length ? html` <span class="muted">reads ${stage.sources.join(', ')}</span>` : ''}${depth ? html` <span class="badge">subquery</span>` : ''}</div>
${codeBlock(memo, stage.text, language, `Stage ${index + 1}`)}
${stage.condition ? html`<div class="ptree" aria-label="Predicates">${predicateTree(stage.condition)}</div>` : ''}
${stage.thresholds?.length ? html`<p class="small">Thresholds: ${stage.thresholds.map((t, i) => html`${i ? ', ' : ''}<code>${t.of}</code> ${t.negated ? 'not ' : ''}${t.op} ${t.value}`)}</p>` : ''}
</li>`;
}

function stagesSection(memo: HighlightMemo, rule: Rule): SafeHtml {
  if (!rule.stages.length) {
    const why = !rule.query
      ? 'The rule has no query.'
      : rule.parsed
        ? 'The analyser found no stages.'
        : `The ${languageName(rule.language)} query was not broken into stages (see Diagnostics).`;
    return section('stages', 'Stages and predicates', html`<p class="muted">${why}</p>`);
  }
  return section(
    'stages',
    'Stages and predicates',
    html`<ol class="stages">${rule.stages.map((s, i) => stageItem(memo, s, i, rule.language))}</ol>`,
  );
}

// ---------- indicators, outputs, diagnostics ----------

function correlationsSection(rule: Rule): SafeHtml | '' {
  if (!rule.correlations?.length) return '';
  const intro =
    'Fields the query compares with another field, a join key or a placeholder rather than with a value: they tie events together (the same user in two events, the rows a join matches) and say nothing on their own, so they are not indicators and are never counted.';
  const rows = rule.correlations.map(
    (c) =>
      html`<tr><td><code>${c.field}</code></td><td>${c.negated ? html`<span class="neg">not</span> ` : ''}${c.kind}</td><td>${c.kind === 'join key' ? '' : html`<code>${c.with}</code>`}</td><td><code>${c.nativeOp}</code></td></tr>`,
  );
  return section(
    'correlations',
    'Correlations',
    html`<div class="scroll"><table class="grid"><thead><tr><th scope="col">Field</th><th scope="col">Kind</th><th scope="col">With</th><th scope="col">As written</th></tr></thead><tbody>${rows}</tbody></table></div>`,
    intro,
  );
}

function outputsSection(rule: Rule): SafeHtml {
  const intro =
    'Fields the rule emits when it matches. Sentinel rules build them up through project / summarize / extend stages and map them into alert fields via entityMappings and customDetails; Elastic rules surface the fields of the matching events.';
  if (!rule.outputFields.length)
    return section('outputs', 'Output fields', html`<p class="muted">The rule declares no output fields.</p>`, intro);
  return section(
    'outputs',
    'Output fields',
    html`<div class="scroll"><table class="grid"><thead><tr><th scope="col">Field</th><th scope="col">Source</th></tr></thead><tbody>${rule.outputFields.map(
      (o) =>
        html`<tr><td><code>${o.field}</code></td><td>${o.source}${o.mappedBy?.length ? html` <span class="muted">+ ${o.mappedBy.join(', ')}</span>` : ''}</td></tr>`,
    )}</tbody></table></div>`,
    intro,
  );
}

function where(d: Diagnostic): string {
  const parts: string[] = [];
  if (d.line !== undefined)
    parts.push(`${d.scope === 'file' ? 'file ' : ''}line ${d.line}${d.column !== undefined ? `, column ${d.column}` : ''}`);
  if (d.fileLine !== undefined) parts.push(`file line ${d.fileLine}`);
  return parts.join(' · ');
}

function diagnosticsSection(rule: Rule): SafeHtml | '' {
  if (!rule.diagnostics.length) return '';
  const sevClass = (s: Diagnostic['severity']) => (s === 'error' ? 'sev-high' : s === 'warning' ? 'sev-medium' : 'sev-low');
  return section(
    'diagnostics',
    'Diagnostics',
    html`<table class="grid"><thead><tr><th scope="col">Severity</th><th scope="col">Message</th><th scope="col">Where</th></tr></thead><tbody>${rule.diagnostics.map(
      (d) =>
        html`<tr><td><span class="badge sev ${sevClass(d.severity)}">${d.severity}</span> <span class="muted small">${d.scope}</span></td><td>${d.message}</td><td class="nowrap">${where(d)}</td></tr>`,
    )}</tbody></table>`,
  );
}

function historySection(rule: Rule): SafeHtml | '' {
  if (!rule.history?.length) return '';
  return section(
    'history',
    'History',
    html`<ul class="plain">${rule.history.map(
      (h) =>
        html`<li><span class="badge${h.change === 'removed' ? ' warn' : ''}">${h.change}</span> ${h.date.slice(0, 10)}${h.commit ? html` <code>${h.commit.slice(0, 12)}</code>` : ''} <span class="muted small">sync ${h.sync}</span></li>`,
    )}</ul>`,
    "Changes seen by ruleatlas sync: a rule changed when its file's content changed.",
  );
}

function duplicatesSection(ctx: WebContext, rule: Rule): SafeHtml | '' {
  const dup = rule.duplicates;
  if (!dup) return '';
  const others = dup.others.map((id) => ctx.store.byId.get(id));
  const copies = dup.copies ?? dup.others.length + 1;
  const listed = copies > dup.others.length + 1 ? ` The newest ${dup.others.length} others are listed.` : '';
  const text = `${plural(copies, 'file')} carry this native id; this is ${dup.newest ? 'the newest copy' : 'an older copy'}.${listed}`;
  return section(
    'duplicates',
    'Duplicates',
    html`<p>${text}</p><ul class="links">${dup.others.map((id, i) => {
      const other = others[i];
      return html`<li><a href="${ruleUrl(id)}">${other?.name ?? id}</a> <span class="muted small">${other ? `${other.sourceName}/${other.path}` : ''}${other?.version ? ` · version ${other.version}` : ''}${other?.updated ? ` · updated ${other.updated}` : ''}</span>${other && (!other.duplicates || other.duplicates.newest) ? html` <span class="badge">newest</span>` : ''}</li>`;
    })}</ul>`,
  );
}

// ---------- metadata ----------

function referencesSection(rule: Rule): SafeHtml | '' {
  if (!rule.references.length) return '';
  return section(
    'references',
    'References',
    html`<ul class="links refs">${rule.references.map((ref) => {
      const href = safeExternalUrl(ref);
      return html`<li>${href ? html`<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${ref}</a>` : html`<span class="muted" title="not an http(s) link">${ref}</span>`}</li>`;
    })}</ul>`,
  );
}

/** The rule's markdown texts, by the id of the section showing each. */
const markdownTexts = (rule: Rule) =>
  [
    ['guide', rule.guide],
    ['setup', rule.setup],
  ] as const;

/**
 * A section's markdown as the rule's authors wrote it (web/html.ts markdown: raw HTML off, http(s)
 * links only), kept in `ctx.ruleMarkdown` when there is one.
 */
function markdownHtml(ctx: WebContext, rule: Rule, id: string, value: string): SafeHtml {
  const key = `${rule.id}\u0000${id}`;
  let shown = ctx.ruleMarkdown?.get(key);
  if (!shown) {
    shown = markdown(clipText(value.trim(), shownChars.code));
    ctx.ruleMarkdown?.set(key, shown);
  }
  return shown;
}

/**
 * Every rule's markdown rendered into `ctx.ruleMarkdown` (as far as its bound holds them), before the
 * server listens: the whole corpus's 5,688 texts take about 0.8 s and 11.5 M characters.
 */
export function warmRuleMarkdown(ctx: WebContext): void {
  if (!ctx.ruleMarkdown) return;
  for (const rule of ctx.store.rules)
    for (const [id, value] of markdownTexts(rule)) if (typeof value === 'string' && value.trim()) markdownHtml(ctx, rule, id, value);
}

function textSection(ctx: WebContext, rule: Rule, id: string, title: string, value: unknown): SafeHtml | '' {
  if (typeof value !== 'string' || !value.trim()) return '';
  return html`<section class="card" id="${id}"><details><summary><h2 class="inline">${title}</h2></summary><div class="markdown">${markdownHtml(ctx, rule, id, value)}</div></details></section>`;
}

function item(label: string, value: HtmlValue): SafeHtml | '' {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return '';
  return html`<dt>${label}</dt><dd>${value}</dd>`;
}

/** A look-back as a duration: Elastic writes it as date math from the run's time (`now-30m` is 30m). */
function lookback(text: string): string {
  return /^now-\d+[smhdw]$/i.test(text.trim()) ? text.trim().slice(4) : text;
}

/** The rule's file upstream: a link at its commit where the host's file URLs are known, else the repository and commit. */
function upstreamItem(up: Upstream | undefined): SafeHtml | '' {
  if (!up) return '';
  const href = up.href ?? safeExternalUrl(up.repository);
  const commit = up.commit ? html` <span class="muted small">at <code>${up.commit.slice(0, 12)}</code></span>` : '';
  return html`<div class="small upstream">${href ? html`<a href="${href}" rel="noopener noreferrer nofollow" target="_blank">${up.href ? 'Upstream file' : up.repository} &nearr;</a>` : up.repository}${commit}</div>`;
}

function aboutCard(rule: Rule, report: BuildReport): SafeHtml {
  const s = rule.schedule;
  const parts = s
    ? [
        s.interval ? html`every <code>${s.interval}</code>` : '',
        s.lookback ? html`looking back <code>${lookback(s.lookback)}</code>` : '',
        s.trigger ? html`trigger <code>${s.trigger}</code>` : '',
        s.dedup ? html`alerts merged over <code>${s.dedup}</code> <span class="muted small">(dedup period)</span>` : '',
      ].filter((p) => p !== '')
    : [];
  const schedule = parts.length ? html`${parts.map((p, i) => (i ? html`, ${p}` : p))}` : '';
  const risk = rule.extra.risk_score;
  return html`<aside class="card about" aria-label="About this rule">
<h2>About</h2>
<dl>
${item('Author', rule.authors.join(', '))}
${item('Created', rule.created)}
${item('Updated', rule.updated)}
${item('Last changed', changeDateLabel(rule))}
${item('Version', rule.version)}
${item('Status', rule.status)}
${item('Type', rule.type && ruleTypeName(rule.platform, rule.type))}
${item('Language', languageName(rule.language))}
${item('Risk score', typeof risk === 'number' || typeof risk === 'string' ? String(risk) : undefined)}
${item('Schedule', schedule)}
${item('Data sources', rule.dataSources.length ? html`<ul class="chips-list">${rule.dataSources.map((d) => html`<li class="tag">${d}</li>`)}</ul>` : '')}
${item('Log sources', rule.sources.length ? html`<ul class="chips-list">${rule.sources.map((d) => html`<li class="tag mono">${d}</li>`)}</ul>` : '')}
${item('Tags', rule.tags.length ? html`<ul class="chips-list">${rule.tags.map((t) => html`<li class="tag">${t}</li>`)}</ul>` : '')}
${item('Native id', html`<code class="wrap-any">${rule.nativeId}</code>`)}
${item('Source', html`<code class="wrap-any">${rule.sourceName}/${rule.path}</code>${upstreamItem(upstreamOf(rule, report))}`)}
</dl>
<p class="small"><a href="/api/rules/${encodeURIComponent(rule.id)}">Rule JSON</a></p>
</aside>`;
}

// ---------- page ----------

/** The rule page with its kept parts in its text. */
export function renderRule(ctx: WebContext, rule: Rule): string {
  return renderPage(ctx, rule, rulePartsOf(ctx.store, rule));
}

/** The rule page's answer: the same bytes as renderRule's text, its kept parts copied in as bytes (rule-kept.ts). */
export function ruleAnswer(ctx: WebContext, rule: Rule): PooledBytes {
  const parts = splicedRuleParts(ctx.store, rule);
  return parts.answer(renderPage(ctx, rule, parts));
}

function renderPage(ctx: WebContext, rule: Rule, parts: RuleParts): string {
  const memo: HighlightMemo = parts.code;
  const body = html`<article class="rule">
<nav class="crumbs" aria-label="Breadcrumb"><a href="/">Detection rules</a> <span aria-hidden="true">&rsaquo;</span> <a href="${facetUrl('language', rule.language)}">${languageName(rule.language)}</a></nav>
<header class="rule-head">
<h1>${rule.name || rule.nativeId}</h1>
<div class="badges">${platformBadge(rule.platform)}${severityBadge(rule.severity)}${rule.type ? plainBadge(ruleTypeName(rule.platform, rule.type), 'Rule type') : ''}${languageBadge(rule.language)}${rule.status ? html`<span class="status">Status: ${rule.status}</span>` : ''}${olderCopyBadge(rule)}${removedBadge(rule)}</div>
${rule.description ? html`<div class="prose desc">${clipText(rule.description, shownChars.code)}</div>` : ''}
</header>
<div class="rule-grid">
<div class="rule-main">
${attackSection(rule)}
${eventsSection(rule)}
${parts.sameAction}
${parts.similar}
${section(
  'query',
  'Detection query',
  rule.query
    ? html`${wrapToggle}${codeBlock(memo, rule.query, rule.language, 'Detection query')}`
    : html`<p class="muted">This ${rule.type || ''} rule has no query.</p>`,
)}
${stagesSection(memo, rule)}
${testsSection(ctx, rule)}
${tryEventSection(rule)}
${parts.indicators}
${correlationsSection(rule)}
${outputsSection(rule)}
${diagnosticsSection(rule)}
${duplicatesSection(ctx, rule)}
${historySection(rule)}
${referencesSection(rule)}
${textSection(ctx, rule, 'guide', 'Investigation guide', rule.guide)}
${textSection(ctx, rule, 'setup', 'Setup', rule.setup)}
${section('body', 'Raw rule body', parts.body)}
</div>
${aboutCard(rule, ctx.store.report)}
</div>
</article>`;
  return layout(ctx.assets, { title: rule.name || rule.nativeId, nav: 'explore', body }).toString();
}

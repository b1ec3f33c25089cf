// A rule page's highlighted code (its query, its stages' texts, its file): highlighting was about a
// third of a rule page's CPU and of its garbage, and its markup is the same in every answer, so
// rule-kept.ts keeps it per catalog with the page's other catalog-wide parts.
import { formats } from '../../formats/registry.js';
import type { Rule } from '../../model/types.js';
import type { CatalogStore } from '../../store/read.js';
import { clip, formatCount, shownChars } from '../components.js';
import { highlight, highlightRuleBody } from '../highlight.js';
import { html, type SafeHtml } from '../html.js';

const containers = new Map(formats.map((f) => [f.id, f.container]));

export interface RuleCode {
  /** Highlighted code of the query and of each stage, by the text shown (`shownCode`). */
  code: Map<string, SafeHtml>;
  /** The rule's file: where it comes from and its text, highlighted. */
  body: SafeHtml;
}

/** A code block's text as shown: trailing space dropped, cut at `shownChars.code`, and how many characters are not shown. */
export function shownCode(text: string): { text: string; more: number } {
  return clip(text.trimEnd(), shownChars.code);
}

export function clippedNote(more: number): SafeHtml {
  return html`<p class="muted small">&hellip; and ${formatCount(more)} more characters, not shown (the rule's JSON, <code>/api/rules/&lt;id&gt;</code>, has them all).</p>`;
}

/** The distinct code texts of a rule page as shown, in order: its query's, then its stages'. */
export function codeTexts(rule: Rule): string[] {
  const texts = new Set<string>();
  if (rule.query) texts.add(shownCode(rule.query).text);
  for (const stage of rule.stages) texts.add(shownCode(stage.text).text);
  return [...texts];
}

/** The rule's file, highlighted; a file longer than the page shows is cut (its query span only when wholly shown). */
function bodyBlock(rule: Rule, body: string): SafeHtml {
  const { text, more } = clip(body, shownChars.body);
  const range = rule.queryRange && rule.queryRange.end <= text.length ? rule.queryRange : undefined;
  const container = containers.get(rule.format) ?? 'text';
  return html`<p class="intro">From <code class="wrap-any">${rule.sourceName}/${rule.path}</code></p><pre class="code body" tabindex="0" aria-label="Rule file"><code>${highlightRuleBody(text, container, rule.language, range)}</code></pre>${more ? clippedNote(more) : ''}`;
}

/** The rule's code highlighted now (rule-kept.ts keeps it per catalog). */
export function renderRuleCode(store: CatalogStore, rule: Rule): RuleCode {
  const code = new Map<string, SafeHtml>();
  for (const text of codeTexts(rule)) code.set(text, highlight(text, rule.language));
  return { code, body: bodyBlock(rule, store.bodyOf(rule)) };
}

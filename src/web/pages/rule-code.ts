// A rule page's highlighted code (its query, its stages' texts, its file), rendered once per catalog
// and kept deflated (web/html.ts PackedHtml): highlighting was about a third of a rule page's CPU and
// of its garbage, and its markup is the same in every answer. Every rule's is packed before the server
// listens (server.ts), under a budget of its own counted in web/per-catalog.ts; a rule past the budget
// is highlighted on each request, as before. The page around the code is rendered per request.
import { formats } from '../../formats/registry.js';
import type { Rule } from '../../model/types.js';
import type { CatalogStore } from '../../store/read.js';
import { clip, formatCount, shownChars } from '../components.js';
import { highlight, highlightRuleBody } from '../highlight.js';
import { html, packHtml, type PackedHtml, type SafeHtml } from '../html.js';
import { perCatalogSized } from '../per-catalog.js';

const containers = new Map(formats.map((f) => [f.id, f.container]));

/** Bytes of packed code kept per catalog: the whole shared corpus's 10,141 rules take about 21 MB. */
const budgetBytes = 48 * 1024 * 1024;

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
function codeTexts(rule: Rule): string[] {
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

function renderRuleCode(store: CatalogStore, rule: Rule): RuleCode {
  const code = new Map<string, SafeHtml>();
  for (const text of codeTexts(rule)) code.set(text, highlight(text, rule.language));
  return { code, body: bodyBlock(rule, store.bodyOf(rule)) };
}

/** A packed entry's bytes on the heap, roughly: its deflated bytes, the lengths, the objects and the map's slot. */
const packedBytes = (p: PackedHtml) => p.bytes.length + 8 * p.lengths.length + 160;

/** Every rule's code packed, by rule id, as far as `budget` holds (in catalog order). */
function packAll(store: CatalogStore, budget: number): { value: Map<string, PackedHtml>; bytes: number } {
  const packed = new Map<string, PackedHtml>();
  let bytes = 0;
  for (const rule of store.rules) {
    const code = renderRuleCode(store, rule);
    const p = packHtml([code.body, ...code.code.values()]);
    if (!p) continue;
    if (bytes + packedBytes(p) > budget) break;
    packed.set(rule.id, p);
    bytes += packedBytes(p);
  }
  return { value: packed, bytes };
}

const packedCode = (store: CatalogStore) => perCatalogSized(store, 'rule code', budgetBytes, (budget) => packAll(store, budget));

/** Packs every rule's code for this catalog now (the server, before it listens), not on the first rule page. */
export function warmRuleCode(store: CatalogStore): void {
  packedCode(store);
}

/** The rule's highlighted code: unpacked when kept, else highlighted now. */
export function ruleCodeOf(store: CatalogStore, rule: Rule): RuleCode {
  const packed = packedCode(store).get(rule.id);
  if (!packed) return renderRuleCode(store, rule);
  const [body, ...pieces] = packed.unpack();
  const texts = codeTexts(rule);
  return { body: body!, code: new Map(texts.map((text, i) => [text, pieces[i]!])) };
}

// Small building blocks shared by the pages.
import type { Rule } from '../model/types.js';
import { html, type HtmlValue, type SafeHtml } from './html.js';
import { languageName, platformName, severityName } from './labels.js';

const severityClasses = new Set(['critical', 'high', 'medium', 'low', 'informational']);

export function severityBadge(severity: string): SafeHtml {
  const cls = severityClasses.has(severity) ? severity : 'unknown';
  return html`<span class="badge sev sev-${cls}" title="Severity">${severityName(severity)}</span>`;
}

export function platformBadge(platform: string): SafeHtml {
  const cls = /^[a-z0-9-]+$/.test(platform) ? platform : 'other';
  return html`<span class="badge plat plat-${cls}" title="Platform">${platformName(platform)}</span>`;
}

export function languageBadge(language: string): SafeHtml {
  return html`<span class="badge lang" title="Query language">${languageName(language)}</span>`;
}

export function plainBadge(text: string, title?: string): SafeHtml {
  return html`<span class="badge" title="${title ?? ''}">${text}</span>`;
}

export function removedBadge(rule: Rule): SafeHtml | '' {
  return rule.removed
    ? html`<span class="badge warn" title="The rule's file is gone from its source; kept in the catalog">removed upstream</span>`
    : '';
}

export function olderCopyBadge(rule: Rule): SafeHtml | '' {
  return rule.duplicates && !rule.duplicates.newest
    ? html`<span class="badge warn" title="An older file with the same native id">older copy</span>`
    : '';
}

/** A titled page section with an anchor. */
export function section(id: string, title: string, body: HtmlValue, intro?: string): SafeHtml {
  return html`<section class="card" id="${id}" aria-labelledby="${id}-h">
<h2 id="${id}-h"><a class="anchor" href="#${id}">${title}</a></h2>
${intro ? html`<p class="intro">${intro}</p>` : ''}
${body}
</section>`;
}

/** First sentences of a description, cut at a word boundary. */
export function snippet(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.lastIndexOf(' ', max);
  return `${flat.slice(0, cut > max / 2 ? cut : max)}…`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/**
 * An integer as `toLocaleString('en-US')` writes it (1,234,567), a few times faster: a page writes
 * hundreds of counts (facet values, indicator rows), and ICU formatting was a third of its time.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  const grouped = digits.length > 3 ? digits.replace(/\B(?=(\d{3})+$)/g, ',') : digits;
  return n < 0 ? `-${grouped}` : grouped;
}

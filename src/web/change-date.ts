// A rule's last upstream change as pages show it: the day, and what says so (explore/facets.ts changeDate).
import { type ChangeDate, changeDate } from '../explore/facets.js';
import type { Rule } from '../model/types.js';
import { html, type SafeHtml } from './html.js';

const origins: Record<ChangeDate['from'], string> = {
  git: "its file's last commit",
  sync: 'a sync saw it change',
  rule: "the rule's own updated date",
  file: "its file's modification time",
};

/** `changed 2025-06-01`, titled with where the date comes from; '' when no date is known. */
export function changeDateLabel(rule: Rule): SafeHtml | '' {
  const changed = changeDate(rule);
  if (!changed) return '';
  return html`<span class="changed" data-from="${changed.from}" title="Last changed upstream, from ${origins[changed.from]}">changed <time datetime="${changed.date}">${changed.date}</time></span>`;
}

// The rule page's "similar rules": the rules sharing rare canonical indicators with it (analysis/similar).
import type { Rule } from '../../model/types.js';
import { clipText, section, shownChars } from '../components.js';
import { html, type SafeHtml } from '../html.js';
import { platformName } from '../labels.js';
import { ruleUrl } from '../urls.js';

export function similarSection(rule: Rule): SafeHtml {
  const intro =
    'Rules on any platform that share canonical indicators with this one, rare ones weighing most, and ATT&CK techniques (which never make two rules similar alone). The score runs from 0 to 1.';
  if (!rule.similar?.length) {
    return section(
      'similar',
      'Similar rules',
      html`<p class="muted">No other rule shares a canonical indicator rare enough to count.</p>`,
      intro,
    );
  }
  return section(
    'similar',
    'Similar rules',
    html`<ul class="links similar">${rule.similar.map(
      (s) =>
        html`<li><a href="${ruleUrl(s.id)}">${s.name || s.id}</a> <span class="muted">(${platformName(s.platform)})</span> <span class="badge" title="Similarity score">${s.score.toFixed(2)}</span>${s.shared.length ? html`<div class="small">shares ${s.shared.map((item, i) => html`${i ? ', ' : ''}<code>${clipText(item, shownChars.value)}</code>`)}</div>` : ''}</li>`,
    )}</ul>`,
    intro,
  );
}

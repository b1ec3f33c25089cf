import { changesBySync } from '../../sync/changes.js';
import { plural, section } from '../components.js';
import type { WebContext } from '../context.js';
import { html } from '../html.js';
import { platformName } from '../labels.js';
import { layout } from '../layout.js';
import { ruleUrl } from '../urls.js';

/** Rules added, changed and removed by each sync, newest sync first. */
export function renderChanges(ctx: WebContext): string {
  const syncs = changesBySync(ctx.store.rules);
  const body = html`<div class="report">
<h1>Changes</h1>
${syncs.length ? '' : html`<p class="lead muted">No sync history: this catalog was written by <code>ruleatlas build</code>. <code>ruleatlas sync</code> records what each sync changed.</p>`}
${syncs.map((s) =>
  section(
    `sync-${s.sync}`,
    `Sync ${s.sync}`,
    html`<table class="grid"><thead><tr><th scope="col">Change</th><th scope="col">Rule</th><th scope="col">Platform</th><th scope="col">Commit</th><th scope="col">Date</th></tr></thead><tbody>${s.changes.map(
      (c) =>
        html`<tr><td><span class="badge${c.change === 'removed' ? ' warn' : ''}">${c.change}</span></td><td><a href="${ruleUrl(c.id)}">${c.name || c.id}</a> <span class="muted small">${c.source}/${c.path}</span></td><td>${platformName(c.platform)}</td><td><code>${c.commit.slice(0, 12)}</code></td><td>${c.date.slice(0, 10)}</td></tr>`,
    )}</tbody></table>${s.truncated ? html`<p class="muted small">Showing the first ${s.changes.length}; <a href="/api/changes?limit=100000">the JSON</a> has them all.</p>` : ''}`,
    `${plural(s.counts.added, 'rule')} added, ${s.counts.changed} changed, ${s.counts.removed} removed.`,
  ),
)}
</div>`;
  return layout(ctx.assets, { title: 'Changes', nav: 'changes', body }).toString();
}

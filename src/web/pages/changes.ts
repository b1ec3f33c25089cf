import { changesBySync, type SyncChanges } from '../../sync/changes.js';
import { formatCount, plural, section } from '../components.js';
import type { WebContext } from '../context.js';
import { html, type SafeHtml } from '../html.js';
import type { CatalogStore } from '../../store/read.js';
import { platformName } from '../labels.js';
import { layout } from '../layout.js';
import { perCatalog } from '../per-catalog.js';
import { ruleUrl } from '../urls.js';

/** Rows of one sync a page lists: a first build adds every rule of the catalog. */
export const changesPageSize = 100;

/** Which sync is paged (`?sync=N&page=P`); the others show their first page. */
export interface ChangesPaging {
  sync?: number;
  page: number;
}

export function parseChangesPaging(params: URLSearchParams): ChangesPaging {
  const sync = Number.parseInt(params.get('sync') ?? '', 10);
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return { sync: Number.isSafeInteger(sync) && sync > 0 ? sync : undefined, page: Number.isSafeInteger(page) && page > 0 ? page : 1 };
}

const pageUrl = (sync: number, page: number) => `/changes?sync=${sync}&page=${page}#sync-${sync}`;

function pager(s: SyncChanges, page: number, pages: number): SafeHtml | '' {
  if (pages <= 1) return '';
  const link = (to: number, label: string, rel: string) =>
    to >= 1 && to <= pages
      ? html`<a class="btn" rel="${rel}" href="${pageUrl(s.sync, to)}">${label}</a>`
      : html`<span class="btn disabled">${label}</span>`;
  return html`<nav class="pager" aria-label="Pages of sync ${s.sync}">${link(page - 1, '← Previous', 'prev')} <span class="muted">page ${formatCount(Math.min(page, pages))} of ${formatCount(pages)}</span> ${link(page + 1, 'Next →', 'next')}</nav>`;
}

function syncSection(s: SyncChanges, paging: ChangesPaging): SafeHtml {
  const total = s.changes.length;
  const pages = Math.max(1, Math.ceil(total / changesPageSize));
  const page = paging.sync === s.sync ? paging.page : 1;
  const rows = s.changes.slice((page - 1) * changesPageSize, page * changesPageSize);
  // Folder sources have no commit: no empty pill, and no column when none of the sync's rows has one.
  const commits = s.changes.some((c) => c.commit);
  const table = rows.length
    ? html`<table class="grid"><thead><tr><th scope="col">Change</th><th scope="col">Rule</th><th scope="col">Platform</th>${commits ? html`<th scope="col">Commit</th>` : ''}<th scope="col">Date</th></tr></thead><tbody>${rows.map(
        (c) =>
          html`<tr><td><span class="badge${c.change === 'removed' ? ' warn' : ''}">${c.change}</span></td><td><a href="${ruleUrl(c.id)}">${c.name || c.id}</a> <span class="muted small">${c.source}/${c.path}</span></td><td>${platformName(c.platform)}</td>${commits ? html`<td>${c.commit ? html`<code>${c.commit.slice(0, 12)}</code>` : ''}</td>` : ''}<td>${c.date.slice(0, 10)}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">Page ${formatCount(page)} is past the last page (${formatCount(pages)}): <a href="${pageUrl(s.sync, pages)}">go to the last page</a>.</p>`;
  return section(
    `sync-${s.sync}`,
    `Sync ${s.sync}`,
    html`${table}${pager(s, page, pages)}`,
    `${plural(s.counts.added, 'rule')} added, ${s.counts.changed} changed, ${s.counts.removed} removed.`,
  );
}

/**
 * Every sync's changes, worked out once per catalog: gathering and sorting every rule's history was the
 * costliest GET of the whole-corpus catalog (about 10 ms of CPU per request), and no request changes it.
 */
function catalogChanges(store: CatalogStore): SyncChanges[] {
  return perCatalog(store, 'changes by sync', () => changesBySync(store.rules, Number.MAX_SAFE_INTEGER));
}

/** The same with at most `limit` rules listed per sync, as `changesBySync` cuts them. */
export function catalogChangesUpTo(store: CatalogStore, limit: number): SyncChanges[] {
  return catalogChanges(store).map((s) => ({ ...s, changes: s.changes.slice(0, limit), truncated: s.changes.length > limit }));
}

/** Rules added, changed and removed by each sync, newest sync first, a page of each. */
export function renderChanges(ctx: WebContext, paging: ChangesPaging = { page: 1 }): string {
  const syncs = catalogChanges(ctx.store);
  const body = html`<div class="report">
<h1>Changes</h1>
${syncs.length ? '' : html`<p class="lead muted">No sync history: this catalog was written by <code>ruleatlas build</code>. <code>ruleatlas sync</code> records what each sync changed.</p>`}
${syncs.map((s) => syncSection(s, paging))}
</div>`;
  return layout(ctx.assets, { title: 'Changes', nav: 'changes', body }).toString();
}

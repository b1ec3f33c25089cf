// Where a rule's file lives upstream: a git source's repository (its URL as the sources config names
// it, kept in the sync report), the file's path in it and the commit the catalog read it at.
import type { Rule } from '../model/types.js';
import type { BuildReport } from '../report/report.js';

export interface Upstream {
  /** A link to the file at that commit, when the host is one whose file URLs are known. */
  href?: string;
  /** The repository URL (sync keeps it without credentials). */
  repository: string;
  commit: string;
  path: string;
}

/** Hosts whose file URLs are `<repository>/blob/<commit>/<path>` (GitLab answers that form too). */
const blobHosts = new Set(['github.com', 'gitlab.com']);

/** The rule's file upstream, for a rule of a git source whose URL is http(s); undefined otherwise. */
export function upstreamOf(rule: Rule, report: BuildReport): Upstream | undefined {
  const source = report.sync?.sources.find((s) => s.name === rule.sourceName && s.kind === 'git');
  const repo = source?.url && URL.canParse(source.url) ? new URL(source.url) : undefined;
  if (!repo || (repo.protocol !== 'https:' && repo.protocol !== 'http:')) return undefined;
  // The commit the rule's file was last read at (added or changed); the source's own when the history has none.
  const commit = [...(rule.history ?? [])].reverse().find((h) => h.commit)?.commit ?? source?.commit ?? '';
  const repository = repo.href.replace(/\/+$/, '').replace(/\.git$/, '');
  const path = rule.path.split('/').map(encodeURIComponent).join('/');
  const href = blobHosts.has(repo.hostname) && /^[0-9a-f]{7,64}$/.test(commit) ? `${repository}/blob/${commit}/${path}` : undefined;
  return { href, repository, commit, path: rule.path };
}

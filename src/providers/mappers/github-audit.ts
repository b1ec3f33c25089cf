import type { EventMapper } from './types.js';

// A GitHub audit log event (`action`, `actor`, `org`, `repo` ...), as the REST API and audit log
// streaming give it. Sentinel: the GitHub solution's GitHubAuditData columns (`Action`, `Actor`,
// `Repository`, `Visibility`). Elastic: the GitHub integration's `github.audit` dataset
// (`event.action`, `user.name`, `github.*`); its event.category, set per action, is left out.
export const githubAuditMapper: EventMapper = {
  provider: 'github-audit',
  logs: ['GitHub.Audit', 'github/audit', 'GitHubAuditData'],
  // `repo.create`, `org.disable_two_factor_requirement`: a dotted action, by an actor, in an org, repo or business.
  shapes: ['org', 'repo', 'business'].map((scope) => ({
    has: ['action', 'actor', scope],
    matches: { action: '^[a-z_]+(?:\\.[a-z_]+)+$' },
  })),
  targets: [
    { schema: 'panther', logs: ['GitHub.Audit'], flatten: 'raw', fields: { p_log_type: { value: 'GitHub.Audit' } } },
    { schema: 'sigma', logs: ['github/audit'], flatten: 'raw' },
    {
      schema: 'azure-monitor',
      logs: ['GitHubAuditData'],
      fields: { Action: 'action', Actor: 'actor', Repository: 'repo', Visibility: 'visibility' },
    },
    {
      schema: 'ecs',
      logs: ['github.audit'],
      fields: {
        'data_stream.dataset': { value: 'github.audit' },
        'event.dataset': { value: 'github.audit' },
        'event.module': { value: 'github' },
        'event.action': 'action',
        'user.name': 'actor',
        'github.org': 'org',
        'github.repo': 'repo',
        'github.user_agent': 'user_agent',
        'github.permission': 'permission',
        'github.visibility': 'visibility',
        'github.repository_public': 'public_repo',
        'github.operation_type': 'operation_type',
      },
    },
  ],
};

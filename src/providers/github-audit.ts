import type { ProviderSpec } from './types.js';

export const githubAudit: ProviderSpec = {
  id: 'github-audit',
  name: 'GitHub Audit Log',
  selectors: {
    'azure-monitor': [
      { sources: ['GitHubAuditData', 'GitHubAuditLogPolling_CL', 'GitHubAuditLogsV2_CL'], eventFields: ['Action', 'action_s', 'action'] },
    ],
    ecs: [
      {
        sources: ['logs-github.audit*'],
        where: [
          { field: 'data_stream.dataset', values: ['github.audit'] },
          { field: 'event.dataset', values: ['github.audit'] },
        ],
        eventFields: ['event.action', 'github.category'],
      },
    ],
  },
};

import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const githubAudit: ProviderSpec = {
  id: 'github-audit',
  name: 'GitHub Audit Log',
  selectors: {
    'azure-monitor': [
      { sources: ['GitHubAuditData', 'GitHubAuditLogPolling_CL', 'GitHubAuditLogsV2_CL'], eventFields: ['Action', 'action_s', 'action'] },
    ],
    ecs: [ecsDataset('github.audit', ['event.action'])],
  },
};

import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const githubAudit: ProviderSpec = {
  id: 'github-audit',
  name: 'GitHub Audit Log',
  selectors: {
    panther: [
      {
        sources: ['logtype:GitHub.Audit', '*github_audit'],
        where: [{ field: 'p_log_type', values: ['GitHub.Audit'] }],
        eventFields: ['action'],
      },
    ],
    sigma: [{ sources: ['github/audit'], eventFields: ['action'] }],
    'azure-monitor': [
      { sources: ['GitHubAuditData', 'GitHubAuditLogPolling_CL', 'GitHubAuditLogsV2_CL'], eventFields: ['Action', 'action_s', 'action'] },
    ],
    ecs: [ecsDataset('github.audit', ['event.action'])],
    udm: [{ sources: ['log_type:GITHUB', 'product:GITHUB', 'vendor:GITHUB'], eventFields: ['metadata.product_event_type'] }],
  },
};

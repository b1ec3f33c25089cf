import type { ProviderSpec } from './types.js';

export const slackAudit: ProviderSpec = {
  id: 'slack-audit',
  name: 'Slack audit logs',
  selectors: {
    panther: [
      {
        sources: ['logtype:Slack.AuditLogs', '*slack_auditlogs'],
        where: [{ field: 'p_log_type', values: ['Slack.AuditLogs'] }],
        eventFields: ['action'],
      },
    ],
    'azure-monitor': [
      { sources: ['SlackAudit', 'SlackAudit_CL', 'SlackAuditNativePoller_CL'], eventFields: ['Action', 'action_s', 'action'] },
    ],
  },
};

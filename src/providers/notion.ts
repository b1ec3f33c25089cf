import type { ProviderSpec } from './types.js';

export const notion: ProviderSpec = {
  id: 'notion',
  name: 'Notion audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Notion.AuditLogs', '*notion_auditlogs'],
        where: [{ field: 'p_log_type', values: ['Notion.AuditLogs'] }],
        eventFields: ['event.type'],
      },
    ],
  },
};

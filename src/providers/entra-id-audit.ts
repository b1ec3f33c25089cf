import type { ProviderSpec } from './types.js';

export const entraIdAudit: ProviderSpec = {
  id: 'entra-id-audit',
  name: 'Microsoft Entra ID audit',
  selectors: {
    'azure-monitor': [{ sources: ['AuditLogs'], eventFields: ['OperationName'] }],
    ecs: [
      {
        sources: ['logs-azure.auditlogs*'],
        where: [
          { field: 'data_stream.dataset', values: ['azure.auditlogs'] },
          { field: 'event.dataset', values: ['azure.auditlogs'] },
        ],
        eventFields: ['azure.auditlogs.operation_name', 'event.action'],
      },
    ],
  },
};

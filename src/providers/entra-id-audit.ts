import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const entraIdAudit: ProviderSpec = {
  id: 'entra-id-audit',
  name: 'Microsoft Entra ID audit',
  selectors: {
    'azure-monitor': [{ sources: ['AuditLogs'], eventFields: ['OperationName'] }],
    ecs: [ecsDataset('azure.auditlogs', ['azure.auditlogs.operation_name', 'event.action'])],
  },
};

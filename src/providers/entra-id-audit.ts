import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const entraIdAudit: ProviderSpec = {
  id: 'entra-id-audit',
  name: 'Microsoft Entra ID audit',
  selectors: {
    panther: [{ sources: ['logtype:Azure.Audit', '*azure_audit'], where: [{ field: 'p_log_type', values: ['Azure.Audit'] }], eventFields: ['operationName'] }],
    // Sigma's Entra ID rules name the activity in properties.message or OperationName; skip JSON fragments.
    sigma: [{ sources: ['azure/auditlogs'], eventFields: ['properties.message', 'OperationName', 'ActivityDisplayName'], eventPattern: '^[^"{}\\[\\]]+$' }],
    // Entra ID sign-in logs share the sourcetype; their one operationName is no audit event.
    splunk: [{ sources: ['sourcetype:azure:monitor:aad'], eventFields: ['operationName'], eventPattern: '^(?!Sign-in activity$)' }],
    'azure-monitor': [{ sources: ['AuditLogs'], eventFields: ['OperationName'] }],
    ecs: [ecsDataset('azure.auditlogs', ['azure.auditlogs.operation_name', 'event.action'])],
    udm: [{ sources: ['log_type:AZURE_AD_AUDIT', 'product:Azure AD Directory Audit'], eventFields: ['metadata.product_event_type'] }],
  },
};

import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

// The Microsoft 365 management activity log carries Entra ID's directory audit too (workload
// AzureActiveDirectory), its operations spelt with a final period: `Add member to role.`.
const o365 = { eventPattern: '\\.$' };

export const entraIdAudit: ProviderSpec = {
  id: 'entra-id-audit',
  name: 'Microsoft Entra ID audit',
  normalise: [{ match: '\\.$', replace: '' }],
  selectors: {
    panther: [
      {
        sources: ['logtype:Azure.Audit', '*azure_audit'],
        where: [{ field: 'p_log_type', values: ['Azure.Audit'] }],
        eventFields: ['operationName'],
      },
      {
        sources: ['logtype:Microsoft365.Audit.*', '*microsoft365_audit_*'],
        where: [{ field: 'p_log_type', values: ['Microsoft365.Audit.*'] }],
        eventFields: ['Operation'],
        ...o365,
      },
    ],
    // Sigma's Entra ID rules name the activity in properties.message or OperationName; skip JSON fragments.
    sigma: [
      {
        sources: ['azure/auditlogs'],
        eventFields: ['properties.message', 'OperationName', 'ActivityDisplayName'],
        eventPattern: '^[^"{}\\[\\]]+$',
      },
      { sources: ['m365/audit'], eventFields: ['Operation'], ...o365 },
    ],
    splunk: [
      // Entra ID sign-in logs share the sourcetype; their one operationName is no audit event.
      { sources: ['sourcetype:azure:monitor:aad'], eventFields: ['operationName'], eventPattern: '^(?!Sign-in activity$)' },
      { sources: ['sourcetype:o365:management:activity'], eventFields: ['Operation'], ...o365 },
    ],
    // ActivityDisplayName is OperationName's twin: rules test either.
    'azure-monitor': [
      { sources: ['AuditLogs'], eventFields: ['OperationName', 'ActivityDisplayName'] },
      // Defender XDR's CloudAppEvents carries Entra ID's operations with the final period too:
      // that period marks them among the log's other products, so a name need not be known already.
      { sources: ['CloudAppEvents'], eventFields: ['ActionType'], ...o365 },
    ],
    ecs: [
      ecsDataset('azure.auditlogs', ['azure.auditlogs.operation_name', 'event.action']),
      { ...ecsDataset('o365.audit', ['event.action', 'o365.audit.Operation']), ...o365 },
    ],
    udm: [
      { sources: ['log_type:AZURE_AD_AUDIT', 'product:Azure AD Directory Audit'], eventFields: ['metadata.product_event_type'] },
      { sources: ['log_type:OFFICE_365', 'product:Office 365'], eventFields: ['metadata.product_event_type'], ...o365 },
    ],
  },
};

import type { ProviderSpec } from './types.js';

export const gcpAudit: ProviderSpec = {
  id: 'gcp-audit',
  name: 'Google Cloud Audit Logs',
  selectors: {
    'azure-monitor': [
      { sources: ['GCPAuditLogs'], eventFields: ['MethodName'] },
      { sources: ['GCP_IAM', 'GCP_IAM_CL'], eventFields: ['PayloadMethodname', 'payload_methodName_s'] },
    ],
    ecs: [
      {
        sources: ['logs-gcp.audit*'],
        where: [
          { field: 'data_stream.dataset', values: ['gcp.audit'] },
          { field: 'event.dataset', values: ['gcp.audit'] },
        ],
        eventFields: ['event.action'],
      },
    ],
  },
};

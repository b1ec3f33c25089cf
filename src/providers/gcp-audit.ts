import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const gcpAudit: ProviderSpec = {
  id: 'gcp-audit',
  name: 'Google Cloud Audit Logs',
  selectors: {
    'azure-monitor': [
      { sources: ['GCPAuditLogs'], eventFields: ['MethodName'] },
      { sources: ['GCP_IAM', 'GCP_IAM_CL'], eventFields: ['PayloadMethodname', 'payload_methodName_s'] },
    ],
    ecs: [ecsDataset('gcp.audit', ['event.action'])],
  },
};

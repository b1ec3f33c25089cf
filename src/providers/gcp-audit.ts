import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

export const gcpAudit: ProviderSpec = {
  id: 'gcp-audit',
  name: 'Google Cloud Audit Logs',
  selectors: {
    panther: [{ sources: ['logtype:GCP.AuditLog', '*gcp_auditlog'], where: [{ field: 'p_log_type', values: ['GCP.AuditLog'] }], eventFields: ['protoPayload.methodName'] }],
    sigma: [{ sources: ['gcp/gcp.audit'], eventFields: ['gcp.audit.method_name', 'data.protoPayload.methodName'] }],
    splunk: [{ sources: ['sourcetype:google:gcp:pubsub:message'], eventFields: ['data.protoPayload.methodName'] }],
    'azure-monitor': [
      { sources: ['GCPAuditLogs'], eventFields: ['MethodName'] },
      { sources: ['GCP_IAM', 'GCP_IAM_CL'], eventFields: ['PayloadMethodname', 'payload_methodName_s'] },
    ],
    ecs: [ecsDataset('gcp.audit', ['event.action'])],
    udm: [{ sources: ['log_type:GCP_CLOUDAUDIT', 'vendor:Google Cloud Platform'], eventFields: ['metadata.product_event_type'] }],
  },
};

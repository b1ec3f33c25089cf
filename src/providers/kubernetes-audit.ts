import type { ProviderSpec } from './types.js';

// An audit event is an API verb on a resource (and subresource): `create pods/exec`,
// `delete events`, `get secrets`. A rule that names the resource but no verb watches every verb
// on it (a pattern); one that names no resource names no event.
const parts = (prefix: string) => [
  { fields: [`${prefix}verb`], missing: 'any' as const },
  { fields: [`${prefix}objectRef.resource`] },
  { fields: [`${prefix}objectRef.subresource`], before: '/', missing: 'omit' as const },
];

export const kubernetesAudit: ProviderSpec = {
  id: 'kubernetes-audit',
  name: 'Kubernetes audit',
  selectors: {
    panther: [
      {
        sources: ['logtype:Amazon.EKS.Audit', 'logtype:GCP.K8S*', 'logtype:Kubernetes.*', '*amazon_eks_audit', '*kubernetes_control_plane'],
        where: [{ field: 'p_log_type', values: ['Amazon.EKS.Audit', 'Kubernetes.*'] }],
        eventFields: [],
        eventParts: parts(''),
      },
    ],
    sigma: [{ sources: ['kubernetes/*audit'], eventFields: [], eventParts: parts('') }],
    splunk: [{ sources: ['source:kubernetes', 'sourcetype:aws:cloudwatchlogs:eks', 'sourcetype:kube:*audit*'], eventFields: [], eventParts: parts('') }],
    // AKS sends kube-audit to AzureDiagnostics (log_s holds the JSON, so only parsed fields count).
    'azure-monitor': [
      { where: [{ field: 'Category', values: ['kube-audit', 'kube-audit-admin'] }], eventFields: [], eventParts: parts('') },
    ],
    ecs: [
      {
        sources: ['logs-kubernetes.audit_logs*'],
        where: [
          { field: 'event.dataset', values: ['kubernetes.audit_logs'] },
          { field: 'data_stream.dataset', values: ['kubernetes.audit_logs'] },
        ],
        eventFields: [],
        eventParts: parts('kubernetes.audit.'),
      },
      // AKS audit through the Azure platform logs integration.
      {
        sources: ['logs-azure.platformlogs*'],
        where: [{ field: 'azure.platformlogs.category', values: ['kube-audit', 'kube-audit-admin'] }],
        eventFields: [],
        eventParts: parts('azure.platformlogs.properties.log.'),
      },
    ],
    udm: [{ sources: ['log_type:KUBERNETES_*', 'product:Kubernetes*'], eventFields: ['metadata.product_event_type'] }],
  },
};

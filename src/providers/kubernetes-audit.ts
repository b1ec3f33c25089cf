import { gcpAudit } from './gcp-audit.js';
import type { ProviderSelector, ProviderSpec } from './types.js';

// An audit event is an API verb on a resource (and subresource): `create pods/exec`,
// `delete events`, `get secrets`. A rule that names the resource but no verb watches every verb
// on it (a pattern), as does one naming a subresource only (`* */exec`, which only pods have);
// one that names neither names no event.
// Names from other logs' actions (a multi-cloud rule's `GetSecretValue`) are not Kubernetes verbs.
const verbs = '^(?:get|list|watch|create|update|patch|delete|deletecollection|\\*) ';
const parts = (prefix: string, verbFields: string[] = []) => [
  { fields: [`${prefix}verb`, ...verbFields], missing: 'any' as const },
  { fields: [`${prefix}objectRef.resource`], missing: 'any' as const, anchor: true },
  { fields: [`${prefix}objectRef.subresource`], before: '/', missing: 'omit' as const, anchor: true },
];

// GKE writes the same events to Google Cloud's audit log as method names, `io.k8s.` + API group
// + version + resource (+ subresource) + verb: `io.k8s.core.v1.pods.exec.create`.
const gke = '^io\\.k8s\\.';
const gkeSelectors = (schema: string): ProviderSelector[] =>
  (gcpAudit.selectors[schema] ?? []).map(({ eventPattern: _notKubernetes, ...s }) => ({ ...s, eventPattern: gke }));
const group = '^io\\.k8s\\.(?:[\\w-]+\\.)*?v[\\d*][\\w*]*\\.';

export const kubernetesAudit: ProviderSpec = {
  id: 'kubernetes-audit',
  name: 'Kubernetes audit',
  normalise: [
    { match: `${group}(\\w+)\\.(\\w+)\\.(\\w+)$`, replace: '$3 $1/$2' },
    { match: `${group}(\\w+)\\.(\\w+)$`, replace: '$2 $1' },
  ],
  selectors: {
    panther: [
      {
        sources: ['logtype:Amazon.EKS.Audit', 'logtype:GCP.K8S*', 'logtype:Kubernetes.*', '*amazon_eks_audit', '*kubernetes_control_plane'],
        where: [{ field: 'p_log_type', values: ['Amazon.EKS.Audit', 'Kubernetes.*'] }],
        eventFields: [],
        eventParts: parts(''),
        eventPattern: verbs,
      },
      ...gkeSelectors('panther'),
    ],
    sigma: [{ sources: ['kubernetes/*audit'], eventFields: [], eventParts: parts('') }, ...gkeSelectors('sigma')],
    splunk: [
      {
        sources: ['source:kubernetes', 'sourcetype:aws:cloudwatchlogs:eks', 'sourcetype:kube:*audit*'],
        eventFields: [],
        eventParts: parts(''),
      },
      ...gkeSelectors('splunk'),
    ],
    // AKS sends kube-audit to AzureDiagnostics (log_s holds the JSON, so only parsed fields count).
    'azure-monitor': [
      { where: [{ field: 'Category', values: ['kube-audit', 'kube-audit-admin'] }], eventFields: [], eventParts: parts('') },
      ...gkeSelectors('azure-monitor'),
    ],
    ecs: [
      {
        sources: ['logs-kubernetes.audit_logs*'],
        where: [
          { field: 'event.dataset', values: ['kubernetes.audit_logs'] },
          { field: 'data_stream.dataset', values: ['kubernetes.audit_logs'] },
        ],
        eventFields: [],
        // Elastic's integration copies the verb to event.action, which rules test as often.
        eventParts: parts('kubernetes.audit.', ['event.action']),
        eventPattern: verbs,
      },
      // AKS audit through the Azure platform logs integration.
      {
        sources: ['logs-azure.platformlogs*'],
        where: [{ field: 'azure.platformlogs.category', values: ['kube-audit', 'kube-audit-admin'] }],
        eventFields: [],
        eventParts: parts('azure.platformlogs.properties.log.'),
        eventPattern: verbs,
      },
      ...gkeSelectors('ecs'),
    ],
    udm: [
      { sources: ['log_type:KUBERNETES_*', 'product:Kubernetes*'], eventFields: ['metadata.product_event_type'] },
      ...gkeSelectors('udm'),
    ],
  },
};

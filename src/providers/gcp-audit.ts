import { ecsDataset } from './ecs.js';
import type { ProviderSpec } from './types.js';

// GKE's Kubernetes audit shares this log (`io.k8s.core.v1.pods.exec.create`): those names are
// kubernetes-audit events (see there), not this provider's.
const notKubernetes = '^(?!io\\.k8s\\.)';

// Compute Engine logs REST methods, `v1.compute.<collection>.<method>`, and rules mostly name them by
// a wildcard, a regex or a term (`*.compute.firewalls.insert`, `has "firewalls.insert"`), which
// match only names some rule spells whole unless the names are known: those of the collections
// that change a project's exposure (network, instances, images and disks).
const computeMethods: Record<string, string[]> = {
  firewalls: ['insert', 'delete', 'patch', 'update'],
  routes: ['insert', 'delete'],
  networks: ['insert', 'delete', 'patch'],
  subnetworks: ['insert', 'delete', 'patch', 'setPrivateIpGoogleAccess'],
  instances: ['insert', 'delete', 'start', 'stop', 'setMetadata', 'setServiceAccount'],
  instanceTemplates: ['insert', 'delete'],
  images: ['insert', 'delete', 'setIamPolicy'],
  disks: ['insert', 'delete', 'createSnapshot', 'setIamPolicy'],
  snapshots: ['insert', 'delete', 'setIamPolicy'],
  projects: ['setCommonInstanceMetadata'],
};

export const gcpAudit: ProviderSpec = {
  id: 'gcp-audit',
  name: 'Google Cloud Audit Logs',
  knownEvents: Object.entries(computeMethods).flatMap(([collection, methods]) => methods.map((m) => `v1.compute.${collection}.${m}`)),
  // A gRPC method is logged with its package and service (`google.iam.v1.IAMPolicy.SetIamPolicy`,
  // `google.iam.admin.v1.CreateServiceAccountKey`), and rules name it with or without them. REST
  // names (`v1.compute.instances.insert`) and one-word methods keep their prefix: it is the action.
  normalise: [{ match: '^(?:[\\w*-]+\\.)+(?=[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*$)', replace: '' }],
  selectors: {
    panther: [
      {
        sources: ['logtype:GCP.AuditLog', '*gcp_auditlog'],
        where: [{ field: 'p_log_type', values: ['GCP.AuditLog'] }],
        eventFields: ['protoPayload.methodName'],
        eventPattern: notKubernetes,
      },
    ],
    sigma: [
      {
        sources: ['gcp/gcp.audit'],
        eventFields: ['gcp.audit.method_name', 'data.protoPayload.methodName', 'protoPayload.methodName'],
        eventPattern: notKubernetes,
      },
    ],
    splunk: [
      { sources: ['sourcetype:google:gcp:pubsub:message'], eventFields: ['data.protoPayload.methodName'], eventPattern: notKubernetes },
    ],
    'azure-monitor': [
      { sources: ['GCPAuditLogs'], eventFields: ['MethodName'], eventPattern: notKubernetes },
      { sources: ['GCP_IAM', 'GCP_IAM_CL'], eventFields: ['PayloadMethodname', 'payload_methodName_s'], eventPattern: notKubernetes },
    ],
    ecs: [{ ...ecsDataset('gcp.audit', ['event.action']), eventPattern: notKubernetes }],
    udm: [
      {
        sources: ['log_type:GCP_CLOUDAUDIT', 'vendor:Google Cloud Platform'],
        eventFields: ['metadata.product_event_type'],
        eventPattern: notKubernetes,
      },
    ],
  },
};

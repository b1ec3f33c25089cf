import type { EventMapper } from './types.js';

// A Cloud Audit Logs LogEntry (`protoPayload` an AuditLog: `serviceName`, `methodName`,
// `authenticationInfo`, `requestMetadata`), as Cloud Logging exports it (`logName`, `insertId`) or as
// Panther keeps it (`logname`, `insertid`, `@type` as `at_sign_type`). Sentinel: the GCPAuditLogs
// table. Elastic: the GCP integration's `gcp.audit` dataset; Sigma's gcp.audit rules name the same
// `gcp.audit.*` fields. An AuditLog whose status has a code is a failure.
const elasticFields = {
  'gcp.audit.method_name': 'protoPayload.methodName',
  'gcp.audit.service_name': 'protoPayload.serviceName',
  'gcp.audit.resource_name': 'protoPayload.resourceName',
  'gcp.audit.authentication_info.principal_email': 'protoPayload.authenticationInfo.principalEmail',
  'gcp.audit.request_metadata.caller_ip': ['protoPayload.requestMetadata.callerIp', 'protoPayload.requestMetadata.callerIP'],
  'gcp.audit.request_metadata.caller_supplied_user_agent': 'protoPayload.requestMetadata.callerSuppliedUserAgent',
  'gcp.audit.request': 'protoPayload.request',
  'gcp.audit.response': 'protoPayload.response',
  'gcp.audit.status.code': 'protoPayload.status.code',
  'gcp.audit.status.message': 'protoPayload.status.message',
};

export const gcpAuditMapper: EventMapper = {
  provider: 'gcp-audit',
  logs: ['GCP.AuditLog', 'gcp/gcp.audit', 'GCPAuditLogs'],
  shapes: [{ has: ['protoPayload.methodName', 'protoPayload.serviceName'] }],
  targets: [
    { schema: 'panther', logs: ['GCP.AuditLog'], flatten: 'raw', fields: { p_log_type: { value: 'GCP.AuditLog' } } },
    { schema: 'sigma', logs: ['gcp/gcp.audit'], fields: elasticFields },
    {
      schema: 'azure-monitor',
      logs: ['GCPAuditLogs'],
      fields: {
        ServiceName: 'protoPayload.serviceName',
        MethodName: 'protoPayload.methodName',
        GCPResourceName: 'protoPayload.resourceName',
        GCPResourceType: 'resource.type',
        PrincipalEmail: 'protoPayload.authenticationInfo.principalEmail',
        ProjectId: 'resource.labels.project_id',
        LogName: ['logName', 'logname'],
        InsertId: ['insertId', 'insertid'],
        Severity: 'severity',
        RequestMetadata: 'protoPayload.requestMetadata',
        AuthenticationInfo: 'protoPayload.authenticationInfo',
        AuthorizationInfo: 'protoPayload.authorizationInfo',
        Request: 'protoPayload.request',
        Response: 'protoPayload.response',
      },
    },
    {
      schema: 'ecs',
      logs: ['gcp.audit'],
      fields: {
        'data_stream.dataset': { value: 'gcp.audit' },
        'event.dataset': { value: 'gcp.audit' },
        'event.module': { value: 'gcp' },
        'event.action': 'protoPayload.methodName',
        'event.provider': 'protoPayload.serviceName',
        'event.outcome': { ifPresent: 'protoPayload.status.code', then: 'failure', else: 'success' },
        'cloud.provider': { value: 'gcp' },
        'cloud.project.id': 'resource.labels.project_id',
        'source.ip': ['protoPayload.requestMetadata.callerIp', 'protoPayload.requestMetadata.callerIP'],
        'user_agent.original': 'protoPayload.requestMetadata.callerSuppliedUserAgent',
        'client.user.email': 'protoPayload.authenticationInfo.principalEmail',
        ...elasticFields,
      },
    },
  ],
};

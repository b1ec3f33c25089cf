// Panther data models: which log field a UDM name (`event.udm("source_ip")`) stands for, per log
// type. A built-in table, written from the data_models/*.yml of panther-analysis, used when the
// source being catalogued does not carry its own data_models/ folder (see udm.ts). It is also where
// a source's own model file is looked for (`file`, under data_models/): a log type it does not list
// has no data model, in the analysis and in the rule's tests.
//
// `paths` are the models' `Path` mappings as written. `methods` names the mappings a Python
// method computes (`Method: get_actor_user`); they stay unresolved (`udm:<name>`), except the few
// in `methodFields`, whose method returns one field first and falls back to others only when it
// is empty (Okta's actor_user reads actor.alternateId, then actor.displayName).
// `event_type` is always a method returning Panther's own event categories, never a log field.

export interface DataModelSpec {
  /** File name under data_models/. */
  file: string;
  logTypes: string[];
  /** UDM name → JSON path (`$.client.ipAddress`, `userAgent`). */
  paths: Record<string, string>;
  /** UDM names computed by a Python method. */
  methods?: string[];
  /** For a few methods: the field they return first. */
  methodFields?: Record<string, string>;
}

export const builtinDataModels: readonly DataModelSpec[] = [
  {
    file: 'asana_data_model.yml',
    logTypes: ['Asana.Audit'],
    paths: { actor_user: '$.actor.name', source_ip: '$.context.client_ip_address', user: '$.resource.name' },
    methods: ['event_type'],
  },
  {
    file: 'atlassian_data_model.yml',
    logTypes: ['Atlassian.Audit'],
    paths: { actor_user: '$.EventActor.Name', source_ip: '$.EventLocation.IP' },
    methods: ['event_type'],
  },
  {
    file: 'aws_alb_data_model.yml',
    logTypes: ['AWS.ALB'],
    paths: { destination_ip: 'targetIp', source_ip: 'clientIp', user_agent: 'userAgent' },
  },
  {
    file: 'aws_cloudtrail_data_model.yml',
    logTypes: ['AWS.CloudTrail'],
    paths: { user_agent: 'userAgent', user: '$.responseElements.user.userName', user_account_id: '$.responseElements.user.userId' },
    methods: ['actor_user', 'event_type', 'source_ip'],
    methodFields: { source_ip: 'sourceIPAddress' },
  },
  {
    file: 'aws_eks_data_model.yml',
    logTypes: ['Amazon.EKS.Audit'],
    paths: {
      annotations: '$.annotations',
      apiGroup: '$.objectRef.apiGroup',
      apiVersion: '$.objectRef.apiVersion',
      namespace: '$.objectRef.namespace',
      resource: '$.objectRef.resource',
      name: '$.objectRef.name',
      subresource: '$.objectRef.subresource',
      requestURI: '$.requestURI',
      responseStatus: '$.responseStatus',
      sourceIPs: '$.sourceIPs',
      username: '$.user.username',
      userAgent: '$.userAgent',
      verb: '$.verb',
      requestObject: '$.requestObject',
      responseObject: '$.responseObject',
      containers: '$.requestObject.spec.containers',
      volumes: '$.requestObject.spec.volumes',
      hostIPC: '$.requestObject.spec.hostIPC',
      hostNetwork: '$.requestObject.spec.hostNetwork',
      hostPID: '$.requestObject.spec.hostPID',
      webhooks: '$.requestObject.webhooks',
      serviceType: '$.requestObject.spec.type',
    },
  },
  {
    file: 'aws_s3_data_model.yml',
    logTypes: ['AWS.S3ServerAccess'],
    paths: { http_status: 'httpstatus', source_ip: 'remoteip', user_agent: 'useragent' },
  },
  {
    file: 'aws_vpcdns_data_model.yml',
    logTypes: ['AWS.VPCDns'],
    paths: { source_ip: 'srcAddr', source_port: 'srcPort', dns_query: 'query_name' },
  },
  {
    file: 'aws_vpcflow_data_model.yml',
    logTypes: ['AWS.VPCFlow'],
    paths: {
      destination_ip: 'dstAddr',
      destination_port: 'dstPort',
      source_ip: 'srcAddr',
      source_port: 'srcPort',
      user_agent: 'userAgent',
      log_status: 'status',
    },
  },
  {
    file: 'azure_aks_data_model.yml',
    logTypes: ['Azure.MonitorActivity'],
    paths: {},
    methods: [
      'annotations',
      'apiGroup',
      'apiVersion',
      'namespace',
      'resource',
      'name',
      'subresource',
      'requestURI',
      'responseStatus',
      'sourceIPs',
      'username',
      'userAgent',
      'verb',
      'requestObject',
      'responseObject',
      'containers',
      'volumes',
      'hostIPC',
      'hostNetwork',
      'hostPID',
      'webhooks',
      'serviceType',
    ],
  },
  {
    file: 'azure_signin_data_model.yml',
    logTypes: ['Azure.Audit'],
    paths: { source_ip: '$.properties.ipAddress' },
    methods: ['actor_user', 'event_type'],
    methodFields: { actor_user: 'properties.userPrincipalName' },
  },
  {
    file: 'box_data_model.yml',
    logTypes: ['Box.Event'],
    paths: { actor_user: '$.created_by.name', source_ip: 'ip_address' },
    methods: ['event_type'],
  },
  {
    file: 'cisco_umbrella_data_model.yml',
    logTypes: ['CiscoUmbrella.DNS'],
    paths: { source_ip: 'internalIp', source_port: 'srcPort' },
    methods: ['dns_query'],
  },
  {
    file: 'cloudflare_firewall_data_model.yml',
    logTypes: ['Cloudflare.Firewall'],
    paths: { source_ip: 'ClientIP', user_agent: 'ClientRequestUserAgent', http_status: 'EdgeResponseStatus' },
  },
  {
    file: 'cloudflare_httpreq_data_model.yml',
    logTypes: ['Cloudflare.HttpRequest'],
    paths: { source_ip: 'ClientIP', user_agent: 'ClientRequestUserAgent', http_status: 'EdgeResponseStatus', source_port: 'ClientSrcPort' },
  },
  {
    file: 'gcp_data_model.yml',
    logTypes: ['GCP.AuditLog'],
    paths: {
      source_ip: '$.protoPayload.requestMetadata.callerIP',
      annotations: '$.labels',
      responseStatus: '$.protoPayload.status',
      userAgent: '$.protoPayload.requestMetadata.callerSuppliedUserAgent',
      requestObject: '$.protoPayload.request',
      responseObject: '$.protoPayload.response',
    },
    methods: [
      'actor_user',
      'assigned_admin_role',
      'event_type',
      'user',
      'apiGroup',
      'apiVersion',
      'namespace',
      'resource',
      'name',
      'subresource',
      'requestURI',
      'sourceIPs',
      'username',
      'verb',
      'containers',
      'volumes',
      'hostIPC',
      'hostNetwork',
      'hostPID',
      'webhooks',
      'serviceType',
    ],
    methodFields: { actor_user: 'protoPayload.authenticationInfo.principalEmail' },
  },
  {
    file: 'github_data_model.yml',
    logTypes: ['GitHub.Audit'],
    paths: { actor_user: 'actor', user: 'user' },
    methods: ['assigned_admin_role', 'event_type'],
  },
  {
    file: 'gsuite_data_model.yml',
    logTypes: ['GSuite.ActivityEvent'],
    paths: {
      actor_user: '$.actor.email',
      assigned_admin_role: '$.parameters.ROLE_NAME',
      source_ip: 'ipAddress',
      user: '$.parameters.USER_EMAIL',
    },
    methods: ['event_type'],
  },
  {
    file: 'notion_data_model.yml',
    logTypes: ['Notion.AuditLogs'],
    paths: { source_ip: '$.event.ip_address' },
    methods: ['actor_user', 'event_type'],
  },
  {
    file: 'ocsf_dnsactivity_data_model.yml',
    logTypes: ['OCSF.DnsActivity'],
    paths: { source_ip: '$.src_endpoint.ip', source_port: '$.src_endpoint.port', dns_query: '$.query.hostname' },
  },
  {
    file: 'ocsf_networkactivity_data_model.yml',
    logTypes: ['OCSF.NetworkActivity'],
    paths: {
      destination_ip: '$.dst_endpoint.ip',
      destination_port: '$.dst_endpoint.port',
      source_ip: '$.src_endpoint.ip',
      source_port: '$.src_endpoint.port',
      log_status: 'status_code',
    },
  },
  {
    file: 'okta_data_model.yml',
    logTypes: ['Okta.SystemLog'],
    paths: { source_ip: '$.client.ipAddress', user_agent: '$.client.userAgent.rawUserAgent' },
    methods: ['actor_user', 'event_type'],
    methodFields: { actor_user: 'actor.alternateId' },
  },
  {
    file: 'onelogin_data_model.yml',
    logTypes: ['OneLogin.Events'],
    paths: {
      actor_user: 'actor_user_name',
      assigned_admin_role: 'privilege_name',
      source_ip: 'ipaddr',
      user: 'user_name',
      user_account_id: 'user_id',
      user_agent: 'user_agent',
    },
    methods: ['event_type'],
  },
  {
    file: 'onepassword_itemusage_data_model.yml',
    logTypes: ['OnePassword.ItemUsage'],
    paths: { actor_user: '$.user.email', source_ip: '$.client.ipaddress' },
  },
  {
    file: 'onepassword_signinattempt_data_model.yml',
    logTypes: ['OnePassword.SignInAttempt'],
    paths: { actor_user: '$.target_user.email', source_ip: '$.client.ip_address' },
    methods: ['event_type'],
  },
  {
    file: 'panther_audit_data_model.yml',
    logTypes: ['Panther.Audit'],
    paths: { source_ip: 'sourceIP', user_agent: 'userAgent', user: '$.actionParams.input.email' },
    methods: ['actor_user', 'event_type'],
    methodFields: { actor_user: 'actor.attributes.email' },
  },
  {
    file: 'slack_accesslogs_data_model.yml',
    logTypes: ['Slack.AccessLogs'],
    paths: { source_ip: 'ip', user_agent: 'user_agent', actor_user: 'username' },
  },
  {
    file: 'slack_auditlogs_data_model.yml',
    logTypes: ['Slack.AuditLogs'],
    paths: { actor_user: '$.actor.user.name', user_agent: '$.context.ua', source_ip: '$.context.ip_address', user: '$.entity.user.name' },
  },
  { file: 'slack_integrationlogs_data_model.yml', logTypes: ['Slack.IntegrationLogs'], paths: { actor_user: 'user_name' } },
  {
    file: 'zendesk_data_model.yml',
    logTypes: ['Zendesk.Audit'],
    paths: { actor_user: 'actor_name', source_ip: 'ip_address' },
    methods: ['assigned_admin_role', 'event_type', 'user'],
  },
  {
    file: 'zoom_activity_data_model.yml',
    logTypes: ['Zoom.Activity'],
    paths: { actor_user: 'email', source_ip: 'ip_address' },
    methods: ['event_type'],
  },
  { file: 'zoom_operation_data_model.yml', logTypes: ['Zoom.Operation'], paths: { actor_user: 'operator' }, methods: ['event_type'] },
  // Endpoint (EDR) models, kept in a subfolder of data_models/: where to find them only. Their
  // mappings are read from the source's own file; a source without it has no table for these logs.
  { file: 'edr_data_models/carbonblack_endpoint_data_model.yml', logTypes: ['CarbonBlack.EndpointEvent'], paths: {} },
  { file: 'edr_data_models/crowdstrike_fdr_data_model.yml', logTypes: ['Crowdstrike.FDREvent'], paths: {} },
  { file: 'edr_data_models/sentinelone_data_model.yml', logTypes: ['SentinelOne.DeepVisibility'], paths: {} },
];

import type { EventMapper } from './types.js';

// The Okta System Log event (the API's LogEvent: `eventType`, `actor`, `client`, `outcome`, `target` ...).
// Sentinel: the Okta SSO connector's custom-log tables (`OktaSSO`, `Okta_CL`: `eventType_s`,
// `actor_alternateId_s`, `target_s` holding the target array as JSON). Elastic: the Okta integration
// (`okta.system` dataset: `event.action`, `okta.*` in snake case, `okta.client.ip`). Splunk: the Okta
// add-on's JSON (`OktaIM2:log`: `outcome.result`, `target{}.id`). Chronicle: the OKTA parser's UDM.
export const oktaMapper: EventMapper = {
  provider: 'okta',
  logs: ['Okta.SystemLog', 'okta/okta', 'OktaIM2:log'],
  // `user.account.lock`: three or more lower-case words joined by periods, with an actor.
  shapes: [{ has: ['eventType', 'actor'], matches: { eventType: '^[a-z_]+(?:\\.[a-z_]+){2,}$' } }],
  targets: [
    { schema: 'panther', logs: ['Okta.SystemLog'], flatten: 'raw', fields: { p_log_type: { value: 'Okta.SystemLog' } } },
    { schema: 'sigma', logs: ['okta/okta'], flatten: 'raw' },
    { schema: 'azure-monitor', logs: ['OktaSSO', 'Okta_CL'], flatten: 'log-analytics' },
    { schema: 'splunk', logs: ['OktaIM2:log'], flatten: 'spath', fields: { sourcetype: { value: 'OktaIM2:log' } } },
    {
      schema: 'ecs',
      logs: ['okta.system'],
      fields: {
        'data_stream.dataset': { value: 'okta.system' },
        'event.dataset': { value: 'okta.system' },
        'event.module': { value: 'okta' },
        'event.action': 'eventType',
        'event.id': 'uuid',
        // ECS allows success, failure and unknown only.
        'event.outcome': { from: 'outcome.result', values: { SUCCESS: 'success', FAILURE: 'failure' } },
        'source.ip': 'client.ipAddress',
        'user_agent.original': 'client.userAgent.rawUserAgent',
        'okta.uuid': 'uuid',
        'okta.event_type': 'eventType',
        'okta.version': 'version',
        'okta.severity': 'severity',
        'okta.display_message': 'displayMessage',
        'okta.actor.id': 'actor.id',
        'okta.actor.type': 'actor.type',
        'okta.actor.alternate_id': 'actor.alternateId',
        'okta.actor.display_name': 'actor.displayName',
        'okta.client.ip': 'client.ipAddress',
        'okta.client.id': 'client.id',
        'okta.client.zone': 'client.zone',
        'okta.client.device': 'client.device',
        'okta.client.user_agent.raw_user_agent': 'client.userAgent.rawUserAgent',
        'okta.client.user_agent.os': 'client.userAgent.os',
        'okta.client.user_agent.browser': 'client.userAgent.browser',
        'okta.outcome.result': 'outcome.result',
        'okta.outcome.reason': 'outcome.reason',
        'okta.target.id': 'target.id',
        'okta.target.type': 'target.type',
        'okta.target.alternate_id': 'target.alternateId',
        'okta.target.display_name': 'target.displayName',
        'okta.transaction.id': 'transaction.id',
        'okta.authentication_context.external_session_id': 'authenticationContext.externalSessionId',
        'okta.security_context.is_proxy': 'securityContext.isProxy',
        'okta.debug_context.debug_data.dt_hash': 'debugContext.debugData.dtHash',
        'okta.debug_context.debug_data.threat_suspected': 'debugContext.debugData.threatSuspected',
        'okta.debug_context.debug_data.request_uri': 'debugContext.debugData.requestUri',
        'okta.debug_context.debug_data.factor': 'debugContext.debugData.factor',
      },
    },
    {
      schema: 'udm',
      logs: ['OKTA'],
      fields: {
        'metadata.log_type': { value: 'OKTA' },
        'metadata.vendor_name': { value: 'Okta' },
        'metadata.product_name': { value: 'Okta' },
        'metadata.product_event_type': 'eventType',
        'metadata.product_log_id': 'uuid',
        'security_result.summary': 'displayMessage',
        'security_result.action': { from: 'outcome.result', values: { SUCCESS: 'ALLOW', ALLOW: 'ALLOW', FAILURE: 'BLOCK', DENY: 'BLOCK' } },
        'principal.ip': 'client.ipAddress',
        'network.http.user_agent': 'client.userAgent.rawUserAgent',
      },
    },
  ],
};
